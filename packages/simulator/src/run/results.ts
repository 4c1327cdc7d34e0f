import type { ClusterModel } from '../model/cluster-model.ts';
import type { ModelledTarget } from '../model/modelled-target.ts';
import { percentiles } from './percentile.ts';
import type { ResolvedSettings } from './simulation-options.ts';
import { WARMUP_MS, type WarmupFigures } from './warmup.ts';

/** The figures of one function (or of all, in `total`) under one configuration. */
export interface FunctionResult {
  /** Function id (the modelled Deployment's name), or `total`. */
  readonly id: string;
  readonly requests: number;
  /** Standard pod time within the trace span, s (start-up included: a starting pod is paid for). */
  readonly podSeconds: number;
  /** Reserve pod time within the span, s. */
  readonly reservePodSeconds: number;
  /**
   * Pod time with no request in flight on the pod, s (standard and reserve pods, starting ones included): what
   * is paid for and not used.
   */
  readonly idlePodSeconds: number;
  /**
   * Time with at least one pod and no request in flight or queued, s (for `total`: summed over functions): the
   * time a keep-alive or a pre-warm keeps the function warm for nothing, Shahrad et al.'s "wasted memory time"
   * with one instance per function.
   */
  readonly warmIdleSeconds: number;
  /** Cost in standard pod-seconds: podSeconds + reservePriceRatio x reservePodSeconds. */
  readonly cost: number;
  /** Requests that arrived while no pod (standard or reserve) was Ready. */
  readonly coldStarts: number;
  /** coldStarts / requests x 100; 0 without requests. */
  readonly coldStartPercent: number;
  /** Median wait for a pod (ms), over requests that got one or timed out; null without any. */
  readonly waitP50Ms: number | null;
  /** 99th percentile wait (ms, nearest rank); null without any. */
  readonly waitP99Ms: number | null;
  /** Highest spec.replicas (for `total`: the highest sum over functions at one moment). */
  readonly maxReplicas: number;
  /** Writes that changed the target's replicas. */
  readonly scaleActions: number;
  /** Writes that changed the reserve's replicas (create, scale, delete). */
  readonly reserveActions: number;
  /** Requests that waited longer than the gateway's queue timeout (504). */
  readonly timedOut: number;
  /** Requests refused because the gateway's queue was full (503). */
  readonly rejected: number;
}

/** Per-bucket series of one function for charts. */
export interface FunctionSeries {
  readonly id: string;
  /** Max Ready standard pods per bucket. */
  readonly ready: readonly number[];
  /** Max Ready reserve pods per bucket. */
  readonly reserve: readonly number[];
  /** Cold starts per bucket. */
  readonly coldStarts: readonly number[];
}

/** Results of one configuration. */
export interface ConfigurationResult {
  readonly name: string;
  readonly description?: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly functions: readonly FunctionResult[];
  readonly total: FunctionResult;
  /** The first minutes apart (every function starts from its initial pods). */
  readonly warmup: WarmupFigures;
  readonly series: readonly FunctionSeries[];
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

function resultOf(id: string, targets: readonly ModelledTarget[], ratio: number, maxReplicas: number): FunctionResult {
  let requests = 0;
  let standardMs = 0;
  let reserveMs = 0;
  let idlePodMs = 0;
  let warmIdleMs = 0;
  let coldStarts = 0;
  let scaleActions = 0;
  let reserveActions = 0;
  let timedOut = 0;
  let rejected = 0;
  // Every request's wait (NaN when it got none), one array for all targets.
  const waits = targets.length === 1 ? targets[0]!.waitsMs : new Float64Array(targets.reduce((n, t) => n + t.waitsMs.length, 0));
  let at = 0;
  for (const t of targets) {
    requests += t.d.fn.arrivalsMs.length;
    standardMs += t.d.pods.billing.standardMs;
    reserveMs += t.d.pods.billing.reserveMs;
    idlePodMs += t.idle.podMs;
    warmIdleMs += t.idle.warmMs;
    coldStarts += t.coldStarts;
    scaleActions += t.scaleActions;
    reserveActions += t.reserveActions;
    timedOut += t.timedOut;
    rejected += t.rejected;
    if (waits !== t.waitsMs) waits.set(t.waitsMs, at);
    at += t.waitsMs.length;
  }
  const [p50, p99] = percentiles(waits, [50, 99]);
  return {
    id,
    requests,
    podSeconds: round(standardMs / 1000),
    reservePodSeconds: round(reserveMs / 1000),
    idlePodSeconds: round(idlePodMs / 1000),
    warmIdleSeconds: round(warmIdleMs / 1000),
    cost: round((standardMs + ratio * reserveMs) / 1000),
    coldStarts,
    coldStartPercent: requests ? round((coldStarts / requests) * 100, 4) : 0,
    waitP50Ms: p50 === null || p50 === undefined ? null : round(p50),
    waitP99Ms: p99 === null || p99 === undefined ? null : round(p99),
    maxReplicas,
    scaleActions,
    reserveActions,
    timedOut,
    rejected,
  };
}

/** Collects the figures of a finished run (after `model.finish()`). */
export function configurationResult(
  conf: { name: string; description?: string; annotations: Readonly<Record<string, string>> },
  model: ClusterModel,
  settings: ResolvedSettings,
): ConfigurationResult {
  const ratio = settings.reservePriceRatio;
  const functions = model.targets.map((t) => resultOf(t.d.fn.id, [t], ratio, t.maxSpec));
  return {
    name: conf.name,
    ...(conf.description ? { description: conf.description } : {}),
    annotations: conf.annotations,
    functions,
    total: resultOf('total', model.targets, ratio, model.maxTotalSpec),
    warmup: {
      spanMs: WARMUP_MS,
      maxReplicas: model.maxTotalSpecWarmup,
      maxReplicasAfter: model.maxTotalSpecAfterWarmup,
      coldStarts: model.targets.reduce((n, t) => n + t.coldStartsWarmup, 0),
    },
    series: model.targets.map((t) => ({ id: t.d.fn.id, ready: [...t.ready.max], reserve: [...t.reserve.max], coldStarts: [...t.cold.counts] })),
  };
}
