import { combine, ControlLoop, MetricStore, ReserveActuator, scalingConfigSchema, type Actuator, type Logger, type PolicyPlugin, type TargetKey } from '@ebb/core';
import type { SimConfiguration } from '../config/configuration.ts';
import { ClusterModel } from '../model/cluster-model.ts';
import { DEFAULT_CPU_MODEL, modelledGatewayCollector, modelledPodMetricsCollector, type CpuModel } from '../model/modelled-collectors.ts';
import type { TargetModelConfig } from '../model/target-model-config.ts';
import type { RolloutHooks } from '../rollout/rollout-hooks.ts';
import { createRandom } from '../trace/seeded-random.ts';
import type { Trace } from '../trace/trace.ts';
import { configurationResult, type ConfigurationResult } from './results.ts';
import type { ResolvedSettings } from './simulation-options.ts';
import { IdleTargets, type IdleStats } from './idle-targets.ts';
import { VirtualClock } from './virtual-clock.ts';
import { WARMUP_MS } from './warmup.ts';

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
  /** Receives the loop's and the reserve swap's log lines (default: none). */
  readonly logger?: Logger;
  /** Called about once per simulated minute with the simulated ms done. */
  readonly progress?: (doneMs: number) => void;
  /** Let idle targets sleep until something can change them (see {@link IdleTargets}); default true. */
  readonly skipIdleTargets?: boolean;
  /** Receives how much idle targets slept, at the end. */
  readonly idleStats?: (stats: IdleStats) => void;
  /** A rollout replay: two versions of one function, split by the rollout (see {@link RolloutHooks}). */
  readonly rollout?: RolloutHooks;
}

/** Lets every pending promise continuation run (tick tails, the reserve swap's steps, the collector runner's re-arming). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SECOND_MS = 1000;

/**
 * Replays the trace through the real control loop (real plugins, combination, collector runner, metric store and
 * core's reserve swap) on a {@link VirtualClock}, against the modelled cluster. The loop's timers (ticks spread
 * over slots, cron boundaries, collectors) and the modelled events (arrivals, completions, pods turning Ready,
 * queue timeouts) are taken one at a time in time order (a timer before an event due at the same ms). Promise
 * continuations settle before time moves on after a tick that is about to write (its desired count differs from
 * spec, or the target has a reserve), so the write lands at the tick's time, and after each collector round, so
 * the runner re-arms it for the next whole second before that second's ticks are due; and at least once a
 * second. The run ends at the end of the span, or later while requests still wait in a queue.
 */
export async function simulateConfiguration(run: ConfigurationRun): Promise<ConfigurationResult> {
  const { trace, settings } = run;
  const clock = new VirtualClock(trace.startMs);
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
    warmupMs: WARMUP_MS,
    ...(run.rollout ? { accepts: run.rollout.accepts } : {}),
  });
  const reserve = run.model.reserve;
  if (reserve.enabled && settings.initialReplicas === 0) for (const t of model.targets) await model.reserveApi.seed(t.d.fn.id, reserve);
  const swap = new ReserveActuator({ inner: model.actuator, client: model.reserveApi, watch: model.reserveApi, clock, events: { event: async () => undefined }, ...(run.logger ? { logger: run.logger } : {}) });
  let mustSettle = false;
  const store = new MetricStore();
  const idle = new IdleTargets({ model, store, clock, annotations: run.configuration.annotations, enabled: run.skipIdleTargets ?? true });
  const actuator: Actuator = {
    scale: (target, replicas) => swap.scale(target, replicas),
    reconcile: (target, desired) => {
      if (desired !== target.specReplicas || reserve.enabled || model.reserveApi.has(target.ref.name)) mustSettle = true;
      idle.decided(target, desired);
      return swap.reconcile(target, desired);
    },
    start: () => swap.start(),
    stop: () => swap.stop(),
  };
  const loop: ControlLoop = new ControlLoop({
    clock,
    source: model.source,
    actuator,
    events: { event: async () => undefined },
    status: { write: async () => undefined },
    plugins: run.plugins,
    scalingSchema: scalingConfigSchema,
    combine,
    store,
    collectors: [
      modelledGatewayCollector(model, trace.startMs, () => (mustSettle = true), idle, (key: TargetKey): ReadonlySet<string> | undefined => loop.registry.get(key)?.needs),
      modelledPodMetricsCollector(model, run.cpu ?? DEFAULT_CPU_MODEL),
    ],
    extraKeys: run.extraKeys,
    owns: (key) => idle.owns(key),
    ...(run.rollout ? { floors: run.rollout.floors } : {}),
    ...(run.logger ? { logger: run.logger } : {}),
  });
  idle.attach(loop);
  // A poke (a cron boundary, the cache catching up) wakes a sleeping target before its tick.
  const poke = loop.poke.bind(loop);
  loop.poke = (key, reason) => {
    idle.wakeKey(key);
    poke(key, reason);
  };
  // The gateway's pokes wait until the ticks in progress have finished (in the cluster they take microseconds).
  const pokes: string[] = [];
  model.poke = (key) => void pokes.push(key);
  run.rollout?.attach(clock, model);
  await loop.start();
  const events = model.events;
  let lastProgress = trace.startMs;
  for (let second = trace.startMs; ; second += SECOND_MS) {
    const boundary = second + SECOND_MS;
    let settled = false;
    for (;;) {
      const timerMs = clock.nextDueMs();
      const eventMs = events.peekTime();
      if (timerMs < boundary && timerMs <= eventMs) clock.runNext();
      else if (eventMs < boundary) {
        clock.advanceTo(eventMs);
        const event = events.pop()!;
        idle.wake(event.target);
        model.handle(event);
        if (pokes.length) {
          await settle();
          for (const key of pokes.splice(0)) loop.wake(key, 'gateway: request waiting');
        }
      } else break;
      if (mustSettle) {
        mustSettle = false;
        settled = true;
        await settle();
      }
    }
    if (!settled) await settle();
    if (boundary - lastProgress >= 60_000) {
      lastProgress = boundary;
      run.progress?.(Math.min(boundary, trace.endMs) - trace.startMs);
    }
    if (boundary >= trace.endMs && model.queuedTotal() === 0) break;
  }
  model.finish();
  run.idleStats?.(idle.stats(trace.endMs - trace.startMs, trace.endMs));
  await loop.stop();
  run.progress?.(trace.endMs - trace.startMs);
  return configurationResult(run.configuration, model, settings);
}
