import { CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1EndpointSlice, type V1Service } from '@kubernetes/client-node';
import { errorText, httpStatus, type TargetKey } from '@ebb/core';
import { activatorTargetOf } from '@ebb/plugin-eventgw';
import type { PublishedSlices, SliceEndpoint } from './endpoint-plan.ts';
import { servingSlice, type OwnerDeployment } from './serving-manifests.ts';

/** The writes of activator mode: the Service and its two EndpointSlices. Each method is one request (two on a 409). */
export class ServingWriter {
  private readonly core: CoreV1Api;
  private readonly discovery: DiscoveryV1Api;

  constructor(kc: KubeConfig) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.discovery = kc.makeApiClient(DiscoveryV1Api);
  }

  /** Creates the Service; `taken` when a Service of that name exists and is not Ebb's for the same Deployment. */
  async createService(service: V1Service, owner: TargetKey): Promise<'created' | 'ours' | 'taken'> {
    const namespace = service.metadata?.namespace ?? 'default';
    try {
      await this.core.createNamespacedService({ namespace, body: service });
      return 'created';
    } catch (e) {
      if (httpStatus(e) !== 409) throw new Error(errorText(e));
      const existing = await this.core.readNamespacedService({ namespace, name: service.metadata?.name ?? '' });
      return activatorTargetOf(existing) === owner ? 'ours' : 'taken';
    }
  }

  /** Sets the Service's (single) port. */
  async setServicePort(service: V1Service, port: number): Promise<void> {
    const namespace = service.metadata?.namespace ?? 'default';
    const ports = (service.spec?.ports ?? []).map((p, i) => (i === 0 ? { ...p, port } : p));
    await this.core.replaceNamespacedService({ namespace, name: service.metadata?.name ?? '', body: { ...service, spec: { ...service.spec, ports } } });
  }

  /** Writes a slice's whole content: created when missing, replaced at the cached version otherwise. */
  async writeSlice(owner: OwnerDeployment, serviceName: string, role: keyof PublishedSlices, endpoints: readonly SliceEndpoint[], cached: V1EndpointSlice | undefined): Promise<void> {
    const body = servingSlice(owner, serviceName, role, endpoints);
    const name = body.metadata?.name ?? '';
    const namespace = owner.namespace;
    try {
      if (!cached) {
        try {
          await this.discovery.createNamespacedEndpointSlice({ namespace, body });
          return;
        } catch (e) {
          if (httpStatus(e) !== 409) throw e;
          cached = await this.discovery.readNamespacedEndpointSlice({ namespace, name });
        }
      }
      await this.discovery.replaceNamespacedEndpointSlice({ namespace, name, body: { ...body, metadata: { ...body.metadata, resourceVersion: cached.metadata?.resourceVersion } } });
    } catch (e) {
      throw new Error(errorText(e));
    }
  }
}
