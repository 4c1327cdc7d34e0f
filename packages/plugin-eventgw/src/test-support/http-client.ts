import type { GatewayStatsReport, GatewayTargetStats } from '@ebb/core';
import { connect } from 'node:net';
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** A complete answer. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What {@link send} sends. */
export interface SendOptions {
  readonly host?: string;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Gives up (rejects) after this many ms (default 10 000), so no test hangs. */
  readonly timeoutMs?: number;
}

/** Sends one request to 127.0.0.1:`port` on a fresh connection and reads the whole answer. */
export function send(port: number, options: SendOptions = {}): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        agent: false,
        headers: { host: options.host ?? 'app.example.com', ...options.headers },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves after `ms` (to let events settle where a test needs it; never to assert speed). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 10 ms until it returns a value other than undefined/false; rejects after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(10);
  }
}

/** The gateway's `/stats` report. */
export async function fetchStats(adminPort: number): Promise<GatewayStatsReport> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/stats`);
  return (await res.json()) as GatewayStatsReport;
}

/** The stats of `target` in the gateway's report. */
export async function targetStats(adminPort: number, target: string): Promise<GatewayTargetStats | undefined> {
  return (await fetchStats(adminPort)).targets.find((t) => t.target === target);
}

/**
 * Writes `data` on a raw TCP connection to 127.0.0.1:`port` and resolves with everything read until the server
 * closes the connection (or `timeoutMs`, default 10 000, passes: then rejects).
 */
export function rawExchange(port: number, data: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(data));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${timeoutMs} ms; read so far: ${text.slice(0, 200)}`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}
