import type { Socket } from 'node:net';

/** The client connection preface of HTTP/2 with prior knowledge (RFC 9113 3.4). */
export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * What the first bytes of a connection say: `h2` when they are the HTTP/2 preface, `http1` as soon as they
 * differ from it, `more` while they are a proper prefix of it (e.g. `PRI * HT`).
 */
export function sniffPreface(bytes: Buffer): 'h2' | 'http1' | 'more' {
  const n = Math.min(bytes.length, H2_PREFACE.length);
  if (bytes.compare(H2_PREFACE, 0, n, 0, n) !== 0) return 'http1';
  return n === H2_PREFACE.length ? 'h2' : 'more';
}

/**
 * Reads the first bytes of `socket` and hands it to `http1` or `h2` with those bytes put back, so one port
 * serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c). A connection that sends nothing recognisable within
 * `timeoutMs` is closed. Costs one `data` event per connection, nothing per request.
 */
export function routeByPreface(socket: Socket, timeoutMs: number, http1: (socket: Socket) => void, h2: (socket: Socket) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onTimeout = (): void => void socket.destroy();
  socket.setTimeout(timeoutMs, onTimeout);
  const done = (): void => {
    socket.setTimeout(0);
    socket.off('timeout', onTimeout);
    socket.off('data', onData);
    socket.off('error', onError);
  };
  const onError = (): void => undefined;
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const kind = sniffPreface(seen);
    if (kind === 'more') return;
    done();
    if (kind === 'h2') {
      // The HTTP/2 session reads what is already buffered before it takes over the socket.
      socket.pause();
      socket.unshift(seen);
      h2(socket);
    } else {
      // The HTTP/1.1 server reads the socket natively once attached; the bytes read here reach it as a `data`
      // event of the (flowing) socket.
      http1(socket);
      socket.unshift(seen);
    }
  };
  socket.on('error', onError);
  socket.on('data', onData);
}
