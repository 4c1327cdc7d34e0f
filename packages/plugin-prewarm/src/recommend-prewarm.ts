import type { Recommendation, RecommendInput, RecommendOutput } from '@ebb/core';
import { trackDemand } from './demand-tracker.ts';
import { hybridWindows, type KeepWindows } from './hybrid-windows.ts';
import type { IdleHistogram } from './idle-histogram.ts';
import { BIN_MS, type PrewarmConfig } from './prewarm-config.ts';
import { initialState, refreshPersisted, type PrewarmState } from './prewarm-state.ts';

/**
 * The last pod stays this long after every demand (ms, one bin): gaps shorter than a bin are part of the demand
 * and are not learned as idle times (see `trackDemand`).
 */
export const BURST_HOLD_MS = BIN_MS;

/** ISO texts of recent instants: a target's reasons name the same few instants at every tick. */
const isoTexts = new Map<number, string>();
const ISO_TEXTS_KEPT = 4096;
const iso = (ms: number): string => {
  let text = isoTexts.get(ms);
  if (text === undefined) {
    if (isoTexts.size >= ISO_TEXTS_KEPT) isoTexts.clear();
    text = new Date(ms).toISOString().replace('.000Z', 'Z');
    isoTexts.set(ms, text);
  }
  return text;
};
const span = (ms: number): string => {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m}m${s % 60}s` : m < 60 || m % 60 ? `${m}m` : `${m / 60}h`;
};
const two = (n: number): number => Math.round(n * 100) / 100;

/** What the windows rest on, for reasons: `histogram of 37 idle periods: p5 4m, p99 5m, CV 9.1`. */
function basis(w: KeepWindows, config: PrewarmConfig): string {
  const n = `${w.samples} idle period${w.samples === 1 ? '' : 's'}`;
  const cv = w.cv === undefined ? '' : `, CV ${two(w.cv)}`;
  switch (w.mode) {
    case 'learning':
      return `learning (${n}): default keep-alive ${span(config.fallbackKeepAliveMs)}`;
    case 'fallback':
      return `idle times too spread to predict (${n}${cv} < ${config.cvThreshold}): keep-alive ${span(config.fallbackKeepAliveMs)}`;
    case 'forecast':
      return `most idle times beyond ${span(config.rangeMs)}: next one forecast at ${span(w.expectedMs ?? 0)} (median of the last ones, ${n})`;
    case 'histogram':
      return `histogram of ${n}: p${config.headPercentile} ${w.headBin}m, p${config.tailPercentile} ${(w.tailBin ?? 0) + 1}m${cv}, margin ${config.margin} %`;
  }
}

/** Histogram summary for `details`: `4:9,5:1` (minute bin: count), at most 12 bins, the fullest ones. */
function binsSummary(h: IdleHistogram): string {
  const top = [...h.bins].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 12);
  return top
    .sort((a, b) => a[0] - b[0])
    .map(([b, c]) => `${b}:${c}`)
    .join(',');
}

/** What a histogram gives under a config: its windows and their texts (histograms are immutable, so kept by identity). */
interface Derived {
  readonly config: PrewarmConfig;
  readonly windows: KeepWindows;
  readonly summary: string;
  readonly bins: string;
}
const derivedOf = new WeakMap<IdleHistogram, Derived>();

function derive(h: IdleHistogram, config: PrewarmConfig): Derived {
  const known = derivedOf.get(h);
  if (known?.config === config) return known;
  const windows = hybridWindows(h, config);
  const derived = { config, windows, summary: basis(windows, config), bins: binsSummary(h) };
  derivedOf.set(h, derived);
  return derived;
}

/** The details of the last answer with a pod per histogram and config, by the end of the demand they were made for. */
const lastDetails = new WeakMap<Derived, { readonly endMs: number; readonly details: Readonly<Record<string, number | string | boolean>> }>();

function detailsOf(d: Derived, endMs: number, make: () => Readonly<Record<string, number | string | boolean>>): Readonly<Record<string, number | string | boolean>> {
  const known = lastDetails.get(d);
  if (known?.endMs === endMs) return known.details;
  const details = make();
  lastDetails.set(d, { endMs, details });
  return details;
}

/**
 * The prewarm decision, pure: learns the target's idle times from its demand metric (see `trackDemand`), derives
 * the windows of the hybrid histogram policy (`hybridWindows`) and answers a floor of 1 pod inside them:
 * - from the end of the last demand for {@link BURST_HOLD_MS} (1 minute) always: gaps shorter than that are part
 *   of the demand;
 * - from the end of the last demand until `untilMs` when the pre-warm would be asked within that minute (keep-alive);
 * - from `fromMs - lead-time` until `untilMs` otherwise (pre-warm: the last pod goes, one comes back in time);
 * - "no opinion" outside them, and before any demand was seen. It never answers 0 or "no data": other plugins
 *   decide when no pod is needed, and missing history never blocks a scale-down.
 * It asks the loop for a decision when the window opens and when it closes (`wakeAtMs`), so a target nobody
 * ticks meanwhile (the simulator's sleeping targets) is still pre-warmed in time.
 * Worked example: demand ended 09:00:00, windows from 3m36s to 6m36s, lead time 10 s: at 09:00:30 one pod (the
 * burst hold), at 09:02:00 no opinion (pre-warm at 09:03:26), at 09:04:00 one pod ("pre-warm: next request expected at 09:05:30"), at 09:07:00 no
 * opinion again.
 */
export function recommendPrewarm(input: RecommendInput<PrewarmConfig, PrewarmState>): RecommendOutput<PrewarmState> {
  const { config, nowMs, metrics, replicas } = input;
  const before = input.state ?? initialState(input.persisted, config.rangeMs, nowMs);
  const window = metrics.window(config.metric);
  const read = trackDemand(before.track, before.histogram, window, nowMs, replicas.ready, config.rangeMs);
  const moved = read.learnedMs !== undefined || read.track.lastDemandEndMs !== before.track.lastDemandEndMs;
  const state = refreshPersisted({ ...before, histogram: read.histogram, track: read.track, dirty: before.dirty || moved }, nowMs);
  const persist = state.persisted !== before.persisted || input.state === undefined ? state.persisted : undefined;
  const out = (recommendation: Recommendation, wakeAtMs?: number): RecommendOutput<PrewarmState> => ({
    recommendation,
    state,
    ...(persist ? { persist } : {}),
    ...(wakeAtMs === undefined ? {} : { wakeAtMs }),
  });

  const derived = derive(state.histogram, config);
  const { windows, summary, bins } = derived;
  const end = state.track.lastDemandEndMs;
  if (end === undefined) {
    const why = window?.lastSampleMs() === undefined ? `no ${config.metric} samples yet` : 'no demand seen yet';
    return out({ kind: 'no-opinion', reason: `learning (${windows.samples} idle periods): ${why}` });
  }
  const idleMs = Math.max(0, nowMs - end);
  // The pod is asked for `lead-time` before the pre-warm instant; a pre-warm within the burst hold merges with it.
  const asked = windows.fromMs > config.leadTimeMs ? windows.fromMs - config.leadTimeMs : 0;
  const startMs = asked > BURST_HOLD_MS ? asked : 0;
  const untilIso = iso(end + windows.untilMs);
  // Only the answers with a pod carry details; they change only with the histogram and the end of the demand.
  const details = (): Readonly<Record<string, number | string | boolean>> => detailsOf(derived, end, () => ({
    mode: windows.mode,
    idlePeriods: windows.samples,
    outOfRange: state.histogram.outOfRange,
    histogram: bins,
    ...(windows.cv === undefined ? {} : { cv: two(windows.cv) }),
    lastDemandEnd: iso(end),
    podFrom: iso(end + startMs),
    podUntil: untilIso,
    prewarmAfterMs: windows.fromMs,
    keepUntilAfterMs: windows.untilMs,
  }));
  // The answer changes when the window opens and when it closes: the loop is asked for a decision then.
  if (idleMs < BURST_HOLD_MS && (startMs > 0 || windows.untilMs < BURST_HOLD_MS)) {
    const held = iso(end + BURST_HOLD_MS);
    const then = startMs > 0 ? `then pre-warm at ${iso(end + startMs)}` : 'then released';
    return out({ kind: 'replicas', replicas: 1, reason: `keep-alive until ${held}: gaps under a minute are part of the demand; ${then} (${summary})`, details: details() }, end + BURST_HOLD_MS);
  }
  if (idleMs < startMs) {
    return out({ kind: 'no-opinion', reason: `idle since ${iso(end)}; pre-warm at ${iso(end + startMs)} (${summary})` }, end + startMs);
  }
  if (idleMs >= windows.untilMs) {
    return out({ kind: 'no-opinion', reason: `idle since ${iso(end)}; pod released at ${untilIso} (${summary})` });
  }
  const closes = end + windows.untilMs;
  if (startMs > 0) {
    const expected = Math.max(nowMs, end + (windows.expectedMs ?? windows.fromMs));
    return out({ kind: 'replicas', replicas: 1, reason: `pre-warm: next request expected at ${iso(expected)}, pod until ${untilIso} (${summary})`, details: details() }, closes);
  }
  const reason = windows.mode === 'learning' ? `${summary}: keep-alive until ${untilIso}` : `keep-alive until ${untilIso} (${summary})`;
  return out({ kind: 'replicas', replicas: 1, reason, details: details() }, closes);
}
