import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MetricWindow } from './metric-window.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function usedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('MetricWindow memory', () => {
  it('takes at most ~5 KB per 60 s window, typed array included', () => {
    const count = 5_000;
    const before = usedBytes();
    const windows = Array.from({ length: count }, () => new MetricWindow(60_000));
    const perWindow = (usedBytes() - before) / count;
    expect(windows).toHaveLength(count);
    expect(perWindow).toBeLessThan(5 * 1024);
  });

  it('allocates nothing per record in steady state (no young-generation collections while recording)', async () => {
    const w = new MetricWindow(60_000);
    const t0 = Date.UTC(2026, 0, 1);
    const run = (n: number, offset: number): void => {
      for (let i = 0; i < n; i++) w.record(i % 7, t0 + (offset + i) * 37);
    };
    run(200_000, 0); // warm up (JIT)
    gc();
    let minorGcs = 0;
    const observer = new PerformanceObserver((list) => {
      // detail.kind 1 is NODE_PERFORMANCE_GC_MINOR (a scavenge of the young generation).
      minorGcs += list.getEntries().filter((e) => (e as { detail?: { kind?: number } }).detail?.kind === 1).length;
    });
    observer.observe({ entryTypes: ['gc'] });
    run(3_000_000, 200_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    // 3 million allocating records (16+ bytes each) would need several scavenges of the young generation.
    expect(minorGcs).toBeLessThanOrEqual(1);
  });
});
