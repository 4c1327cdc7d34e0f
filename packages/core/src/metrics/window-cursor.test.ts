import { describe, expect, it } from 'vitest';
import { MetricWindow } from './metric-window.ts';
import { smoothingCoefficient } from './weighted-exponential.ts';

const T0 = Date.UTC(2026, 0, 1);
const at = (second: number, ms = 0): number => T0 + second * 1000 + ms;

/** The seconds with data in the window, newest first, as a full walk over the buckets reads them. */
function walk(reference: Map<number, number>, newest: number, retentionS: number, nowSecond: number, windowS: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = Math.min(nowSecond, newest); s > Math.max(nowSecond - windowS, newest - retentionS); s--) {
    const v = reference.get(s);
    if (v !== undefined) out.push([s, v]);
  }
  return out;
}

function weighted(seconds: Array<[number, number]>, nowSecond: number, windowS: number): number | undefined {
  const alpha = smoothingCoefficient(windowS);
  let num = 0;
  let den = 0;
  for (const [s, v] of seconds) {
    const w = alpha * Math.pow(1 - alpha, nowSecond - s);
    num += w * v;
    den += w;
  }
  return den === 0 ? undefined : ((1 - Math.pow(1 - alpha, windowS)) * num) / den;
}

/**
 * The running sums against a full walk: a collector records about once a second (sometimes twice in a second,
 * sometimes late, sometimes not at all, sometimes after a long outage), and a decider reads a stable and a panic
 * window, both linear and weighted, every 1-3 s — now and then at an earlier time, or after a resize.
 */
describe('MetricWindow running sums: equal to a full walk over the buckets', () => {
  it.each([
    [1, 60, [60, 6]],
    [2, 60, [60, 6]],
    [3, 10, [10, 1]],
    [4, 120, [90, 9]],
    [5, 30, [60, 6]], // windows longer than the retention
    [6, 600, [600, 60]],
  ])('seed %d, retention %d s, windows %j s', (seed, retentionS0, windows) => {
    let s = seed;
    const rnd = (): number => (s = (s * 16_807) % 2_147_483_647) / 2_147_483_647;
    let retentionS = retentionS0;
    const w = new MetricWindow(retentionS * 1000);
    const reference = new Map<number, number>();
    let newest = -Infinity;
    let second = 0;
    const record = (sec: number, value: number): void => {
      if (sec > newest - retentionS) {
        reference.set(sec, (reference.get(sec) ?? 0) + value);
        newest = Math.max(newest, sec);
      }
      w.record(value, at(sec, Math.floor(rnd() * 1000)));
    };
    for (let step = 0; step < 1500; step++) {
      const r = rnd();
      if (r < 0.02) second += Math.floor(rnd() * retentionS * 1.5); // an outage
      else second += 1 + Math.floor(rnd() * 2);
      if (rnd() > 0.1) record(second, Math.round(rnd() * 10_000) / 100);
      if (rnd() < 0.1) record(second, Math.round(rnd() * 100) / 10); // a second report in the same second
      if (rnd() < 0.1) record(second - 1 - Math.floor(rnd() * 5), Math.round(rnd() * 100)); // a late one
      if (rnd() < 0.005) {
        const next = 5 + Math.floor(rnd() * 2 * retentionS0);
        // The window keeps the newest seconds that fit both the old and the new retention.
        for (const k of [...reference.keys()]) if (k <= newest - Math.min(retentionS, next)) reference.delete(k);
        retentionS = next;
        w.resize(retentionS * 1000);
      }
      const nowSecond = rnd() < 0.05 ? second - Math.floor(rnd() * 20) : second;
      const now = at(nowSecond, 500 + Math.floor(rnd() * 499));
      for (const windowS of windows) {
        const seconds = walk(reference, newest, retentionS, nowSecond, windowS);
        const values = seconds.map(([, v]) => v);
        const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
        const wavg = weighted(seconds, nowSecond, windowS);
        if (avg === undefined) expect(w.average(now, windowS * 1000)).toBeUndefined();
        else expect(w.average(now, windowS * 1000)).toBeCloseTo(avg, 9);
        if (wavg === undefined) expect(w.weightedAverage(now, windowS * 1000)).toBeUndefined();
        else expect(w.weightedAverage(now, windowS * 1000)).toBeCloseTo(wavg, 9);
      }
    }
  });

  it('reads more window lengths than it keeps cursors for', () => {
    const w = new MetricWindow(60_000);
    for (let i = 0; i < 60; i++) w.record(i, at(i));
    for (let round = 0; round < 3; round++) {
      for (let k = 1; k <= 8; k++) {
        const seconds = Array.from({ length: k }, (_, j) => 59 - j);
        expect(w.average(at(59, 500), k * 1000)).toBeCloseTo(seconds.reduce((a, b) => a + b, 0) / k, 12);
      }
    }
  });
});
