import type { RecommendOutput } from '@ebb/core';
import type { CronState, CronWindow } from './cron-window.ts';
import type { Occurrence } from './window-occurrences.ts';
import { windowStatus } from './window-status.ts';

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'never';
}

/**
 * The cron decision at `nowMs` (ms since the epoch), from the windows and that time alone:
 * - inside one or more windows: a `replicas` recommendation of the largest `replicas` among them (a floor: core
 *   takes the max with the other plugins), whose reason names every active window;
 * - outside all windows: `no-opinion`, naming the next window to start.
 *
 * Example: `office-hours` (20) and `batch` (5) both active -> 20, reason
 * `cron windows office-hours (20, until 2026-03-09T19:00:00.000Z), batch (5, until ...): floor 20`.
 */
export function recommendFloor(windows: readonly CronWindow[], nowMs: number): RecommendOutput<CronState> {
  const active = windows.map((w) => windowStatus(w, nowMs).active).filter((o): o is Occurrence => o !== undefined);
  const state: CronState = { active: active.map((o) => o.window.name) };
  if (active.length === 0) {
    return { recommendation: { kind: 'no-opinion', reason: outsideReason(windows, nowMs) }, state };
  }
  const floor = Math.max(...active.map((o) => o.window.replicas));
  const winner = active.find((o) => o.window.replicas === floor);
  const listed = active.map((o) => `${o.window.name} (${o.window.replicas}, until ${iso(o.endMs)})`).join(', ');
  return {
    recommendation: {
      kind: 'replicas',
      replicas: floor,
      reason: `cron window${active.length > 1 ? 's' : ''} ${listed}: floor ${floor}`,
      details: {
        windows: state.active.join(','),
        window: winner?.window.name ?? '',
        ...(winner && Number.isFinite(winner.endMs) ? { untilMs: winner.endMs } : {}),
      },
    },
    state,
  };
}

function outsideReason(windows: readonly CronWindow[], nowMs: number): string {
  if (windows.length === 0) return 'no cron windows configured';
  let next: Occurrence | undefined;
  for (const w of windows) {
    const o = windowStatus(w, nowMs).next;
    if (o && (!next || o.activeFromMs < next.activeFromMs)) next = o;
  }
  return next
    ? `outside every cron window; next: ${next.window.name} (${next.window.replicas}) from ${iso(next.activeFromMs)}`
    : 'outside every cron window; none starts again';
}
