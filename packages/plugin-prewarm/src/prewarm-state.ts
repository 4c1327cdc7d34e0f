import { NEW_TRACK, type DemandTrack } from './demand-tracker.ts';
import { EMPTY_HISTOGRAM, type IdleHistogram } from './idle-histogram.ts';
import { decodePersisted, encodePersisted } from './persisted-state.ts';
import { BIN_MS } from './prewarm-config.ts';

/** Once an idle period has lasted this long, what was learned before it is persisted (ms). */
export const PERSIST_WHEN_IDLE_MS = BIN_MS;

/** Under continuous demand, what was learned is persisted at most this often (ms). */
export const PERSIST_EVERY_MS = 600_000;

/** What the plugin keeps per target between decisions (in memory; the histogram also persisted, see below). */
export interface PrewarmState {
  readonly histogram: IdleHistogram;
  readonly track: DemandTrack;
  /** The string last handed to core to persist ('' before the first one). */
  readonly persisted: string;
  /** When (ms) it was made. */
  readonly persistedAtMs: number;
  /** Something was learned, or the demand moved on, since `persisted` was made. */
  readonly dirty: boolean;
}

/**
 * The state of a target the plugin has no state for: restored from what core handed back (`persisted`), with the
 * idle period in progress tainted (this scaler did not see it begin), or empty.
 */
export function initialState(persisted: string | undefined, rangeMs: number, nowMs: number): PrewarmState {
  const restored = decodePersisted(persisted, rangeMs);
  if (!restored) return { histogram: EMPTY_HISTOGRAM, track: NEW_TRACK, persisted: '', persistedAtMs: nowMs, dirty: false };
  const track: DemandTrack = { tainted: true, ...(restored.lastDemandEndMs === undefined ? {} : { lastDemandEndMs: restored.lastDemandEndMs }) };
  return { histogram: restored.histogram, track, persisted: persisted ?? '', persistedAtMs: nowMs, dirty: false };
}

/**
 * Makes a new string to persist when something changed and either an idle period has lasted
 * {@link PERSIST_WHEN_IDLE_MS} (the end of the demand is then final) or {@link PERSIST_EVERY_MS} have passed:
 * about one status write per idle period of a minute or more, and one per 10 minutes under continuous demand.
 */
export function refreshPersisted(s: PrewarmState, nowMs: number): PrewarmState {
  if (!s.dirty) return s;
  const end = s.track.lastDemandEndMs;
  const idleLongEnough = end !== undefined && nowMs - end >= PERSIST_WHEN_IDLE_MS;
  if (!idleLongEnough && nowMs - s.persistedAtMs < PERSIST_EVERY_MS) return s;
  const persisted = encodePersisted({ histogram: s.histogram, ...(end === undefined ? {} : { lastDemandEndMs: end }) });
  return { ...s, persisted, persistedAtMs: nowMs, dirty: false };
}
