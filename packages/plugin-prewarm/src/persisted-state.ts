import { binCount, MAX_SAMPLES, RECENT_OUT_OF_RANGE, type IdleHistogram } from './idle-histogram.ts';

/** Format version, the first field of the persisted string. */
const VERSION = '1';

/** What survives a restart of the scaler or a change of leader: the histogram and the end of the last demand. */
export interface PersistedPrewarm {
  readonly histogram: IdleHistogram;
  /** End (ms, whole seconds) of the newest demand seen when the string was made. */
  readonly lastDemandEndMs?: number;
}

/**
 * The compact string core keeps in the target's status annotation: `1|<last demand end, epoch s>|<bin>:<count>,...|
 * <out-of-range count>|<recent out-of-range minutes>,...`. Example: idle times 9 x bin 4 and 1 x bin 5, demand
 * ended at 2026-01-05T09:00:00Z, none out of range -> `1|1767603600|4:9,5:1|0|` (23 characters).
 * Size: about 12 + 5 characters per non-empty bin; at most 240 bins with counts <= 1000 (4 h range) -> < 2.2 KB.
 */
export function encodePersisted(p: PersistedPrewarm): string {
  const end = p.lastDemandEndMs === undefined ? '' : String(Math.floor(p.lastDemandEndMs / 1000));
  const bins = p.histogram.bins.map(([b, c]) => `${b}:${c}`).join(',');
  return [VERSION, end, bins, String(p.histogram.outOfRange), p.histogram.recentOutOfRangeMin.join(',')].join('|');
}

const INT = /^\d{1,12}$/;

/**
 * Reads what {@link encodePersisted} wrote. Anything else (another version, a hand-edited or truncated string)
 * gives undefined: the plugin starts learning again rather than trusting it. Bins beyond `rangeMs` (the range was
 * shortened) count as out of range.
 */
export function decodePersisted(text: string | undefined, rangeMs: number): PersistedPrewarm | undefined {
  if (text === undefined) return undefined;
  const parts = text.split('|');
  if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
  const [, end, binText, oobText, recentText] = parts as [string, string, string, string, string];
  if ((end !== '' && !INT.test(end)) || !INT.test(oobText)) return undefined;
  const bins: Array<[number, number]> = [];
  let outOfRange = Number(oobText);
  const n = binCount(rangeMs);
  for (const pair of binText === '' ? [] : binText.split(',')) {
    const [b, c] = pair.split(':');
    if (b === undefined || c === undefined || !INT.test(b) || !INT.test(c)) return undefined;
    const bin = Number(b);
    const count = Math.min(Number(c), MAX_SAMPLES);
    if (count === 0 || (bins.length > 0 && bin <= bins.at(-1)![0])) return undefined;
    if (bin >= n) outOfRange += count;
    else bins.push([bin, count]);
  }
  const recent = recentText === '' ? [] : recentText.split(',');
  if (recent.some((m) => !INT.test(m))) return undefined;
  return {
    histogram: { bins, outOfRange: Math.min(outOfRange, MAX_SAMPLES), recentOutOfRangeMin: recent.map(Number).slice(-RECENT_OUT_OF_RANGE) },
    ...(end === '' ? {} : { lastDemandEndMs: Number(end) * 1000 }),
  };
}
