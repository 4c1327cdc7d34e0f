import type { Clock, TimerHandle } from '@ebb/core';
import type { CronWindow } from './cron-window.ts';
import { formatGoDuration } from './go-duration.ts';
import { nextBoundary, type Boundary } from './window-status.ts';

/**
 * The longest single timer, in ms (1 h). A boundary further away is reached in several sleeps, each recomputing
 * from the clock: Node timers overflow past ~24.8 days, and a real clock can be stepped (NTP, suspend).
 */
export const MAX_SLEEP_MS = 3_600_000;

/** The earliest boundary instant of any window strictly after `afterMs`, with every boundary at that instant. */
export function nextBoundaries(
  windows: readonly CronWindow[],
  afterMs: number,
): { readonly atMs: number; readonly boundaries: readonly Boundary[] } | undefined {
  const all = windows.map((w) => nextBoundary(w, afterMs)).filter((b): b is Boundary => b !== undefined);
  if (all.length === 0) return undefined;
  const atMs = Math.min(...all.map((b) => b.atMs));
  return { atMs, boundaries: all.filter((b) => b.atMs === atMs) };
}

/** The poke reason for boundaries at one instant, e.g. `cron: office-hours starts (lead 5m); batch ends`. */
export function boundaryReason(boundaries: readonly Boundary[]): string {
  const parts = boundaries.map((b) => {
    if (b.kind === 'end') return `${b.window.name} ends`;
    const lead = b.window.leadTimeMs > 0 ? ` (lead ${formatGoDuration(b.window.leadTimeMs)})` : '';
    return `${b.window.name} starts${lead}`;
  });
  return `cron: ${parts.join('; ')}`;
}

/** Dependencies of {@link scheduleBoundaries}. */
export interface BoundarySchedulerDeps {
  readonly windows: readonly CronWindow[];
  readonly clock: Clock;
  /** Called once per boundary instant, at that instant of `clock`. */
  readonly poke: (reason: string) => void;
  /** Longest single timer in ms; default {@link MAX_SLEEP_MS}. */
  readonly maxSleepMs?: number;
}

/**
 * Calls `poke` at every window boundary (start minus lead time, and end) using timers of the given clock: the
 * boundary instants come from `nextBoundaries` (pure), this layer only sleeps until the next one. Returns a handle
 * whose `dispose` cancels the pending timer; no poke happens after it.
 */
export function scheduleBoundaries(deps: BoundarySchedulerDeps): { dispose(): void } {
  const maxSleepMs = deps.maxSleepMs ?? MAX_SLEEP_MS;
  let timer: TimerHandle | undefined;
  let disposed = false;

  const arm = (dueMs: number | undefined): void => {
    if (disposed) return;
    const now = deps.clock.now();
    let target = dueMs;
    if (target === undefined || target <= now) target = nextBoundaries(deps.windows, now)?.atMs;
    if (target === undefined) return;
    const due = target;
    const sleep = due - now;
    timer = deps.clock.setTimeout(() => fire(due), Math.min(sleep, maxSleepMs));
  };

  const fire = (dueMs: number): void => {
    timer = undefined;
    if (disposed) return;
    const now = deps.clock.now();
    if (now < dueMs) return arm(dueMs); // a long wait in several sleeps, or a timer that fired early
    // The boundaries at dueMs: those strictly after the instant just before it.
    const at = nextBoundaries(deps.windows, dueMs - 1);
    if (at && at.atMs === dueMs) deps.poke(boundaryReason(at.boundaries));
    arm(undefined);
  };

  arm(undefined);
  return {
    dispose() {
      disposed = true;
      timer?.cancel();
      timer = undefined;
    },
  };
}
