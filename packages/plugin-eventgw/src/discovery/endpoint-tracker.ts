import type { TargetKey } from '@ebb/core';
import type { V1LabelSelector } from '@kubernetes/client-node';
import type { GatewayEndpoint } from '../gateway/target-route.ts';

/** What an endpoint tracker needs to know about one routed target. */
export interface EndpointSpec {
  readonly key: TargetKey;
  readonly namespace: string;
  /** The Deployment's pod selector. */
  readonly selector: V1LabelSelector;
  /** Pod port from the annotation; 0 = find it on the pod (or slice). */
  readonly port: number;
  /** Service whose EndpointSlices list the pods (EndpointSlice tracking only). */
  readonly service: string;
}

/** Called with the full ready endpoint list of a target whenever it changes. */
export type EndpointsChanged = (key: TargetKey, endpoints: readonly GatewayEndpoint[]) => void;

/** Keeps the ready endpoints of the tracked targets current from a watch. */
export interface EndpointTracker {
  /** Lists and starts watching. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Starts (or updates) tracking a target; reports its endpoints at once. */
  track(spec: EndpointSpec): void;
  /** Stops tracking a target. */
  untrack(key: TargetKey): void;
}

/** Endpoints in a stable order (by id), so equal sets compare equal. */
export function sortEndpoints(endpoints: Iterable<GatewayEndpoint>): GatewayEndpoint[] {
  return [...endpoints].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
