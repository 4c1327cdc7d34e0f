/**
 * Wall-clock time in an IANA time zone, without reading the clock.
 *
 * A "wall" time is a local date and time in a zone, encoded as milliseconds since the epoch as if the local
 * fields were UTC: in `America/New_York` in winter (UTC-5), the instant 14:00Z has wall time 09:00 "Z".
 * Cron expressions are evaluated on wall times (see `cron-spec.ts`) and mapped back to instants here, with one
 * rule that holds across daylight-saving changes:
 *
 *   the instant of a wall time W is the earliest instant whose wall time is at or after W.
 *
 * Worked example (America/New_York, 2026-03-08, clocks jump from 02:00 EST to 03:00 EDT at 07:00Z): wall 02:30
 * does not exist; the earliest instant with a wall time >= 02:30 is 07:00Z (03:00 EDT), so 02:30 maps there.
 * On 2026-11-01 (01:00-02:00 happens twice, EDT then EST) wall 01:30 maps to its first instant, 05:30Z.
 * The mapping never goes backwards, so a later wall time never maps to an earlier instant.
 */

const HOUR_MS = 3_600_000;
/** Wider than any UTC offset (-12 h .. +14 h), so the instant of a wall time lies within one of these. */
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The canonical name of an IANA time zone (`US/Eastern` -> `America/New_York`), or undefined when Intl does not
 * know it.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone.trim() === '') return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** UTC offset of `zone` at `instantMs`, in ms (New York in winter: -18 000 000). */
export function offsetMs(instantMs: number, zone: string): number {
  const parts = formatter(zone).formatToParts(instantMs);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const wallSecond = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wallSecond - Math.floor(instantMs / 1000) * 1000;
}

/** Wall time (ms, local fields as if UTC) of `instantMs` in `zone`. */
export function wallOf(instantMs: number, zone: string): number {
  return instantMs + offsetMs(instantMs, zone);
}

/**
 * The instant (ms since the epoch) of wall time `wallMs` in `zone`: the earliest instant whose wall time is at or
 * after it. Assumes at most one offset change within a day of the answer (true of every zone since 1900).
 */
export function instantOfWall(wallMs: number, zone: string): number {
  const before = offsetMs(wallMs - DAY_MS, zone);
  const after = offsetMs(wallMs + DAY_MS, zone);
  const candidates = [wallMs - before, wallMs - after].sort((a, b) => a - b);
  for (const c of candidates) if (wallOf(c, zone) === wallMs) return c;
  // In a gap (clocks jumped forward over wallMs): the answer is the jump itself, the first instant at the new offset.
  let lo = wallMs - Math.max(before, after);
  let hi = wallMs - Math.min(before, after);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallOf(mid, zone) >= wallMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The latest wall time shown at or before `instantMs` in `zone` (ms). Equal to `wallOf(instantMs)` except during
 * the repeated hour after clocks went back, when it is the wall time just before they went back.
 * Property: `instantOfWall(w) <= instantMs` exactly when `w <= maxWallUpTo(instantMs)`.
 */
export function maxWallUpTo(instantMs: number, zone: string): number {
  const now = offsetMs(instantMs, zone);
  const dayAgo = offsetMs(instantMs - DAY_MS, zone);
  const wall = instantMs + now;
  if (dayAgo <= now) return wall;
  // Clocks went back within the last day: find the change (first instant at the current offset).
  let lo = instantMs - DAY_MS;
  let hi = instantMs;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(mid, zone) === now) hi = mid;
    else lo = mid;
  }
  return Math.max(wall, hi - 1 + dayAgo);
}
