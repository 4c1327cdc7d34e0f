import { ErrorCodes, ManualClock, isEbbError, isSchedulingPlugin, type MetricsView, type RecommendInput, type ScalingConfig } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { CRON_ANNOTATION, createCronPlugin } from './cron-plugin.ts';
import type { CronConfig, CronState } from './cron-window.ts';
import { at, iso } from './test-support/windows.ts';

const PREFIX = 'ebb.dev/cron.';
const OFFICE = `
- name: office-hours
  start: "0 9 * * 1-5"
  end: "0 19 * * 1-5"
  timezone: Asia/Shanghai
  replicas: 20
`;

const scaling: ScalingConfig = {
  policies: ['cron'],
  minReplicas: 0,
  maxReplicas: 0,
  initialReplicas: 1,
  activationReplicas: 1,
  scaleDownDelayMs: 0,
  scaleToZero: true,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionMs: 0,
};
const metrics: MetricsView = { window: () => undefined, snapshot: () => undefined };

function input(config: CronConfig, nowMs: number): RecommendInput<CronConfig, CronState> {
  return { nowMs, target: { namespace: 'shop', name: 'web' }, config, scaling, replicas: { current: 1, ready: 1 }, metrics, state: undefined };
}

function parsed(annotations: Record<string, string>, defaultTimezone?: string): CronConfig {
  const result = createCronPlugin({ defaultTimezone }).config.parse(annotations, PREFIX);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.value;
}

describe('createCronPlugin', () => {
  it('declares its manifest and the scheduling capability', () => {
    const plugin = createCronPlugin();
    expect(plugin.manifest).toMatchObject({ id: 'cron', version: '0.1.0', coreVersion: '^0.1.0' });
    expect(isSchedulingPlugin(plugin)).toBe(true);
    expect(plugin.metrics).toBeUndefined();
  });

  it('refuses an unknown default time zone with a stable code', () => {
    let thrown: unknown;
    try {
      createCronPlugin({ defaultTimezone: 'Europe/Atlantis' });
    } catch (e) {
      thrown = e;
    }
    expect(isEbbError(thrown, ErrorCodes.CONFIG_FILE_INVALID)).toBe(true);
    expect(String(thrown)).toContain('"Europe/Atlantis"');
  });
});

describe('cron config through the annotation schema', () => {
  it('reads ebb.dev/cron and ebb.dev/cron.windows; absent means no windows', () => {
    expect(parsed({ [CRON_ANNOTATION]: OFFICE }).windows.map((w) => w.name)).toEqual(['office-hours']);
    expect(parsed({ 'ebb.dev/cron.windows': OFFICE }).windows.map((w) => w.timezone)).toEqual(['Asia/Shanghai']);
    expect(parsed({}).windows).toEqual([]);
    expect(parsed({ [CRON_ANNOTATION]: OFFICE.replace('  timezone: Asia/Shanghai\n', '') }, 'Europe/Berlin').windows[0]?.timezone).toBe('Europe/Berlin');
  });

  it('reports each problem as an issue on the key as written', () => {
    const result = createCronPlugin().config.parse({ [CRON_ANNOTATION]: OFFICE.replace('20', '-2').replace('Asia/Shanghai', 'Asia/Nowhere') }, PREFIX);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.key)).toEqual([CRON_ANNOTATION, CRON_ANNOTATION]);
    expect(result.issues.map((i) => i.message).join('\n')).toMatch(/replicas -2 is negative[\s\S]*timezone "Asia\/Nowhere" is not a known IANA time zone/);
    expect(result.issues[0]?.allowed).toBe('an integer >= 0, unquoted');
  });

  it('reports YAML that is not a list', () => {
    const result = createCronPlugin().config.parse({ [CRON_ANNOTATION]: 'office-hours: 9-19' }, PREFIX);
    expect(result.ok).toBe(false);
  });
});

describe('the plugin at work', () => {
  // 09:00-19:00 Asia/Shanghai (UTC+8) is 01:00-11:00Z; 2026-01-05 is a Monday.
  it.each([
    ['2026-01-05T00:59:59Z', 'no-opinion'],
    ['2026-01-05T01:00:00Z', 20],
    ['2026-01-05T10:59:59Z', 20],
    ['2026-01-05T11:00:00Z', 'no-opinion'],
  ])('recommend at %s -> %j', (now, expected) => {
    const plugin = createCronPlugin();
    const r = plugin.recommend(input(parsed({ [CRON_ANNOTATION]: OFFICE }), at(now))).recommendation;
    expect(r.kind === 'replicas' ? r.replicas : r.kind).toBe(expected);
  });

  it('schedule pokes at the boundaries of the ManualClock, and dispose stops it', () => {
    const plugin = createCronPlugin();
    const clock = new ManualClock(at('2026-01-05T00:00:00Z'));
    const pokes: string[] = [];
    const handle = plugin.schedule({
      target: { namespace: 'shop', name: 'web' },
      config: parsed({ [CRON_ANNOTATION]: OFFICE }),
      clock,
      poke: (reason) => pokes.push(`${iso(clock.now())} ${reason}`),
    });
    clock.advanceTo(at('2026-01-05T12:00:00Z'));
    handle.dispose();
    clock.advanceTo(at('2026-01-07T00:00:00Z'));
    expect(pokes).toEqual(['2026-01-05T01:00:00.000Z cron: office-hours starts', '2026-01-05T11:00:00.000Z cron: office-hours ends']);
    expect(clock.pendingTimers()).toBe(0);
  });
});
