/**
 * The gateway's first lists meet an apiserver that says "try again" (429, e.g. "storage is (re)initializing" right
 * after a CRD is installed): the start waits and tries again instead of failing; a refusal (403) still fails the
 * start at once, naming what could not be listed.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeGatewayDiscovery } from '@ebb/plugin-eventgw';
import { useTestNamespace } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayingApiserverProxy, type DelayingApiserverProxy } from '../test-support/delaying-apiserver-proxy.ts';

const ns = useTestNamespace('gw-start');
let proxy: DelayingApiserverProxy | undefined;
let discovery: KubeGatewayDiscovery | undefined;
afterEach(async () => {
  await discovery?.stop();
  await proxy?.close();
});

async function discoveryThroughProxy(): Promise<KubeGatewayDiscovery> {
  proxy = await startDelayingApiserverProxy(ns.kubeConfig, 'gw-start');
  const kc = new KubeConfig();
  kc.loadFromFile(proxy.kubeconfigPath);
  return new KubeGatewayDiscovery(kc, { namespaces: [ns.name] });
}

describe("the gateway's first lists", () => {
  it('are tried again while the apiserver answers 429', async () => {
    discovery = await discoveryThroughProxy();
    proxy!.refuse(/\/deployments(\?|$)/, 429, 2);
    await discovery.start({ route: () => undefined, endpoints: () => undefined });
    expect(proxy!.refused()).toBe(2);
  });

  it('fail at once on a refusal (403)', async () => {
    discovery = await discoveryThroughProxy();
    proxy!.refuse(/\/deployments(\?|$)/, 403, 100);
    await expect(discovery.start({ route: () => undefined, endpoints: () => undefined })).rejects.toThrow(/cannot list Deployments in gw-start/);
    expect(proxy!.refused()).toBe(1);
  });
});
