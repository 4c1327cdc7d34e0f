/**
 * CPU per acquire + release on the dispatcher's fast path (`tryAcquire`, 5 endpoints, containerConcurrency 0, 1
 * and 3), in nanoseconds of process CPU time, median of 7 rounds. With `EBB_BENCH_DISPATCHER_REF=<path of another
 * dispatcher.ts>` (e.g. from a `git worktree` of an earlier commit) both run side by side, alternating first.
 *
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/dispatcher-micro.ts
 */
import { systemClock } from '@ebb/core';
import { TargetDispatcher } from '../src/gateway/dispatcher.ts';

type DispatcherClass = typeof TargetDispatcher;
const ROUNDS = 7;
const CYCLES = 300_000;
const endpoints = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, address: `127.0.0.${i + 1}`, port: 80 }));

/** ns of CPU per acquire + release, two leases held at a time. */
function measure(D: DispatcherClass, cc: number): number {
  const d = new D({ containerConcurrency: cc, queueLength: 100, queueTimeoutMs: 1000 }, systemClock);
  d.setEndpoints(endpoints);
  const start = process.cpuUsage();
  for (let i = 0; i < CYCLES; i++) {
    const a = d.tryAcquire();
    const b = d.tryAcquire();
    a?.release();
    b?.release();
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / (2 * CYCLES);
}

const ref = process.env['EBB_BENCH_DISPATCHER_REF'];
const candidates: Array<[string, DispatcherClass]> = [['this checkout', TargetDispatcher]];
if (ref) candidates.push(['reference', ((await import(ref)) as { TargetDispatcher: DispatcherClass }).TargetDispatcher]);
const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const cc of [0, 1, 3]) {
    const order = round % 2 ? [...candidates].reverse() : candidates;
    for (const [name, D] of order) {
      const key = `${name}, containerConcurrency ${cc}`;
      results.set(key, [...(results.get(key) ?? []), measure(D, cc)]);
    }
  }
}
for (const [key, values] of results) {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(`${key}: ${sorted[Math.floor(ROUNDS / 2)]?.toFixed(0)} ns per acquire + release (${sorted[0]?.toFixed(0)}-${sorted[ROUNDS - 1]?.toFixed(0)})`);
}
