import { ListWatch, type KubernetesObject, type Watch } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../contracts/clock.ts';
import { keepReconnectsPrompt } from './watch-backoff.ts';

/**
 * client-node's real ListWatch over a scripted transport: each watch stays open until the test ends it cleanly,
 * as the apiserver does at its request timeout; the waits before re-watching are recorded instead of slept.
 */
function scriptedListWatch(prompt: { clock: ManualClock } | undefined) {
  const delays: number[] = [];
  let end: ((err: unknown) => void) | undefined;
  let watches = 0;
  const transport = {
    watch: async (_path: string, _query: unknown, _cb: unknown, done: (err: unknown) => void) => {
      watches++;
      end = done;
      return new AbortController();
    },
  } as unknown as Watch;
  const list = async () => ({ metadata: { resourceVersion: '7' }, items: [] as KubernetesObject[] });
  const informer = new ListWatch<KubernetesObject>('/api/v1/namespaces/x/pods', transport, list, false, undefined, undefined, {
    delayFn: async (ms: number) => void delays.push(ms),
  });
  if (prompt) keepReconnectsPrompt(informer, prompt.clock);
  return {
    informer,
    delays,
    watches: () => watches,
    /** Ends the open watch cleanly and waits until the informer watches again. */
    async endWatch(): Promise<void> {
      const before = watches;
      end?.(null);
      for (let i = 0; i < 50 && watches === before; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

describe('keepReconnectsPrompt', () => {
  it('client-node alone waits longer before every re-watch, up to 30 s, however long each watch ran', async () => {
    const clock = new ManualClock(0);
    const lw = scriptedListWatch(undefined);
    await lw.informer.start();
    for (let i = 0; i < 7; i++) {
      clock.advance(45 * 60_000);
      await lw.endWatch();
    }
    expect(lw.watches()).toBe(8);
    expect(lw.delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it('re-watches at once after a watch that ran for a while', async () => {
    const clock = new ManualClock(0);
    const lw = scriptedListWatch({ clock });
    await lw.informer.start();
    for (let i = 0; i < 7; i++) {
      clock.advance(45 * 60_000);
      await lw.endWatch();
    }
    expect(lw.watches()).toBe(8);
    expect(lw.delays).toEqual([]);
  });

  it('still backs off while watches end quickly one after another (an apiserver in trouble)', async () => {
    const clock = new ManualClock(0);
    const lw = scriptedListWatch({ clock });
    await lw.informer.start();
    clock.advance(45 * 60_000);
    await lw.endWatch();
    for (let i = 0; i < 4; i++) {
      clock.advance(500);
      await lw.endWatch();
    }
    expect(lw.delays).toEqual([1000, 2000, 4000, 8000]);
    // A healthy watch again: the next re-watch is immediate.
    clock.advance(60_000);
    await lw.endWatch();
    expect(lw.delays).toEqual([1000, 2000, 4000, 8000]);
  });
});
