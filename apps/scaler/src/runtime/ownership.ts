import { fnv1a, LeaseElector, type Clock, type Logger, type TargetKey } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * Jump consistent hash (Lamping & Veach, 2014): maps a 32-bit key to a bucket in [0, buckets) so that growing
 * from n to n+1 buckets moves only 1/(n+1) of the keys. Example: jumpHash(fnv1a('ns/a'), 1) = 0 always.
 */
export function jumpHash(key: number, buckets: number): number {
  let k = BigInt(key);
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = Math.floor(((b + 1) * 2 ** 31) / (Number(k >> 33n) + 1));
  }
  return b;
}

/** Which targets this replica acts on. */
export interface Ownership {
  owns(key: TargetKey): boolean;
  /** Shard of a target. */
  shardOf(key: TargetKey): number;
  start(): void;
  stop(): Promise<void>;
  /** Shards this replica currently leads. */
  leading(): number[];
}

/** Every target, always (leader election off). */
export const ownsAll: Ownership = { owns: () => true, shardOf: () => 0, start: () => undefined, stop: async () => undefined, leading: () => [0] };

/**
 * Leader election per shard: `shards` Leases named `<name>` (one shard) or `<name>-<i>`; this replica acts on a
 * target when it holds the Lease of the target's shard. With one shard this is plain leader election. A replica
 * takes at most `maxShardsPerReplica` leases, so that N replicas share the shards; leave slack for failover
 * (8 shards on 4 replicas: 3 each lets the 3 survivors of a failure cover all 8 shards).
 */
export function leaseOwnership(
  kc: KubeConfig,
  o: {
    namespace: string;
    name: string;
    identity: string;
    shards: number;
    /** Most shard leases this replica holds at once (default all). */
    maxShardsPerReplica?: number;
    clock: Clock;
    logger: Logger;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
    onChange?: (shard: number, leading: boolean) => void;
  },
): Ownership {
  const max = o.maxShardsPerReplica ?? o.shards;
  // Leases held plus leases being taken right now, so concurrent attempts of this replica never exceed the cap.
  const held = () => electors.filter((e) => e.isLeader() || e.isAcquiring()).length;
  const electors: LeaseElector[] = Array.from(
    { length: o.shards },
    (_, i) =>
      new LeaseElector(kc, {
        namespace: o.namespace,
        name: o.shards === 1 ? o.name : `${o.name}-${i}`,
        identity: o.identity,
        clock: o.clock,
        logger: o.logger,
        leaseDurationMs: o.leaseDurationMs,
        renewDeadlineMs: o.renewDeadlineMs,
        retryPeriodMs: o.retryPeriodMs,
        onChange: (leading) => o.onChange?.(i, leading),
        mayAcquire: () => held() < max,
      }),
  );
  const shardCache = new Map<TargetKey, number>();
  const shardOf = (key: TargetKey) => {
    let s = shardCache.get(key);
    if (s === undefined) shardCache.set(key, (s = jumpHash(fnv1a(key), o.shards)));
    return s;
  };
  return {
    owns: (key) => electors[shardOf(key)]!.isLeader(),
    shardOf,
    start: () => electors.forEach((e) => e.start()),
    stop: async () => {
      await Promise.all(electors.map((e) => e.stop()));
    },
    leading: () => electors.flatMap((e, i) => (e.isLeader() ? [i] : [])),
  };
}
