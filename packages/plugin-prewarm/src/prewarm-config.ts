import { defineConfig, field, type ConfigSchema } from '@ebb/core';

/** The metrics the plugin can learn from: the gateway's demand (default) or the KPA's concurrency. */
export const PREWARM_METRICS = ['eventgw.demand', 'concurrency'] as const;

/** One of {@link PREWARM_METRICS}. */
export type PrewarmMetric = (typeof PREWARM_METRICS)[number];

/** The default metric: in-flight + queued requests at the event gateway, per second. */
export const PREWARM_METRIC: PrewarmMetric = 'eventgw.demand';

/** Width of one histogram bin, ms (1 minute, as in the paper). */
export const BIN_MS = 60_000;

/** A target's settings (annotations `ebb.dev/prewarm.*`). Durations in ms, percentiles and the margin in percent. */
export interface PrewarmConfig {
  /** The metric whose seconds above 0 are "demand"; idle periods are the gaps between them. */
  readonly metric: PrewarmMetric;
  /** Range of the idle-time histogram (1-minute bins); longer idle periods are out of range. */
  readonly rangeMs: number;
  /** Percentile of idle times that sets the pre-warm instant (5 = 5th). */
  readonly headPercentile: number;
  /** Percentile of idle times that sets the end of the keep-alive (99 = 99th). */
  readonly tailPercentile: number;
  /** Safety margin: pre-warm this many percent earlier, keep alive this many percent longer (10 = 10 %). */
  readonly margin: number;
  /** Idle periods needed before the histogram is used; fewer is "learning". */
  readonly minSamples: number;
  /** Coefficient of variation of the bin counts below which the histogram is not representative. */
  readonly cvThreshold: number;
  /** Keep-alive after the last demand while learning or when the histogram is not representative. */
  readonly fallbackKeepAliveMs: number;
  /** The pod is asked for this long before the pre-warm instant, so that it is Ready in time. */
  readonly leadTimeMs: number;
}

/** Each key declared once: type, default, range, description. Core's parser reports every problem at once. */
export const prewarmConfigSchema: ConfigSchema<PrewarmConfig> = defineConfig(
  {
    metric: field<PrewarmMetric>({
      key: 'metric',
      type: { kind: 'enum', values: PREWARM_METRICS },
      default: PREWARM_METRIC,
      description:
        'Metric whose seconds above 0 count as demand: `eventgw.demand` (requests in flight or queued at the gateway) or `concurrency` (the KPA metric).',
    }),
    rangeMs: field<number>({
      key: 'range',
      type: { kind: 'duration', minMs: 600_000, maxMs: 43_200_000, wholeSeconds: true },
      default: 14_400_000,
      description: 'Range of the idle-time histogram (1-minute bins), 10m..12h; longer idle periods are forecast from the last ones. Default 4h.',
    }),
    headPercentile: field<number>({
      key: 'head-percentile',
      type: { kind: 'number', min: 0, max: 50 },
      default: 5,
      description: 'Percentile of idle times (0..50) at which a pod is brought up again after demand ended (the pre-warm instant, before the margin).',
    }),
    tailPercentile: field<number>({
      key: 'tail-percentile',
      type: { kind: 'number', min: 50, max: 100 },
      default: 99,
      description: 'Percentile of idle times (50..100) until which the pod is kept (the end of the keep-alive, before the margin).',
    }),
    margin: field<number>({
      key: 'margin',
      type: { kind: 'number', min: 0, max: 100 },
      default: 10,
      description: 'Percent (0..100): the pre-warm instant comes this much earlier and the keep-alive lasts this much longer.',
    }),
    minSamples: field<number>({
      key: 'min-samples',
      type: { kind: 'int', min: 1, max: 1000 },
      default: 10,
      description: 'Idle periods needed (1..1000) before the histogram is used; until then the plugin is "learning" and keeps the fallback keep-alive.',
    }),
    cvThreshold: field<number>({
      key: 'cv-threshold',
      type: { kind: 'number', min: 0, max: 100 },
      default: 2,
      description: 'Coefficient of variation of the bin counts (0..100) below which the histogram is not representative and the fallback keep-alive applies.',
    }),
    fallbackKeepAliveMs: field<number>({
      key: 'fallback-keep-alive',
      type: { kind: 'duration', minMs: 0, maxMs: 43_200_000, wholeSeconds: true },
      default: 600_000,
      description: 'Keep one pod this long (0s..12h) after the last demand while learning or when the histogram is not representative. Default 10m.',
    }),
    leadTimeMs: field<number>({
      key: 'lead-time',
      type: { kind: 'duration', minMs: 0, maxMs: 600_000, wholeSeconds: true },
      default: 10_000,
      description: 'Ask for the pre-warmed pod this long (0s..10m) before the pre-warm instant, to cover its start-up.',
    }),
  },
);
