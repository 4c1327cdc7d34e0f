import { describe, expect, it } from 'vitest';
import { parseScalingConfig, type Decision } from '@ebb/core';
import { formatExplain, type ExplainAnswer } from './explain.ts';

const scaling = parseScalingConfig({ 'ebb.dev/policies': 'eventgw,prewarm' });
if (!scaling.ok) throw new Error('scaling config');

const answer = (recommendations: Decision['recommendations']): ExplainAnswer => ({
  target: 'default/fn',
  nowMs: Date.UTC(2026, 0, 5),
  current: 1,
  ready: 1,
  scaling: scaling.value,
  recommendations,
  failed: [],
  desired: 1,
  applied: [],
  steps: [],
});

describe('formatExplain', () => {
  it('shows the details of a plugin under its line', () => {
    const text = formatExplain(
      answer([
        { pluginId: 'eventgw', recommendation: { kind: 'replicas', replicas: 0, reason: 'no demand for 10s' } },
        {
          pluginId: 'prewarm',
          recommendation: { kind: 'replicas', replicas: 1, reason: 'pre-warm: next request expected at 2026-01-05T00:54:32Z', details: { mode: 'histogram', histogram: '4:10', cv: 15.46 } },
        },
      ]),
    );
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('pre-warm: next request expected'));
    expect(lines[at]).toBe('  prewarm  wants 1      pre-warm: next request expected at 2026-01-05T00:54:32Z');
    expect(lines[at + 1]).toBe('                        mode=histogram histogram=4:10 cv=15.46');
    // No details, no line.
    expect(lines[at - 1]).toBe('  eventgw  wants 0      no demand for 10s');
  });
});

describe('formatExplain with a rollout floor', () => {
  it('shows the floor and why, whether or not it raised the value', () => {
    const reason = 'rollout of route shop/coffee (step 3; 15 % now, 100 % at the end) needs 2 pods';
    const text = formatExplain({ ...answer([]), floor: { replicas: 2, reason } });
    expect(text.split('\n')).toContain(`Floor: 2 (${reason})`);
    expect(formatExplain(answer([]))).not.toContain('Floor:');
  });
});
