import { connect, type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from 'node:http2';
import type { Clock } from '@ebb/core';
import type { GatewayEndpoint } from './target-route.ts';

/** Most concurrent streams the gateway opens on one HTTP/2 connection to a pod before opening another. */
export const H2_STREAMS_PER_SESSION = 100;

/**
 * HTTP/2 (h2c, prior knowledge) connections to pods, one or more per pod address, reused across requests. A
 * connection that fails, closes or gets GOAWAY is dropped and the next request opens a new one. `connect`
 * resolves once the connection is up (SETTINGS exchanged), so a failure before it is a connection failure that
 * may be retried on another pod.
 */
export class H2Sessions {
  private readonly byAddress = new Map<string, ClientHttp2Session[]>();
  private readonly streams = new WeakMap<ClientHttp2Session, number>();
  private readonly ready = new WeakMap<ClientHttp2Session, Promise<void>>();
  private readonly clock: Clock;
  private closed = false;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /**
   * Opens a stream (one request) to `endpoint` on a connected session; rejects when no connection can be opened
   * within `timeoutMs` (nothing was sent: safe to retry elsewhere).
   */
  async request(endpoint: GatewayEndpoint, headers: OutgoingHttpHeaders, endStream: boolean, timeoutMs: number): Promise<ClientHttp2Stream> {
    if (this.closed) throw new Error('the gateway is shutting down');
    // The stream counts against its session from now on, so that a burst spreads over sessions while they connect.
    const session = this.pick(endpoint);
    this.streams.set(session, (this.streams.get(session) ?? 0) + 1);
    session.ref();
    const done = (): void => {
      const left = (this.streams.get(session) ?? 1) - 1;
      this.streams.set(session, left);
      if (left === 0 && !session.destroyed) session.unref();
    };
    try {
      await this.connected(session, timeoutMs);
    } catch (e) {
      done();
      throw e;
    }
    const stream = session.request(headers, { endStream });
    stream.once('close', done);
    return stream;
  }

  /** A session to `endpoint` with room for one more stream, opened if needed. */
  private pick(endpoint: GatewayEndpoint): ClientHttp2Session {
    const key = endpoint.address.includes(':') ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
    const list = this.byAddress.get(key) ?? [];
    const usable = list.find((s) => !s.closed && !s.destroyed && (this.streams.get(s) ?? 0) < H2_STREAMS_PER_SESSION);
    if (usable) return usable;
    const session = connect(`http://${key}`, { settings: { enablePush: false } });
    session.on('error', () => undefined);
    const drop = (): void => {
      const now = this.byAddress.get(key)?.filter((s) => s !== session) ?? [];
      if (now.length) this.byAddress.set(key, now);
      else this.byAddress.delete(key);
    };
    session.once('close', drop);
    session.once('goaway', drop);
    // An idle connection does not keep the gateway's event loop alive; it is referenced while streams are open.
    session.unref();
    list.push(session);
    this.byAddress.set(key, list);
    return session;
  }

  /** Resolves once `session` is connected (one wait shared by every request on it); rejects on failure or timeout. */
  private connected(session: ClientHttp2Session, timeoutMs: number): Promise<void> {
    if (!session.connecting) return session.destroyed ? Promise.reject(new Error('connection closed')) : Promise.resolve();
    let ready = this.ready.get(session);
    if (!ready) {
      ready = waitForConnect(session, timeoutMs, this.clock);
      this.ready.set(session, ready);
    }
    return ready;
  }

  /** Closes every connection (shutdown); later `get` calls reject. */
  close(): void {
    this.closed = true;
    for (const list of this.byAddress.values()) for (const s of list) s.destroy();
    this.byAddress.clear();
  }
}

function waitForConnect(session: ClientHttp2Session, timeoutMs: number, clock: Clock): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      cleanup();
      session.destroy();
      reject(new Error(`connect timeout after ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = (): void => {
      cleanup();
      resolve();
    };
    const onFail = (err?: NodeJS.ErrnoException): void => {
      cleanup();
      reject(err ?? new Error('connection closed'));
    };
    const cleanup = (): void => {
      timer.cancel();
      session.off('connect', onConnect);
      session.off('error', onFail);
      session.off('close', onFail);
    };
    session.once('connect', onConnect);
    session.once('error', onFail);
    session.once('close', onFail);
  });
}
