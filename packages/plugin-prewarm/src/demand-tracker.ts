import type { WindowView } from '@ebb/core';
import { addIdle, type IdleHistogram } from './idle-histogram.ts';
import { BIN_MS } from './prewarm-config.ts';

/** History of the metric the plugin asks the store to keep, ms: enough to read every second between two ticks. */
export const METRIC_RETENTION_MS = 60_000;

/** A metric silent for longer than this while pods are ready makes the idle period in progress unlearned, ms. */
export const GAP_MS = 30_000;

/** Where the reading of the demand metric stands for one target. */
export interface DemandTrack {
  /** End (ms) of the newest second with demand, if any was seen. */
  readonly lastDemandEndMs?: number;
  /**
   * Epoch second of the last read that found demand; the next read starts there again (a late sample may still
   * land in it), or a retention back. Not moved by reads without demand, so an idle target's state stays the same
   * from one decision to the next.
   */
  readonly readSecond?: number;
  /**
   * The idle period in progress will not be learned: the metric was silent for {@link GAP_MS} while pods were
   * ready (demand may have gone unseen), or the period began before this scaler took over.
   */
  readonly tainted: boolean;
}

/** Nothing read yet. */
export const NEW_TRACK: DemandTrack = { tainted: false };

/** What one read of the metric found. */
export interface TrackResult {
  readonly track: DemandTrack;
  readonly histogram: IdleHistogram;
  /** The idle period learned by this read, ms (at most one per tick in practice). */
  readonly learnedMs?: number;
}

/**
 * Reads the seconds of the demand metric since the previous read (at most {@link METRIC_RETENTION_MS}): a second
 * with a value above 0 is demand. Demand after at least a bin (1 minute) without is an arrival: the idle time
 * (from the end of the previous demand to the start of this second) goes into the histogram, unless the period is
 * tainted. Shorter gaps are part of the demand, as requests within the same minute are one invocation minute in
 * the paper's data: the pod is kept through them (see `recommendPrewarm`) and they are not learned, so a bursty
 * target's histogram shows the gaps between its bursts.
 * Example: demand in second 100, nothing in 101..399, demand in 400 -> idle time 299 s -> bin 4; demand in
 * seconds 100 and 130 -> one demand, no idle time.
 * @param readyPods ready pods of the target: a silent metric at zero pods (a pod scraper has nobody to ask) is
 *   read as no demand; with pods it taints the idle period.
 */
export function trackDemand(
  prev: DemandTrack,
  h: IdleHistogram,
  window: WindowView | undefined,
  nowMs: number,
  readyPods: number,
  rangeMs: number,
): TrackResult {
  if (!window) return { track: prev, histogram: h };
  const nowSecond = Math.floor(nowMs / 1000);
  const oldest = nowSecond - METRIC_RETENTION_MS / 1000 + 1;
  const from = prev.readSecond === undefined ? oldest : Math.max(prev.readSecond, oldest);
  let { lastDemandEndMs, tainted } = prev;
  let histogram = h;
  let learnedMs: number | undefined;
  let readSecond = prev.readSecond;
  const any = window.max(nowMs, (nowSecond - from + 1) * 1000);
  if (any !== undefined && any > 0) {
    readSecond = nowSecond;
    for (let s = from; s <= nowSecond; s++) {
      const v = window.max(s * 1000, 1000);
      if (v === undefined || v <= 0) continue;
      const startMs = s * 1000;
      if (lastDemandEndMs !== undefined && startMs - lastDemandEndMs >= BIN_MS && !tainted) {
        const idleMs = startMs - lastDemandEndMs;
        histogram = addIdle(histogram, idleMs, rangeMs);
        learnedMs = idleMs;
      }
      tainted = false;
      lastDemandEndMs = Math.max(lastDemandEndMs ?? 0, startMs + 1000);
    }
  }
  if (lastDemandEndMs !== undefined && readyPods > 0) {
    const last = window.lastSampleMs();
    if (last === undefined || nowMs - last > GAP_MS) tainted = true;
  }
  const track: DemandTrack = {
    tainted,
    ...(readSecond === undefined ? {} : { readSecond }),
    ...(lastDemandEndMs === undefined ? {} : { lastDemandEndMs }),
  };
  return { track, histogram, ...(learnedMs === undefined ? {} : { learnedMs }) };
}
