/**
 * @ebb/plugin-eventgw: the event gateway (a data-plane HTTP server that holds requests at zero, dispatches them
 * to pods with per-pod concurrency slots, and reports its figures) and the `eventgw` policy plugin that scales a
 * target to exactly the pods its requests need. Start the gateway with {@link startGateway}; create the plugin
 * with {@link createEventGatewayPlugin}.
 */
export { startGateway } from './gateway/start-gateway.ts';
export type { GatewayOptions, GatewayHandle } from './gateway/gateway-options.ts';
export { DEFAULT_GATEWAY_LIMITS, resolveGatewayLimits, type GatewayLimits } from './gateway/gateway-limits.ts';
export { COLD_START_HEADER, CLIENT_CLOSED_STATUS } from './gateway/gateway-handler.ts';
export { GatewayErrors, type GatewayError } from './gateway/error-response.ts';
export { AdminPaths } from './gateway/admin-server.ts';
export { LATENCY_BUCKETS_S, COLD_START_BUCKETS_S } from './gateway/gateway-metrics.ts';
export { TargetDispatcher, type DispatchLimits, type Lease, type AcquireResult, type AcquireOptions } from './gateway/dispatcher.ts';
export { DemandIntegral, type DemandTotals } from './gateway/demand-integral.ts';
export { RouteTable, normaliseHost, prefixMatches, isWildcardHost } from './gateway/route-table.ts';
export { routeFromConfig, type TargetRoute, type GatewayEndpoint, type BackendProtocol } from './gateway/target-route.ts';
export { GrpcStatus, grpcStatusForHttp, parseGrpcTimeout } from './gateway/grpc-status.ts';

export type { GatewayDiscovery, DiscoveryListener } from './discovery/gateway-discovery.ts';
export { StaticDiscovery } from './discovery/static-discovery.ts';
export { KubeGatewayDiscovery, HOST_ANNOTATION, type KubeGatewayDiscoveryOptions, type EndpointSourceKind } from './discovery/kube-discovery.ts';
export { isPodServing, podPort } from './discovery/pod-endpoints.ts';
export { ResilientInformer } from './discovery/resilient-informer.ts';
export { sliceEndpoints } from './discovery/slice-endpoints.ts';
export { ACTIVATOR_TARGET_LABEL, ActivatorServices, activatorTargetOf, serviceHosts } from './discovery/activator-services.ts';
export { selectorMatches } from './discovery/label-selector.ts';

export { createEventGatewayPlugin, EVENTGW_MANIFEST, type EventGatewayPlugin, type EventGatewayPluginContext } from './policy/eventgw-plugin.ts';
export { recommendEventGateway, eventGatewayMetricNeeds, requestsPerPod, EVENTGW_DEMAND_METRIC, EVENTGW_CONGESTED_METRIC } from './policy/recommend-eventgw.ts';
export { resolveEventGatewayPluginOptions, type EventGatewayPluginOptions, type GatewayPodsOptions } from './policy/plugin-options.ts';

export { createGatewayStatsCollector, GATEWAY_STATS_COLLECTOR_ID, type GatewayStatsCollectorOptions } from './collector/gateway-stats-collector.ts';
export { staticGatewayReplicas, podGatewayReplicas, adminUrl, type GatewayReplicas } from './collector/gateway-replicas.ts';
export { ReplicaRates } from './collector/replica-rates.ts';
export { ReplicaDemand, type ReplicaTargetDemand } from './collector/replica-demand.ts';
export { GatewayFigures, recordRound, type GatewayRound, type TargetFigures } from './collector/gateway-round.ts';

export { eventGatewayConfigSchema, parseEventGatewayConfig, type EventGatewayConfig } from './config/eventgw-config.ts';
export { eventgwFields, EVENTGW_PLUGIN_ID, EVENTGW_PREFIX, CONTAINER_CONCURRENCY_MAX, QUEUE_LENGTH_MAX } from './config/eventgw-fields.ts';

export { EBB_GATEWAY_CONTROLLER, GATEWAY_API_GROUP, type HTTPRoute, type Gateway, type GatewayClass, type RouteParentStatus, type RouteCondition } from './routes/gateway-api-types.ts';
export { compileRoutes, routeKeyOf, type CompiledRoutes, type CompiledRule, type RouteWorld, type RouteBackendTarget } from './routes/compile-routes.ts';
export { HttpRouteTable, type RoutePick } from './routes/http-route-table.ts';
export { nextRouteParents } from './routes/route-status.ts';
export { unsupportedFields, type UnsupportedField } from './routes/unsupported-fields.ts';
export { KubeRouteWatch, type RouteSnapshot, type RouteWatchOptions } from './routes/route-watch.ts';
export { RouteStatusWriter } from './routes/route-status-writer.ts';
export { RouteController, type RouteControllerOptions } from './routes/route-controller.ts';
export { unreachableTargets } from './routes/route-reachability.ts';
export { knativeRolloutSteps, type RolloutSteps } from './routes/rollout/knative-rollout-steps.ts';
export { decideRolloutStep, podsForShare, type RolloutStepInput, type RolloutStepDecision, type RolloutFloors, type RolloutVersion } from './routes/rollout/capacity-step.ts';
export { parseRolloutConfig, rolloutConfigSchema, ROLLOUT_PREFIX, type RolloutConfig } from './routes/rollout/rollout-config.ts';
export { ROLLOUT_STATE_ANNOTATION, readRolloutState, writeRolloutState, effectiveWeights, splitRuleIndex, type RolloutState, type Split } from './routes/rollout/rollout-state.ts';
export { progressRollout, type RolloutProgress, type RolloutProgressInput, type RolloutEvent, type VersionView } from './routes/rollout/rollout-progress.ts';
export { ROLLOUT_CONDITION, rolloutCondition } from './routes/rollout/rollout-condition.ts';
export { rolloutFloors } from './routes/rollout/rollout-floors.ts';
export { RolloutDriver, declaredSplit, type RolloutDriverDeps } from './routes/rollout/rollout-driver.ts';
export { apportion, planSplitChange, splitDuringRollout, weightsToPercents, type Share, type SplitChange } from './routes/rollout/split-change.ts';
