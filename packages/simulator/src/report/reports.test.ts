import { describe, expect, it } from 'vitest';
import { builtinPresets } from '../config/presets.ts';
import { runSimulation } from '../run/run-simulation.ts';
import { EXACT_EVENTGW, requestsTrace, simulateExact } from '../test-support/scenarios.ts';
import { ProgressBar } from './progress-bar.ts';
import { svgChart } from './svg-chart.ts';
import { compareTable, terminalReport } from './terminal-report.ts';
import { changeText, podHours, waitText } from './text-table.ts';

describe('SVG chart', () => {
  it('draws one panel per function, a line per configuration, and a dot per bucket with cold starts', async () => {
    const trace = requestsTrace('burst-8', Array.from({ length: 10 }, () => [30.2, 2000] as const), 90);
    const r = await runSimulation({ trace, configurations: builtinPresets({ podConcurrency: 1 }).slice(0, 2), startup: { meanMs: 5000, jitterMs: 0 } });
    const svg = svgChart(r);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>burst-8<');
    expect(svg).toContain('>knative-default<');
    expect(svg).toContain('>kpa-reserve<');
    // knative-default: the 10 cold starts fall in one bucket -> one dot; kpa-reserve: none.
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
  });

  it('escapes text', async () => {
    const r = await simulateExact(requestsTrace('one-2', [[1, 100]], 30), EXACT_EVENTGW);
    const svg = svgChart({ ...r, trace: { ...r.trace, name: 'a<b>&"c"' } });
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot;');
  });
});

describe('terminal report', () => {
  it('formats pod-hours, waits and changes for people', () => {
    expect([podHours(5400), podHours(2_882_175), waitText(null), waitText(420.4), waitText(7123), waitText(65_000)]).toEqual(['1.50', '800.6', '-', '420 ms', '7.12 s', '1m 05s']);
    expect([changeText(1.12), changeText(0.5), changeText(NaN)]).toEqual(['+12.0 %', '-50.0 %', '-']);
  });

  it('prints one row per configuration in compare mode, and per-function tables on request', async () => {
    const trace = requestsTrace('one-2', [[10.3, 1000]], 60);
    const r = await runSimulation({ trace, configurations: builtinPresets({ podConcurrency: 1 }) });
    expect(compareTable(r).trim().split('\n')).toHaveLength(2 + 5);
    expect(terminalReport(r)).not.toContain('configuration kpa-cron:');
    expect(terminalReport(r, { perFunction: true })).toContain('configuration kpa-cron:');
  });
});

describe('progress bar', () => {
  it('draws on a terminal at most every 100 ms (and always at the end), and clears its line', () => {
    let out = '';
    let now = 0;
    const bar = new ProgressBar({ write: (s) => void (out += s), isTTY: true }, { clock: { now: () => now, setTimeout: () => ({ cancel: () => undefined }) }, width: 10 });
    bar.update(1, 4, 'a');
    bar.update(2, 4, 'a');
    now = 150;
    bar.update(3, 4, 'a');
    bar.update(4, 4, 'a');
    expect(out.split('\r').filter(Boolean).map((l) => l.slice(0, 17))).toEqual(['[###.......]  25%', '[########..]  75%', '[##########] 100%']);
    bar.done();
    expect(out.endsWith('\r')).toBe(true);
  });

  it('draws nothing when not on a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ write: (s) => void (out += s), isTTY: false });
    bar.update(1, 2, 'a');
    bar.done();
    expect(out).toBe('');
  });
});
