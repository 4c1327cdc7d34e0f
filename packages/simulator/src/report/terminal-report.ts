import { formatDuration } from '@ebb/core';
import type { ConfigurationResult, FunctionResult } from '../run/results.ts';
import type { SimulationResult } from '../run/run-simulation.ts';
import { changeText, count, percentText, podHours, textTable, waitText, type Align } from './text-table.ts';

const FUNCTION_HEADER = ['function', 'requests', 'pod-h', 'reserve pod-h', 'cost (pod-h)', 'cold starts', 'cold %', 'wait p50', 'wait p99', 'max pods', 'scale actions', 'failed'];
const FUNCTION_ALIGN: Align[] = ['left', ...Array<Align>(FUNCTION_HEADER.length - 1).fill('right')];

function functionRow(f: FunctionResult): string[] {
  return [
    f.id,
    count(f.requests),
    podHours(f.podSeconds),
    podHours(f.reservePodSeconds),
    podHours(f.cost),
    count(f.coldStarts),
    percentText(f.coldStartPercent),
    waitText(f.waitP50Ms),
    waitText(f.waitP99Ms),
    count(f.maxReplicas),
    count(f.scaleActions),
    count(f.timedOut + f.rejected),
  ];
}

/** The lines that say what was simulated and how. */
export function runHeader(r: SimulationResult): string {
  const s = r.settings;
  const perPod = s.podConcurrency === 0 ? 'unlimited requests per pod' : `${s.podConcurrency} request${s.podConcurrency > 1 ? 's' : ''} per pod`;
  return (
    `trace ${r.trace.name}: ${r.trace.functions.length} function${r.trace.functions.length > 1 ? 's' : ''}, ${count(r.trace.requests)} requests, ` +
    `${r.trace.hours} h from ${r.trace.start}\n` +
    `model: pod start-up ${formatDuration(s.startup.meanMs)} ± ${formatDuration(s.startup.jitterMs)}, ${perPod} (unless a configuration sets it), ` +
    `reserve pods at ${s.reservePriceRatio} x the price, seed ${s.seed}\n` +
    `start: every function starts with ${s.initialReplicas} pod${s.initialReplicas === 1 ? '' : 's'} (--initial-replicas), ` +
    `as a Deployment Ebb already manages (with its reserve Ready when it has one)\n`
  );
}

/** Per-function table of one configuration, with a total row. */
export function configurationTable(c: ConfigurationResult): string {
  return textTable(FUNCTION_HEADER, [...c.functions.map(functionRow), null, functionRow(c.total)], FUNCTION_ALIGN);
}

const COMPARE_HEADER = ['configuration', 'pod-h', 'reserve pod-h', 'cost (pod-h)', 'cost vs first', 'cold starts', 'cold %', 'wait p50', 'wait p99', 'max pods', 'scale actions', 'failed'];

/** One table of every configuration's totals, with the cost relative to the first. */
export function compareTable(r: SimulationResult): string {
  const base = r.configurations[0]?.total.cost ?? 0;
  const rows = r.configurations.map((c) => {
    const t = c.total;
    return [
      c.name,
      podHours(t.podSeconds),
      podHours(t.reservePodSeconds),
      podHours(t.cost),
      changeText(base > 0 ? t.cost / base : NaN),
      count(t.coldStarts),
      percentText(t.coldStartPercent),
      waitText(t.waitP50Ms),
      waitText(t.waitP99Ms),
      count(t.maxReplicas),
      count(t.scaleActions),
      count(t.timedOut + t.rejected),
    ];
  });
  return textTable(COMPARE_HEADER, rows, ['left', ...Array<Align>(COMPARE_HEADER.length - 1).fill('right')]);
}

/**
 * The terminal summary: what ran, then for one configuration its per-function table; for several, one table of
 * totals side by side (and each per-function table when `perFunction`).
 */
export function terminalReport(r: SimulationResult, o: { perFunction?: boolean } = {}): string {
  const parts = [runHeader(r)];
  const describe = (c: ConfigurationResult): string => `\nconfiguration ${c.name}${c.description ? `: ${c.description}` : ''}\n`;
  if (r.configurations.length === 1) {
    const c = r.configurations[0]!;
    parts.push(describe(c), configurationTable(c));
  } else {
    parts.push('\n', compareTable(r));
    if (o.perFunction) for (const c of r.configurations) parts.push(describe(c), configurationTable(c));
  }
  for (const w of r.warnings) parts.push(`\nwarning: ${w}`);
  if (r.warnings.length) parts.push('\n');
  parts.push('\npod-h: pod-hours paid (start-up included); cost in standard pod-hours; cold start: arrived while no pod was Ready; failed: queue timeout or full\n');
  return parts.join('');
}
