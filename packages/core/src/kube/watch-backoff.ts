import type { Clock } from '../contracts/clock.ts';

/** What {@link keepReconnectsPrompt} needs of an informer: its `connect` event (client-node's `Informer.on`). */
export interface ReconnectingInformer {
  on(verb: 'connect', cb: (err?: unknown) => void): void;
}

/** A watch that ran at least this long before it ended counts as healthy (client-go's reflector uses a similar rule). */
export const HEALTHY_WATCH_MS = 10_000;

/**
 * client-node's `ListWatch` waits before each re-watch after a watch ends cleanly, doubling the wait from 1 s up
 * to 30 s, and resets it only in `start()`. The apiserver ends every watch cleanly after its request timeout
 * (30-60 minutes by default), so after a few hours every routine renewal leaves the cache blind for 30 s — a pod
 * turning Ready then is seen half a minute late. This resets the wait whenever the watch that just ended had run
 * for at least `healthyMs`, so only watches that end quickly one after another (an apiserver in trouble) back off.
 *
 * It listens to the informer's `connect` event, which client-node fires at every (re)start, before the wait, and
 * sets the informer's `reconnectDelayMs` field; with a client-node that has no such field it does nothing.
 */
export function keepReconnectsPrompt(informer: ReconnectingInformer, clock: Clock, healthyMs: number = HEALTHY_WATCH_MS): void {
  const state = informer as unknown as { reconnectDelayMs?: unknown };
  let connectedAtMs: number | undefined;
  informer.on('connect', () => {
    const now = clock.now();
    if (connectedAtMs !== undefined && now - connectedAtMs >= healthyMs && typeof state.reconnectDelayMs === 'number') state.reconnectDelayMs = 0;
    connectedAtMs = now;
  });
}
