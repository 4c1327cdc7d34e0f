import { NamespacePodCache } from '@ebb/core';
import type { Clock, Logger } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { slimPod, type SlimPod } from './pod-info.ts';

/** Dependencies of {@link NamespacePods}. */
export interface NamespacePodsDeps {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** The pods of one namespace as {@link SlimPod}s, kept current by core's resilient pod watch. */
export class NamespacePods extends NamespacePodCache<SlimPod> {
  constructor(deps: NamespacePodsDeps) {
    super({ ...deps, map: slimPod });
  }
}
