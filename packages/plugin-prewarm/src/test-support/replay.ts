import { ManualClock, MetricStore, parseScalingConfig, type Recommendation, type ScalingConfig } from '@ebb/core';
import { prewarmConfigSchema, type PrewarmConfig } from '../prewarm-config.ts';
import type { PrewarmState } from '../prewarm-state.ts';
import { recommendPrewarm } from '../recommend-prewarm.ts';

/** The defaults of the schema, with `overrides`. */
export function configWith(overrides: Partial<PrewarmConfig> = {}): PrewarmConfig {
  const parsed = prewarmConfigSchema.parse({}, 'ebb.dev/prewarm.');
  if (!parsed.ok) throw new Error('prewarm defaults do not parse');
  return { ...parsed.value, ...overrides };
}

const scalingDefaults = (): ScalingConfig => {
  const parsed = parseScalingConfig({});
  if (!parsed.ok) throw new Error('scaling defaults do not parse');
  return parsed.value;
};

/** One decision of a replay: at `second` (from the start), what the plugin answered and persisted. */
export interface ReplayDecision {
  readonly second: number;
  readonly recommendation: Recommendation;
  readonly persist?: string;
  readonly wakeAtMs?: number;
  /** The state it returned. */
  readonly state?: PrewarmState;
}

/** What {@link replay} needs. */
export interface ReplayOptions {
  readonly config?: PrewarmConfig;
  /** Start, ms (default 2026-01-05T00:00:00Z). */
  readonly startMs?: number;
  readonly seconds: number;
  /** The metric's value recorded at each second from the start; undefined records nothing (a gap). */
  readonly demand: (second: number) => number | undefined;
  /** Ready pods at each second (default 1). */
  readonly ready?: (second: number) => number;
  /** State to start from (default none) and what core hands back while there is none. */
  readonly state?: PrewarmState;
  readonly persisted?: string;
  /**
   * Decide only in seconds with demand and when the plugin asked (`wakeAtMs`), as for a target nobody ticks
   * meanwhile (default: every 2 s).
   */
  readonly onlyWhenAsked?: boolean;
}

/**
 * Replays demand through the plugin as the loop would: a ManualClock, core's MetricStore recording the metric
 * once a second (at the start of the second), a decision every 2 s fed its previous state.
 */
export function replay(o: ReplayOptions): { decisions: ReplayDecision[]; state: PrewarmState | undefined; lastPersist: string | undefined } {
  const config = o.config ?? configWith();
  const clock = new ManualClock(o.startMs ?? Date.UTC(2026, 0, 5));
  const store = new MetricStore();
  const key = 'ns/fn';
  store.need(key, { metric: config.metric, retentionMs: 60_000 });
  const scaling = scalingDefaults();
  let state = o.state;
  let lastPersist: string | undefined;
  const decisions: ReplayDecision[] = [];
  let wakeAtMs: number | undefined;
  for (let second = 0; second < o.seconds; second++) {
    const v = o.demand(second);
    if (v !== undefined) store.record(key, config.metric, v, clock.now());
    const asked = (v !== undefined && v > 0) || (wakeAtMs !== undefined && clock.now() + 500 >= wakeAtMs);
    if (o.onlyWhenAsked ? asked : second % 2 === 1) {
      const ready = o.ready?.(second) ?? 1;
      const out = recommendPrewarm({
        nowMs: clock.now() + 500,
        target: { namespace: 'ns', name: 'fn' },
        config,
        scaling,
        replicas: { current: ready, ready },
        metrics: store.view(key),
        state,
        ...(state === undefined && o.persisted !== undefined ? { persisted: o.persisted } : {}),
      });
      state = out.state;
      wakeAtMs = out.wakeAtMs;
      if (out.persist !== undefined) lastPersist = out.persist;
      decisions.push({
        second,
        recommendation: out.recommendation,
        ...(out.persist === undefined ? {} : { persist: out.persist }),
        ...(out.wakeAtMs === undefined ? {} : { wakeAtMs: out.wakeAtMs }),
        ...(out.state === undefined ? {} : { state: out.state }),
      });
    }
    clock.advance(1000);
  }
  return { decisions, state, lastPersist };
}

/** Demand of 1 for `busySeconds` every `periodSeconds`, from second `offset`. */
export function periodic(periodSeconds: number, busySeconds = 2, offset = 0): (second: number) => number {
  return (s) => (s >= offset && (s - offset) % periodSeconds < busySeconds ? 1 : 0);
}
