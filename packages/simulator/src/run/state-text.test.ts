import { describe, expect, it } from 'vitest';
import { stateText } from './state-text.ts';

const T = Date.UTC(2026, 0, 5);

describe('stateText', () => {
  it.each([
    ['a plain object with a time', { since: T, level: [0, NaN] }, `{since:${T},level:[0,NaN,],}`, T],
    ['no time: counts and durations', { replicas: 3, windowMs: 60_000 }, '{replicas:3,windowMs:60000,}', -Infinity],
    ['a Map, a Set and a typed array', [new Map([['a', T + 5]]), new Set([1]), Float64Array.of(1.5, T - 1)], `[Map{"a":${T + 5},},Set[1,],[1.5,${T - 1},],]`, T + 5],
    ['undefined, null, booleans, Infinity', [undefined, null, true, Infinity], '[undefined,null,true,Infinity,]', -Infinity],
  ])('writes %s with its latest time', (_name, value, text, latest) => {
    expect(stateText(value)).toEqual({ text, latestTimeMs: latest });
  });

  it('tells states apart that JSON would write alike', () => {
    expect(stateText(new Map([['a', 1]])).text).not.toBe(stateText(new Map([['a', 2]])).text);
    expect(stateText([NaN]).text).not.toBe(stateText([null]).text);
  });
});
