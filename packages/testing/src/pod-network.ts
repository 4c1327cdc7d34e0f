/**
 * Pod IP ranges of local clusters. By default pods get loopback addresses (127.0.0.0/8), which every Linux
 * machine routes to `lo`, so a test can serve "a pod" on its IP with no setup. Each fake node takes one
 * block ("slot") of the network; clusters running side by side take different slots.
 */

/** The default pod network: loopback, reachable everywhere without setup (but see README: EndpointSlices). */
export const DEFAULT_POD_NETWORK = '127.0.0.0/8';

/** Slots a node may take: 0 is skipped (in 127.0.0.0/8 it holds the control plane's 127.0.0.1), as is 255. */
export const NODE_SLOTS = { first: 1, last: 254 } as const;

/** A parsed pod network. */
export interface PodNetwork {
  /** Canonical CIDR, for example `127.0.0.0/8`. */
  readonly cidr: string;
  /** Prefix length of each node's `spec.podCIDR`: the network's prefix + 8, at most 24. */
  readonly nodePrefix: number;
  /** Whether the network lies in 127.0.0.0/8. */
  readonly loopback: boolean;
}

const toInt = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

function splitCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
    throw new Error(`"${cidr}" is not an IPv4 CIDR such as 127.0.0.0/8`);
  }
  return { base: toInt(match.slice(1, 5).join('.')), prefix: Number(match[5]) };
}

/** Whether IPv4 address `ip` lies in `cidr`. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const { base, prefix } = splitCidr(cidr);
  const size = 2 ** (32 - prefix);
  return Math.floor(toInt(ip) / size) === Math.floor(base / size);
}

/** Parses a pod network: an IPv4 CIDR with a prefix from /8 to /16, written with its network address. */
export function parsePodNetwork(cidr: string): PodNetwork {
  const { base, prefix } = splitCidr(cidr);
  if (prefix < 8 || prefix > 16) throw new Error(`pod network ${cidr} is not allowed: use a prefix from /8 to /16`);
  if (base % 2 ** (32 - prefix) !== 0) throw new Error(`pod network ${cidr} is not allowed: write it with its network address`);
  return { cidr, nodePrefix: Math.min(prefix + 8, 24), loopback: ipInCidr(toIp(base), '127.0.0.0/8') };
}

/** The pod network from `EBB_CLUSTER_POD_NETWORK`, or {@link DEFAULT_POD_NETWORK}. */
export function podNetworkFromEnv(env: NodeJS.ProcessEnv = process.env): PodNetwork {
  return parsePodNetwork(env['EBB_CLUSTER_POD_NETWORK'] || DEFAULT_POD_NETWORK);
}

/** The `spec.podCIDR` of the node in `slot`: 127.0.0.0/8 slot 3 is 127.3.0.0/16. */
export function nodePodCidr(network: PodNetwork, slot: number): string {
  const { base, prefix } = splitCidr(network.cidr);
  const slots = 2 ** (network.nodePrefix - prefix);
  if (!Number.isInteger(slot) || slot < NODE_SLOTS.first || slot > Math.min(NODE_SLOTS.last, slots - 1)) {
    throw new Error(`slot ${slot} is outside pod network ${network.cidr} (use ${NODE_SLOTS.first}-${Math.min(NODE_SLOTS.last, slots - 1)})`);
  }
  return `${toIp(base + slot * 2 ** (32 - network.nodePrefix))}/${network.nodePrefix}`;
}

/** The slot of a node pod CIDR in `network`, or `undefined` when it is not one of the network's node blocks. */
export function podCidrSlot(network: PodNetwork, cidr: string): number | undefined {
  let parsed;
  try {
    parsed = splitCidr(cidr);
  } catch {
    return undefined;
  }
  if (parsed.prefix !== network.nodePrefix || !ipInCidr(toIp(parsed.base), network.cidr)) return undefined;
  const { base } = splitCidr(network.cidr);
  return (parsed.base - base) / 2 ** (32 - network.nodePrefix);
}

/** Number of node slots a network offers. */
export function slotCount(network: PodNetwork): number {
  const { prefix } = splitCidr(network.cidr);
  return Math.min(NODE_SLOTS.last, 2 ** (network.nodePrefix - prefix) - 1);
}

/**
 * The lowest slot `s` such that slots s to s+count-1 are all unused, so that clusters running side by side
 * (parallel test projects) never hand out the same pod IP.
 */
export function pickFirstSlot(used: ReadonlySet<number>, count: number, network: PodNetwork): number {
  const last = slotCount(network);
  for (let start = NODE_SLOTS.first; start + count - 1 <= last; start++) {
    let free = true;
    for (let slot = start; slot < start + count; slot++) if (used.has(slot)) free = false;
    if (free) return start;
  }
  throw new Error(`no room for ${count} more fake nodes in ${network.cidr}: other local clusters hold ${used.size} of its ${last} node ranges`);
}
