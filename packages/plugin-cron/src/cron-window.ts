import type { CronSpec } from './cron-spec.ts';

/** How a window occurrence ends. */
export type WindowEnd =
  /**
   * At the first occurrence of any of `crons` strictly after the start (wall-clock, in the window's zone).
   * One cron for `end:`; several for kubernetes-cronhpa jobs, which hold until the next job of the list fires.
   */
  | { readonly kind: 'cron'; readonly crons: readonly CronSpec[] }
  /** After `ms` milliseconds of elapsed time from the start (a day with a DST change is 23 h or 25 h long). */
  | { readonly kind: 'duration'; readonly ms: number };

/**
 * One parsed window of the `ebb.dev/cron` annotation: while an occurrence is active the plugin recommends at
 * least `replicas`. An occurrence is active from `start - leadTimeMs` (inclusive) to its end (exclusive).
 */
export interface CronWindow {
  /** Name as written; unique within the target. */
  readonly name: string;
  /** Zero-based position in the list, for messages. */
  readonly index: number;
  /** When occurrences start. */
  readonly start: CronSpec;
  readonly end: WindowEnd;
  /** Canonical IANA zone in which `start`, `end`, exclusions and `from` are read. */
  readonly timezone: string;
  /** The replica floor while active (integer >= 0). */
  readonly replicas: number;
  /** Capacity is requested this long before each start, in ms (>= 0). */
  readonly leadTimeMs: number;
  /** Occurrences whose start falls on one of these local dates (`YYYY-MM-DD`) do not happen. */
  readonly excludeDates: readonly string[];
  /** Occurrences whose local start time matches one of these do not happen. */
  readonly excludeCrons: readonly CronSpec[];
  /**
   * Occurrences that start before this local date-time do not happen. Wall-clock ms: the local fields encoded as
   * if they were UTC (see `zoned-time.ts`). Undefined: no lower limit.
   */
  readonly fromWallMs: number | undefined;
  /** Only the first occurrence at or after `fromWallMs` happens (which is then required). */
  readonly runOnce: boolean;
}

/** The parsed configuration of the cron plugin for one target. */
export interface CronConfig {
  /** The windows in the order written; empty when the annotation is absent. */
  readonly windows: readonly CronWindow[];
}

/** What the plugin remembers between decisions (for reasons and `ebb explain`; never needed for correctness). */
export interface CronState {
  /** Names of the windows active at the previous decision. */
  readonly active: readonly string[];
}
