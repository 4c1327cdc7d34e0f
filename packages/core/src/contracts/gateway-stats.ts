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
