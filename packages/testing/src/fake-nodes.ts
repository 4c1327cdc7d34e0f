import { CoreV1Api, type KubeConfig, type V1Node } from '@kubernetes/client-node';
import type { FakeNodeState } from './cluster-state.ts';
import { KWOK_NODE_ANNOTATION } from './kwok-stages.ts';
import { DEFAULT_POD_NETWORK, nodePodCidr, parsePodNetwork, type PodNetwork } from './pod-network.ts';

/** Most fake nodes a local cluster can have. */
export const MAX_FAKE_NODES = 32;

/**
 * The fake nodes of a cluster: `kwok-node-<i>` with `spec.podCIDR` from slot `firstSlot + i` of the pod
 * network; with the default 127.0.0.0/8 that is 127.(firstSlot+i).0.0/16, so every pod IP is a loopback
 * address that a test can `listen` on (Linux routes all of 127.0.0.0/8 to `lo`).
 */
export function fakeNodeStates(count: number, firstSlot = 1, network: PodNetwork = parsePodNetwork(DEFAULT_POD_NETWORK)): FakeNodeState[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_FAKE_NODES) {
    throw new Error(`fake node count ${count} is not allowed: use an integer from 1 to ${MAX_FAKE_NODES}`);
  }
  return Array.from({ length: count }, (_, i) => ({ name: `kwok-node-${i}`, podCidr: nodePodCidr(network, firstSlot + i) }));
}

/** The Node object for a fake node managed by KWOK. */
export function fakeNodeObject(node: FakeNodeState): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      annotations: { [KWOK_NODE_ANNOTATION.key]: KWOK_NODE_ANNOTATION.value, 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: { podCIDR: node.podCidr, podCIDRs: [node.podCidr] },
  };
}

/** Creates the fake nodes (an existing node of the same name is left as it is). */
export async function createFakeNodes(kubeConfig: KubeConfig, nodes: readonly FakeNodeState[]): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await Promise.all(
    nodes.map(async (node) => {
      try {
        await core.createNode({ body: fakeNodeObject(node) });
      } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
      }
    }),
  );
}

/**
 * True when a node can take pods: condition Ready=True and no `node.kubernetes.io/not-ready` or
 * `unreachable` taint left (the node lifecycle controller removes those shortly after Ready).
 */
export function isNodeSchedulable(node: V1Node): boolean {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const blocked = (node.spec?.taints ?? []).some(
    (t) => t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable',
  );
  return ready && !blocked && node.spec?.unschedulable !== true;
}
