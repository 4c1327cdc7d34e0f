import type { TargetEntry } from '@ebb/core';
import { nextBoundaries, type CronConfig } from '@ebb/plugin-cron';

/**
 * Policies under which a target that keeps pods with no request may sleep until a known instant: the gateway
 * policy (its keep-alive ends a known time after the last demand), prewarm (it asks for a decision at each edge of
 * its windows, `wakeAtMs`), cron (its next window boundary is known) and the KPA once its windows hold only zeros
 * (before that their averages move every second).
 */
export const WARM_SLEEP_POLICIES: ReadonlySet<string> = new Set(['eventgw', 'prewarm', 'cron', 'kpa']);

/** A warm target wakes this long before the first instant its answer may change, ms (at least two ticks). */
export const WARM_WAKE_LEAD_MS = 5000;

/** Shortest sleep worth taking, ms. */
const MIN_WARM_SLEEP_MS = 10_000;

/**
 * The last demand sample lands at the first collector round after the last request ended (rounds are 1 s apart),
 * ms; with slack for a round that runs late.
 */
const LAST_SAMPLE_SLACK_MS = 3000;

/** The gateway policy's durations, as its parsed config holds them. */
interface GatewayDurations {
  readonly windowMs: number;
  readonly idlePeriodMs: number;
}

function gatewayDurations(config: unknown): GatewayDurations | undefined {
  const c = config as Partial<GatewayDurations> | undefined;
  return typeof c?.windowMs === 'number' && typeof c.idlePeriodMs === 'number' ? { windowMs: c.windowMs, idlePeriodMs: c.idlePeriodMs } : undefined;
}

/**
 * Until when (ms) a target that keeps pods with no request in flight may sleep, or undefined when it may not: its
 * every decision until then is the same as the last one, whatever the time. That holds when
 * - its policies are all in {@link WARM_SLEEP_POLICIES} and no scale-down delay is set (its window holds times);
 * - the gateway policy's window shows no demand any more (`window` after the last demand), and its answer (keep
 *   1 pod while any demand is within the idle period, then 0) does not change before the sleep ends: the sleep
 *   ends {@link WARM_WAKE_LEAD_MS} before `lastActiveMs + max(idle period, window)`, or the answer already is 0;
 * - the KPA's windows hold only zeros (`windowsQuiet`: quiet for their retention);
 * - the sleep ends the same lead before the decision a plugin asked for (`wakeAtMs`, prewarm's window edges) and
 *   before cron's next window boundary (the poke it sends then would wake the target anyway, but too late for
 *   the ticks before it).
 * The caller checks the rest: pods Ready, the state at a fixed point holding no recent time, and the combination
 * wanting pods (its `lastActiveMs` is the decision's time, and the ticks in the lead set it again).
 * Example: keep-alive 10 min, window 10 s, last demand ended 09:00:00 -> from 09:00:13 it may sleep until 09:09:55.
 */
export function warmSleepUntil(entry: TargetEntry, nowMs: number, lastActiveMs: number, windowsQuiet: boolean): number | undefined {
  if (!entry.config.ok || entry.config.value.scaling.scaleDownDelayMs > 0) return undefined;
  let untilMs = entry.wake ? entry.wake.atMs : Infinity;
  for (const { plugin, config } of entry.config.value.plugins) {
    const id = plugin.manifest.id;
    if (!WARM_SLEEP_POLICIES.has(id) || (id === 'kpa' && !windowsQuiet)) return undefined;
    if (id === 'cron') {
      const windows = (config as Partial<CronConfig> | undefined)?.windows;
      if (!windows) return undefined;
      untilMs = Math.min(untilMs, nextBoundaries(windows, nowMs)?.atMs ?? Infinity);
    }
    if (id !== 'eventgw') continue;
    const d = gatewayDurations(config);
    if (!d) return undefined;
    const quietMs = nowMs - lastActiveMs;
    if (quietMs < d.windowMs + LAST_SAMPLE_SLACK_MS) return undefined;
    const keepMs = Math.max(d.idlePeriodMs, d.windowMs);
    // Keeping 1 pod until the last demand is `keepMs` old, then 0 for good.
    if (quietMs < keepMs + LAST_SAMPLE_SLACK_MS) untilMs = Math.min(untilMs, lastActiveMs + keepMs);
  }
  untilMs -= WARM_WAKE_LEAD_MS;
  return untilMs - nowMs >= MIN_WARM_SLEEP_MS ? untilMs : undefined;
}
