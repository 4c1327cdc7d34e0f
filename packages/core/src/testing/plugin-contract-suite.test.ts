import { defineConfig, field } from '../config/define-config.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { CORE_VERSION } from '../version.ts';
import { pluginContractSuite } from './plugin-contract-suite.ts';

/**
 * The suite on plugins that keep the contract: one reading a metric (with a scenario that has samples), and
 * one with a required key (a schedule-like plugin), given through a factory. The checks themselves, and that
 * they fail on plugins that break the contract, are tested in contract-checks.test.ts.
 */
const perPod = defineConfig({ perPod: field<number>({ key: 'per-pod', type: { kind: 'number', min: 0.01 }, default: 100, description: 'Queue items per pod.' }) });

const queue: PolicyPlugin<{ readonly perPod: number }, { readonly last: number }> = {
  manifest: { id: 'queue', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Scales on queue depth.' },
  config: perPod,
  metrics: () => [{ metric: 'queue-depth', retentionMs: 60_000 }],
  recommend: ({ config, metrics, nowMs, state }) => {
    const depth = metrics.window('queue-depth')?.average(nowMs, 60_000);
    if (depth === undefined) return { recommendation: { kind: 'no-data', reason: 'no queue samples' }, ...(state ? { state } : {}) };
    return { recommendation: { kind: 'replicas', replicas: Math.ceil(depth / config.perPod), reason: `queue ${depth}` }, state: { last: depth } };
  },
};

pluginContractSuite({
  plugin: queue,
  scenarios: [
    { name: 'a deep queue', series: { 'queue-depth': [400, 500, 600] }, replicas: { current: 2, ready: 2 } },
    { name: 'a small per-pod target', annotations: { 'ebb.dev/queue.per-pod': '0.5' }, series: { 'queue-depth': [3] } },
  ],
});

const window = defineConfig({
  replicas: field<number>({ key: 'replicas', type: { kind: 'int', min: 1 }, default: 1, description: 'Replicas during the window.' }),
  at: field<string>({ key: 'at', type: { kind: 'string', pattern: /^\d\d:\d\d$/, patternText: 'HH:MM' }, default: '', description: 'Start of the window (required).' }),
});

pluginContractSuite({
  plugin: () => ({
    manifest: { id: 'window', version: '0.1.0', coreVersion: '>=0.1.0', description: 'A floor from a time of day.' },
    config: window,
    recommend: ({ config, nowMs }) =>
      new Date(nowMs).toISOString().slice(11, 16) >= config.at
        ? { recommendation: { kind: 'replicas', replicas: config.replicas, reason: `after ${config.at}` } }
        : { recommendation: { kind: 'no-opinion', reason: `before ${config.at}` } },
  }),
  annotations: { 'ebb.dev/window.at': '09:00' },
});
