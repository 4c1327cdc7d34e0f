import type { CronWindow } from './cron-window.ts';
import { activeOccurrence, nextActivation, type Occurrence } from './window-occurrences.ts';

/**
 * What a window is doing at a time, and how long that stays true. Between two boundaries nothing about a window
 * changes, so the status is computed once per boundary and reused by every tick in between (memoised per window
 * object; the answer is the same as computing afresh, only cheaper: a tick then costs no cron iteration).
 */
export interface WindowStatus {
  /** The occurrence active at the time asked, if any. */
  readonly active: Occurrence | undefined;
  /** The next occurrence to become active strictly after the time asked, if any. */
  readonly next: Occurrence | undefined;
  /** The status holds for times in [fromMs, untilMs) (ms since the epoch; untilMs may be Infinity). */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** A moment at which a window's activity may change. */
export interface Boundary {
  /** ms since the epoch. */
  readonly atMs: number;
  readonly window: CronWindow;
  /** `start`: the floor begins (at start minus lead time); `end`: it ends. */
  readonly kind: 'start' | 'end';
}

const memo = new WeakMap<CronWindow, WindowStatus>();

/** The status of `w` at `nowMs` (ms since the epoch). */
export function windowStatus(w: CronWindow, nowMs: number): WindowStatus {
  const cached = memo.get(w);
  if (cached && cached.fromMs <= nowMs && nowMs < cached.untilMs) return cached;
  const active = activeOccurrence(w, nowMs);
  const next = nextActivation(w, nowMs);
  const untilMs = Math.min(active?.endMs ?? Infinity, next?.activeFromMs ?? Infinity);
  const status: WindowStatus = { active, next, fromMs: nowMs, untilMs };
  memo.set(w, status);
  return status;
}

/** The first boundary of `w` strictly after `afterMs`, or undefined when its activity never changes again. */
export function nextBoundary(w: CronWindow, afterMs: number): Boundary | undefined {
  const { active, next } = windowStatus(w, afterMs);
  const start: Boundary | undefined = next && { atMs: next.activeFromMs, window: w, kind: 'start' };
  const end: Boundary | undefined = active && Number.isFinite(active.endMs) ? { atMs: active.endMs, window: w, kind: 'end' } : undefined;
  if (start && end) return end.atMs <= start.atMs ? end : start;
  return start ?? end;
}
