import { describe, expect, it } from 'vitest';
import { simulateCommand, type SimulateIo } from '../cli/simulate-command.ts';

function io(): SimulateIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), stderrIsTTY: false };
}

describe('ebb simulate --rollout', () => {
  it('prints both rollouts side by side', async () => {
    const o = io();
    const code = await simulateCommand(['synthetic:steps', '--hours', '0.25', '--rollout', '30s', '--rollout-at', '5m', '--no-progress'], o);
    expect(o.err.join('')).toBe('');
    expect(code).toBe(0);
    const text = o.out.join('');
    expect(text).toMatch(/v1 -> v2 at \+300 s, rollout-duration 30 s/);
    expect(text).toMatch(/time steps \(Knative\)\s+capacity-aware \(Ebb\)/);
    expect(text).toMatch(/^rollout took\s+\d+ s\s+\d+ s$/m);
  });

  it.each([
    [['--rollout-at', '5m'], '--rollout-at and --rollout-max-surge need --rollout DURATION'],
    [['--rollout', 'soon'], '--rollout soon: expected a duration'],
    [['--rollout', '30s', '--rollout-at', '2h'], 'rollout start 7200 s after the start: expected 0..900 s'],
    [['--rollout', '30s', '--compare'], 'a rollout replay runs one configuration'],
  ])('%j is refused with a message naming the problem', async (args, message) => {
    const o = io();
    const code = await simulateCommand(['synthetic:steps', '--hours', '0.25', '--no-progress', ...args], o);
    expect(code).toBe(2);
    expect(o.err.join('')).toContain(message);
  });
});
