const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** What a duration may look like, for messages. */
export const DURATION_ALLOWED = 'a Go-style duration such as "90m", "2h30m", "45s" or "1.5h" (units h, m, s, ms)';

/**
 * Parses a Go-style duration (`2h30m`, `90s`, `1.5h`, `500ms`; units h, m, s, ms; no sign) to whole
 * milliseconds. Returns undefined when `text` is not one. `0` alone is accepted, as in Go.
 *
 * Example: `1h30m15s` -> 3 600 000 + 1 800 000 + 15 000 = 5 415 000 ms.
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Formats milliseconds as a Go-style duration for messages: 5 415 000 -> `1h30m15s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
