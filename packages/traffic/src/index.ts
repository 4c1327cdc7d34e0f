/**
 * @ebb/traffic: Ebb's traffic layer. Activator mode: a selector-less Service per opted-in Deployment whose
 * EndpointSlices list the gateway's pods (Proxy) or the Deployment's Ready pods (Serve), switched by Knative's
 * burst-capacity rule without ever leaving the Service without endpoints. Decisions are pure functions
 * ({@link decideServingMode}, {@link planEndpoints}); {@link createServingActuator} wires them to the cluster.
 */
import type { Actuator, EventSink, Clock, Logger, TargetKey } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { ServingActuator } from './serving-actuator.ts';
import { ServingWatch, type GatewayPodsRef } from './serving-watch.ts';
import { ServingWriter } from './serving-writer.ts';

export { ACTIVATOR_ANNOTATION_KEYS, ACTIVATOR_PREFIX, activatorConfigSchema, activatorFields, DEFAULT_TARGET_BURST_CAPACITY, parseActivatorConfig, servingServiceName, type ActivatorConfig } from './activator-config.ts';
export { decideServingMode, type BurstFigures, type ServingMode, type ServingModeDecision, type ServingModeInput } from './serving-mode.ts';
export { planEndpoints, publishedMode, sameEndpoints, type EndpointPlan, type PublishedSlices, type SliceEndpoint, type SliceWrite } from './endpoint-plan.ts';
export { SERVING_PORT_NAME, SLICE_MANAGER, SLICE_ROLE_LABEL, servingService, servingSlice, sliceEndpoints, sliceName } from './serving-manifests.ts';
export { demandSeenOnlyByGateway, kpaBurstFigures, targetEndpoints } from './serving-inputs.ts';
export { HOLD_FOR_PROXY, ServingActuator, type ServingActuatorDeps } from './serving-actuator.ts';
export { ServingWatch, type GatewayPodsRef, type ServingChange } from './serving-watch.ts';
export { ServingWriter } from './serving-writer.ts';

/** Options of {@link createServingActuator}. */
export interface ServingActuatorOptions {
  readonly inner: Actuator;
  readonly events: EventSink;
  readonly namespaces: readonly string[];
  /** Where the gateway's pods are; without it, targets that opt in get a Warning Event and are left alone. */
  readonly gateway: GatewayPodsRef | undefined;
  readonly owns: (key: TargetKey) => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Activator mode around `inner`, watching and writing through `kc`. */
export function createServingActuator(kc: KubeConfig, o: ServingActuatorOptions): ServingActuator {
  const watch = new ServingWatch(kc, o.namespaces, o.gateway, o.clock, o.logger);
  return new ServingActuator({ inner: o.inner, watch, writer: new ServingWriter(kc), events: o.events, owns: o.owns, logger: o.logger, clock: o.clock });
}
