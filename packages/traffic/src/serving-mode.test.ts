import { describe, expect, it } from 'vitest';
import { decideServingMode, type ServingModeInput } from './serving-mode.ts';

const base: ServingModeInput = {
  desired: 3,
  readyPods: 3,
  targetBurstCapacity: 211,
  burst: { totalPerPod: 100, panicValue: 50 },
  containerConcurrency: 0,
  serveWithConcurrencyLimit: false,
  demandSeenOnlyByGateway: false,
};

describe('decideServingMode (Knative kpa.go: Proxy when want == 0 or excess burst capacity < 0)', () => {
  it('serves when the ready pods absorb the burst: 3 x 100 - 211 - 50 = 39', () => {
    expect(decideServingMode(base)).toMatchObject({ mode: 'serve', excessBurstCapacity: 39 });
  });

  it('proxies when they do not: 3 x 100 - 211 - 120 = -31', () => {
    const d = decideServingMode({ ...base, burst: { totalPerPod: 100, panicValue: 120 } });
    expect(d).toMatchObject({ mode: 'proxy', excessBurstCapacity: -31 });
    expect(d.reason).toContain('-31 < 0');
  });

  it("floors like Knative: 10 x 100 - 211 - 500 = 289; 6 pods -> -111", () => {
    expect(decideServingMode({ ...base, readyPods: 10, burst: { totalPerPod: 100, panicValue: 500 } }).excessBurstCapacity).toBe(289);
    expect(decideServingMode({ ...base, readyPods: 6, burst: { totalPerPod: 100, panicValue: 500 } }).excessBurstCapacity).toBe(-111);
    expect(decideServingMode({ ...base, readyPods: 1, targetBurstCapacity: 10, burst: { totalPerPod: 10, panicValue: 0.5 } })).toMatchObject({ mode: 'proxy', excessBurstCapacity: -1 });
  });

  it('exactly zero excess is enough (>= 0)', () => {
    expect(decideServingMode({ ...base, burst: { totalPerPod: 100, panicValue: 89 } })).toMatchObject({ mode: 'serve', excessBurstCapacity: 0 });
  });

  it('TBC -1 keeps the gateway in the path always; TBC 0 only at zero', () => {
    expect(decideServingMode({ ...base, targetBurstCapacity: -1 }).mode).toBe('proxy');
    expect(decideServingMode({ ...base, targetBurstCapacity: 0, burst: { totalPerPod: 1, panicValue: 1000 } }).mode).toBe('serve');
    expect(decideServingMode({ ...base, targetBurstCapacity: 0, desired: 0 }).mode).toBe('proxy');
  });

  it('at zero, or before the first Ready pod, the gateway holds the requests', () => {
    expect(decideServingMode({ ...base, desired: 0 }).mode).toBe('proxy');
    expect(decideServingMode({ ...base, readyPods: 0, targetBurstCapacity: 0 }).mode).toBe('proxy');
  });

  it('container-concurrency 1 stays with the gateway unless the user opts out', () => {
    expect(decideServingMode({ ...base, containerConcurrency: 1 }).mode).toBe('proxy');
    expect(decideServingMode({ ...base, containerConcurrency: 1, serveWithConcurrencyLimit: true }).mode).toBe('serve');
    expect(decideServingMode({ ...base, containerConcurrency: 2 }).mode).toBe('serve');
  });

  it('a demand only the gateway measures keeps it in the path', () => {
    expect(decideServingMode({ ...base, demandSeenOnlyByGateway: true }).reason).toContain('measured by the gateway only');
  });

  it('while the KPA has no figures yet the gateway stays (unless TBC 0)', () => {
    expect(decideServingMode({ ...base, burst: 'pending' })).toMatchObject({ mode: 'proxy' });
    expect(decideServingMode({ ...base, burst: 'pending', targetBurstCapacity: 0 })).toMatchObject({ mode: 'serve' });
  });

  it('without the KPA a positive TBC acts as 0 (serve while a pod is Ready)', () => {
    expect(decideServingMode({ ...base, burst: undefined }).mode).toBe('serve');
    expect(decideServingMode({ ...base, burst: undefined, readyPods: 0 }).mode).toBe('proxy');
  });
});
