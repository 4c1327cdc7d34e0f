import { pluginContractSuite } from '@ebb/core/testing';
import { describe, expect, it } from 'vitest';
import { PREWARM_METRIC } from './prewarm-config.ts';
import { createPlugin } from './prewarm-plugin.ts';
import { configWith, periodic, replay, type ReplayDecision } from './test-support/replay.ts';

// What every Ebb policy plugin must pass: manifest, config schema and docs, pure and valid decisions.
pluginContractSuite({
  plugin: () => createPlugin(),
  scenarios: [
    { name: 'demand now', series: { [PREWARM_METRIC]: [0, 0, 1, 2] } },
    { name: 'demand that ended', series: { [PREWARM_METRIC]: [1, 1, 0, 0, 0, 0] } },
    { name: 'the KPA metric', annotations: { 'ebb.dev/prewarm.metric': 'concurrency' }, series: { concurrency: [3, 0] } },
  ],
});

const at = (decisions: readonly ReplayDecision[], second: number): ReplayDecision => {
  const d = decisions.find((x) => x.second >= second);
  if (!d) throw new Error(`no decision at or after second ${second}`);
  return d;
};
const floor = (d: ReplayDecision): number | string => (d.recommendation.kind === 'replicas' ? d.recommendation.replicas : d.recommendation.kind);

// A request of 2 s every 5 minutes: idle times of 298 s (bin 4). After 10 of them the histogram is used:
// pre-warm at 4 min x 0.9 = 216 s after the end of the demand (asked 10 s early: 206 s), pod until 5 min x 1.1 = 330 s.
const FIVE_MIN = 300;
const learned = replay({ seconds: 12 * FIVE_MIN + 1, demand: periodic(FIVE_MIN) });

describe('recommendPrewarm on a request every 5 minutes', () => {
  it.each<[string, number, number | string, RegExp]>([
    ['the first period: learning, the default keep-alive from the end of the demand', 100, 1, /^learning \(0 idle periods\): default keep-alive 10m: keep-alive until 2026-01-05T00:10:02Z$/],
    ['learning with 9 idle periods: kept for 10 minutes (so every request finds the pod)', 9 * FIVE_MIN + 250, 1, /^learning \(9 idle periods\)/],
    ['10 idle periods: the pod stays a minute after the demand (shorter gaps are part of it)', 10 * FIVE_MIN + 30, 1, /^keep-alive until 2026-01-05T00:51:02Z: gaps under a minute are part of the demand; then pre-warm at 2026-01-05T00:53:28Z \(histogram of 10 idle periods/],
    ['then it may go', 10 * FIVE_MIN + 100, 'no-opinion', /^idle since 2026-01-05T00:50:02Z; pre-warm at 2026-01-05T00:53:28Z \(histogram of 10 idle periods: p5 4m, p99 5m, CV 15\.46, margin 10 %\)$/],
    ['the pre-warm window: one pod before the next request', 10 * FIVE_MIN + 210, 1, /^pre-warm: next request expected at 2026-01-05T00:54:32Z, pod until 2026-01-05T00:55:32Z/],
    ['in demand again: one pod (other policies add what the load needs)', 11 * FIVE_MIN + 1, 1, /^keep-alive until 2026-01-05T00:56:02Z: gaps under a minute/],
  ])('%s', (_what, second, want, reason) => {
    const d = at(learned.decisions, second);
    expect(floor(d)).toBe(want);
    expect(d.recommendation.reason).toMatch(reason);
  });

  it('never answers 0 or no data', () => {
    for (const d of learned.decisions) {
      expect(d.recommendation.kind).not.toBe('no-data');
      if (d.recommendation.kind === 'replicas') expect(d.recommendation.replicas).toBe(1);
    }
  });

  it('releases the pre-warmed pod when nothing came within the window', () => {
    const { decisions } = replay({ seconds: 11 * FIVE_MIN + 400, demand: (s) => (s < 11 * FIVE_MIN ? periodic(FIVE_MIN)(s) : 0) });
    const end = 10 * FIVE_MIN + 2;
    expect(floor(at(decisions, end + 220))).toBe(1);
    const late = at(decisions, end + 335);
    expect(late.wakeAtMs).toBeUndefined();
    expect(late.recommendation).toEqual({ kind: 'no-opinion', reason: expect.stringMatching(/^idle since 2026-01-05T00:50:02Z; pod released at 2026-01-05T00:55:32Z/) });
  });

  it.each<[string, number, string | undefined]>([
    ['in the first minute: when it ends', 10 * FIVE_MIN + 30, '2026-01-05T00:51:02.000Z'],
    ['before the window: when it opens', 10 * FIVE_MIN + 100, '2026-01-05T00:53:28.000Z'],
    ['inside: when it closes', 10 * FIVE_MIN + 210, '2026-01-05T00:55:32.000Z'],
  ])('asks for a decision when its answer changes: %s', (_what, second, wake) => {
    const d = at(learned.decisions, second);
    expect(d.wakeAtMs === undefined ? undefined : new Date(d.wakeAtMs).toISOString()).toBe(wake);
  });

  it('is pre-warmed in time when the loop decides only on demand and when asked', () => {
    const { decisions } = replay({ seconds: 20 * FIVE_MIN + 1, demand: periodic(FIVE_MIN), onlyWhenAsked: true });
    // After the 10th idle period (learned at 3000 s): one decision when the burst hold ends (a minute after the
    // demand), one at the pre-warm instant (206 s after it), then the next request.
    expect(decisions.filter((d) => d.second > 10 * FIVE_MIN + 2 && d.second < 11 * FIVE_MIN).map((d) => [d.second - 10 * FIVE_MIN, floor(d)])).toEqual([
      [62, 'no-opinion'],
      [208, 1],
    ]);
    // One pre-warm before each of the next 9 requests, and one after the last.
    expect(decisions.filter((d) => d.recommendation.reason.startsWith('pre-warm:'))).toHaveLength(10);
  });

  it('keeps the same state from one decision to the next while idle (nothing to learn)', () => {
    const a = at(learned.decisions, 10 * FIVE_MIN + 100);
    const b = at(learned.decisions, 10 * FIVE_MIN + 102);
    expect(b.second).toBeGreaterThan(a.second);
    expect(b.state).toEqual(a.state);
  });

  it('shows the histogram and the windows in details', () => {
    const d = at(learned.decisions, 10 * FIVE_MIN + 210);
    expect(d.recommendation.kind === 'replicas' && d.recommendation.details).toEqual({
      mode: 'histogram',
      idlePeriods: 10,
      outOfRange: 0,
      histogram: '4:10',
      cv: 15.46,
      lastDemandEnd: '2026-01-05T00:50:02Z',
      podFrom: '2026-01-05T00:53:28Z',
      podUntil: '2026-01-05T00:55:32Z',
      prewarmAfterMs: 216_000,
      keepUntilAfterMs: 330_000,
    });
  });
});

describe('recommendPrewarm on a request every 2 minutes', () => {
  // Idle times of 118 s (bin 1): pre-warm at 54 s, asked at 44 s: within the first minute, so the pod simply stays,
  // until 2 min x 1.1 = 132 s after the end of the demand.
  const { decisions } = replay({ seconds: 12 * 120 + 1, demand: periodic(120) });
  it.each<[number, number | string, RegExp]>([
    [10 * 120 + 100, 1, /^keep-alive until 2026-01-05T00:22:14Z \(histogram of 10 idle periods: p5 1m, p99 2m/],
    [11 * 120 + 1, 1, /^keep-alive until 2026-01-05T00:24:14Z/],
  ])('at second %i: %s', (second, want, reason) => {
    const d = at(decisions, second);
    expect(floor(d)).toBe(want);
    expect(d.recommendation.reason).toMatch(reason);
  });
});

describe('recommendPrewarm with bad or missing history', () => {
  it.each<[string, (s: number) => number | undefined, RegExp]>([
    ['no metric at all', () => undefined, /^learning \(0 idle periods\): no eventgw\.demand samples yet$/],
    ['a metric without demand', () => 0, /^learning \(0 idle periods\): no demand seen yet$/],
  ])('%s: no opinion, "learning"', (_what, demand, reason) => {
    const { decisions } = replay({ seconds: 30, demand });
    for (const d of decisions) expect(d.recommendation).toEqual({ kind: 'no-opinion', reason: expect.stringMatching(reason) });
  });

  it('does not learn an idle period in which the metric went silent while pods were ready', () => {
    // Demand at 0 and at 200; the metric is silent from 50 to 120 (a collector failure) -> that period is not learned.
    const demand = (s: number) => (s >= 50 && s < 120 ? undefined : s === 0 || s === 200 ? 1 : 0);
    const { state } = replay({ seconds: 260, demand });
    expect(state?.histogram.bins).toEqual([]);
    const clean = replay({ seconds: 260, demand: (s) => (s === 0 || s === 200 ? 1 : 0) });
    expect(clean.state?.histogram.bins).toEqual([[3, 1]]);
  });

  it('reads a silent metric at zero pods as no demand (a pod scraper has no pod to ask)', () => {
    const demand = (s: number) => (s === 0 || s === 200 ? 1 : s < 10 ? 0 : undefined);
    const { state } = replay({ seconds: 260, demand, ready: (s) => (s < 10 || s >= 200 ? 1 : 0) });
    expect(state?.histogram.bins).toEqual([[3, 1]]);
  });

  it('takes gaps shorter than a minute for part of the demand: nothing learned, the pod stays', () => {
    const { state, decisions } = replay({ seconds: 600, demand: periodic(50, 1) });
    expect(state?.histogram.bins).toEqual([]);
    for (const d of decisions.slice(1)) expect(floor(d)).toBe(1);
  });
});

describe('what survives a restart', () => {
  it('restores the histogram and the end of the last demand from what core kept', () => {
    const blob = learned.lastPersist;
    // Made a minute into the last complete idle period (00:55:02 + 60 s), with the 11 idle periods before it.
    expect(blob).toBe('1|1767574502|4:11|0|');
    // A new scaler 3 minutes into the idle period: it pre-warms on the restored histogram without a new request.
    const startMs = Date.UTC(2026, 0, 5, 0, 58, 0);
    const { decisions } = replay({ startMs, seconds: 200, demand: () => 0, persisted: blob });
    expect(floor(at(decisions, 0))).toBe('no-opinion');
    expect(at(decisions, 0).recommendation.reason).toMatch(/^idle since 2026-01-05T00:55:02Z; pre-warm at 2026-01-05T00:58:28Z \(histogram of 11 idle periods/);
    expect(at(decisions, 30).recommendation.reason).toMatch(/^pre-warm: next request expected at/);
    // It persisted nothing new: the idle period in progress began before it and is not learned.
    expect(decisions.filter((d) => d.persist !== undefined).map((d) => d.persist)).toEqual([blob]);
  });

  it('starts learning again from a string it cannot read', () => {
    const { decisions } = replay({ seconds: 10, demand: () => 0, persisted: '9|garbage' });
    expect(decisions[0]!.recommendation.reason).toBe('learning (0 idle periods): no demand seen yet');
  });
});

describe('createPlugin', () => {
  it('takes no options and names the key when given some', () => {
    expect(() => createPlugin({})).not.toThrow();
    expect(() => createPlugin({ range: '4h' })).toThrow(/pluginOptions\.prewarm: the plugin takes no options/);
  });

  it('asks for a minute of its metric', () => {
    expect(createPlugin().metrics?.(configWith({ metric: 'concurrency' }))).toEqual([{ metric: 'concurrency', retentionMs: 60_000 }]);
  });
});
