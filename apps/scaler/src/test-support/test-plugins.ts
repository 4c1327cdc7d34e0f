import { CORE_VERSION, defineConfig, field, type PolicyPlugin } from '@ebb/core';

const fixedSchema = defineConfig({
  replicas: field<number>({ key: 'replicas', type: { kind: 'int', min: 0, max: 1000 }, default: 1, description: 'Replicas to recommend.' }),
});

/** A plugin that recommends `ebb.dev/fixed.replicas`: drives the loop from annotations alone. */
export const fixedPlugin: PolicyPlugin<{ readonly replicas: number }, undefined> = {
  manifest: { id: 'fixed', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Recommends a fixed count (tests).' },
  config: fixedSchema,
  recommend: ({ config }) => ({ recommendation: { kind: 'replicas', replicas: config.replicas, reason: `fixed at ${config.replicas}` } }),
};

/** A plugin that always throws: its targets must hold while others go on. */
export const throwingPlugin: PolicyPlugin<Record<string, never>, undefined> = {
  manifest: { id: 'throwing', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Always throws (tests).' },
  config: defineConfig({}),
  recommend: () => {
    throw new Error('deliberate failure');
  },
};

/** Metric name the {@link loadPlugin} reads. */
export const TEST_LOAD_METRIC = 'test-load';

/**
 * A plugin that recommends ceil(average of `test-load` over 10 s / per-pod), and `no-data` without samples: for
 * collector failure tests.
 */
export const loadPlugin: PolicyPlugin<{ readonly perPod: number }, undefined> = {
  manifest: { id: 'load', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'Scales on the test-load metric (tests).' },
  config: defineConfig({ perPod: field<number>({ key: 'per-pod', type: { kind: 'number', min: 0.01 }, default: 1, description: 'Load per pod.' }) }),
  metrics: () => [{ metric: TEST_LOAD_METRIC, retentionMs: 10_000 }],
  recommend: ({ config, metrics, nowMs }) => {
    const avg = metrics.window(TEST_LOAD_METRIC)?.average(nowMs, 10_000);
    if (avg === undefined) return { recommendation: { kind: 'no-data', reason: 'no test-load samples in 10s' } };
    return { recommendation: { kind: 'replicas', replicas: Math.ceil(avg / config.perPod), reason: `test-load ${avg} / ${config.perPod} per pod` } };
  },
};

/** Factories of the test plugins, in the shape `startScaler` takes. */
export const TEST_FACTORIES = {
  fixed: () => fixedPlugin,
  throwing: () => throwingPlugin,
  load: () => loadPlugin,
} as const;
