import { EbbError, ErrorCodes, type Logger } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import type { PodScrapeOptions } from './collectors/pod-scrape-options.ts';
import type { PromqlOptions } from './collectors/promql-options.ts';
import { resolveKpaCollectorOptions } from './kpa-collector-options.ts';
import type { MetricSource } from './metric-source.ts';
import {
  PANIC_THRESHOLD_PERCENTAGE_MAX,
  PANIC_THRESHOLD_PERCENTAGE_MIN,
  PANIC_WINDOW_PERCENTAGE_MAX,
  PANIC_WINDOW_PERCENTAGE_MIN,
  TARGET_MIN,
  WINDOW_MAX_MS,
  WINDOW_MIN_MS,
} from './knative-constants.ts';

/**
 * Cluster-wide KPA defaults, set in the scaler's config file: the counterpart of Knative's `config-autoscaler`
 * ConfigMap. Every field is optional; a missing one takes Knative's default. Annotations on a target override them.
 */
export interface KpaOptions {
  /** Concurrency per pod aimed at when neither `target` nor `containerConcurrency` is set (default 100). */
  readonly containerConcurrencyTargetDefault?: number;
  /**
   * Share of the concurrency target actually aimed at, percent (default 70). Like Knative, a value in (0, 1] is
   * read as a fraction (0.7 = 70 %).
   */
  readonly containerConcurrencyTargetPercentage?: number;
  /** Requests per second per pod aimed at when `target` is not set and the metric is `rps` (default 200). */
  readonly requestsPerSecondTargetDefault?: number;
  /** Share of the RPS target aimed at, percent 1..100 (default 70; Knative's `TargetUtilization`). */
  readonly targetUtilizationPercentage?: number;
  /** Spare capacity (metric units) to keep before the gateway must stay in the path; -1 = always, 0 = never (default 211). */
  readonly targetBurstCapacity?: number;
  /** Stable window, ms, whole seconds in 6 s..1 h (default 60 000; Knative `stable-window`). */
  readonly stableWindowMs?: number;
  /** Panic window as a percentage of the stable window, 1..100 (default 10). */
  readonly panicWindowPercentage?: number;
  /** Panic when the panic-window pod count reaches this percentage of ready pods, 110..1000 (default 200). */
  readonly panicThresholdPercentage?: number;
  /** Most a decision may multiply the ready pods by, > 1 (default 1000). */
  readonly maxScaleUpRate?: number;
  /** Most a decision may divide the ready pods by, > 1 (default 2). */
  readonly maxScaleDownRate?: number;
  /**
   * Bring the pod-scraping collector (`true` for the defaults, which read Knative's queue-proxy; `false`: off):
   * targets whose metric source is `pods` are scraped. Needs Kubernetes credentials (`kubeConfig`, or the usual
   * places).
   */
  readonly pods?: PodScrapeOptions | boolean;
  /** Bring the PromQL collector: targets whose metric source is `prometheus` are measured by a query (`false`: off). */
  readonly prometheus?: PromqlOptions | false;
  /**
   * Metric source of targets without `ebb.dev/kpa.metric-source`: `pods`, `prometheus` or `external` (default:
   * `pods` when `pods` is set, else `prometheus` when `prometheus` is, else `external`).
   */
  readonly metricSource?: MetricSource;
  /**
   * Kubernetes credentials for the pod watch, or a function called when the scaler asks for the collectors (code
   * only). Without it the usual places are tried then (`loadKubeConfig`: `$KUBECONFIG`, `~/.kube/config`, in-cluster).
   */
  readonly kubeConfig?: KubeConfig | (() => KubeConfig);
  /** Where the collectors log (code only; default silent). */
  readonly logger?: Logger;
}

/** {@link KpaOptions} resolved: every value present, utilizations as fractions. */
export interface KpaDefaults {
  readonly containerConcurrencyTargetDefault: number;
  /** Fraction in (0, 1]. */
  readonly containerConcurrencyTargetFraction: number;
  readonly requestsPerSecondTargetDefault: number;
  /** Fraction in (0, 1]. */
  readonly targetUtilizationFraction: number;
  readonly targetBurstCapacity: number;
  readonly stableWindowMs: number;
  /** Percent. */
  readonly panicWindowPercentage: number;
  /** Percent. */
  readonly panicThresholdPercentage: number;
  readonly maxScaleUpRate: number;
  readonly maxScaleDownRate: number;
}

/** Knative's own defaults (pkg/autoscaler/config `defaultConfig`, with the current burst capacity of 211). */
export const KNATIVE_DEFAULTS: KpaDefaults = {
  containerConcurrencyTargetDefault: 100,
  containerConcurrencyTargetFraction: 0.7,
  requestsPerSecondTargetDefault: 200,
  targetUtilizationFraction: 0.7,
  targetBurstCapacity: 211,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
};

/** Percent to fraction, accepting Knative's legacy fractions in (0, 1]: 70 -> 0.7, 0.7 -> 0.7. */
function toFraction(value: number): number {
  return value > 1 ? value / 100 : value;
}

/**
 * Applies `options` over {@link KNATIVE_DEFAULTS} and checks them as Knative's config-autoscaler does.
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` naming every invalid option, so a bad scaler config fails at start-up.
 */
export function resolveKpaDefaults(options: KpaOptions = {}): KpaDefaults {
  const d = KNATIVE_DEFAULTS;
  const ccPercent = options.containerConcurrencyTargetPercentage;
  const tuPercent = options.targetUtilizationPercentage;
  const resolved: KpaDefaults = {
    containerConcurrencyTargetDefault: options.containerConcurrencyTargetDefault ?? d.containerConcurrencyTargetDefault,
    containerConcurrencyTargetFraction: ccPercent === undefined ? d.containerConcurrencyTargetFraction : toFraction(ccPercent),
    requestsPerSecondTargetDefault: options.requestsPerSecondTargetDefault ?? d.requestsPerSecondTargetDefault,
    targetUtilizationFraction: tuPercent === undefined ? d.targetUtilizationFraction : tuPercent / 100,
    targetBurstCapacity: options.targetBurstCapacity ?? d.targetBurstCapacity,
    stableWindowMs: options.stableWindowMs ?? d.stableWindowMs,
    panicWindowPercentage: options.panicWindowPercentage ?? d.panicWindowPercentage,
    panicThresholdPercentage: options.panicThresholdPercentage ?? d.panicThresholdPercentage,
    maxScaleUpRate: options.maxScaleUpRate ?? d.maxScaleUpRate,
    maxScaleDownRate: options.maxScaleDownRate ?? d.maxScaleDownRate,
  };
  const problems = [...unknownOptions(options), ...checkDefaults(resolved, options), ...resolveKpaCollectorOptions(options).problems];
  if (problems.length > 0) {
    throw new EbbError(ErrorCodes.CONFIG_FILE_INVALID, `invalid KPA options: ${problems.join('; ')}`);
  }
  return resolved;
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set<keyof KpaOptions>([
  'containerConcurrencyTargetDefault',
  'containerConcurrencyTargetPercentage',
  'requestsPerSecondTargetDefault',
  'targetUtilizationPercentage',
  'targetBurstCapacity',
  'stableWindowMs',
  'panicWindowPercentage',
  'panicThresholdPercentage',
  'maxScaleUpRate',
  'maxScaleDownRate',
  'pods',
  'prometheus',
  'metricSource',
  'kubeConfig',
  'logger',
]);

/** Options the KPA does not know (usually a typo in the scaler's config file). */
function unknownOptions(options: KpaOptions): string[] {
  return Object.keys(options)
    .filter((name) => !KNOWN_OPTIONS.has(name))
    .map((name) => `unknown option ${name}; known options: ${[...KNOWN_OPTIONS].join(', ')}`);
}

/** Knative's `validate` (pkg/autoscaler/config), with its messages; every problem, not only the first. */
function checkDefaults(r: KpaDefaults, o: KpaOptions): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(r)) {
    if (!Number.isFinite(value)) problems.push(`${name} must be a finite number, was: ${String(value)}`);
  }
  if (r.targetBurstCapacity < 0 && r.targetBurstCapacity !== -1) {
    problems.push(`targetBurstCapacity must be either non-negative or -1 (for unlimited), was: ${r.targetBurstCapacity}`);
  }
  if (!(r.containerConcurrencyTargetFraction > 0 && r.containerConcurrencyTargetFraction <= 1)) {
    problems.push(`containerConcurrencyTargetPercentage = ${o.containerConcurrencyTargetPercentage} is outside of valid range of (0, 100]`);
  }
  const ccTarget = r.containerConcurrencyTargetFraction * r.containerConcurrencyTargetDefault;
  if (ccTarget < TARGET_MIN) {
    problems.push(
      `containerConcurrencyTargetPercentage and containerConcurrencyTargetDefault yield target concurrency of ${ccTarget}, can't be less than ${TARGET_MIN}`,
    );
  }
  if (r.requestsPerSecondTargetDefault < TARGET_MIN) {
    problems.push(`requestsPerSecondTargetDefault must be at least ${TARGET_MIN}, was: ${r.requestsPerSecondTargetDefault}`);
  }
  if (!(r.targetUtilizationFraction >= 0.01 && r.targetUtilizationFraction <= 1)) {
    problems.push(`targetUtilizationPercentage = ${o.targetUtilizationPercentage}, must be in [1, 100] range`);
  }
  if (!(r.maxScaleUpRate > 1)) problems.push(`maxScaleUpRate = ${r.maxScaleUpRate}, must be greater than 1.0`);
  if (!(r.maxScaleDownRate > 1)) problems.push(`maxScaleDownRate = ${r.maxScaleDownRate}, must be greater than 1.0`);
  if (r.stableWindowMs < WINDOW_MIN_MS || r.stableWindowMs > WINDOW_MAX_MS) {
    problems.push(`stableWindowMs = ${r.stableWindowMs}, must be in [${WINDOW_MIN_MS}; ${WINDOW_MAX_MS}] range`);
  } else if (r.stableWindowMs % 1000 !== 0) {
    problems.push(`stableWindowMs = ${r.stableWindowMs}, must be specified with at most second precision`);
  }
  if (r.panicWindowPercentage < PANIC_WINDOW_PERCENTAGE_MIN || r.panicWindowPercentage > PANIC_WINDOW_PERCENTAGE_MAX) {
    problems.push(
      `panicWindowPercentage = ${r.panicWindowPercentage}, must be in [${PANIC_WINDOW_PERCENTAGE_MIN}, ${PANIC_WINDOW_PERCENTAGE_MAX}] interval`,
    );
  }
  if (r.panicThresholdPercentage < PANIC_THRESHOLD_PERCENTAGE_MIN || r.panicThresholdPercentage > PANIC_THRESHOLD_PERCENTAGE_MAX) {
    problems.push(
      `panicThresholdPercentage = ${r.panicThresholdPercentage}, must be in [${PANIC_THRESHOLD_PERCENTAGE_MIN}, ${PANIC_THRESHOLD_PERCENTAGE_MAX}] interval`,
    );
  }
  return problems;
}
