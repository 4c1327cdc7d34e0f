import { stringify } from 'yaml';
import { FieldReader } from './convert-fields.ts';
import type { InterceptorRouteSettings } from './convert-interceptor-route.ts';
import { readTrigger, type TriggerSink } from './convert-keda-triggers.ts';
import { KEYS } from './convert-keys.ts';
import { scaleDownTiming, scaleDownWindowS } from './convert-scale-down.ts';
import { scaleTarget } from './convert-target.ts';
import { describeSource, type Conversion, type SourceObject, type SourceRef } from './convert-types.ts';

/** Finds an InterceptorRoute of the input by namespace and name. */
export type RouteLookup = (namespace: string, name: string) => InterceptorRouteSettings | undefined;

/**
 * Converts a KEDA ScaledObject (keda.sh/v1alpha1): `minReplicaCount` (default 0) / `maxReplicaCount` (default 100)
 * -> bounds; `idleReplicaCount: 0` with a minimum N -> min 0 and activation replicas N; `cooldownPeriod`
 * (default 300 s) and the HPA's scale-down window -> the scale-to-zero grace period and scale-down delay (see
 * {@link scaleDownTiming}); `advanced.horizontalPodAutoscalerConfig.behavior` -> the hpa policy's behavior; triggers as {@link readTrigger}; an `interceptorRoute` trigger takes the routing and scaling
 * of that InterceptorRoute (found with `routes`). Example: one cron trigger 08:00-17:00 Europe/Stockholm with
 * desiredReplicas 1 -> `ebb.dev/policies: cron` and one window, plus a baseline window at the minimum (the cron
 * policy has no opinion outside its windows, where KEDA goes back to the minimum).
 * @throws ConvertInputError for a malformed field.
 */
export function convertScaledObject(obj: SourceObject, source: SourceRef, routes: RouteLookup): Conversion {
  const f = new FieldReader(describeSource(source));
  const spec = f.mapping(obj.spec, 'spec') ?? f.fail('spec', obj.spec, 'a ScaledObject spec');
  const sink: TriggerSink = { annotations: {}, policies: new Set(), cronWindows: [], notes: [], interceptorRoutes: [] };
  const target = scaleTarget(f, spec.scaleTargetRef, 'spec.scaleTargetRef', source.namespace, { notes: sink.notes });
  const min = f.integer(spec.minReplicaCount, 'spec.minReplicaCount', { min: 0 }) ?? 0;
  const max = f.integer(spec.maxReplicaCount, 'spec.maxReplicaCount', { min: 1 }) ?? 100;
  if (max < min) f.fail('spec.maxReplicaCount', max, `an integer >= spec.minReplicaCount (${min})`);
  const idle = f.integer(spec.idleReplicaCount, 'spec.idleReplicaCount', { min: 0 });
  if (idle !== undefined && idle >= min) f.fail('spec.idleReplicaCount', idle, `an integer below spec.minReplicaCount (${min})`);
  const cooldown = f.integer(spec.cooldownPeriod, 'spec.cooldownPeriod', { min: 0 }) ?? 300;
  const triggers = f.list(spec.triggers, 'spec.triggers');
  if (!triggers.length) f.fail('spec.triggers', spec.triggers, 'a list of at least one trigger');
  triggers.forEach((t, i) => readTrigger(f, t, i, sink));
  for (const name of sink.interceptorRoutes) joinRoute(routes(source.namespace, name), name, target?.name, sink);
  const advanced = f.mapping(spec.advanced, 'spec.advanced');
  const hpaConfig = f.mapping(advanced?.horizontalPodAutoscalerConfig, 'spec.advanced.horizontalPodAutoscalerConfig');
  const behavior = f.mapping(hpaConfig?.behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior');
  otherSettings(spec, advanced, sink.notes);
  const paused = (obj.metadata?.annotations as Record<string, unknown> | undefined)?.['autoscaling.keda.sh/paused'];
  if (paused === 'true') sink.notes.push('annotation autoscaling.keda.sh/paused: "true" not carried over: Ebb acts on a Deployment only while it carries the label ebb.dev/autoscale: "true"; leave that label out of the patch to keep it paused');
  if (!target) return { source, annotations: {}, notes: sink.notes };
  if (!sink.policies.size) {
    sink.notes.push('no trigger can be carried over, so no Ebb policy is enabled for this target; keep this ScaledObject until Ebb supports its triggers');
    return { source, annotations: {}, notes: sink.notes };
  }

  const floor = idle === 0 ? 0 : min;
  if (sink.policies.size === 1 && sink.policies.has('cron')) {
    // Outside its windows the cron policy has no opinion and the count would stay; KEDA goes back to the minimum.
    sink.cronWindows.push({ name: 'baseline', start: '* * * * *', duration: '1m', replicas: floor });
    sink.notes.push(`cron: a window "baseline" (always active, ${floor} replicas) keeps the target at the minimum outside the other windows, where KEDA scales back to it`);
  }
  const annotations: Record<string, string> = {
    [KEYS.policies]: [...sink.policies].sort().join(','),
    [KEYS.minReplicas]: String(floor),
    [KEYS.maxReplicas]: String(max),
    ...sink.annotations,
  };
  if (idle === 0 && min > 0) {
    annotations[KEYS.activationReplicas] = String(min);
    sink.notes.push(`idleReplicaCount 0 with minReplicaCount ${min}: Ebb goes to zero when idle and to at least ${min} when woken (ebb.dev/activation-replicas), but afterwards its policies may go below ${min} while active`);
  }
  if (sink.cronWindows.length) annotations[KEYS.cron] = stringify(sink.cronWindows);
  Object.assign(annotations, scaleDownTiming(sink.policies, scaleDownWindowS(f, behavior, 'spec.advanced.horizontalPodAutoscalerConfig.behavior'), { seconds: cooldown, field: 'spec.cooldownPeriod' }, floor, sink.notes));
  if (behavior) {
    if (sink.policies.has('hpa')) annotations[KEYS.hpaBehavior] = stringify(behavior);
    const others = [...sink.policies].filter((p) => p !== 'hpa');
    const where = sink.policies.has('hpa') ? `carried over to ${KEYS.hpaBehavior} for the cpu/memory triggers` : 'not carried over as such';
    const delay = annotations[KEYS.scaleDownDelay] ? `; for ${others.filter((p) => p !== 'cron').join(', ')} its scaleDown window is ${KEYS.scaleDownDelay}, its rate policies do not apply` : '';
    sink.notes.push(`spec.advanced.horizontalPodAutoscalerConfig.behavior ${where}${others.length ? `${delay} (only the hpa policy reads HPA behavior)` : ''}`);
  }
  return { source, target, annotations, notes: sink.notes };
}

function joinRoute(route: InterceptorRouteSettings | undefined, name: string, deployment: string | undefined, sink: TriggerSink): void {
  if (!route) {
    sink.notes.push(`InterceptorRoute ${name} is not in the input: convert it together with this ScaledObject to carry over its routing and scaling`);
    return;
  }
  Object.assign(sink.annotations, route.annotations);
  if (deployment && route.service !== deployment) sink.annotations[KEYS.gwService] = route.service;
  for (const p of route.policies) sink.policies.add(p);
  sink.notes.push(...route.notes.map((n) => `InterceptorRoute ${name}: ${n}`));
}

function otherSettings(spec: Readonly<Record<string, unknown>>, advanced: Readonly<Record<string, unknown>> | undefined, notes: string[]): void {
  if (spec.pollingInterval !== undefined) notes.push('spec.pollingInterval not carried over: Ebb decides on every tick of the scaler (2 s by default) from metrics collected every second');
  if (spec.initialCooldownPeriod !== undefined && spec.initialCooldownPeriod !== 0) notes.push('spec.initialCooldownPeriod not carried over: Ebb keeps ebb.dev/initial-replicas until they were Ready once, then the grace period applies');
  if (spec.fallback !== undefined) notes.push('spec.fallback not carried over: when a metric fails Ebb holds the current count (no scale-down without data) instead of going to fixed replicas');
  if (advanced?.restoreToOriginalReplicaCount === true) notes.push('spec.advanced.restoreToOriginalReplicaCount not carried over: removing the Ebb label leaves the replica count as it is');
  if (advanced?.scalingModifiers !== undefined) notes.push('spec.advanced.scalingModifiers not carried over: Ebb combines its policies by taking the highest count');
}
