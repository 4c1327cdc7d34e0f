import { describe, expect, it } from 'vitest';
import { planEndpoints, publishedMode, type PublishedSlices, type SliceEndpoint } from './endpoint-plan.ts';
import type { ServingMode } from './serving-mode.ts';

const pod = (n: number): SliceEndpoint => ({ pod: `web-${n}`, address: `198.18.1.${n}`, port: 8080 });
const gw = (n: number): SliceEndpoint => ({ pod: `gw-${n}`, address: `198.18.9.${n}`, port: 8081 });

/** Applies the plan's writes one at a time and returns every state the Service went through. */
function statesOf(published: PublishedSlices, wanted: ServingMode, target: SliceEndpoint[], gateway: SliceEndpoint[]): PublishedSlices[] {
  const states: PublishedSlices[] = [];
  let now = published;
  for (const w of planEndpoints(wanted, published, target, gateway).writes) {
    now = { ...now, [w.slice]: w.endpoints };
    states.push(now);
  }
  return states;
}

describe('planEndpoints', () => {
  it('Proxy -> Serve fills the serve slice first, then empties the proxy slice', () => {
    const plan = planEndpoints('serve', { proxy: [gw(1)], serve: [] }, [pod(1), pod(2)], [gw(1)]);
    expect(plan.mode).toBe('serve');
    expect(plan.writes).toEqual([
      { slice: 'serve', endpoints: [pod(1), pod(2)] },
      { slice: 'proxy', endpoints: [] },
    ]);
  });

  it('Serve -> Proxy fills the proxy slice first', () => {
    const plan = planEndpoints('proxy', { proxy: [], serve: [pod(1)] }, [pod(1)], [gw(1), gw(2)]);
    expect(plan.writes.map((w) => w.slice)).toEqual(['proxy', 'serve']);
  });

  it('creates both slices on first use (missing slices are written even when empty)', () => {
    expect(planEndpoints('proxy', { proxy: undefined, serve: undefined }, [], [gw(1)]).writes).toEqual([
      { slice: 'proxy', endpoints: [gw(1)] },
      { slice: 'serve', endpoints: [] },
    ]);
  });

  it('does nothing when the slices already say it, in any order', () => {
    expect(planEndpoints('serve', { proxy: [], serve: [pod(2), pod(1)] }, [pod(1), pod(2)], [gw(1)]).writes).toEqual([]);
  });

  it('follows readiness in Serve mode (a pod that leaves is removed, one that turns Ready is added)', () => {
    expect(planEndpoints('serve', { proxy: [], serve: [pod(1), pod(2)] }, [pod(2), pod(3)], [gw(1)]).writes).toEqual([{ slice: 'serve', endpoints: [pod(2), pod(3)] }]);
  });

  it('falls back to Proxy when Serve has no Ready pod, and to Serve when no gateway pod is Ready', () => {
    const noPods = planEndpoints('serve', { proxy: [], serve: [pod(1)] }, [], [gw(1)]);
    expect(noPods.mode).toBe('proxy');
    expect(noPods.fallback).toContain('no Ready pod');
    expect(noPods.writes.map((w) => w.slice)).toEqual(['proxy', 'serve']);
    const noGateway = planEndpoints('proxy', { proxy: [gw(1)], serve: [] }, [pod(1)], []);
    expect(noGateway.mode).toBe('serve');
    expect(noGateway.writes.map((w) => w.slice)).toEqual(['serve', 'proxy']);
  });

  it('with nothing Ready anywhere it leaves the slices as they are', () => {
    expect(planEndpoints('proxy', { proxy: [gw(1)], serve: [] }, [], []).writes).toEqual([]);
  });

  it('finishes a switch a stopped scaler left half-done (both slices filled)', () => {
    expect(planEndpoints('serve', { proxy: [gw(1)], serve: [pod(1)] }, [pod(1)], [gw(1)]).writes).toEqual([{ slice: 'proxy', endpoints: [] }]);
    expect(publishedMode({ proxy: [gw(1)], serve: [pod(1)] })).toBe('both');
  });

  it('never passes through a state without endpoints while something is Ready (random sequences)', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = (make: (n: number) => SliceEndpoint) => Array.from({ length: rnd(3) }, (_, i) => make(i + 1));
    let published: PublishedSlices = { proxy: undefined, serve: undefined };
    let checked = 0;
    for (let step = 0; step < 5000; step++) {
      const target = pick(pod);
      const gateway = pick(gw);
      const wanted: ServingMode = rnd(2) ? 'serve' : 'proxy';
      const hadEndpoints = publishedMode(published) !== 'none';
      const states = statesOf(published, wanted, target, gateway);
      for (const s of states) {
        if (hadEndpoints || target.length + gateway.length > 0) {
          expect(publishedMode(s), JSON.stringify({ published, wanted, target, gateway, s })).not.toBe('none');
          checked++;
        }
      }
      published = states.at(-1) ?? published;
      // After the writes the Service lists exactly the mode's endpoints, whenever it had any to offer.
      if (target.length + gateway.length > 0) expect(['proxy', 'serve']).toContain(publishedMode(published));
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
