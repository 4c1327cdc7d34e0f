import { describe, expect, it } from 'vitest';
import { isDelayWindow, recordDelay, type DelayEntry } from './delay-window.ts';

describe('recordDelay', () => {
  it.each([
    ['empty window', [], 0, 5, [{ timeMs: 0, replicas: 5 }]],
    ['a lower value keeps the higher before it', [{ timeMs: 0, replicas: 9 }], 2_000, 4, [{ timeMs: 0, replicas: 9 }, { timeMs: 2_000, replicas: 4 }]],
    ['a higher value drops every lower one', [{ timeMs: 0, replicas: 9 }, { timeMs: 2_000, replicas: 4 }], 4_000, 10, [{ timeMs: 4_000, replicas: 10 }]],
    ['an equal value replaces the older (it lasts longer)', [{ timeMs: 0, replicas: 9 }], 2_000, 9, [{ timeMs: 2_000, replicas: 9 }]],
    ['an entry drops out once delay has passed', [{ timeMs: 0, replicas: 9 }], 10_000, 1, [{ timeMs: 10_000, replicas: 1 }]],
    ['an entry counts while now - time < delay', [{ timeMs: 0, replicas: 9 }], 9_999, 1, [{ timeMs: 0, replicas: 9 }, { timeMs: 9_999, replicas: 1 }]],
  ] as const)('%s', (_name, entries, nowMs, replicas, expected) => {
    expect(recordDelay(entries, nowMs, replicas, 10_000)).toEqual(expected);
  });

  it('does not modify the window it is given', () => {
    const entries: readonly DelayEntry[] = Object.freeze([{ timeMs: 0, replicas: 9 }]);
    recordDelay(entries, 1_000, 3, 10_000);
    expect(entries).toEqual([{ timeMs: 0, replicas: 9 }]);
  });

  it.each([1, 2, 3, 4, 5])('front is the max over (now - delay, now] on a random series (seed %d)', (seed) => {
    let s = seed;
    const rnd = (): number => (s = (s * 48_271) % 2_147_483_647) / 2_147_483_647;
    const delayMs = 2_000 * (1 + Math.floor(rnd() * 20));
    const history: DelayEntry[] = [];
    let window: DelayEntry[] = [];
    for (let tick = 0; tick < 300; tick++) {
      const nowMs = tick * 2_000;
      const replicas = Math.floor(rnd() * 20);
      history.push({ timeMs: nowMs, replicas });
      window = recordDelay(window, nowMs, replicas, delayMs);
      const expected = Math.max(...history.filter((h) => nowMs - h.timeMs < delayMs).map((h) => h.replicas));
      expect(window[0]?.replicas).toBe(expected);
      expect(window.length).toBeLessThanOrEqual(delayMs / 2_000);
      const counts = window.map((e) => e.replicas);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(new Set(counts).size).toBe(counts.length);
    }
  });
});

describe('isDelayWindow', () => {
  it.each([
    [[], true],
    [[{ timeMs: 1, replicas: 2 }], true],
    [[{ timeMs: 1 }], false],
    [[null], false],
    [[{ timeMs: Number.NaN, replicas: 1 }], false],
    [{ length: 0 }, false],
    [undefined, false],
  ])('%j -> %s', (x, expected) => expect(isDelayWindow(x)).toBe(expected));
});
