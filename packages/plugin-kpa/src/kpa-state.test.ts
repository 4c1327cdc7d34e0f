import { describe, expect, it } from 'vitest';
import { initialKpaState, isPanicking } from './kpa-state.ts';
import { T0 } from './test-support/knative-fixtures.ts';

describe('initialKpaState (Knative TestStartInPanicMode)', () => {
  it.each([
    { ready: 0, panicking: false },
    { ready: 1, panicking: false },
    { ready: 2, panicking: true },
    { ready: 37, panicking: true },
  ])('created on $ready ready pods: panicking=$panicking, holding $ready', ({ ready, panicking }) => {
    const state = initialKpaState(ready, T0);
    expect(isPanicking(state)).toBe(panicking);
    expect(state.panicTimeMs).toBe(panicking ? T0 : undefined);
    expect(state.maxPanicPods).toBe(ready);
  });

  it('survives a JSON round trip (the scaler may persist it)', () => {
    const back = JSON.parse(JSON.stringify(initialKpaState(1, T0))) as { panicTimeMs?: number; maxPanicPods: number };
    expect(isPanicking({ panicTimeMs: back.panicTimeMs, maxPanicPods: back.maxPanicPods })).toBe(false);
  });
});
