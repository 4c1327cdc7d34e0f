import { cronAfter, cronAtOrBefore, cronMatches } from './cron-spec.ts';
import type { CronWindow } from './cron-window.ts';
import { instantOfWall, maxWallUpTo } from './zoned-time.ts';

/**
 * Occurrences of windows, computed from a time alone (pure; no clock). Starts and ends are found on wall-clock
 * time in the window's zone and mapped to instants with `instantOfWall` (see `zoned-time.ts`), so the answer does
 * not depend on when the question is asked: recommend() and the boundary scheduler always agree.
 */

/** One occurrence of a window. All times in ms since the epoch. */
export interface Occurrence {
  readonly window: CronWindow;
  /** The start instant (the cron occurrence). */
  readonly startMs: number;
  /** `startMs - leadTimeMs`: from here (inclusive) the floor applies. */
  readonly activeFromMs: number;
  /** The end instant (exclusive); Infinity when the end cron never fires again. */
  readonly endMs: number;
}

/**
 * How many excluded or empty occurrences a search steps over before it gives up (and reports none). Reached only
 * when exclusions remove nearly every occurrence, e.g. a start every minute excluded on a whole day.
 */
export const SEARCH_LIMIT = 2000;

function isExcluded(w: CronWindow, startWall: number): boolean {
  if (w.excludeDates.length > 0 && w.excludeDates.includes(new Date(startWall).toISOString().slice(0, 10))) return true;
  return w.excludeCrons.some((c) => cronMatches(c, startWall));
}

/** The occurrence whose start has wall time `startWall` (a start occurrence). */
function occurrenceAt(w: CronWindow, startWall: number): Occurrence {
  const startMs = instantOfWall(startWall, w.timezone);
  let endMs: number;
  if (w.end.kind === 'duration') {
    endMs = startMs + w.end.ms;
  } else {
    const ends = w.end.crons.map((c) => cronAfter(c, startWall)).filter((e): e is number => e !== undefined);
    endMs = ends.length === 0 ? Infinity : instantOfWall(Math.min(...ends), w.timezone);
  }
  return { window: w, startMs, activeFromMs: startMs - w.leadTimeMs, endMs };
}

/** Wall time of the one start of a `runOnce` window: the first non-excluded start at or after `from`. */
function runOnceStartWall(w: CronWindow): number | undefined {
  if (w.fromWallMs === undefined) return undefined;
  let wall = cronAfter(w.start, w.fromWallMs - 1);
  for (let i = 0; wall !== undefined && i < SEARCH_LIMIT; i++) {
    if (!isExcluded(w, wall)) return wall;
    wall = cronAfter(w.start, wall);
  }
  return undefined;
}

/**
 * The occurrence of `w` active at `nowMs` (`activeFromMs <= nowMs < endMs`), or undefined. When occurrences of
 * the same window overlap, the latest one (which ends last) is returned.
 *
 * Ends are monotonic (a later start never ends earlier), so it is enough to walk back from the latest start at
 * or before `nowMs + leadTimeMs`, stepping over excluded and empty occurrences, until one has ended.
 */
export function activeOccurrence(w: CronWindow, nowMs: number): Occurrence | undefined {
  const maxWall = maxWallUpTo(nowMs + w.leadTimeMs, w.timezone);
  if (w.runOnce) {
    const wall = runOnceStartWall(w);
    if (wall === undefined || wall > maxWall) return undefined;
    const o = occurrenceAt(w, wall);
    return o.endMs > nowMs && o.endMs > o.startMs ? o : undefined;
  }
  let wall = cronAtOrBefore(w.start, maxWall);
  for (let i = 0; wall !== undefined && i < SEARCH_LIMIT; i++) {
    if (w.fromWallMs !== undefined && wall < w.fromWallMs) return undefined;
    if (!isExcluded(w, wall)) {
      const o = occurrenceAt(w, wall);
      if (o.endMs <= nowMs) return undefined;
      if (o.endMs > o.startMs) return o;
    }
    wall = cronAtOrBefore(w.start, wall - 1);
  }
  return undefined;
}

/**
 * The first occurrence of `w` that becomes active strictly after `afterMs` (`activeFromMs > afterMs`), skipping
 * excluded and empty ones; undefined when there is none (a `runOnce` window that already started).
 */
export function nextActivation(w: CronWindow, afterMs: number): Occurrence | undefined {
  const maxWall = maxWallUpTo(afterMs + w.leadTimeMs, w.timezone);
  if (w.runOnce) {
    const wall = runOnceStartWall(w);
    if (wall === undefined || wall <= maxWall) return undefined;
    const o = occurrenceAt(w, wall);
    return o.endMs > o.startMs ? o : undefined;
  }
  const from = w.fromWallMs === undefined ? maxWall : Math.max(maxWall, w.fromWallMs - 1);
  let wall = cronAfter(w.start, from);
  for (let i = 0; wall !== undefined && i < SEARCH_LIMIT; i++) {
    if (!isExcluded(w, wall)) {
      const o = occurrenceAt(w, wall);
      if (o.endMs > o.startMs) return o;
    }
    wall = cronAfter(w.start, wall);
  }
  return undefined;
}
