/** @ebb/testing public API: a real local Kubernetes control plane for tests, and helpers to use it. */
export const PACKAGE_NAME = '@ebb/testing';

export { BUILD_SCRIPT, ensureClusterBinaries, missingBinaries, REQUIRED_BINARIES } from './binaries.ts';
export type { EnsureBinariesOptions } from './binaries.ts';
export { Cluster } from './cluster.ts';
export {
  CUSTOM_METRICS_API_SERVICES,
  startCustomMetricsAdapter,
  TEST_ADAPTER_EXTERNAL_METRICS,
} from './custom-metrics-adapter.ts';
export type { CustomMetricsAdapter, CustomMetricsAdapterOptions, CustomMetricValue } from './custom-metrics-adapter.ts';
export type { ClusterStatus, ComponentStatus } from './cluster.ts';
export { COMPONENTS, sweepAbandonedClusters } from './cluster-state.ts';
export type { ClusterState, ComponentName, ComponentState, FakeNodeState } from './cluster-state.ts';
export { ComponentStartError } from './control-plane-health.ts';
export {
  createTestDeployment,
  isDeploymentReady,
  TEST_IMAGE,
  testDeploymentManifest,
  waitForDeploymentReady,
} from './deployments.ts';
export type { TestDeploymentOptions } from './deployments.ts';
export { BUNDLE_VERSION_ANNOTATION, GATEWAY_API_MODULE, GATEWAY_API_VERSION, gatewayApiCrdDir, gatewayApiCrds, installGatewayApiCrds } from './gateway-api-crds.ts';
export { fakeNodeStates, isNodeSchedulable, MAX_FAKE_NODES } from './fake-nodes.ts';
export { findFreePort, findFreePorts } from './free-port.ts';
export { holdHostLock } from './host-lock.ts';
export type { HostLock } from './host-lock.ts';
export { keepInformerRunning } from './informers.ts';
export type { KeepInformerRunningOptions, RunningInformer } from './informers.ts';
export { DEFAULT_K3S_IMAGE, startK3sCluster } from './k3s-cluster.ts';
export type { K3sCluster } from './k3s-cluster.ts';
export { KWOK_NODE_ANNOTATION, READINESS_DELAY_ANNOTATION } from './kwok-stages.ts';
export { KWOK_RESOURCE_METRICS_PATH, kwokMetricsYaml, RESOURCE_METRICS_PATH_ANNOTATION, USAGE_ANNOTATIONS } from './kwok-metrics-config.ts';
export { METRICS_NODE_LABEL, startMetricsNode } from './metrics-node.ts';
export type { MetricsNode, MetricsNodeOptions } from './metrics-node.ts';
export { localNonLoopbackAddress, METRICS_API_SERVICE, startMetricsServer } from './metrics-server.ts';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.ts';
export { startOwnedProcess } from './owned-process.ts';
export { startPrometheus } from './prometheus-server.ts';
export type { PrometheusScrapeJob, RunningPrometheus } from './prometheus-server.ts';
export type { OwnedProcess } from './owned-process.ts';
export { firstContainerPort, hasCondition, isPodReady, nameOf, podIp, waitForReadyPods } from './pods.ts';
export type { WaitForReadyPodsOptions, WithConditions } from './pods.ts';
export { inPrivateNetns, startKubeProxy, type KubeProxy, type KubeProxyOptions } from './kube-proxy.ts';
export { DEFAULT_POD_NETWORK, ipInCidr, nodePodCidr, parsePodNetwork, podNetworkFromEnv } from './pod-network.ts';
export type { PodNetwork } from './pod-network.ts';
export { clusterPaths, clusterRunRoot, DEFAULT_CLUSTER_NAME } from './run-paths.ts';
export type { ClusterPaths } from './run-paths.ts';
export { startCluster } from './start-cluster.ts';
export type { StartClusterOptions } from './start-cluster.ts';
export { TEST_NAMESPACE_LABEL, uniqueNamespaceName, useTestNamespace } from './test-namespace.ts';
export type { TestNamespace } from './test-namespace.ts';
export { testClusterKind, testKubeConfig, testKubeconfigPath } from './vitest-context.ts';
export type { TestClusterKind } from './vitest-context.ts';
export { waitFor, WaitTimeoutError } from './wait-for.ts';
export type { WaitForOptions } from './wait-for.ts';
