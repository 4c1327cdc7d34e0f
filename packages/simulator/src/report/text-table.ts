/** Column alignment. */
export type Align = 'left' | 'right';

/**
 * Renders rows as a plain-text table with aligned columns (two spaces between), a header and a rule; a row of
 * `null` is drawn as a rule too. Example: `textTable(['a', 'n'], [['x', '1']], ['left', 'right'])`.
 */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[] | null>, align: readonly Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r ? (r[i] ?? '').length : 0))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map((r) => (r ? line(r) : rule))].join('\n') + '\n';
}

/** A whole number with thousands separators: 32921 -> `32,921`. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Pod-seconds as pod-hours with one decimal (two below 10): 5400 -> `1.50`, 2882175 -> `800.6`. */
export function podHours(seconds: number): string {
  const h = seconds / 3600;
  return h < 10 ? h.toFixed(2) : h.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A wait in ms for people: `0 ms`, `420 ms`, `7.12 s`, `1m 05s`; `-` when null. */
export function waitText(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/** A percentage with two decimals: `4.90 %`. */
export function percentText(p: number): string {
  return `${p.toFixed(2)} %`;
}

/** A ratio as a signed percentage change: 1.12 -> `+12.0 %`, 0.5 -> `-50.0 %`; `-` when not finite. */
export function changeText(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-';
  const p = (ratio - 1) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)} %`;
}
