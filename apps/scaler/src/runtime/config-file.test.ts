import { describe, expect, it } from 'vitest';
import { ErrorCodes, isEbbError } from '@ebb/core';
import { DEFAULT_CONFIG, parseConfig } from './config-file.ts';

describe('parseConfig', () => {
  it('gives the defaults for an empty file', () => {
    expect(parseConfig('', 'c.yaml')).toEqual(DEFAULT_CONFIG);
  });

  it('reads where the gateway pods are for activator mode, and names what is wrong', () => {
    expect(parseConfig('activator: {gatewayPods: {namespace: ebb-system, labelSelector: app=gw}}', 'c.yaml').activator).toEqual({
      gatewayPods: { namespace: 'ebb-system', labelSelector: 'app=gw', port: 8080 },
    });
    let message = '';
    try {
      parseConfig('activator: {gatewayPods: {namespace: Bad_NS, labelSelector: "", port: 0}}', 'c.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('activator.gatewayPods.namespace: invalid value "Bad_NS": expected a namespace name');
    expect(message).toContain('activator.gatewayPods.labelSelector: invalid value ""');
    expect(message).toContain('activator.gatewayPods.port: invalid value 0: expected an integer 1..65535');
    expect(() => parseConfig('activator: [1]', 'c.yaml')).toThrow(/activator: invalid value \[1\]: expected a mapping with gatewayPods/);
  });

  it('reads every setting', () => {
    const c = parseConfig(
      `
kubeconfig: /tmp/kc
namespaces: [shop, web]
tickInterval: 500ms
http: { host: 127.0.0.1, port: 9090 }
logLevel: debug
plugins: [kpa, "@acme/ebb-plugin-queue"]
pluginOptions: { kpa: { stableWindow: 30s } }
leaderElection: { enabled: true, namespace: ebb-system, name: ebb, leaseDuration: 6s, renewDeadline: 4s, retryPeriod: 1s }
shards: 4
maxShardsPerReplica: 2
`,
      'c.yaml',
    );
    expect(c).toEqual({
      kubeconfig: '/tmp/kc',
      namespaces: ['shop', 'web'],
      tickIntervalMs: 500,
      http: { host: '127.0.0.1', port: 9090 },
      logLevel: 'debug',
      plugins: ['kpa', '@acme/ebb-plugin-queue'],
      pluginOptions: { kpa: { stableWindow: '30s' } },
      leaderElection: { enabled: true, namespace: 'ebb-system', name: 'ebb', leaseDurationMs: 6000, renewDeadlineMs: 4000, retryPeriodMs: 1000 },
      shards: 4,
      maxShardsPerReplica: 2,
    });
  });

  it('reports every problem at once, each naming the setting, the value and what is allowed', () => {
    let error: unknown;
    try {
      parseConfig('tickInterval: soon\nshards: 0\nlogLevel: loud\nhttp: { port: 70000 }\nbogus: 1\nleaderElection: { leaseDuration: 5s, renewDeadline: 5s }\n', 'c.yaml');
    } catch (e) {
      error = e;
    }
    expect(isEbbError(error, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('c.yaml: 6 problem(s)');
    expect(message).toContain('tickInterval: invalid value "soon": expected a positive duration like 2s or 500ms');
    expect(message).toContain('shards: invalid value 0: expected an integer 1..1024');
    expect(message).toContain('logLevel: invalid value "loud": expected debug | info | warn | error');
    expect(message).toContain('http.port: invalid value 70000: expected an integer 0..65535');
    expect(message).toContain('bogus: unknown setting');
    expect(message).toContain('leaderElection.renewDeadline: must be shorter than leaderElection.leaseDuration');
  });

  it.each([
    ['not yaml: [', /not valid YAML/],
    ['- a\n- b\n', /expected a mapping at the top level/],
  ])('rejects %j', (text, pattern) => {
    expect(() => parseConfig(text, 'c.yaml')).toThrow(pattern);
  });
});
