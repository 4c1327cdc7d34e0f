import type { TargetKey } from './target.ts';
import type { ConfigIssue } from './config.ts';
import type { Recommendation } from './plugin.ts';

/** Structured log fields. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger core writes to; the app provides a JSON one. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ignore = (): void => undefined;

/** A logger that drops everything (for tests that do not look at logs). */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * What the control loop reports for metrics; the app implements it with prom-client. Every method is cheap and
 * never throws.
 */
export interface LoopObserver {
  /** One decision tick took `durationMs`. */
  tick(target: TargetKey, durationMs: number): void;
  /** A plugin's recommendation for a target. */
  recommendation(target: TargetKey, pluginId: string, rec: Recommendation): void;
  /** Desired (after combination) and current (spec) replicas. */
  replicas(target: TargetKey, desired: number, current: number): void;
  /** A scale action was taken (`result` ok or error). */
  scaled(target: TargetKey, from: number, to: number, result: 'ok' | 'error'): void;
  /** A target's config became invalid (issues) or valid again (empty). */
  configIssues(target: TargetKey, issues: readonly ConfigIssue[]): void;
  /** A collector round failed, or one metric of one target could not be collected (`target` set). */
  collectorError(collectorId: string, target?: TargetKey): void;
  /** A plugin threw. */
  pluginError(target: TargetKey, pluginId: string): void;
  /** A target went away. */
  forget(target: TargetKey): void;
}

/** An observer that records nothing. */
export const noopObserver: LoopObserver = {
  tick: ignore,
  recommendation: ignore,
  replicas: ignore,
  scaled: ignore,
  configIssues: ignore,
  collectorError: ignore,
  pluginError: ignore,
  forget: ignore,
};
