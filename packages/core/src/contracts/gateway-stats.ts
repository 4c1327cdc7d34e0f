import type { TargetKey } from './target.ts';

/**
 * Per-target figures one gateway replica reports. Counters are monotonic since the replica started
 * (`startedMs`), so a collector derives rates from two reports and detects restarts.
 */
export interface GatewayTargetStats {
  readonly target: TargetKey;
  /** Requests being served by a pod right now. */
  readonly inFlight: number;
  /** Requests waiting in the gateway's queue (no free slot, or no ready pod). */
  readonly queued: number;
  /** Requests received since `startedMs` (counter). */
  readonly requestCount: number;
  /** Requests that found no ready pod on arrival since `startedMs` (counter). */
  readonly coldStarts: number;
  /** Ready endpoints the gateway routes to. */
  readonly readyEndpoints: number;
  /** Per-pod concurrency the gateway enforces (0 = unlimited). */
  readonly containerConcurrency: number;
  /**
   * Demand integral (counter): the integral over time of `inFlight + queued`, in request-milliseconds, since the
   * target began being routed by this replica (at or after `startedMs`). The gateway adds `count x elapsed ms`
   * at every change of in-flight or queued and at report time, so it is exact however short the requests are.
   * The average demand between two reports is `(demandMsTotal now - before) / (timeMs now - before)`: the
   * time-weighted average concurrency Knative's queue-proxy reports, rather than a one-instant sample.
   *
   * Worked example: 3 requests of 200 ms each within one second (never overlapping, never queued) add
   * 3 x 200 = 600 request-ms; over a 1000 ms interval that is an average of 600 / 1000 = 0.6 requests, where a
   * sample taken at one instant reads 0 or 1. A request queued for 2 s then served for 1 s adds 3000.
   *
   * Absent from gateways older than this field (a collector then uses `inFlight + queued` as sampled).
   */
  readonly demandMsTotal?: number;
  /** Like {@link demandMsTotal} for `inFlight` alone (request-ms being served by pods; counter). */
  readonly inFlightMsTotal?: number;
}

/** What `GET /stats` on a gateway replica's admin port answers. */
export interface GatewayStatsReport {
  /** Identity of the gateway replica. */
  readonly gateway: string;
  /** When the report was made (ms since epoch). */
  readonly timeMs: number;
  /** When the replica started (ms since epoch); a change means counters restarted. */
  readonly startedMs: number;
  readonly targets: readonly GatewayTargetStats[];
}

/** Well-known paths of the gateway/scaler protocol. */
export const GatewayProtocol = {
  /** Gateway admin: GET -> {@link GatewayStatsReport}. */
  statsPath: '/stats',
  /** Scaler: POST `?target=ns/name` runs a tick at once (a request arrived at zero). */
  pokePath: '/poke',
} as const;
