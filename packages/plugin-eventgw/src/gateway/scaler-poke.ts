import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { GatewayProtocol, type Clock, type Logger, type TargetKey } from '@ebb/core';

/** Sends "a request arrived at zero" to the scaler. */
export interface ScalerPoke {
  /** Pokes the scaler for `target` unless it was poked less than the minimum interval ago. Never throws. */
  poke(target: TargetKey): void;
}

/** Options of {@link createScalerPoke}. */
export interface ScalerPokeOptions {
  /**
   * Base URL of the scaler's HTTP endpoint, e.g. `http://ebb-scaler-replicas.ebb-system.svc:8080`. When its host
   * is a name, every address it resolves to is poked: with a headless Service that is every scaler replica, so
   * the one that owns the target acts at once whichever replica it is.
   */
  readonly scalerUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** At most one poke per target per this many ms (default 1000). */
  readonly minIntervalMs?: number;
  /** Gives up on one poke after this many ms (default 2000). */
  readonly timeoutMs?: number;
  /** How long the addresses of the scaler's host are reused before it is resolved again, ms (default 5000). */
  readonly resolveTtlMs?: number;
  /** Every address of a host name (default: the system resolver, all addresses). */
  readonly resolveAll?: (host: string) => Promise<readonly string[]>;
  /** Told the result of each call: `sent` when at least one replica took the poke. */
  readonly observe?: (result: 'sent' | 'failed' | 'skipped') => void;
}

const systemResolveAll = async (host: string): Promise<readonly string[]> => (await lookup(host, { all: true })).map((a) => a.address);

/** `url` with its host replaced by `address` (bracketed when IPv6). */
function atAddress(url: URL, address: string): string {
  const u = new URL(url);
  u.hostname = isIP(address) === 6 ? `[${address}]` : address;
  return u.toString();
}

/**
 * POSTs `<scalerUrl>/poke?target=<ns/name>` at once when a request finds a target at zero ready pods, so the
 * scaler runs a tick now instead of at its next period. A host name is resolved and each of its addresses is
 * poked (only the replica that owns the target acts; the others ignore it); an https URL or an IP address is
 * poked as it is. Rate-limited per target; a failed poke is logged and counted, and the next request arriving at
 * zero after the interval pokes again.
 */
export function createScalerPoke(options: ScalerPokeOptions): ScalerPoke {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const resolveTtlMs = options.resolveTtlMs ?? 5000;
  const resolveAll = options.resolveAll ?? systemResolveAll;
  const base = new URL(options.scalerUrl.replace(/\/+$/, '') + GatewayProtocol.pokePath);
  const fanOut = base.protocol === 'http:' && isIP(base.hostname.replace(/^\[|\]$/g, '')) === 0;
  let resolved: { atMs: number; urls: Promise<readonly string[]> } | undefined;
  const last = new Map<TargetKey, number>();

  /** The poke URLs (without the query) of every scaler replica, resolved at most once per TTL. */
  const replicaUrls = (now: number): Promise<readonly string[]> => {
    if (!fanOut) return Promise.resolve([base.toString()]);
    if (resolved && now - resolved.atMs < resolveTtlMs) return resolved.urls;
    const urls = resolveAll(base.hostname).then(
      (addresses) => (addresses.length ? [...new Set(addresses)].map((a) => atAddress(base, a)) : [base.toString()]),
      (e: unknown) => {
        // Let the poke itself fail with the resolver's error, and resolve again next time.
        resolved = undefined;
        options.logger.debug('could not resolve the scaler host; poking its URL as it is', { host: base.hostname, error: e instanceof Error ? e.message : String(e) });
        return [base.toString()];
      },
    );
    resolved = { atMs: now, urls };
    return urls;
  };

  const send = async (url: string): Promise<void> => {
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  };

  return {
    poke(target) {
      const now = options.clock.now();
      const previous = last.get(target);
      if (previous !== undefined && now - previous < minIntervalMs) return options.observe?.('skipped');
      last.set(target, now);
      if (last.size > 10_000) for (const [k, t] of last) if (now - t >= minIntervalMs) last.delete(k);
      const query = `?target=${encodeURIComponent(target)}`;
      void replicaUrls(now)
        .then((urls) => Promise.allSettled(urls.map((u) => send(u + query))).then((results) => ({ urls, results })))
        .then(({ urls, results }) => {
          const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${urls[i] ?? ''}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
          if (failures.length < results.length) {
            options.observe?.('sent');
            if (failures.length) options.logger.debug('some scaler replicas did not take the poke', { target, failures: failures.join('; ') });
            return;
          }
          options.observe?.('failed');
          options.logger.warn('could not poke the scaler', { target, url: options.scalerUrl, error: failures.join('; ') });
        });
    },
  };
}
