import type { Logger } from '@ebb/core';
import type { SimConfiguration } from '../config/configuration.ts';
import type { CpuModel } from '../model/modelled-collectors.ts';
import type { IdleStats } from './idle-targets.ts';
import type { StartupModel } from '../model/pod-set.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import type { DurationUnit, RequestDurationModel } from '../trace/request-trace-reader.ts';
import type { Trace } from '../trace/trace.ts';

/** Progress of a run: `done` of `total` simulated ms, over all configurations. */
export type ProgressListener = (done: number, total: number, configuration: string) => void;

/** Options of `runSimulation`. Every field but `trace` has a default. */
export interface SimulationOptions {
  /** A loaded trace, or a file path / `synthetic:` spec to load. */
  readonly trace: Trace | string;
  /** Configurations to compare; default the `knative-default` preset alone. */
  readonly configurations?: readonly SimConfiguration[];
  /** Seed of every random draw (arrival spreading, durations, start-up jitter); default 1. */
  readonly seed?: number;
  /** Pod start-up time (scheduling to Ready), ms; default 5000 ± 1000. */
  readonly startup?: Partial<StartupModel>;
  /** Requests per pod at once (0 = unlimited) for configurations that do not write it; default 1. */
  readonly podConcurrency?: number;
  /** Price of a reserve pod-second relative to a standard one, (0, 1]; default 0.54. */
  readonly reservePriceRatio?: number;
  /** Replicas (Ready) each target has at the start; default 0. */
  readonly initialReplicas?: number;
  /** Start of dateless traces (Azure, synthetic), ms since the epoch; shifts per-request traces when set. */
  readonly startMs?: number;
  /** Azure duration table, when not next to the invocation table. */
  readonly durationsFile?: string;
  /** Durations of per-request traces without a duration column. */
  readonly requestDurations?: RequestDurationModel;
  /** Unit of a per-request trace's `duration` column, whose name does not say it (required with such a column). */
  readonly durationUnit?: DurationUnit;
  /** Keep only functions whose id starts with one of these. */
  readonly functions?: readonly string[];
  /** Keep at most this many functions (after `functions`). */
  readonly maxFunctions?: number;
  /** Simulate only the first this many hours of the trace. */
  readonly hours?: number;
  /** Chart resolution, ms; default: the span / 720 in whole minutes (60 s for 12 h or less: whole seconds). */
  readonly bucketMs?: number;
  /** Default time zone of cron windows (and of the `kpa-cron` preset); default UTC. */
  readonly timezone?: string;
  /** CPU model for configurations using the HPA plugin. */
  readonly cpu?: CpuModel;
  /** Receives the control loop's and the reserve swap's log lines, with virtual times (default: none). */
  readonly logger?: Logger;
  readonly onProgress?: ProgressListener;
  /**
   * Let idle targets (at zero, nothing in flight, state at a fixed point) skip their ticks and collector rounds
   * until their next request or poke; default true. The results are the same either way (a test compares them);
   * false is the reference, for comparisons.
   */
  readonly skipIdleTargets?: boolean;
  /** Receives, after each configuration, how much its idle targets slept (for benchmarks and tests). */
  readonly onIdleStats?: (configuration: string, stats: IdleStats) => void;
}

/** The options after defaults, as reported with the results. */
export interface ResolvedSettings {
  readonly seed: number;
  readonly startup: StartupModel;
  readonly podConcurrency: number;
  readonly reservePriceRatio: number;
  readonly initialReplicas: number;
  readonly bucketMs: number;
  readonly timezone: string;
}

/**
 * Applies defaults and checks ranges.
 * @throws SimulatorInputError `EBB_SIM_OPTIONS_INVALID` naming every bad option, its value and the range.
 */
export function resolveSettings(o: SimulationOptions, spanMs: number): ResolvedSettings {
  const problems: string[] = [];
  const check = (name: string, value: number, ok: boolean, allowed: string): number => {
    if (!ok) problems.push(`${name} is ${value}; expected ${allowed}`);
    return value;
  };
  const seed = o.seed ?? 1;
  check('seed', seed, Number.isSafeInteger(seed) && seed >= 0, 'an integer >= 0');
  const meanMs = o.startup?.meanMs ?? 5000;
  const jitterMs = o.startup?.jitterMs ?? (o.startup?.meanMs === undefined ? 1000 : 0);
  check('startup', meanMs, Number.isFinite(meanMs) && meanMs >= 0 && meanMs <= 3_600_000, 'a start-up time of 0..1h');
  check('startup jitter', jitterMs, Number.isFinite(jitterMs) && jitterMs >= 0 && jitterMs <= meanMs, `0..the start-up time (${meanMs} ms)`);
  const podConcurrency = o.podConcurrency ?? 1;
  check('pod concurrency', podConcurrency, Number.isInteger(podConcurrency) && podConcurrency >= 0 && podConcurrency <= 1000, 'an integer 0..1000 (0 = unlimited)');
  const ratio = o.reservePriceRatio ?? 0.54;
  check('reserve price ratio', ratio, Number.isFinite(ratio) && ratio > 0 && ratio <= 1, 'a number in (0, 1]');
  const initialReplicas = o.initialReplicas ?? 0;
  check('initial replicas', initialReplicas, Number.isInteger(initialReplicas) && initialReplicas >= 0 && initialReplicas <= 10_000, 'an integer 0..10000');
  const autoBucket = Math.max(60_000, Math.ceil(spanMs / 720 / 60_000) * 60_000);
  const bucketMs = o.bucketMs ?? (spanMs <= 12 * 3_600_000 ? Math.max(1000, Math.ceil(spanMs / 720 / 1000) * 1000) : autoBucket);
  check('chart bucket', bucketMs, Number.isInteger(bucketMs) && bucketMs >= 1000, 'whole seconds >= 1s (in ms)');
  if (problems.length) throw new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, problems.join('; '));
  return { seed, startup: { meanMs, jitterMs }, podConcurrency, reservePriceRatio: ratio, initialReplicas, bucketMs, timezone: o.timezone ?? 'UTC' };
}
