import { RESERVE_ANNOTATION_KEYS, targetKey } from '@ebb/core';
import { presetNamed } from '../config/presets.ts';
import { validateConfiguration } from '../config/validate-configuration.ts';
import { simulateConfiguration, SIM_NAMESPACE } from '../run/simulate-configuration.ts';
import { resolveSettings, type ResolvedSettings, type SimulationOptions } from '../run/simulation-options.ts';
import { simulatorPlugins } from '../run/simulator-plugins.ts';
import { selectTrace } from '../run/trace-selection.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import { loadTrace } from '../trace/load-trace.ts';
import type { Trace, TraceFunction } from '../trace/trace.ts';
import { capacityAwareStepper, timeBasedStepper, type RolloutMode } from './rollout-steppers.ts';
import { SimulatedRollout, type RolloutTimeline } from './simulated-rollout.ts';

/** What a rollout replay asks for. */
export interface RolloutReplayOptions extends SimulationOptions {
  /** When the rollout begins, ms after the start of the span. */
  readonly rolloutAtMs: number;
  /** `rollout-duration`, ms (> 0). */
  readonly rolloutDurationMs: number;
  /** Pods above the pre-rollout total the capacity-aware rollout may use (`rollout-max-surge`); 0: no budget. */
  readonly maxSurgePods?: number;
}

/** One mode's replay. */
export interface RolloutModeResult extends RolloutTimeline {
  readonly mode: RolloutMode;
  /** From the rollout's start until all traffic was on the new version, ms; null: not by the end of the span. */
  readonly tookMs: number | null;
  /** Pod-seconds billed over the whole span (both versions). */
  readonly spanPodSeconds: number;
}

/** Both modes side by side, for the same function, configuration, start-up model and seed. */
export interface RolloutReplayResult {
  readonly trace: string;
  readonly function: string;
  readonly configuration: string;
  readonly settings: ResolvedSettings;
  readonly rolloutAtMs: number;
  readonly rolloutDurationMs: number;
  /** The figures of both modes are counted from the rollout's start for this long, ms. */
  readonly windowMs: number;
  readonly modes: readonly RolloutModeResult[];
}

/** A capacity-aware rollout whose new version gets no Ready pods for this long stops (as the plugin's default). */
const PROGRESS_DEADLINE_MS = 600_000;
/** The figures run on this long after the slower rollout was done, ms. */
const SETTLE_MS = 60_000;

/**
 * Replays one function of a trace (the busiest) as two versions, v1 -> v2 from `rolloutAtMs`: once with
 * Knative's time steps, once with Ebb's capacity-aware steps, each through the real control loop with the same
 * configuration (default `knative-default`), start-up model and seed.
 * @throws SimulatorInputError `EBB_SIM_OPTIONS_INVALID` for a rollout outside the span or more than one configuration.
 */
export async function runRolloutReplay(o: RolloutReplayOptions): Promise<RolloutReplayResult> {
  const seed = o.seed ?? 1;
  const loaded = typeof o.trace === 'string' ? loadTrace(o.trace, { seed, ...(o.startMs !== undefined ? { startMs: o.startMs } : {}), ...(o.durationsFile ? { durationsFile: o.durationsFile } : {}), ...(o.requestDurations ? { requestDurations: o.requestDurations } : {}), ...(o.durationUnit ? { durationUnit: o.durationUnit } : {}) }) : o.trace;
  const trace = selectTrace(loaded, o);
  const spanMs = trace.endMs - trace.startMs;
  if (!(o.rolloutDurationMs > 0)) throw invalid(`rollout duration ${o.rolloutDurationMs} ms: expected a duration above 0, such as 60s`);
  if (!(o.rolloutAtMs >= 0 && o.rolloutAtMs < spanMs)) throw invalid(`rollout start ${o.rolloutAtMs / 1000} s after the start: expected 0..${spanMs / 1000} s (the span of ${trace.name})`);
  const surge = o.maxSurgePods ?? 0;
  if (!Number.isInteger(surge) || surge < 0) throw invalid(`rollout max surge ${surge}: expected an integer >= 0 (0: no budget)`);
  if ((o.configurations?.length ?? 0) > 1) throw invalid(`a rollout replay runs one configuration; got ${o.configurations!.map((c) => c.name).join(', ')}`);
  const settings = resolveSettings(o, spanMs);
  const plugins = simulatorPlugins(settings.timezone);
  const configuration = o.configurations?.[0] ?? presetNamed('knative-default', { podConcurrency: settings.podConcurrency, timezone: settings.timezone });
  const model = validateConfiguration(configuration, plugins, RESERVE_ANNOTATION_KEYS, settings.podConcurrency);
  const fn = busiest(trace.functions);
  const versions = twoVersions(trace, fn);
  const [fromKey, toKey] = versions.functions.map((f) => targetKey({ namespace: SIM_NAMESPACE, name: f.id })) as [string, string];
  // Requests one pod carries, as the scaler reads it: container-concurrency, or the KPA's default target when unlimited.
  const perPod = model.podConcurrency > 0 ? model.podConcurrency : 70;
  const startMs = trace.startMs + o.rolloutAtMs;
  const runs: Array<{ mode: RolloutMode; rollout: SimulatedRollout; spanPodSeconds: number }> = [];
  for (const mode of ['time', 'capacity'] as const) {
    const stepper = mode === 'time' ? timeBasedStepper(toKey, o.rolloutDurationMs) : capacityAwareStepper({ fromKey, toKey, durationMs: o.rolloutDurationMs, perPod, maxSurgePods: surge, progressDeadlineMs: PROGRESS_DEADLINE_MS });
    const rollout = new SimulatedRollout({ stepper, startMs, endMs: trace.endMs, requests: fn.arrivalsMs.length, seed });
    const result = await simulateConfiguration({ trace: versions, configuration, model, settings, plugins, extraKeys: RESERVE_ANNOTATION_KEYS, skipIdleTargets: false, rollout });
    runs.push({ mode, rollout, spanPodSeconds: result.total.podSeconds });
  }
  // One window for both: until the slower rollout was done plus a settling minute (the KPA's stable window).
  const done = runs.map((r) => r.rollout.timeline(trace.endMs).doneAtMs);
  const windowEndMs = done.some((d) => d === null) ? trace.endMs : Math.min(trace.endMs, Math.max(...(done as number[])) + SETTLE_MS);
  const modes = runs.map(({ mode, rollout, spanPodSeconds }): RolloutModeResult => {
    const t = rollout.timeline(windowEndMs);
    return { mode, ...t, tookMs: t.doneAtMs === null ? null : t.doneAtMs - startMs, spanPodSeconds };
  });
  return { trace: trace.name, function: fn.id, configuration: configuration.name, settings, rolloutAtMs: o.rolloutAtMs, rolloutDurationMs: o.rolloutDurationMs, windowMs: windowEndMs - startMs, modes };
}

/** The function with the most requests (the first of equals). */
function busiest(functions: readonly TraceFunction[]): TraceFunction {
  return functions.reduce((best, f) => (f.arrivalsMs.length > best.arrivalsMs.length ? f : best));
}

/** The trace as two versions of `fn`, each seeing every request (the rollout's router picks one per request). */
function twoVersions(trace: Trace, fn: TraceFunction): Trace {
  const base = fn.id.slice(0, 60).replace(/-+$/, '');
  return { ...trace, functions: ['v1', 'v2'].map((v) => ({ ...fn, id: `${base}-${v}`, label: `${fn.label} ${v}` })) };
}

function invalid(message: string): SimulatorInputError {
  return new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, message);
}
