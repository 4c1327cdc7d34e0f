import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginRegistry } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { OFFLINE_CONTEXT } from '../runtime/plugin-loader.ts';
import { validateManifest } from './validate.ts';

const plugins = PluginRegistry.of(Object.values(BUILTIN_FACTORIES).map((f) => f(undefined, OFFLINE_CONTEXT) as never)).plugins();

const deployment = (name: string, annotations: Record<string, string>, labelled = true) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  ${labelled ? 'labels:\n    ebb.dev/autoscale: "true"\n  ' : ''}annotations:
${Object.entries(annotations)
  .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
spec:
  selector: { matchLabels: { app: ${name} } }
  template: { metadata: { labels: { app: ${name} } }, spec: { containers: [{ name: a, image: x }] } }
`;

describe('validateManifest', () => {
  it.each([
    ['valid Ebb keys', { 'ebb.dev/policies': 'kpa', 'ebb.dev/kpa.target': '10', 'ebb.dev/max-replicas': '20' }, true, []],
    ['valid Knative keys', { 'autoscaling.knative.dev/target': '50', 'autoscaling.knative.dev/window': '30s', 'autoscaling.knative.dev/min-scale': '1' }, true, []],
    ['Knative window out of range', { 'autoscaling.knative.dev/window': '1s' }, false, ['expected 6s <= 1s <= 1h: autoscaling.knative.dev/window']],
    ['a typo', { 'ebb.dev/min-replica': '1' }, false, ['unknown annotation ebb.dev/min-replica: did you mean ebb.dev/min-replicas?']],
    ['an unknown policy', { 'ebb.dev/policies': 'kpa,magic' }, false, ['unknown policy "magic"']],
    ['a valid reserve', { 'ebb.dev/reserve': 'true', 'ebb.dev/reserve.replicas': '2' }, true, ['reserve 2 pod(s) instead of zero']],
    ['an invalid reserve', { 'ebb.dev/reserve': 'true', 'ebb.dev/reserve.replicas': 'two' }, false, ['ebb.dev/reserve.replicas']],
  ])('%s', (_name, annotations, ok, messages) => {
    const [finding] = validateManifest(deployment('web', annotations), 'm.yaml', plugins);
    expect(finding).toMatchObject({ where: 'm.yaml: Deployment shop/web', ok });
    for (const m of messages) expect(finding!.lines.join('\n')).toContain(m);
  });

  it.each([
    ['kpa,hpa', { 'ebb.dev/policies': 'kpa,hpa' }],
    ['kpa,hpa with the HPA class', { 'ebb.dev/policies': 'kpa,hpa', 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' }],
  ])('reports a Knative key read by two plugins once (%s)', (_name, annotations) => {
    const [finding] = validateManifest(deployment('web', { ...annotations, 'autoscaling.knative.dev/window': '1s' }), 'm.yaml', plugins);
    expect(finding).toMatchObject({ ok: false, lines: ['expected 6s <= 1s <= 1h: autoscaling.knative.dev/window'] });
  });

  it('flags annotations without the selection label, skips unrelated objects, and reads Lists and several documents', () => {
    const text = [
      deployment('unlabelled', { 'ebb.dev/policies': 'kpa' }, false),
      'apiVersion: v1\nkind: Service\nmetadata: { name: s }\n',
      `apiVersion: v1\nkind: List\nitems:\n${deployment('inlist', { 'ebb.dev/kpa.target': '0' })
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
        .join('\n')}`,
    ].join('---\n');
    const findings = validateManifest(text, 'm.yaml', plugins);
    expect(findings.map((f) => [f.where, f.ok])).toEqual([
      ['m.yaml: Deployment shop/unlabelled', false],
      ['m.yaml: Deployment shop/inlist', false],
    ]);
    expect(findings[0]!.lines.join()).toContain('not the label ebb.dev/autoscale');
    expect(findings[1]!.lines.join()).toContain('ebb.dev/kpa.target');
  });

  it('reports YAML errors with the document number', () => {
    const [f] = validateManifest('a: [\n', 'bad.yaml', plugins);
    expect(f).toMatchObject({ where: 'bad.yaml: document 1', ok: false });
    expect(f!.lines[0]).toMatch(/^not valid YAML/);
  });
});

describe('ebb validate (the command)', () => {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', main, 'validate', ...args], { encoding: 'utf8', ...(input ? { input } : {}) });

  it('exits 1 and names each problem for a bad manifest, 0 for a good one (file and stdin)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebb-validate-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, deployment('web', { 'ebb.dev/kpa.target': 'lots', 'ebb.dev/max-replicas': '-3' }));
    const r = run([bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`FAIL ${bad}: Deployment shop/web`);
    expect(r.stdout).toContain('ebb.dev/kpa.target');
    expect(r.stdout).toContain('ebb.dev/max-replicas');
    expect(r.stdout).toMatch(/2 problem\(s\) found/);
    const good = run(['-'], deployment('web', { 'ebb.dev/kpa.target': '10' }));
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('OK   <stdin>: Deployment shop/web');
  });
});
