import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventgwFields } from './eventgw-fields.ts';
import { parseEventGatewayConfig } from './eventgw-config.ts';

const k = (key: string): string => `ebb.dev/eventgw.${key}`;

describe('event gateway annotations', () => {
  it('has defaults for every key', () => {
    const r = parseEventGatewayConfig({});
    expect(r).toEqual({
      ok: true,
      value: {
        hosts: [],
        pathPrefix: '/',
        containerConcurrency: 1,
        target: 100,
        queueLength: 1000,
        queueTimeoutMs: 30_000,
        port: 0,
        protocol: 'http1',
        service: '',
        windowMs: 10_000,
        idlePeriodMs: 30_000,
      },
    });
  });

  it.each([
    [{ [k('host')]: 'Coffee.Example.com., tea.example.com' }, { hosts: ['coffee.example.com', 'tea.example.com'] }],
    [{ [k('host')]: '*.Example.com, coffee.example.com' }, { hosts: ['*.example.com', 'coffee.example.com'] }],
    [{ [k('path-prefix')]: '/api/' }, { pathPrefix: '/api' }],
    [{ [k('path-prefix')]: '///' }, { pathPrefix: '/' }],
    [{ [k('container-concurrency')]: '0', [k('target')]: '2.5' }, { containerConcurrency: 0, target: 2.5 }],
    [{ [k('queue-length')]: '0', [k('queue-timeout')]: '1m30s' }, { queueLength: 0, queueTimeoutMs: 90_000 }],
    [{ [k('port')]: '8080', [k('service')]: 'coffee-svc' }, { port: 8080, service: 'coffee-svc' }],
    [{ [k('protocol')]: 'h2c' }, { protocol: 'h2c' }],
    [{ [k('window')]: '6s', [k('idle-period')]: '0s' }, { windowMs: 6000, idlePeriodMs: 0 }],
  ])('parses %j', (annotations, expected) => {
    const r = parseEventGatewayConfig(annotations);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it.each([
    [k('container-concurrency'), '1001', 'out_of_range'],
    [k('container-concurrency'), 'one', 'invalid_type'],
    [k('queue-length'), '-1', 'out_of_range'],
    [k('queue-timeout'), '5ms', 'out_of_range'],
    [k('target'), '0', 'out_of_range'],
    [k('window'), '1500ms', 'invalid_value'],
    [k('path-prefix'), 'api', 'invalid_value'],
    [k('host'), 'coffee.example.com, bad_host!', 'invalid_combination'],
    [k('host'), 'coffee.example.com:8080', 'invalid_combination'],
    [k('host'), '*', 'invalid_combination'],
    [k('host'), '*.*.example.com', 'invalid_combination'],
    [k('host'), 'a.*.example.com', 'invalid_combination'],
    [k('host'), '*example.com', 'invalid_combination'],
    [k('port'), '70000', 'out_of_range'],
    [k('protocol'), 'http2', 'invalid_value'],
  ])('rejects %s=%s with %s, naming the key', (key, value, code) => {
    const r = parseEventGatewayConfig({ [key]: value });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code, key });
    expect(r.issues[0]?.message).toContain(key);
  });

  it('reports every problem at once', () => {
    const r = parseEventGatewayConfig({ [k('container-concurrency')]: '-1', [k('queue-timeout')]: 'soon' });
    expect(r.ok ? [] : r.issues.map((i) => i.key).sort()).toEqual([k('container-concurrency'), k('queue-timeout')]);
  });
});

describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it.each(Object.values(eventgwFields).map((f) => `ebb.dev/eventgw.${f.key}`))('documents %s', (key) => {
    expect(readme).toContain(`| \`${key}\` |`);
  });
});
