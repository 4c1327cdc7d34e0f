import { describe, expect, it } from 'vitest';
import { selectPods, type ScrapePod } from './pod-selection.ts';

const NOW = 1_000_000;
const CUTOFF = 60_000;
/** `n` pods named `<prefix>-<i>`, started `ageMs` ago. */
const pods = (prefix: string, n: number, ageMs: number): ScrapePod[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i}`, ip: `127.0.0.${i + 1}`, startMs: NOW - ageMs }));
/** A seeded generator (mulberry32), so shuffles are repeatable. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const names = (ps: readonly ScrapePod[]) => ps.map((p) => p.name);

describe('selectPods (Knative scrapePods)', () => {
  it.each([
    { old: 0, young: 0, total: 0, sample: 0 },
    { old: 2, young: 0, total: 2, sample: 2 },
    { old: 8, young: 2, total: 10, sample: 7 },
    { old: 1, young: 9, total: 10, sample: 7 },
    { old: 200, young: 0, total: 200, sample: 15 },
  ])('$old old + $young young pods -> sample $sample of $total', ({ old, young, total, sample }) => {
    const s = selectPods({ pods: [...pods('old', old, CUTOFF), ...pods('young', young, CUTOFF - 1)], nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(), random: seeded(1) });
    expect(s.total).toBe(total);
    expect(s.sampleSize).toBe(sample);
    expect(s.order).toHaveLength(total);
  });

  it('with enough old pods, samples only old pods and keeps the young ones as backups at the end', () => {
    const s = selectPods({ pods: [...pods('young', 2, 1000), ...pods('old', 8, CUTOFF * 2)], nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(), random: seeded(2) });
    expect(names(s.order.slice(0, 8)).every((n) => n.startsWith('old-'))).toBe(true);
    expect(names(s.order.slice(8))).toEqual(['young-0', 'young-1']);
  });

  it('with too few old pods, uses every old pod first and fills the sample with young ones', () => {
    const s = selectPods({ pods: [...pods('young', 9, 1000), ...pods('old', 1, CUTOFF)], nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(), random: seeded(3) });
    expect(s.order[0]?.name).toBe('old-0');
    expect(names(s.order.slice(1)).sort()).toEqual(names(pods('young', 9, 0)).sort());
  });

  it('counts a pod without a start time as young', () => {
    const s = selectPods({ pods: [{ name: 'unknown', ip: '127.0.0.9', startMs: undefined }, ...pods('old', 4, CUTOFF)], nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(), random: seeded(4) });
    expect(s.sampleSize).toBe(4);
    expect(s.order.at(-1)?.name).toBe('unknown');
  });

  it('draws different samples on different rounds (shuffled), and every old pod in the long run', () => {
    const all = pods('old', 40, CUTOFF);
    const random = seeded(5);
    const seen = new Set<string>();
    const samples = new Set<string>();
    for (let round = 0; round < 50; round++) {
      const s = selectPods({ pods: all, nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(), random });
      const sample = names(s.order.slice(0, s.sampleSize));
      sample.forEach((n) => seen.add(n));
      samples.add(sample.sort().join(','));
    }
    expect(seen.size).toBe(40);
    expect(samples.size).toBeGreaterThan(40);
  });

  it('keeps the pods named in keep at the front of their group', () => {
    const all = pods('old', 40, CUTOFF);
    const keep = new Set(['old-3', 'old-17', 'old-39']);
    const s = selectPods({ pods: all, nowMs: NOW, youngPodCutoffMs: CUTOFF, keep, random: seeded(6) });
    expect(new Set(names(s.order.slice(0, 3)))).toEqual(keep);
  });

  it('does not keep a pod that is young (it stays a backup)', () => {
    const all = [...pods('old', 20, CUTOFF), ...pods('young', 1, 0)];
    const s = selectPods({ pods: all, nowMs: NOW, youngPodCutoffMs: CUTOFF, keep: new Set(['young-0']), random: seeded(7) });
    expect(s.order.at(-1)?.name).toBe('young-0');
  });
});
