import type { TargetKey } from '@ebb/core';

/** The annotation of a gateway replica's membership Lease that carries its slot claims and demand. */
export const SLOTS_ANNOTATION = 'ebb.dev/gateway-slots';

/** What one gateway replica publishes about one target. */
export interface TargetClaims {
  /** In-flight + queued requests (its demand), capped at the target's capacity. */
  readonly want: number;
  /** Slots it claims per pod id (absent = 0). */
  readonly held: ReadonlyMap<string, number>;
}

/** Everything a gateway replica publishes, per target key. */
export type MemberRecord = ReadonlyMap<TargetKey, TargetClaims>;

/** Serialises a record for {@link SLOTS_ANNOTATION}: `{"v":1,"t":{"ns/name":{"w":2,"h":{"pod-a":1}}}}`. */
export function encodeRecord(record: MemberRecord): string {
  const t: Record<string, { w: number; h: Record<string, number> }> = {};
  for (const [key, c] of [...record].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const h: Record<string, number> = {};
    for (const [pod, n] of [...c.held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (n > 0) h[pod] = n;
    if (c.want > 0 || Object.keys(h).length > 0) t[key] = { w: c.want, h };
  }
  return JSON.stringify({ v: 1, t });
}

/** Result of {@link decodeRecord}: a record, or why the text is not one. */
export type DecodedRecord = { readonly ok: true; readonly record: MemberRecord } | { readonly ok: false; readonly error: string };

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Parses {@link SLOTS_ANNOTATION}; an absent annotation is an empty record (a replica that claims nothing). */
export function decodeRecord(text: string | undefined): DecodedRecord {
  if (text === undefined || text === '') return { ok: true, record: new Map() };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const r = raw as { v?: unknown; t?: unknown } | null;
  if (!r || typeof r !== 'object' || r.v !== 1 || !r.t || typeof r.t !== 'object') return { ok: false, error: 'expected {"v":1,"t":{...}}' };
  const record = new Map<TargetKey, TargetClaims>();
  for (const [key, value] of Object.entries(r.t as Record<string, unknown>)) {
    const c = value as { w?: unknown; h?: unknown } | null;
    if (!c || !count(c.w) || !c.h || typeof c.h !== 'object') return { ok: false, error: `target ${key}: expected {"w":<count>,"h":{<pod>:<count>}}` };
    const held = new Map<string, number>();
    for (const [pod, n] of Object.entries(c.h as Record<string, unknown>)) {
      if (!count(n)) return { ok: false, error: `target ${key}, pod ${pod}: ${JSON.stringify(n)} is not a whole number >= 0` };
      held.set(pod, n);
    }
    record.set(key as TargetKey, { want: c.w, held });
  }
  return { ok: true, record };
}
