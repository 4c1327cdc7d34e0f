import { readFileSync } from 'node:fs';
import { PluginRegistry } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { OFFLINE_CONTEXT } from '../runtime/plugin-loader.ts';
import { knownAnnotationKeys } from './convert.ts';
import { convertManifest, type ConvertedTarget } from './convert-manifest.ts';
import { formatPatch, formatYaml, targetPatch } from './convert-output.ts';
import { validateManifest } from './validate.ts';

/** The built-in plugins as a scaler without a config file has them. */
const plugins = PluginRegistry.of(Object.values(BUILTIN_FACTORIES).map((f) => f(undefined, OFFLINE_CONTEXT) as never)).plugins();
/** The same with a Prometheus for the KPA (`pluginOptions.kpa.prometheus.url`), which a prometheus trigger needs. */
const withPrometheus = PluginRegistry.of(
  Object.entries(BUILTIN_FACTORIES).map(([id, f]) => f(id === 'kpa' ? { prometheus: { url: 'http://127.0.0.1:9090' } } : undefined, OFFLINE_CONTEXT) as never),
).plugins();
const known = knownAnnotationKeys(plugins);
const fixture = (name: string) => readFileSync(new URL(`./convert-fixtures/${name}`, import.meta.url), 'utf8');

/** A whole Deployment with the converted metadata merged in, as `kubectl patch` leaves it. */
function patchedDeployment(t: ConvertedTarget): string {
  const patch = targetPatch(t).metadata;
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: t.name, namespace: t.namespace, labels: { app: t.name, ...patch.labels }, annotations: { 'deployment.kubernetes.io/revision': '3', ...patch.annotations } },
    spec: { selector: { matchLabels: { app: t.name } }, template: { metadata: { labels: { app: t.name } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
  });
}

describe('convertManifest on real manifests from the projects\' docs', () => {
  it.each([
    ['hpa.yaml', ['default/php-apache', 'shop/php-apache'], 0, plugins],
    ['keda.yaml', ['default/my-deployment', 'default/cron-deployment', 'default/prom-deployment'], 6, withPrometheus],
    ['keda-http.yaml', ['default/xkcd', 'web/app'], 6, plugins],
    ['knative.yaml', ['default/autoscale-go', 'default/example-service'], 6, plugins],
  ])('%s converts, and ebb validate accepts the patched Deployments', (file, targets, noteCount, plugins) => {
    const result = convertManifest(fixture(file), file, known);
    expect(result.errors).toEqual([]);
    expect(result.targets.map((t) => `${t.namespace}/${t.name}`)).toEqual(targets);
    expect(result.notes).toHaveLength(noteCount);
    const manifest = result.targets.map(patchedDeployment).join('---\n');
    const findings = validateManifest(manifest, file, plugins);
    expect(findings.map((f) => [f.where, f.ok, f.lines])).toEqual(targets.map((t) => [`${file}: Deployment ${t}`, true, [expect.stringMatching(/^ok: policies /)]]));
    // The printed YAML is the same metadata, and valid on its own.
    expect(validateManifest(formatYaml(result.targets), file, plugins).every((f) => f.ok)).toBe(true);
  });

  it('gives the policies each source asks for', () => {
    const policies = (file: string) => Object.fromEntries(convertManifest(fixture(file), file, known).targets.map((t) => [t.name, t.annotations['ebb.dev/policies']]));
    expect(policies('keda.yaml')).toEqual({ 'my-deployment': 'hpa', 'cron-deployment': 'cron', 'prom-deployment': 'hpa,kpa' });
    expect(policies('keda-http.yaml')).toEqual({ xkcd: 'kpa', app: 'eventgw' });
    expect(policies('knative.yaml')).toEqual({ 'autoscale-go': undefined, 'example-service': undefined });
  });

  it('merges sources for one Deployment: policies combined, a conflicting key kept from the first with a note', () => {
    const text = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: a, namespace: shop}
spec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 10}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: b, namespace: shop}
spec:
  scaleTargetRef: {name: web}
  minReplicaCount: 2
  maxReplicaCount: 20
  triggers: [{type: cron, metadata: {timezone: UTC, start: "0 9 * * *", end: "0 17 * * *", desiredReplicas: "8"}}]`;
    const r = convertManifest(text, 'm.yaml', known);
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0]!.annotations).toMatchObject({ 'ebb.dev/policies': 'cron,hpa', 'ebb.dev/max-replicas': '10', 'ebb.dev/hpa.cpu-utilization': '80' });
    expect(r.targets[0]!.sources.map((s) => s.name)).toEqual(['a', 'b']);
    expect(r.notes.map((n) => n.text)).toContain('ebb.dev/max-replicas: "20" conflicts with "10" from m.yaml: document 1 (HorizontalPodAutoscaler shop/a) for Deployment shop/web; kept the first');
  });

  it('reports every bad document with its number, kind, name and field, and converts nothing from them', () => {
    const text = `apiVersion: autoscaling/v3
kind: HorizontalPodAutoscaler
metadata: {name: a}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: b}
spec: {scaleTargetRef: {name: web}, triggers: [{type: cpu, metadata: {value: lots}}]}
---
a: [
---
apiVersion: v1
kind: List
items:
- null
- apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata: {namespace: x}
  spec: {}`;
    const r = convertManifest(text, 'm.yaml', known);
    expect(r.errors).toEqual([
      'm.yaml: document 1 (HorizontalPodAutoscaler): apiVersion: got "autoscaling/v3"; allowed: autoscaling/v2, autoscaling/v2beta2, autoscaling/v2beta1, autoscaling/v1',
      expect.stringMatching(/^m\.yaml: document 3: not valid YAML: /),
      'm.yaml: document 4 (HorizontalPodAutoscaler): metadata.name: got null; allowed: the object\'s name (required)',
      'm.yaml: document 2 (ScaledObject default/b): spec.triggers[0].metadata.value: got "lots"; allowed: an integer >= 1 (a number or a quoted number)',
    ]);
  });

  it('skips other kinds, notes ScaledJobs and unjoined InterceptorRoutes', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata: {name: job}
---
apiVersion: http.keda.sh/v1beta1
kind: InterceptorRoute
metadata: {name: lonely}
spec: {target: {service: s, port: 80}, scalingMetric: {concurrency: {targetValue: 1}}}`;
    const r = convertManifest(text, 'm.yaml', known);
    expect(r).toMatchObject({ errors: [], targets: [], sourceCount: 2 });
    expect(r.notes.map((n) => n.where)).toEqual(['m.yaml: document 3 (ScaledJob default/job)', 'm.yaml: document 4 (InterceptorRoute default/lonely)']);
    expect(r.notes[0]!.text).toContain('Ebb scales Deployments, so it is not converted');
    expect(r.notes[1]!.text).toContain('no ScaledObject in the input names this InterceptorRoute');
    expect(convertManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'm.yaml', known).sourceCount).toBe(0);
  });

  it('prints a kubectl merge patch per target, quoted for the shell', () => {
    const r = convertManifest(fixture('keda.yaml'), 'keda.yaml', known);
    const lines = formatPatch(r.targets).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^kubectl patch deployment my-deployment -n default --type merge -p '\{"metadata":\{"labels":\{"ebb.dev\/autoscale":"true"\},"annotations":\{/);
    const json = lines[2]!.replace(/^.* -p '/, '').replace(/'$/, '').replaceAll(`'\\''`, "'");
    expect(parse(JSON.parse(json).metadata.annotations['ebb.dev/kpa.prometheus-query'])).toBe('sum(rate(http_requests_total{deployment="my-deployment"}[2m]))');
  });
});
