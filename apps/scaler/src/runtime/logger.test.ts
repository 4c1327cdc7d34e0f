import { describe, expect, it } from 'vitest';
import { ManualClock } from '@ebb/core';
import { jsonLogger } from './logger.ts';

describe('jsonLogger', () => {
  it('writes one JSON object per line at or above the level', () => {
    const lines: string[] = [];
    const log = jsonLogger({ level: 'info', clock: new ManualClock(Date.UTC(2026, 0, 2, 3, 4, 5)), write: (l) => lines.push(l), base: { component: 'x' } });
    log.debug('hidden');
    log.info('scaled', { target: 'a/b', to: 3 });
    log.error('failed', { error: new Error('boom') });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'scaled', component: 'x', target: 'a/b', to: 3 },
      { time: '2026-01-02T03:04:05.000Z', level: 'error', msg: 'failed', component: 'x', error: 'boom' },
    ]);
  });
});
