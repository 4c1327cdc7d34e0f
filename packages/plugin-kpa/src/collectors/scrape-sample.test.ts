import { describe, expect, it } from 'vitest';
import type { ScrapePod } from './pod-selection.ts';
import { scrapeSample } from './scrape-sample.ts';

const pod = (name: string): ScrapePod => ({ name, ip: '127.0.0.1', startMs: 0 });
const order = ['a', 'b', 'c', 'd', 'e'].map(pod);

describe('scrapeSample (Knative scrapePods workers)', () => {
  it.each([
    { name: 'every sampled pod answers: only the sample is read', failing: [], sampleSize: 3, ok: true, read: ['a', 'b', 'c'] },
    { name: 'a failing pod is replaced by the next backup', failing: ['b'], sampleSize: 3, ok: true, read: ['a', 'c', 'd'] },
    { name: 'failures use up the backups in order', failing: ['a', 'c'], sampleSize: 3, ok: true, read: ['b', 'd', 'e'] },
    { name: 'too few answers: incomplete', failing: ['a', 'b', 'c'], sampleSize: 3, ok: false, read: ['d', 'e'] },
    { name: 'empty sample', failing: [], sampleSize: 0, ok: true, read: [] },
  ])('$name', async ({ failing, sampleSize, ok, read }) => {
    const outcome = await scrapeSample({ total: order.length, sampleSize, order }, async (p) => {
      await new Promise((r) => setTimeout(r, 1));
      if (failing.includes(p.name)) throw new Error(`${p.name} refused`);
      return p.name.toUpperCase();
    });
    expect(outcome.ok).toBe(ok);
    if (outcome.ok) {
      expect(outcome.readings.map((r) => r.pod.name).sort()).toEqual(read);
      expect(outcome.readings.every((r) => r.value === r.pod.name.toUpperCase())).toBe(true);
    } else {
      expect(outcome.answered).toBe(read.length);
      expect(outcome.errors.map((e) => (e as Error).message).sort()).toEqual(failing.map((f) => `${f} refused`));
    }
  });

  it('scrapes the sample in parallel', async () => {
    let running = 0;
    let most = 0;
    await scrapeSample({ total: 5, sampleSize: 4, order }, async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
    expect(most).toBe(4);
  });
});
