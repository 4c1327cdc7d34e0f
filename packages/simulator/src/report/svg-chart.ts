import type { SimulationResult } from '../run/run-simulation.ts';

/** Colours of the configurations, in order (colour-blind friendly). */
export const CHART_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

const WIDTH = 1200;
const LEFT = 64;
const RIGHT = 24;
const PANEL_HEIGHT = 110;
const STRIP = 7;
const PLOT_W = WIDTH - LEFT - RIGHT;

/** Escapes text for SVG. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const f1 = (x: number): string => (Math.round(x * 10) / 10).toString();

/** A step line through per-bucket values, as an SVG path (`M x y H x V y ...`). */
function stepPath(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  let d = `M${f1(x(0))} ${f1(y(values[0] ?? 0))}`;
  for (let i = 1; i < values.length; i++) {
    if (values[i] === values[i - 1]) continue;
    d += `H${f1(x(i))}V${f1(y(values[i]!))}`;
  }
  return `${d}H${f1(x(values.length))}`;
}

/** A y-axis maximum that reads well: 1, 2, 5, 10, 20, 50, ... at or above `v`. */
function niceMax(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * The chart for `--svg`: one panel per function, time across. The grey area is the demand (the trace's offered
 * load, as pods needed at the default per-pod concurrency); each configuration draws its Ready pods as a line
 * (reserve pods dashed) in its colour, and marks cold starts in a strip under the panel (bigger dot, more cold
 * starts in that bucket). Hand-written SVG, no dependencies; deterministic.
 */
export function svgChart(r: SimulationResult): string {
  const { demand, configurations } = r;
  const cc = r.settings.podConcurrency;
  const buckets = demand.functions[0]?.offered.length ?? 0;
  const spanMs = buckets * demand.bucketMs;
  const x = (i: number): number => LEFT + (buckets ? (i / buckets) * PLOT_W : 0);
  const strips = configurations.length * STRIP + 6;
  const panelTotal = PANEL_HEIGHT + strips + 26;
  const top = 70;
  const height = top + demand.functions.length * panelTotal + 30;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="11">`);
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  const title = `${r.trace.name}: demand vs Ready pods, ${r.trace.hours} h from ${r.trace.start.replace('.000Z', 'Z')} (UTC)`;
  out.push(`<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // Legend.
  let lx = LEFT;
  const demandLabel = cc > 0 ? `demand (pods needed at ${cc} per pod)` : 'demand (requests in flight)';
  out.push(`<rect x="${lx}" y="36" width="14" height="10" fill="#d9d9d9"/><text x="${lx + 18}" y="45">${esc(demandLabel)}</text>`);
  lx += 30 + demandLabel.length * 6;
  configurations.forEach((c, k) => {
    const colour = CHART_COLOURS[k % CHART_COLOURS.length]!;
    out.push(`<line x1="${lx}" y1="41" x2="${lx + 16}" y2="41" stroke="${colour}" stroke-width="2"/><text x="${lx + 20}" y="45">${esc(c.name)}</text>`);
    lx += 34 + c.name.length * 6.5;
  });
  out.push(`<text x="${LEFT}" y="60" fill="#555">lines: Ready pods (dashed: reserve pods); dots under each panel: cold starts per ${Math.round(demand.bucketMs / 1000)} s, one row per configuration</text>`);
  demand.functions.forEach((fn, p) => {
    const y0 = top + p * panelTotal + 16;
    const offered = fn.offered.map((v) => (cc > 0 ? Math.ceil(v / cc) : v));
    let vmax = Math.max(1, ...offered);
    for (const c of configurations) {
      const s = c.series[p];
      if (s) vmax = Math.max(vmax, ...s.ready, ...s.reserve);
    }
    const ymax = niceMax(vmax);
    const y = (v: number): number => y0 + PANEL_HEIGHT - (v / ymax) * PANEL_HEIGHT;
    const info = r.trace.functions[p];
    out.push(`<text x="${LEFT}" y="${y0 - 4}" font-weight="bold">${esc(fn.id)}</text>`);
    out.push(`<text x="${LEFT + 8 + fn.id.length * 7}" y="${y0 - 4}" fill="#555">${esc(`${info?.requests ?? 0} requests`)}</text>`);
    out.push(`<rect x="${LEFT}" y="${y0}" width="${PLOT_W}" height="${PANEL_HEIGHT}" fill="#fafafa" stroke="#cccccc"/>`);
    for (const v of [0, ymax / 2, ymax]) {
      out.push(`<text x="${LEFT - 6}" y="${f1(y(v) + 4)}" text-anchor="end" fill="#555">${v}</text>`);
      if (v > 0) out.push(`<line x1="${LEFT}" y1="${f1(y(v))}" x2="${LEFT + PLOT_W}" y2="${f1(y(v))}" stroke="#e5e5e5"/>`);
    }
    out.push(`<path d="${stepPath(offered, x, y)}V${f1(y(0))}H${LEFT}Z" fill="#d9d9d9" stroke="none"/>`);
    configurations.forEach((c, k) => {
      const s = c.series[p];
      if (!s) return;
      const colour = CHART_COLOURS[k % CHART_COLOURS.length]!;
      if (s.reserve.some((v) => v > 0)) out.push(`<path d="${stepPath(s.reserve, x, y)}" fill="none" stroke="${colour}" stroke-width="1.2" stroke-dasharray="4 3"/>`);
      out.push(`<path d="${stepPath(s.ready, x, y)}" fill="none" stroke="${colour}" stroke-width="1.4" stroke-opacity="0.9"/>`);
      const sy = y0 + PANEL_HEIGHT + 6 + k * STRIP + STRIP / 2;
      s.coldStarts.forEach((n, i) => {
        if (n > 0) out.push(`<circle cx="${f1(x(i + 0.5))}" cy="${f1(sy)}" r="${f1(Math.min(3.4, 1.4 + Math.log10(n + 1) * 1.6))}" fill="${colour}"/>`);
      });
    });
    // Time axis: a label every few hours (or minutes for short spans).
    const stepMs = [600_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000].find((s) => spanMs / s <= 12) ?? 43_200_000;
    const axisY = y0 + PANEL_HEIGHT + strips + 10;
    for (let t = Math.ceil(demand.startMs / stepMs) * stepMs; t <= demand.startMs + spanMs; t += stepMs) {
      const tx = LEFT + ((t - demand.startMs) / spanMs) * PLOT_W;
      out.push(`<line x1="${f1(tx)}" y1="${y0 + PANEL_HEIGHT}" x2="${f1(tx)}" y2="${y0 + PANEL_HEIGHT + 3}" stroke="#888"/>`);
      out.push(`<text x="${f1(tx)}" y="${axisY}" text-anchor="middle" fill="#555">${new Date(t).toISOString().slice(11, 16)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
