import type { CronWindow } from '../cron-window.ts';
import { parseWindows } from '../parse-windows.ts';

/** Builds windows from annotation-shaped items through the real parser; throws on any problem. */
export function windows(items: readonly Record<string, unknown>[], defaultTimezone = 'UTC'): readonly CronWindow[] {
  const parsed = parseWindows(items, defaultTimezone);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.windows;
}

/** One window (see {@link windows}). */
export function windowOf(item: Record<string, unknown>, defaultTimezone = 'UTC'): CronWindow {
  const [w] = windows([item], defaultTimezone);
  if (!w) throw new Error('no window');
  return w;
}

/** ms since the epoch of an ISO instant (with zone). */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || !/(Z|[+-]\d\d:\d\d)$/.test(iso)) throw new Error(`not an ISO instant with zone: ${iso}`);
  return ms;
};

/** ISO form of ms since the epoch, for readable assertions. */
export const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
