/** The Ebb annotation keys the converters write (see docs/annotations.md). */
export const KEYS = {
  policies: 'ebb.dev/policies',
  minReplicas: 'ebb.dev/min-replicas',
  maxReplicas: 'ebb.dev/max-replicas',
  activationReplicas: 'ebb.dev/activation-replicas',
  gracePeriod: 'ebb.dev/scale-to-zero-grace-period',
  scaleDownDelay: 'ebb.dev/scale-down-delay',
  hpaCpuUtilization: 'ebb.dev/hpa.cpu-utilization',
  hpaMemoryUtilization: 'ebb.dev/hpa.memory-utilization',
  hpaCpuAverage: 'ebb.dev/hpa.cpu-average',
  hpaMemoryAverage: 'ebb.dev/hpa.memory-average',
  hpaBehavior: 'ebb.dev/hpa.behavior',
  cron: 'ebb.dev/cron',
  kpaMetric: 'ebb.dev/kpa.metric',
  kpaTarget: 'ebb.dev/kpa.target',
  kpaUtilization: 'ebb.dev/kpa.target-utilization-percentage',
  kpaWindow: 'ebb.dev/kpa.window',
  kpaMetricSource: 'ebb.dev/kpa.metric-source',
  kpaPrometheusQuery: 'ebb.dev/kpa.prometheus-query',
  kpaContainerConcurrency: 'ebb.dev/kpa.container-concurrency',
  gwHost: 'ebb.dev/eventgw.host',
  gwPathPrefix: 'ebb.dev/eventgw.path-prefix',
  gwContainerConcurrency: 'ebb.dev/eventgw.container-concurrency',
  gwTarget: 'ebb.dev/eventgw.target',
  gwQueueTimeout: 'ebb.dev/eventgw.queue-timeout',
  gwService: 'ebb.dev/eventgw.service',
  gwProtocol: 'ebb.dev/eventgw.protocol',
} as const;

/** Ebb's scale-to-zero grace period range, in seconds (6s..1h). */
export const GRACE_PERIOD_RANGE_S = { min: 6, max: 3600 } as const;
