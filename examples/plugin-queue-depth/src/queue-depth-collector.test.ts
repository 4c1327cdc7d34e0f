import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollectContext, TargetInfo } from '@ebb/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueDepthCollector } from './queue-depth-collector.ts';

/** A Prometheus stand-in on a real socket: answers /api/v1/query from a table of queries. */
const answers = new Map<string, { status?: number; body: string; delayMs?: number }>();
const asked: string[] = [];
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    asked.push(query);
    const a = answers.get(query) ?? { status: 400, body: JSON.stringify({ status: 'error', error: `unknown query ${query}` }) };
    setTimeout(() => res.writeHead(a.status ?? 200, { 'content-type': 'application/json' }).end(a.body), a.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const vector = (...values: number[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1, String(v)] })) } });

function target(name: string, annotations: Record<string, string>): TargetInfo {
  return { ref: { namespace: 'shop', name }, key: `shop/${name}`, selector: { app: name }, policies: ['queue-depth'], annotations };
}

/** One round; what the sink received. */
async function round(targets: TargetInfo[], signal = new AbortController().signal) {
  const recorded: Array<[string, number, number]> = [];
  const failed: Array<[string, string]> = [];
  const ctx: CollectContext = {
    nowMs: 1_700_000_000_000,
    targets,
    signal,
    sink: {
      record: (key, metric, value, timeMs) => void (expect(metric).toBe('queue-depth'), recorded.push([key, value, timeMs])),
      snapshot: () => undefined,
      fail: (key, _metric, error) => void failed.push([key, error instanceof Error ? error.message : String(error)]),
    },
  };
  await createQueueDepthCollector({ prometheusUrl: url, intervalMs: 1000, timeoutMs: 300 }).collect(ctx);
  return { recorded, failed };
}

const q = (query: string) => ({ 'ebb.dev/queue-depth.query': query });

describe('queue-depth collector', () => {
  it('runs each target its own query and records the value (vectors summed) at the round time', async () => {
    answers.set('orders', { body: vector(3, 4) });
    answers.set('mails', { body: JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '12.5'] } }) });
    const { recorded, failed } = await round([target('orders', q('orders')), target('mails', q('mails'))]);
    expect(recorded.sort()).toEqual([
      ['shop/mails', 12.5, 1_700_000_000_000],
      ['shop/orders', 7, 1_700_000_000_000],
    ]);
    expect(failed).toEqual([]);
  });

  it.each([
    ['an error answer', { status: 400, body: JSON.stringify({ status: 'error', error: 'parse error' }) }, 'query broken failed: parse error'],
    ['no series', { body: vector() }, 'query broken gave no series'],
    ['a value that is not a number', { body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 'NaN'] }] } }) }, 'gave "NaN", not a finite number'],
    ['a matrix', { body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }) }, 'gave a matrix result'],
    ['HTTP 502 without JSON', { status: 502, body: 'bad gateway' }, 'answered HTTP 502 without JSON: bad gateway'],
    ['no answer in time', { body: vector(1), delayMs: 1000 }, 'aborted due to timeout'],
  ])('records nothing and reports a failure on %s (a failure is never a zero)', async (_what, answer, message) => {
    answers.set('broken', answer);
    answers.set('fine', { body: vector(5) });
    const { recorded, failed } = await round([target('broken', q('broken')), target('fine', q('fine'))]);
    expect(recorded).toEqual([['shop/fine', 5, 1_700_000_000_000]]);
    expect(failed).toHaveLength(1);
    expect(failed[0]![0]).toBe('shop/broken');
    expect(failed[0]![1]).toContain(message);
  });

  it('reports an unreachable Prometheus per target', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const recorded: unknown[] = [];
    const failed: string[] = [];
    await createQueueDepthCollector({ prometheusUrl: closed, intervalMs: 1000 }).collect({
      nowMs: 0,
      targets: [target('a', q('a'))],
      signal: new AbortController().signal,
      sink: { record: (...a) => void recorded.push(a), snapshot: () => undefined, fail: (_k, _m, e) => void failed.push(String(e)) },
    });
    expect(recorded).toEqual([]);
    expect(failed[0]).toContain(`${closed}: fetch failed: connect ECONNREFUSED`);
  });

  it('does not query for a target whose annotations are invalid (the loop reports those)', async () => {
    asked.length = 0;
    const { recorded, failed } = await round([target('none', {}), target('bad', { ...q('x'), 'ebb.dev/queue-depth.per-pod': 'lots' })]);
    expect([recorded, failed, asked]).toEqual([[], [], []]);
  });

  it('stops waiting when the scaler shuts down', async () => {
    answers.set('slow', { body: vector(1), delayMs: 250 });
    const stop = new AbortController();
    const pending = round([target('slow', q('slow'))], stop.signal);
    stop.abort(new Error('scaler stopping'));
    const { recorded, failed } = await pending;
    expect(recorded).toEqual([]);
    expect(failed[0]![1]).toContain('scaler stopping');
  });
});
