import { readFileSync } from 'node:fs';
import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { PluginRegistry, type PolicyPlugin } from '@ebb/core';
import { createTestDeployment, useTestNamespace } from '@ebb/testing';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { OFFLINE_CONTEXT } from '../runtime/plugin-loader.ts';
import { knownAnnotationKeys } from './convert.ts';
import { convertManifest } from './convert-manifest.ts';
import { formatPatch, formatYaml } from './convert-output.ts';
import { validateManifest } from './validate.ts';

const ns = useTestNamespace('convert');
const registry = (kpaOptions?: unknown) =>
  PluginRegistry.of(Object.entries(BUILTIN_FACTORIES).map(([id, f]) => f(id === 'kpa' ? kpaOptions : undefined, OFFLINE_CONTEXT) as never)).plugins();
const plugins = registry();
const withPrometheus = registry({ prometheus: { url: 'http://127.0.0.1:9090' } });
const fixture = (name: string) => readFileSync(new URL(`./convert-fixtures/${name}`, import.meta.url), 'utf8');

/** The Deployment as the apiserver has it, as YAML for `ebb validate`. */
async function readBack(name: string): Promise<string> {
  const d = await ns.kubeConfig.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: ns.name });
  return stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns.name, labels: d.metadata?.labels, annotations: d.metadata?.annotations } });
}

describe('ebb convert output applied to real Deployments', () => {
  it.each([
    ['hpa.yaml', plugins],
    ['keda.yaml', withPrometheus],
    ['keda-http.yaml', plugins],
    ['knative.yaml', plugins],
  ] as [string, ReadonlyMap<string, PolicyPlugin<unknown, unknown>>][])('%s: the YAML as a strategic-merge patch and the JSON merge patch are accepted by the apiserver, and validate', async (file, plugins) => {
    const apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    const { targets, errors } = convertManifest(fixture(file), file, knownAnnotationKeys(plugins));
    expect(errors).toEqual([]);
    const slug = file.replace(/\.yaml$/, '');
    const docs = parseAllDocuments(formatYaml(targets)).map((d) => d.toJS() as { metadata: { name: string; namespace: string } });
    const merges = formatPatch(targets)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line.replace(/^.* -p '/, '').replace(/'$/, '').replaceAll(`'\\''`, "'")) as object);
    for (const [i, doc] of docs.entries()) {
      // Each target twice: one patched with the printed YAML, one with the printed merge patch.
      const strategic = `${slug}-${i}-yaml`;
      const merge = `${slug}-${i}-json`;
      for (const name of [strategic, merge]) await createTestDeployment(ns.kubeConfig, { namespace: ns.name, name, replicas: 0, annotations: { 'owner.example.com/team': 'shop' } });
      const body = { ...doc, metadata: { ...doc.metadata, name: strategic, namespace: ns.name } };
      await apps.patchNamespacedDeployment({ name: strategic, namespace: ns.name, body }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
      await apps.patchNamespacedDeployment({ name: merge, namespace: ns.name, body: merges[i] }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      for (const name of [strategic, merge]) {
        const text = await readBack(name);
        expect(text).toContain('owner.example.com/team: shop'); // a patch, not a replacement
        const findings = validateManifest(text, file, plugins);
        expect(findings.map((f) => [f.ok, f.lines])).toEqual([[true, [expect.stringMatching(/^ok: policies /)]]]);
      }
      const annotations = (await apps.readNamespacedDeployment({ name: merge, namespace: ns.name })).metadata?.annotations ?? {};
      expect(annotations).toMatchObject(targets[i]!.annotations);
    }
  });
});
