import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./convert-fixtures/${name}`, import.meta.url));
const ebb = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', main, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
const dir = mkdtempSync(join(tmpdir(), 'ebb-convert-'));

/** Merges the printed metadata into whole Deployments, as `kubectl patch` would, and writes them to a file. */
function applyToDeployments(printed: string, file: string): string {
  const docs = parseAllDocuments(printed).map((d) => d.toJS() as { metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> } });
  const deployments = docs.map(({ metadata: m }) =>
    stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: m.name, namespace: m.namespace, labels: { app: m.name, ...m.labels }, annotations: m.annotations },
      spec: { selector: { matchLabels: { app: m.name } }, template: { metadata: { labels: { app: m.name } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
    }),
  );
  const path = join(dir, file);
  writeFileSync(path, deployments.join('---\n'));
  return path;
}

describe('ebb convert (the command)', () => {
  it.each([
    ['hpa.yaml', 2, false],
    ['keda-http.yaml', 2, false],
    ['knative.yaml', 2, false],
    ['keda.yaml', 3, true], // a prometheus trigger: the scaler needs a Prometheus for the KPA
  ])('%s: prints annotations that ebb validate accepts once applied (0 problems)', (file, deployments, prometheus) => {
    const args = prometheus ? ['--config', writeConfig()] : [];
    const r = ebb(['convert', fixture(file), ...args]);
    expect(r.stderr).toContain(`${deployments} Deployment(s) converted`);
    expect(r.status).toBe(0);
    const path = applyToDeployments(r.stdout, `patched-${file}`);
    const v = ebb(['validate', path, ...args]);
    expect(v.stdout).toContain('all targets valid');
    expect(v.stdout.match(/^OK {3}/gm)).toHaveLength(deployments);
    expect(v.status).toBe(0);
  });

  it('prints one note per setting it cannot carry over, on stderr', () => {
    const r = ebb(['convert', fixture('keda.yaml')]);
    expect(r.stderr).toContain(`note: ${fixture('keda.yaml')}: document 3 (ScaledObject default/prometheus-scaledobject): spec.triggers[2]: KEDA trigger type kafka has no Ebb counterpart yet`);
    expect(r.stdout).not.toContain('note:');
  });

  it('reads standard input and prints kubectl merge patches with --format patch', () => {
    const hpa = 'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 5, targetCPUUtilizationPercentage: 60}\n';
    const r = ebb(['convert', '-', '--format', 'patch'], hpa);
    expect(r.stderr).toContain('1 Deployment(s) converted');
    expect(r.stdout).toBe(
      `kubectl patch deployment web -n shop --type merge -p '{"metadata":{"labels":{"ebb.dev/autoscale":"true"},"annotations":{"ebb.dev/policies":"hpa","ebb.dev/min-replicas":"1","ebb.dev/max-replicas":"5","ebb.dev/hpa.cpu-utilization":"60"}}}'\n`,
    );
    expect(r.status).toBe(0);
  });

  it.each([
    ['a field of the wrong type', 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: so}\nspec: {scaleTargetRef: {name: web}, maxReplicaCount: many, triggers: [{type: cpu, metadata: {value: "5"}}]}\n', 'error: <stdin>: document 1 (ScaledObject default/so): spec.maxReplicaCount: got "many"; allowed: an integer >= 1'],
    ['an unknown apiVersion', 'apiVersion: autoscaling/v9\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n', 'error: <stdin>: document 1 (HorizontalPodAutoscaler): apiVersion: got "autoscaling/v9"; allowed: autoscaling/v2'],
    ['nothing to convert', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'ebb convert: <stdin>: nothing to convert; allowed: HorizontalPodAutoscaler'],
    ['not YAML', 'a: [\n', 'error: <stdin>: document 1: not valid YAML'],
  ])('exits 1 on %s, naming the document and field, without a stack', (_name, input, message) => {
    const r = ebb(['convert', '-'], input);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });

  it('exits 1 when the scaler could not run the output (a prometheus trigger without pluginOptions.kpa.prometheus), naming the problem', () => {
    const r = ebb(['convert', fixture('keda.yaml')]);
    expect(r.stderr).toContain('problem: converted: Deployment default/prom-deployment: metric source prometheus is not configured in this scaler (pluginOptions.kpa.prometheus)');
    expect(r.status).toBe(1);
  });

  it('exits 1 on a bad --format or a missing file', () => {
    expect(ebb(['convert', fixture('hpa.yaml'), '--format', 'json'])).toMatchObject({ status: 1, stderr: expect.stringContaining('--format: got "json"; allowed: yaml, patch') });
    expect(ebb(['convert', join(dir, 'missing.yaml')])).toMatchObject({ status: 1, stderr: expect.stringContaining('cannot read') });
  });
});

function writeConfig(): string {
  const path = join(dir, 'scaler.yaml');
  writeFileSync(path, 'pluginOptions:\n  kpa:\n    prometheus:\n      url: http://prometheus.monitoring:9090\n');
  return path;
}
