import { count, textTable, waitText } from '../report/text-table.ts';
import type { RolloutModeResult, RolloutReplayResult } from './run-rollout.ts';

const MODE_TITLE = { time: 'time steps (Knative)', capacity: 'capacity-aware (Ebb)' } as const;

/** Whole seconds with a unit: `71 s`; `-` for null. */
const seconds = (ms: number | null): string => (ms === null ? '-' : `${count(ms / 1000)} s`);

/** The two modes of a rollout replay side by side, as a plain-text table with a heading. */
export function rolloutReport(r: RolloutReplayResult): string {
  const s = r.settings;
  const perPod = s.podConcurrency === 0 ? 'unlimited requests per pod' : `${s.podConcurrency} request${s.podConcurrency === 1 ? '' : 's'} per pod`;
  const head =
    `Rollout replay: ${r.function} of ${r.trace} as two versions, v1 -> v2 at +${seconds(r.rolloutAtMs)}, rollout-duration ${seconds(r.rolloutDurationMs)}\n` +
    `configuration ${r.configuration} for both versions, start-up ${seconds(s.startup.meanMs)} ± ${seconds(s.startup.jitterMs)}, ${perPod}, seed ${s.seed}\n` +
    `figures from the rollout's start for ${seconds(r.windowMs)} (the slower rollout and a minute after it); pods sampled once a second\n\n`;
  const row = (label: string, f: (m: RolloutModeResult) => string): string[] => [label, ...r.modes.map(f)];
  const rows = [
    row('rollout took', (m) => (m.stalled !== undefined ? `stalled: ${m.stalled}` : m.doneAtMs === null ? 'not done by the end' : seconds(m.tookMs))),
    row('pods just before the rollout', (m) => count(m.prePods)),
    row('peak pods (both versions)', (m) => count(m.peakPods)),
    row('pod-seconds', (m) => count(m.podSeconds)),
    row('  above the pods before', (m) => count(m.podSecondsAbovePre)),
    row('requests (v1 / v2)', (m) => `${count(m.taken[0])} / ${count(m.taken[1])}`),
    row('cold starts v1 / v2 (no Ready pod)', (m) => `${count(m.coldStarts[0])} / ${count(m.coldStarts[1])}`),
    row('waited for a start-up v1 / v2', (m) => `${count(m.startupWaits[0])} / ${count(m.startupWaits[1])}`),
    row('waited for a pod (any reason) v1 / v2', (m) => `${count(m.waited[0])} / ${count(m.waited[1])}`),
    row('wait total', (m) => `${m.waitTotalS.toFixed(1)} s`),
    row('wait p99', (m) => waitText(m.waitP99Ms)),
    row('pod-seconds over the whole span', (m) => count(m.spanPodSeconds)),
  ];
  return head + textTable(['', ...r.modes.map((m) => MODE_TITLE[m.mode])], rows, ['left', ...r.modes.map(() => 'right' as const)]);
}
