import { describe, expect, it } from 'vitest';
import { defineConfig, field } from '../config/define-config.ts';
import type { PolicyPlugin, RecommendInput, RecommendOutput } from '../contracts/plugin.ts';
import { CORE_VERSION } from '../version.ts';
import { configProblems, CONTRACT_NOW_MS, decisionProblems, manifestProblems, metricsFrom, scenarioInput } from './contract-checks.ts';

type Rec = (input: RecommendInput<{ readonly perPod: number }, { n: number }>) => RecommendOutput<{ n: number }>;

const schema = defineConfig({ perPod: field<number>({ key: 'per-pod', type: { kind: 'number', min: 1 }, default: 10, description: 'Items per pod.' }) });

/** A plugin that keeps the contract; each bad case below breaks one rule of it. */
function plugin(recommend: Rec, over: Partial<PolicyPlugin<{ readonly perPod: number }, { n: number }>> = {}): PolicyPlugin<unknown, unknown> {
  return {
    manifest: { id: 'sample', version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: 'A sample.' },
    config: schema,
    metrics: () => [{ metric: 'items', retentionMs: 10_000 }],
    recommend,
    ...over,
  } as PolicyPlugin<unknown, unknown>;
}

const good: Rec = ({ metrics, nowMs, config, state }) => {
  const avg = metrics.window('items')?.average(nowMs, 10_000);
  if (avg === undefined) return { recommendation: { kind: 'no-data', reason: 'no items' }, state: { n: (state?.n ?? 0) + 1 } };
  return { recommendation: { kind: 'replicas', replicas: Math.ceil(avg / config.perPod), reason: `items ${avg}` }, state: { n: (state?.n ?? 0) + 1 } };
};

const problemsOf = (p: PolicyPlugin<unknown, unknown>, series?: Record<string, number[]>) => {
  const { input, problems } = scenarioInput(p, { name: 's', ...(series ? { series } : {}) });
  return [...problems, ...decisionProblems(p, input!)];
};

describe('decisionProblems', () => {
  it('finds none in a plugin that keeps the contract, with and without data', () => {
    expect(problemsOf(plugin(good))).toEqual([]);
    expect(problemsOf(plugin(good), { items: [30, 40, 50] })).toEqual([]);
  });

  let calls = 0;
  it.each<[string, Rec, string]>([
    ['reads the clock', () => ({ recommendation: { kind: 'no-opinion', reason: `at ${Date.now()}` } }), 'recommend used Date.now'],
    ['reads performance.now', () => ({ recommendation: { kind: 'no-opinion', reason: `at ${performance.now() > 0}` } }), 'recommend used performance.now'],
    ['draws random numbers', () => ({ recommendation: { kind: 'replicas', replicas: Math.round(Math.random()), reason: 'dice' } }), 'recommend used Math.random'],
    ['logs', () => (console.info('deciding'), { recommendation: { kind: 'no-opinion', reason: 'quiet' } }), 'recommend used console.info'],
    ['throws on empty metrics', ({ metrics, nowMs }) => ({ recommendation: { kind: 'replicas', replicas: metrics.window('items')!.max(nowMs, 1000)!, reason: 'max' } }), 'recommend threw'],
    ['answers an unknown kind', () => ({ recommendation: { kind: 'maybe', reason: 'unsure' } as never }), 'unknown kind "maybe"'],
    ['answers negative replicas', () => ({ recommendation: { kind: 'replicas', replicas: -1, reason: 'minus' } }), 'replicas -1 is not an integer >= 0'],
    ['answers fractional replicas', () => ({ recommendation: { kind: 'replicas', replicas: 1.5, reason: 'half' } }), 'replicas 1.5 is not an integer >= 0'],
    ['gives no reason', () => ({ recommendation: { kind: 'no-opinion', reason: ' ' } }), 'no reason'],
    ['answers differently to the same input', () => ({ recommendation: { kind: 'replicas', replicas: calls++, reason: 'count' } }), 'the same input gave different answers'],
    ['mutates its state', ({ state }) => (state && (state.n += 1), { recommendation: { kind: 'no-opinion', reason: 'x' }, state: state ?? { n: 0 } }), 'step 2: recommend threw'],
    ['mutates its input', (input) => (((input.replicas as { current: number }).current = 5), { recommendation: { kind: 'no-opinion', reason: 'x' } }), 'recommend threw'],
  ])('finds a plugin that %s', (_what, recommend, problem) => {
    const found = problemsOf(plugin(recommend));
    expect(found.join('\n')).toContain(problem);
  });

  it('finds a metric need without retention', () => {
    expect(problemsOf(plugin(good, { metrics: () => [{ metric: 'items', retentionMs: 0 }] })).join('\n')).toContain('expected a metric and a retention > 0 ms');
  });

  it('restores what it watched, also after a throw', () => {
    const now = Date.now;
    const random = Math.random;
    problemsOf(plugin(() => (Date.now(), { recommendation: { kind: 'no-opinion', reason: 'x' } })));
    problemsOf(plugin(() => {
      throw new Error('boom');
    }));
    expect(Date.now).toBe(now);
    expect(Math.random).toBe(random);
  });
});

describe('manifestProblems', () => {
  it.each<[string, Partial<PolicyPlugin<{ readonly perPod: number }, { n: number }>>, string]>([
    ['an id that is not kebab case', { manifest: { id: 'Bad_Id', version: '1.0.0', coreVersion: '*', description: 'x' } }, 'EBB_PLUGIN_INVALID_MANIFEST'],
    ['an unsupported core', { manifest: { id: 'sample', version: '1.0.0', coreVersion: '^99.0.0', description: 'x' } }, 'EBB_PLUGIN_UNSUPPORTED_CORE'],
    ['a missing dependency', { manifest: { id: 'sample', version: '1.0.0', coreVersion: '*', description: 'x', dependencies: ['kpa'] } }, 'EBB_PLUGIN_MISSING_DEPENDENCY'],
  ])('reports %s with its error code', (_what, over, code) => {
    expect(manifestProblems(plugin(good, over))[0]).toMatch(new RegExp(`^${code}: `));
  });

  it('accepts a dependency that is given', () => {
    const dep = plugin(good, { manifest: { id: 'kpa', version: '1.0.0', coreVersion: '*', description: 'dep' } });
    expect(manifestProblems(plugin(good, { manifest: { id: 'sample', version: '1.0.0', coreVersion: '*', description: 'x', dependencies: ['kpa'] } }), [dep])).toEqual([]);
  });
});

describe('configProblems', () => {
  it('finds none in a documented schema whose defaults parse', () => {
    expect(configProblems(plugin(good))).toEqual([]);
  });

  it('reports defaults that fail a cross-field check, a missing description and a key outside the namespace', () => {
    const bad = defineConfig(
      {
        min: field<number>({ key: 'min', type: { kind: 'int', min: 0 }, default: 5, description: 'Lower.' }),
        max: field<number>({ key: 'max', type: { kind: 'int', min: 0 }, default: 1, description: '' }),
        other: field<boolean>({ key: 'other', aliases: ['ebb.dev/elsewhere'], type: { kind: 'bool' }, default: false, description: 'Another plugin key.' }),
      },
      { validate: (v) => (v.min > v.max ? [{ field: 'max', message: 'max below min' }] : []) },
    );
    const found = configProblems(plugin(good, { config: bad as never }));
    expect(found).toEqual([
      'defaults do not parse: max below min: ebb.dev/sample.max',
      'field max (max) has no description',
      "key ebb.dev/elsewhere is outside the plugin's namespace ebb.dev/sample.*",
    ]);
  });
});

describe('metricsFrom', () => {
  it('records one sample per second ending at nowMs, in a real metric window', () => {
    const view = metricsFrom(CONTRACT_NOW_MS, { items: [10, 20, 30] }, { pods: [1, 2] });
    expect(view.window('items')?.average(CONTRACT_NOW_MS, 3000)).toBe(20);
    expect(view.window('items')?.max(CONTRACT_NOW_MS, 1000)).toBe(30);
    expect(view.window('items')?.lastSampleMs()).toBe(CONTRACT_NOW_MS);
    expect(view.snapshot('pods')).toEqual({ timeMs: CONTRACT_NOW_MS, value: [1, 2] });
    expect(view.window('other')).toBeUndefined();
  });
});
