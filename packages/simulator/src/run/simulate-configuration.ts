import { combine, ControlLoop, ManualClock, MetricStore, scalingConfigSchema, type PolicyPlugin } from '@ebb/core';
import type { SimConfiguration } from '../config/configuration.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { DEFAULT_CPU_MODEL, modelledGatewayCollector, modelledPodMetricsCollector, type CpuModel } from '../model/modelled-collectors.ts';
import type { TargetModelConfig } from '../model/target-model-config.ts';
import { createRandom } from '../trace/seeded-random.ts';
import type { Trace } from '../trace/trace.ts';
import { configurationResult, type ConfigurationResult } from './results.ts';
import type { ResolvedSettings } from './simulation-options.ts';

/** Namespace of the modelled Deployments. */
export const SIM_NAMESPACE = 'sim';

/** What one configuration's run needs. */
export interface ConfigurationRun {
  readonly trace: Trace;
  readonly configuration: SimConfiguration;
  readonly model: TargetModelConfig;
  readonly settings: ResolvedSettings;
  readonly plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>;
  readonly extraKeys: readonly string[];
  readonly cpu?: CpuModel;
  /** Called about once per simulated minute with the simulated ms done. */
  readonly progress?: (doneMs: number) => void;
}

/** Lets every pending promise continuation run (the loop's tick tails, the collector runner's re-arming). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SECOND_MS = 1000;

/**
 * Replays the trace through the real control loop (real plugins, combination, collector runner and metric
 * store) on a {@link ManualClock}, against the modelled cluster. Time moves second by second: within a second,
 * modelled events (arrivals, completions, pods turning Ready, queue timeouts) are applied in time order, each
 * after the clock has fired the loop's timers due by then (ticks every 2 s spread over slots, cron boundaries,
 * the collectors); at every whole second, pending promise continuations settle, as they would between the real
 * loop's timers. The run ends at the end of the span, or later while requests still wait in a queue.
 */
export async function simulateConfiguration(run: ConfigurationRun): Promise<ConfigurationResult> {
  const { trace, settings } = run;
  const clock = new ManualClock(trace.startMs);
  const model = new ClusterModel({
    trace,
    clock,
    namespace: SIM_NAMESPACE,
    annotations: run.configuration.annotations,
    config: run.model,
    startup: settings.startup,
    rng: createRandom(settings.seed).fork('cluster'),
    initialReplicas: settings.initialReplicas,
    bucketMs: settings.bucketMs,
  });
  const loop = new ControlLoop({
    clock,
    source: model.source,
    actuator: model.actuator,
    events: { event: async () => undefined },
    status: { write: async () => undefined },
    plugins: run.plugins,
    scalingSchema: scalingConfigSchema,
    combine,
    store: new MetricStore(),
    collectors: [modelledGatewayCollector(model, trace.startMs), modelledPodMetricsCollector(model, run.cpu ?? DEFAULT_CPU_MODEL)],
    extraKeys: run.extraKeys,
  });
  model.poke = (key) => loop.poke(key, 'gateway');
  await loop.start();
  clock.advanceTo(trace.startMs);
  await settle();
  const events = model.events;
  let lastProgress = trace.startMs;
  for (let second = trace.startMs; ; second += SECOND_MS) {
    const next = second + SECOND_MS;
    while (events.peekTime() < next) {
      const e = events.pop()!;
      clock.advanceTo(e.timeMs);
      model.handle(e);
    }
    clock.advanceTo(next);
    await settle();
    if (next - lastProgress >= 60_000) {
      lastProgress = next;
      run.progress?.(Math.min(next, trace.endMs) - trace.startMs);
    }
    if (next >= trace.endMs && model.queuedTotal() === 0) break;
  }
  model.finish();
  await loop.stop();
  run.progress?.(trace.endMs - trace.startMs);
  return configurationResult(run.configuration, model, settings);
}
