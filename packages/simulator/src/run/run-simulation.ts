import { isEbbError, RESERVE_ANNOTATION_KEYS } from '@ebb/core';
import type { SimConfiguration } from '../config/configuration.ts';
import { presetNamed } from '../config/presets.ts';
import { validateConfiguration } from '../config/validate-configuration.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import { loadTrace } from '../trace/load-trace.ts';
import { traceRequestCount, type Trace } from '../trace/trace.ts';
import type { IdleStats } from './idle-targets.ts';
import { offeredLoad } from './offered-load.ts';
import type { ConfigurationResult } from './results.ts';
import { simulateConfiguration } from './simulate-configuration.ts';
import { resolveSettings, type ResolvedSettings, type SimulationOptions } from './simulation-options.ts';
import { simulatorPlugins } from './simulator-plugins.ts';
import { selectTrace } from './trace-selection.ts';
import { warmupWarnings } from './warmup.ts';

/** What was simulated. */
export interface TraceSummary {
  readonly name: string;
  readonly source: string;
  /** ISO times of the span. */
  readonly start: string;
  readonly end: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly hours: number;
  readonly requests: number;
  readonly functions: ReadonlyArray<{ readonly id: string; readonly label: string; readonly requests: number }>;
}

/** The offered load per function and bucket (see `offeredLoad`), the same for every configuration. */
export interface DemandSeries {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly functions: ReadonlyArray<{ readonly id: string; readonly offered: readonly number[] }>;
}

/** Everything a simulation found; deterministic for the same options (seed included). */
export interface SimulationResult {
  readonly trace: TraceSummary;
  readonly settings: ResolvedSettings;
  readonly demand: DemandSeries;
  readonly configurations: readonly ConfigurationResult[];
  /** Where the result may mislead: a start from zero that dominates it (see `warmupWarnings`). */
  readonly warnings: readonly string[];
}

/**
 * Replays a trace through the real control loop and plugins for each configuration, on a virtual clock, against
 * a modelled cluster and gateway, and reports cost, cold starts, waits and scale actions per function and in
 * total. Configurations run one after the other, each from the same initial state and seed.
 *
 * @throws SimulatorInputError with code `EBB_SIM_TRACE_INVALID`, `EBB_SIM_CONFIG_INVALID` (every invalid
 *   annotation, with file and line) or `EBB_SIM_OPTIONS_INVALID`, before anything runs.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const seed = options.seed ?? 1;
  const loaded: Trace =
    typeof options.trace === 'string'
      ? loadTrace(options.trace, {
          seed,
          ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
          ...(options.durationsFile ? { durationsFile: options.durationsFile } : {}),
          ...(options.requestDurations ? { requestDurations: options.requestDurations } : {}),
          ...(options.durationUnit ? { durationUnit: options.durationUnit } : {}),
        })
      : options.trace;
  const trace = selectTrace(loaded, options);
  const settings = resolveSettings(options, trace.endMs - trace.startMs);
  const plugins = pluginsOrThrow(settings.timezone);
  const configurations: readonly SimConfiguration[] = options.configurations?.length
    ? options.configurations
    : [presetNamed('knative-default', { podConcurrency: settings.podConcurrency, timezone: settings.timezone })];
  const names = new Set<string>();
  for (const c of configurations) {
    if (names.has(c.name)) throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, `configuration name "${c.name}" is used twice`, c.source);
    names.add(c.name);
  }
  const extraKeys = RESERVE_ANNOTATION_KEYS;
  const models = configurations.map((c) => validateConfiguration(c, plugins, extraKeys, settings.podConcurrency));
  const spanMs = trace.endMs - trace.startMs;
  const results: ConfigurationResult[] = [];
  for (const [i, configuration] of configurations.entries()) {
    results.push(
      await simulateConfiguration({
        trace,
        configuration,
        model: models[i]!,
        settings,
        plugins,
        extraKeys,
        ...(options.cpu ? { cpu: options.cpu } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.skipIdleTargets !== undefined ? { skipIdleTargets: options.skipIdleTargets } : {}),
        ...(options.onIdleStats ? { idleStats: (stats: IdleStats) => options.onIdleStats?.(configuration.name, stats) } : {}),
        progress: (doneMs) => options.onProgress?.(i * spanMs + doneMs, configurations.length * spanMs, configuration.name),
      }),
    );
  }
  const buckets = Math.ceil(spanMs / settings.bucketMs);
  return {
    trace: {
      name: trace.name,
      source: trace.source,
      start: new Date(trace.startMs).toISOString(),
      end: new Date(trace.endMs).toISOString(),
      startMs: trace.startMs,
      endMs: trace.endMs,
      hours: Number((spanMs / 3_600_000).toFixed(4)),
      requests: traceRequestCount(trace),
      functions: trace.functions.map((f) => ({ id: f.id, label: f.label, requests: f.arrivalsMs.length })),
    },
    settings,
    demand: {
      startMs: trace.startMs,
      bucketMs: settings.bucketMs,
      functions: trace.functions.map((f) => ({ id: f.id, offered: [...offeredLoad(f, trace.startMs, settings.bucketMs, buckets)] })),
    },
    configurations: results,
    warnings: warmupWarnings(results, settings.initialReplicas, spanMs),
  };
}

function pluginsOrThrow(timezone: string): ReturnType<typeof simulatorPlugins> {
  try {
    return simulatorPlugins(timezone);
  } catch (e) {
    if (isEbbError(e)) throw new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, e.message);
    throw e;
  }
}
