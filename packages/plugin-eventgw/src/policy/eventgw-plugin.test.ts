import { ErrorCodes, isCollectorProvider, isEbbError } from '@ebb/core';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GATEWAY_STATS_COLLECTOR_ID } from '../collector/gateway-stats-collector.ts';
import { createEventGatewayPlugin, EVENTGW_MANIFEST } from './eventgw-plugin.ts';
import { resolveEventGatewayPluginOptions } from './plugin-options.ts';

describe('createEventGatewayPlugin', () => {
  it('declares id eventgw, its annotation schema and the demand metric', () => {
    const plugin = createEventGatewayPlugin();
    expect(plugin.manifest).toBe(EVENTGW_MANIFEST);
    expect(plugin.manifest.id).toBe('eventgw');
    expect(plugin.config.keys('ebb.dev/eventgw.')).toContain('ebb.dev/eventgw.host');
    expect(isCollectorProvider(plugin)).toBe(true);
  });

  it('brings no collector until gateway replicas are named, then one gateway stats collector', () => {
    expect(createEventGatewayPlugin().collectors()).toEqual([]);
    const plugin = createEventGatewayPlugin({ gateways: ['http://127.0.0.1:9090'] });
    const collectors = plugin.collectors();
    expect(collectors.map((c) => [c.id, c.intervalMs, c.provides])).toEqual([
      [GATEWAY_STATS_COLLECTOR_ID, 1000, ['eventgw.demand', 'eventgw.congested-demand', 'concurrency', 'rps']],
    ]);
    expect(plugin.collectors()).toBe(collectors);
    expect(createEventGatewayPlugin({ gateways: ['http://127.0.0.1:9090'], sharedMetrics: false }).collectors()[0]?.provides).toEqual(['eventgw.demand', 'eventgw.congested-demand']);
  });

  it("finds the gateway's pods with the cluster access the host lends it, not the process environment", () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const lent: KubeConfig[] = [];
    const plugin = createEventGatewayPlugin({ gatewayPods: { namespace: 'ebb-system', labelSelector: 'app=gw' } }, { kubeConfig: () => (lent.push(kc), kc) });
    expect(plugin.collectors()).toHaveLength(1);
    expect(lent).toEqual([kc]);
  });
});

describe('resolveEventGatewayPluginOptions', () => {
  it.each([
    [undefined, {}],
    [null, {}],
    [{ gateways: ['http://10.0.0.7:9090', 'https://gw.example.com/'] }, { gateways: ['http://10.0.0.7:9090', 'https://gw.example.com/'] }],
    [{ gatewayPods: { namespace: 'ebb-system', labelSelector: 'app=gw', adminPort: 9091 } }, { gatewayPods: { namespace: 'ebb-system', labelSelector: 'app=gw', adminPort: 9091 } }],
    [{ pollTimeoutMs: 500, sharedMetrics: false }, { pollTimeoutMs: 500, sharedMetrics: false }],
  ])('accepts %j', (options, expected) => {
    expect(resolveEventGatewayPluginOptions(options)).toEqual(expected);
  });

  it.each([
    ['a list', [], 'expected a mapping'],
    ['gateways not URLs', { gateways: ['10.0.0.7:9090'] }, 'pluginOptions.eventgw.gateways'],
    ['gateways with a path', { gateways: ['http://gw:9090/stats'] }, 'pluginOptions.eventgw.gateways'],
    ['gatewayPods without namespace', { gatewayPods: { labelSelector: 'app=gw' } }, 'gatewayPods.namespace'],
    ['gatewayPods port', { gatewayPods: { namespace: 'x', labelSelector: 'a=b', adminPort: 0 } }, 'gatewayPods.adminPort'],
    ['poll timeout', { pollTimeoutMs: 5 }, 'pollTimeoutMs'],
    ['shared metrics', { sharedMetrics: 'yes' }, 'sharedMetrics'],
    ['an unknown option', { gateway: [] }, 'pluginOptions.eventgw.gateway: unknown option'],
  ])('rejects %s naming it', (_name, options, text) => {
    let thrown: unknown;
    try {
      resolveEventGatewayPluginOptions(options);
    } catch (e) {
      thrown = e;
    }
    expect(isEbbError(thrown, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
    expect((thrown as Error).message).toContain(text);
  });

  it('reports every problem at once', () => {
    expect(() => resolveEventGatewayPluginOptions({ pollTimeoutMs: -1, sharedMetrics: 1 })).toThrow(/pollTimeoutMs.*; .*sharedMetrics/);
  });
});
