/**
 * Pod annotations that set the CPU and memory a pod uses on a metrics node (see `startMetricsNode`), as
 * quantities: `kwok.x-k8s.io/usage-cpu: 250m`, `kwok.x-k8s.io/usage-memory: 64Mi`. They are read on every
 * scrape, so changing them on a running pod changes what metrics-server reports from its next scrape on (the
 * names are KWOK's own, from its `usage-from-annotation` example). Without them a pod uses 1m and 1Mi.
 */
export const USAGE_ANNOTATIONS = { cpu: 'kwok.x-k8s.io/usage-cpu', memory: 'kwok.x-k8s.io/usage-memory' } as const;

/** Path of the kubelet-like `/metrics/resource` endpoint KWOK serves for node `{nodeName}`. */
export const KWOK_RESOURCE_METRICS_PATH = '/metrics/nodes/{nodeName}/metrics/resource';

/** Node annotation metrics-server reads to scrape that path instead of `/metrics/resource`. */
export const RESOURCE_METRICS_PATH_ANNOTATION = 'metrics.k8s.io/resource-metrics-path';

const containerLabels = `
    labels:
    - name: container
      value: 'container.name'
    - name: namespace
      value: 'pod.metadata.namespace'
    - name: pod
      value: 'pod.metadata.name'`;

/**
 * KWOK configuration documents (for `kwok --config`, after the pod Stages) that simulate resource usage and
 * serve it the way a kubelet's `/metrics/resource` does, which is what metrics-server scrapes:
 *
 * - a `ClusterResourceUsage` taking each container's usage from {@link USAGE_ANNOTATIONS} (per pod; every
 *   container of the pod reports that usage);
 * - a `Metric` at {@link KWOK_RESOURCE_METRICS_PATH} with the series metrics-server reads: cumulative CPU
 *   seconds and working-set bytes per container and per node, container start times and `scrape_error`.
 *   KWOK integrates the CPU counter at each scrape with the usage of that moment, so a changed annotation
 *   shows up as the new rate over the next metrics-server window.
 */
export function kwokMetricsYaml(): string {
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterResourceUsage
metadata:
  name: ebb-usage-from-annotation
spec:
  usages:
  - usage:
      cpu:
        expression: |
          "${USAGE_ANNOTATIONS.cpu}" in pod.metadata.annotations
          ? Quantity(pod.metadata.annotations["${USAGE_ANNOTATIONS.cpu}"])
          : Quantity("1m")
      memory:
        expression: |
          "${USAGE_ANNOTATIONS.memory}" in pod.metadata.annotations
          ? Quantity(pod.metadata.annotations["${USAGE_ANNOTATIONS.memory}"])
          : Quantity("1Mi")
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Metric
metadata:
  name: ebb-metrics-resource
spec:
  path: "${KWOK_RESOURCE_METRICS_PATH}"
  metrics:
  - name: scrape_error
    dimension: node
    help: 1 if there was an error while getting metrics from the node, 0 otherwise
    kind: gauge
    value: '0'
  - name: container_start_time_seconds
    dimension: container
    help: Start time of the container since unix epoch in seconds
    kind: gauge${containerLabels}
    value: 'pod.SinceSecond()'
  - name: container_cpu_usage_seconds_total
    dimension: container
    help: Cumulative cpu time consumed by the container in core-seconds
    kind: counter${containerLabels}
    value: 'pod.CumulativeUsage("cpu", container.name)'
  - name: container_memory_working_set_bytes
    dimension: container
    help: Current working set of the container in bytes
    kind: gauge${containerLabels}
    value: 'pod.Usage("memory", container.name)'
  - name: node_cpu_usage_seconds_total
    dimension: node
    help: Cumulative cpu time consumed by the node in core-seconds
    kind: counter
    value: 'node.CumulativeUsage("cpu")'
  - name: node_memory_working_set_bytes
    dimension: node
    help: Current working set of the node in bytes
    kind: gauge
    value: 'node.Usage("memory")'
`;
}
