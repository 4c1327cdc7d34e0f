import type { ServingMode } from './serving-mode.ts';

/** One address:port an EndpointSlice lists. */
export interface SliceEndpoint {
  /** The pod's name (EndpointSlice `targetRef`), for people reading the slice. */
  readonly pod: string;
  readonly address: string;
  readonly port: number;
}

/** The two slices of a Service, as the cluster shows them (undefined: the slice does not exist). */
export interface PublishedSlices {
  /** The gateway's endpoints (Proxy). */
  readonly proxy: readonly SliceEndpoint[] | undefined;
  /** The target's endpoints (Serve). */
  readonly serve: readonly SliceEndpoint[] | undefined;
}

/** One slice write: its role and its whole new content. */
export interface SliceWrite {
  readonly slice: keyof PublishedSlices;
  readonly endpoints: readonly SliceEndpoint[];
}

/** What {@link planEndpoints} decided. */
export interface EndpointPlan {
  /** The mode the Service is put in (the wanted one, unless it has no endpoint to offer). */
  readonly mode: ServingMode;
  /** Writes in order: the slice that gains endpoints first, the one that loses them after. Empty: nothing to do. */
  readonly writes: readonly SliceWrite[];
  /** Why the mode differs from the wanted one, if it does. */
  readonly fallback?: string;
}

/**
 * The EndpointSlices a Service needs for a wanted mode, and the order of the writes, such that the Service never
 * has zero endpoints while the target has a Ready pod or the gateway has one:
 * - each mode has a slice of its own; a switch first fills the new mode's slice and only then empties the other,
 *   so every state in between lists both (a proxy that sees the slices in order never sees none);
 * - Serve without a Ready pod of the target falls back to Proxy, Proxy without a Ready gateway pod falls back to
 *   Serve: a mode with nothing to offer is never published.
 * The plan is derived from the published slices alone, so a scaler that stopped between two writes finishes the
 * switch on its next decision. Example: published {proxy: [gw], serve: []}, wanted serve with pods [a, b] ->
 * writes [serve := [a, b], proxy := []].
 */
export function planEndpoints(wanted: ServingMode, published: PublishedSlices, target: readonly SliceEndpoint[], gateway: readonly SliceEndpoint[]): EndpointPlan {
  let mode = wanted;
  let fallback: string | undefined;
  if (mode === 'serve' && target.length === 0) {
    mode = 'proxy';
    fallback = 'no Ready pod of the target to serve from: the gateway stays in the path';
  } else if (mode === 'proxy' && gateway.length === 0 && target.length > 0) {
    mode = 'serve';
    fallback = 'no Ready gateway pod: the Service keeps the target pods';
  }
  const want: PublishedSlices = mode === 'serve' ? { serve: target, proxy: [] } : { proxy: gateway, serve: [] };
  const gaining: keyof PublishedSlices = mode === 'serve' ? 'serve' : 'proxy';
  const losing: keyof PublishedSlices = gaining === 'serve' ? 'proxy' : 'serve';
  const writes: SliceWrite[] = [];
  // With nothing to offer at all (no Ready pod anywhere), the slices are left as they are: emptying them
  // would turn a short gap into a refusal for requests already routed.
  if ((want[gaining] ?? []).length === 0) return { mode, writes, ...(fallback ? { fallback } : {}) };
  if (!sameEndpoints(published[gaining], want[gaining] ?? [])) writes.push({ slice: gaining, endpoints: want[gaining] ?? [] });
  if (!sameEndpoints(published[losing], [])) writes.push({ slice: losing, endpoints: [] });
  return { mode, writes, ...(fallback ? { fallback } : {}) };
}

/** The mode the published slices put the Service in now: `serve` when only target pods are listed. */
export function publishedMode(published: PublishedSlices): ServingMode | 'both' | 'none' {
  const proxy = (published.proxy ?? []).length > 0;
  const serve = (published.serve ?? []).length > 0;
  return proxy && serve ? 'both' : proxy ? 'proxy' : serve ? 'serve' : 'none';
}

/** Same endpoints in any order; a missing slice equals only a wanted non-existing one (it must be created). */
export function sameEndpoints(a: readonly SliceEndpoint[] | undefined, b: readonly SliceEndpoint[]): boolean {
  if (a === undefined) return false;
  if (a.length !== b.length) return false;
  const key = (e: SliceEndpoint) => `${e.address}:${e.port}:${e.pod}`;
  const set = new Set(a.map(key));
  return b.every((e) => set.has(key(e)));
}
