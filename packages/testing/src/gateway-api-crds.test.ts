import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { BUNDLE_VERSION_ANNOTATION, GATEWAY_API_VERSION, installGatewayApiCrds } from './gateway-api-crds.ts';
import { useTestNamespace } from './test-namespace.ts';
import { testKubeConfig } from './vitest-context.ts';

const ns = useTestNamespace('gwapi-crds');

describe('installGatewayApiCrds', () => {
  it('installs the released standard CRDs, Established, and an HTTPRoute can then be created', async () => {
    const kc = testKubeConfig();
    const names = await installGatewayApiCrds(kc);
    expect(names).toEqual(expect.arrayContaining(['httproutes.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'gatewayclasses.gateway.networking.k8s.io']));
    const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'httproutes.gateway.networking.k8s.io' });
    expect(crd.metadata?.annotations?.[BUNDLE_VERSION_ANNOTATION]).toBe(GATEWAY_API_VERSION);
    expect(crd.spec.versions.map((v) => v.name)).toContain('v1');

    // A second install is a no-op, and the apiserver validates routes against the released schema.
    await installGatewayApiCrds(kc);
    const api = kc.makeApiClient(CustomObjectsApi);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { rules: [{ backendRefs: [{ name: 'svc', port: 80, weight: 3 }] }] } };
    await api.createNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', namespace: ns.name, body: route });
    const bad = { ...route, metadata: { name: 'bad' }, spec: { rules: [{ backendRefs: [{ name: 'svc', port: 80, weight: -1 }] }] } };
    await expect(api.createNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', namespace: ns.name, body: bad })).rejects.toThrow(/weight/);
  });
});
