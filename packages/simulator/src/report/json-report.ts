import type { SimulationResult } from '../run/run-simulation.ts';

/**
 * The results as JSON for `--json`: trace, settings and every configuration's per-function and total figures.
 * The per-bucket series (for charts) are left out unless `series` is true. Deterministic for the same inputs.
 */
export function jsonReport(r: SimulationResult, o: { series?: boolean } = {}): string {
  const out = o.series
    ? r
    : {
        trace: r.trace,
        settings: r.settings,
        configurations: r.configurations.map(({ series: _series, ...c }) => c),
        warnings: r.warnings,
      };
  return JSON.stringify(out, null, 2) + '\n';
}
