import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateCommand, type SimulateIo } from './simulate-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'ebb-sim-'));
const TRACE = 'synthetic:bursts?size=3&every=5m&hours=0.25&duration=500ms';

/** Runs the command with captured output. */
async function run(argv: string[], o: Partial<SimulateIo> = {}) {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string | Uint8Array>();
  const code = await simulateCommand(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stderrIsTTY: false,
    writeFile: (path, data) => void files.set(path, data),
    ...o,
  });
  return { code, stdout, stderr, files };
}

describe('ebb simulate', () => {
  it('prints usage for --help', async () => {
    const r = await run(['--help']);
    expect([r.code, r.stdout.startsWith('Usage: ebb simulate TRACE')]).toEqual([0, true]);
  });

  it('prints a per-function summary for one configuration', async () => {
    const r = await run([TRACE, '--no-progress']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('configuration knative-default');
    expect(r.stdout).toMatch(/^bursts-1 +9 /m);
    expect(r.stdout).toMatch(/^total +9 /m);
  });

  it('compares the presets in one table', async () => {
    const r = await run([TRACE, '--compare']);
    const rows = r.stdout.split('\n').filter((l) => /^(knative-default|kpa-reserve|kpa-cron|keepalive-10m) /.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('+0.0 %');
  });

  it('prints JSON with --json, and it parses', async () => {
    const r = await run([TRACE, '--preset', 'kpa-reserve', '--json', '--seed', '3']);
    const json = JSON.parse(r.stdout) as { settings: { seed: number }; configurations: Array<{ name: string; total: { requests: number } }> };
    expect(json.settings.seed).toBe(3);
    expect(json.configurations.map((c) => [c.name, c.total.requests])).toEqual([['kpa-reserve', 9]]);
  });

  it('writes the SVG chart, and says what to install for PNG when the renderer is missing', async () => {
    const r = await run([TRACE, '--svg', 'c.svg', '--png', 'c.png'], { loadModule: () => Promise.reject(new Error('Cannot find module')) });
    expect(r.code).toBe(1);
    expect(String(r.files.get('c.svg'))).toMatch(/^<svg /);
    expect(r.files.has('c.png')).toBe(false);
    expect(r.stderr).toContain('PNG output needs the package @resvg/resvg-js (2.6.2)');
  });

  it('converts the SVG with the renderer when it is there', async () => {
    let rendered = '';
    const fake = { Resvg: class { constructor(svg: string) { rendered = svg; } render() { return { asPng: () => new Uint8Array([137, 80, 78, 71]) }; } } };
    const r = await run([TRACE, '--png', 'c.png'], { loadModule: async () => fake });
    expect(r.code).toBe(0);
    expect(rendered).toMatch(/^<svg /);
    expect(r.files.get('c.png')).toEqual(new Uint8Array([137, 80, 78, 71]));
  });

  it('draws a progress bar only on a terminal', async () => {
    const quiet = await run([TRACE]);
    expect(quiet.stderr).toBe('');
    const tty = await run([TRACE], { stderrIsTTY: true });
    expect(tty.stderr).toContain('[');
    expect(tty.stderr).toContain('100%');
    const off = await run([TRACE, '--no-progress'], { stderrIsTTY: true });
    expect(off.stderr).toBe('');
  });

  it.each([
    [['--bogus', TRACE], 2, 'Unknown option'],
    [[], 2, 'missing TRACE'],
    [[TRACE, '--startup', 'soon'], 2, '--startup soon: expected a duration'],
    [[TRACE, '--reserve-price-ratio', '1.5'], 2, 'reserve price ratio is 1.5; expected a number in (0, 1]'],
    [[TRACE, '--preset', 'nope'], 1, 'unknown preset "nope"'],
    [[TRACE, '--annotation', 'ebb.dev/kpa.window=1s'], 1, '<command line>: configuration "custom"'],
  ])('exits %#: %j -> %i naming the problem', async (argv, code, text) => {
    const r = await run(argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(text);
  });

  it('names the file and line of a bad trace', async () => {
    const path = join(dir, 'bad-inv.csv');
    writeFileSync(path, 'HashFunction,HashApp,HashOwner,minute_1\nf,a,o,many\n');
    const percentiles = [0, 1, 25, 50, 75, 99, 100].map((p) => `percentile_Average_${p}`).join(',');
    writeFileSync(join(dir, 'bad-run.csv'), `HashFunction,HashApp,HashOwner,Count,Average,Minimum,Maximum,${percentiles}\nf,a,o,1,1,1,1,1,1,1,1,1,1,1\n`);
    const r = await run([path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ebb simulate: ${path}:2: minute_1 is "many"; expected a whole number of invocations >= 0\n`);
  });
});
