/** The annotation the ReplicaSet controller reads to choose which pods go first on a scale-down (lowest first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** Prefix of the per-gateway-replica load annotations on a pod: `gateway-load.ebb.dev/<replica hash>`. */
export const GATEWAY_LOAD_PREFIX = 'gateway-load.ebb.dev/';

/** The load annotation key of gateway replica `id` (a hash: ids can be longer than a key's 63 characters). */
export function loadKey(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return `${GATEWAY_LOAD_PREFIX}g${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The annotation changes that record `load` requests in flight from gateway replica `self` on a pod whose
 * annotations are `current`: its own load key, the load keys of replicas that are not live any more removed,
 * and the deletion cost set to the sum of the live replicas' loads (absent when 0, so an idle pod sorts with
 * pods nobody marked). `null` removes a key (JSON merge patch).
 * Example: self load 2, a live peer's key says 1, a dead replica's key says 4 -> own key "2", dead key null,
 * cost "3".
 * @param live ids of the live gateway replicas (including `self`)
 */
export function loadPatch(current: Readonly<Record<string, string>>, self: string, load: number, live: readonly string[]): Record<string, string | null> {
  const liveKeys = new Set(live.map(loadKey));
  const own = loadKey(self);
  liveKeys.add(own);
  const patch: Record<string, string | null> = {};
  let total = load;
  for (const [k, v] of Object.entries(current)) {
    if (!k.startsWith(GATEWAY_LOAD_PREFIX) || k === own) continue;
    if (!liveKeys.has(k)) {
      patch[k] = null;
      continue;
    }
    const n = Number(v);
    if (Number.isInteger(n) && n > 0) total += n;
  }
  patch[own] = load > 0 ? String(load) : null;
  const cost = total > 0 ? String(Math.min(total, 2_147_483_647)) : null;
  if ((current[POD_DELETION_COST_ANNOTATION] ?? null) !== cost) patch[POD_DELETION_COST_ANNOTATION] = cost;
  if ((current[own] ?? null) === patch[own]) delete patch[own];
  return patch;
}
