import type { RequestResult } from './load.ts';
import type { VersionsPhase } from './versions-phase.ts';

/** The reserve part of the demo: idle -> reserve pod -> one request -> standard pods again. */
export interface ReservePhase {
  /** Seconds from the end of the load until coffee was at zero with its reserve pod Ready. */
  readonly idleAfterS: number;
  /** The first request sent while only the reserve pod served. */
  readonly request: RequestResult;
  /** Seconds from that request until coffee had a Ready pod of its own again and the reserve was at zero. */
  readonly standardAfterS: number;
  /** Requests the reserve pod(s) answered in all. */
  readonly servedByReserve: number;
}

/** The figures printed at the end of the demo (and checked by its test). */
export interface DemoSummary {
  readonly clients: number;
  readonly loadSeconds: number;
  /** Most Ready coffee pods at once, and the highest desired count the scaler computed. */
  readonly peakPods: number;
  readonly peakDesired: number;
  /** Requests answered 200, and those that were not (any phase). */
  readonly served: number;
  readonly errors: number;
  /** A few of the errors, for the report. */
  readonly errorSamples: readonly string[];
  /** Latency of the load phase's answers, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Answers that carried the gateway's cold-start header (held while no pod was Ready). */
  readonly coldStarts: number;
  /**
   * Seconds from the start of the load until the scaler first asked for more pods, and until `capacityPods` pods
   * were Ready: enough slots for every client at once (no request waits in the gateway's queue any more).
   */
  readonly firstScaleUpS: number | undefined;
  readonly capacityPods: number;
  readonly timeToScaleS: number | undefined;
  /** Whether the KPA was seen in panic mode. */
  readonly panicSeen: boolean;
  /** How often each plugin was seen winning (one count per view refresh). */
  readonly winners: Readonly<Record<string, number>>;
  readonly reserve: ReservePhase | undefined;
  /** The versions part (undefined when it was left out). */
  readonly versions: VersionsPhase | undefined;
  /** The whole demo, set-up included, seconds. */
  readonly totalS: number;
}

/** The `p`-th percentile (0..100) of `values` (nearest rank); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? NaN;
}

/** Request figures of `results`: served, errors (with samples), load-phase latency, cold starts. */
export function requestFigures(results: readonly RequestResult[], loadPhase: string): Pick<DemoSummary, 'served' | 'errors' | 'errorSamples' | 'p50Ms' | 'p99Ms' | 'coldStarts'> {
  const failed = results.filter((r) => r.status !== 200);
  const load = results.filter((r) => r.phase === loadPhase && r.status === 200).map((r) => r.ms);
  const samples = [...new Set(failed.map((r) => `${r.phase}: ${r.error ?? `HTTP ${r.status}`}`))].slice(0, 5);
  return {
    served: results.length - failed.length,
    errors: failed.length,
    errorSamples: samples,
    p50Ms: percentile(load, 50),
    p99Ms: percentile(load, 99),
    coldStarts: results.filter((r) => r.coldStartMs !== undefined).length,
  };
}

const n = (v: number): string => v.toLocaleString('en-US');
const s1 = (v: number | undefined): string => (v === undefined ? 'n/a' : `${v.toFixed(1)} s`);

/** The summary as text lines. */
export function formatSummary(s: DemoSummary): string[] {
  const winners = Object.entries(s.winners)
    .sort((a, b) => b[1] - a[1])
    .map(([id, count]) => `${id} ${count}`)
    .join(', ');
  const lines = [
    '',
    '══ Summary ══════════════════════════════════════════════',
    `load            ${s.clients} clients for ${s.loadSeconds} s through the gateway`,
    `peak pods       ${s.peakPods} Ready (desired at most ${s.peakDesired})`,
    `time to scale   first scale-up after ${s1(s.firstScaleUpS)}; ${s.capacityPods} pods Ready (a slot for every client) after ${s1(s.timeToScaleS)}`,
    `panic mode      ${s.panicSeen ? 'entered (the load arrived much faster than the pods)' : 'not seen'}`,
    `requests        ${n(s.served)} served, ${n(s.errors)} errors${s.errorSamples.length ? ` (${s.errorSamples.join('; ')})` : ''}`,
    `latency (load)  p50 ${s.p50Ms.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms (each request takes 100 ms in its pod)`,
    `cold starts     ${s.coldStarts}`,
    `winning plugin  ${winners || '-'} (view refreshes)`,
  ];
  const r = s.reserve;
  if (r) {
    const how = r.request.coldStartMs === undefined ? 'no cold start' : `a cold start of ${r.request.coldStartMs} ms`;
    lines.push(
      `reserve         idle -> reserve pod ${s1(r.idleAfterS)} after the load; a new request was served by ${r.request.pod ?? '?'}` +
        `${r.request.reserve ? ' (the reserve)' : ''} in ${r.request.ms.toFixed(0)} ms with ${how};`,
      `                standard pods again ${s1(r.standardAfterS)} later; ${r.servedByReserve} requests answered by the reserve in all`,
    );
  } else {
    lines.push('reserve         not reached');
  }
  if (s.versions) lines.push(...versionsLines(s.versions));
  lines.push(`total           ${s.totalS.toFixed(0)} s`, '');
  return lines;
}

/** `0 -> 1 -> 10 -> 100`; a long list keeps its first 4 and last 2 values. */
export function weightsText(weights: readonly number[]): string {
  const shown = weights.length <= 8 ? weights.map(String) : [...weights.slice(0, 4).map(String), '…', ...weights.slice(-2).map(String)];
  return shown.join(' -> ');
}

/** The versions part's lines of the summary. */
export function versionsLines(v: VersionsPhase): string[] {
  const served = Object.entries(v.servedBy)
    .map(([name, count]) => `${n(count)} by ${name}`)
    .join(', ');
  const v1End = v.v1ZeroAfterS === undefined ? `${v.v1DesiredAtEnd ?? '?'} replicas at the end` : `at zero ${s1(v.v1ZeroAfterS)} after the rollout`;
  return [
    `rollout         coffee-v1 -> coffee-v2 under ${v.clients} clients, rollout-duration ${v.rolloutSeconds} s: done in ${s1(v.rolloutS)}, ${v.stepsSeen} steps seen`,
    `                weight of coffee-v2 ${weightsText(v.v2Weights)} %; ${n(v.failedDuring)} failed of ${n(v.requestsDuring)} requests during the rollout`,
    `                coffee-v2 ${v.v2ReadyBeforeTraffic ? 'had Ready pods before each share it got' : 'got a share WITHOUT a Ready pod'}, ${v.v2ColdStarts} cold starts; ` +
      `peak ${v.peakTotalPods} Ready pods of both (${v.podsBefore} of v1 before); coffee-v1 ${v1End}; answers: ${served}`,
  ];
}
