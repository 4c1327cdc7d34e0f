import { GatewayProtocol, type Clock, type Logger, type TargetKey } from '@ebb/core';

/** Sends "a request arrived at zero" to the scaler. */
export interface ScalerPoke {
  /** Pokes the scaler for `target` unless it was poked less than the minimum interval ago. Never throws. */
  poke(target: TargetKey): void;
}

/** Options of {@link createScalerPoke}. */
export interface ScalerPokeOptions {
  /** Base URL of the scaler's HTTP endpoint, e.g. `http://ebb-scaler.ebb-system:8080`. */
  readonly scalerUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** At most one poke per target per this many ms (default 1000). */
  readonly minIntervalMs?: number;
  /** Gives up on one poke after this many ms (default 2000). */
  readonly timeoutMs?: number;
  /** Told the result of each call. */
  readonly observe?: (result: 'sent' | 'failed' | 'skipped') => void;
}

/**
 * POSTs `<scalerUrl>/poke?target=<ns/name>` at once when a request finds a target at zero ready pods, so the
 * scaler runs a tick now instead of at its next period. Rate-limited per target; a failed poke is logged and
 * counted, and the next request arriving at zero after the interval pokes again.
 */
export function createScalerPoke(options: ScalerPokeOptions): ScalerPoke {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const base = options.scalerUrl.replace(/\/+$/, '');
  const last = new Map<TargetKey, number>();
  return {
    poke(target) {
      const now = options.clock.now();
      const previous = last.get(target);
      if (previous !== undefined && now - previous < minIntervalMs) return options.observe?.('skipped');
      last.set(target, now);
      if (last.size > 10_000) for (const [k, t] of last) if (now - t >= minIntervalMs) last.delete(k);
      const url = `${base}${GatewayProtocol.pokePath}?target=${encodeURIComponent(target)}`;
      fetch(url, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) })
        .then(async (res) => {
          await res.body?.cancel();
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          options.observe?.('sent');
        })
        .catch((e: unknown) => {
          options.observe?.('failed');
          options.logger.warn('could not poke the scaler', { target, url, error: e instanceof Error ? e.message : String(e) });
        });
    },
  };
}
