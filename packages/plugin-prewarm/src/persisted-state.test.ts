import { describe, expect, it } from 'vitest';
import { addIdle, EMPTY_HISTOGRAM, MAX_SAMPLES } from './idle-histogram.ts';
import { decodePersisted, encodePersisted, type PersistedPrewarm } from './persisted-state.ts';

const FOUR_HOURS = 4 * 3_600_000;

describe('encodePersisted / decodePersisted', () => {
  it.each<[string, PersistedPrewarm, string]>([
    ['nothing learned', { histogram: EMPTY_HISTOGRAM }, '1|||0|'],
    ['bins and the end of the demand', { histogram: { bins: [[4, 9], [5, 1]], outOfRange: 0, recentOutOfRangeMin: [] }, lastDemandEndMs: Date.UTC(2026, 0, 5, 9) }, '1|1767603600|4:9,5:1|0|'],
    ['out of range', { histogram: { bins: [[0, 3]], outOfRange: 2, recentOutOfRangeMin: [300, 1440] } }, '1||0:3|2|300,1440'],
  ])('%s', (_what, value, text) => {
    expect(encodePersisted(value)).toBe(text);
    expect(decodePersisted(text, FOUR_HOURS)).toEqual(value);
  });

  it('stays small: every bin of a 4 h range at the maximum count is under 2.2 KB', () => {
    let h = EMPTY_HISTOGRAM;
    for (let b = 0; b < 240; b++) h = { ...h, bins: [...h.bins, [b, MAX_SAMPLES]] };
    expect(encodePersisted({ histogram: h, lastDemandEndMs: Date.UTC(2026, 0, 5) }).length).toBeLessThan(2200);
    expect(encodePersisted({ histogram: addIdle(EMPTY_HISTOGRAM, 240_000, FOUR_HOURS), lastDemandEndMs: Date.UTC(2026, 0, 5) })).toHaveLength(19);
  });

  it('counts bins beyond a shortened range as out of range', () => {
    expect(decodePersisted('1||5:2,700:3|1|', 600_000)?.histogram).toEqual({ bins: [[5, 2]], outOfRange: 4, recentOutOfRangeMin: [] });
  });

  it.each(['', '2||||0|', '1|x||0|', '1||4:0|0|', '1||5:1,4:1|0|', '1||4-1|0|', '1|||0', '1|||0|a', '1|||-1|'])('rejects %j', (text) => {
    expect(decodePersisted(text, FOUR_HOURS)).toBeUndefined();
  });
});
