import { describe, expect, it } from 'vitest';
import { runSimulation } from '../run/run-simulation.ts';
import { START, requestsTrace } from '../test-support/scenarios.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import { parseConfigurations } from './config-file.ts';

const PRESETS = { podConcurrency: 1 };

function errorOf(fn: () => unknown): SimulatorInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SimulatorInputError) return e;
    throw e;
  }
  throw new Error('expected a SimulatorInputError');
}

describe('configuration files', () => {
  it('reads names, presets and annotations (unquoted values as text) with their lines', () => {
    const text = ['configurations:', '  - name: a', '    preset: kpa-reserve', '    annotations:', '      ebb.dev/kpa.target: 5', '  - name: b', '    annotations:', '      ebb.dev/policies: eventgw'].join('\n');
    const [a, b] = parseConfigurations(text, 'c.yaml', PRESETS);
    expect(a!.annotations).toMatchObject({ 'ebb.dev/policies': 'kpa', 'ebb.dev/reserve': 'true', 'ebb.dev/kpa.target': '5' });
    expect(a!.annotationLines).toEqual({ 'ebb.dev/kpa.target': 5 });
    expect([a!.source, b!.source]).toEqual([{ file: 'c.yaml', line: 2 }, { file: 'c.yaml', line: 6 }]);
  });

  it.each([
    ['not YAML', 'configurations: [', 1, 'not valid YAML'],
    ['an unknown top-level field', 'configuration:\n  - name: a', 1, 'unknown field "configuration"'],
    ['an item without name', 'configurations:\n  - annotations:\n      a: b', 2, 'configuration #1 has no name'],
    ['a name used twice', 'configurations:\n  - name: a\n    preset: kpa-cron\n  - name: a\n    preset: kpa-cron', 4, 'configuration name "a" is used twice'],
    ['an unknown preset', 'configurations:\n  - name: a\n    preset: knative', 3, 'unknown preset "knative"'],
    ['a nested annotation value', 'configurations:\n  - name: a\n    annotations:\n      ebb.dev/cron:\n        - x', 5, 'must have a text value'],
    ['an unknown field of an item', 'configurations:\n  - name: a\n    anotations: {}', 3, 'unknown field "anotations"'],
  ])('names the file, line and problem for %s', (_name, text, line, message) => {
    const e = errorOf(() => parseConfigurations(text, 'c.yaml', PRESETS));
    expect([e.code, e.file, e.line]).toEqual([SimulatorErrorCodes.CONFIG_INVALID, 'c.yaml', line]);
    expect(e.message).toContain(message);
  });

  it('reports every invalid annotation with the line it is on, with the scaler\'s own messages', async () => {
    const text = [
      'configurations:',
      '  - name: typo',
      '    annotations:',
      '      ebb.dev/policies: kpa',
      '      ebb.dev/kpa.window: 2s',
      '      ebb.dev/kpa.targte: "10"',
      '      ebb.dev/reserve: maybe',
    ].join('\n');
    const configurations = parseConfigurations(text, 'c.yaml', PRESETS);
    const error = await runSimulation({ trace: requestsTrace('x', [[1, 100]], 60, START), configurations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatorInputError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^c\.yaml:5: configuration "typo": .*2s.*window/);
    expect(lines.some((l) => l.startsWith('c.yaml:6: ') && l.includes('ebb.dev/kpa.targte'))).toBe(true);
    expect(lines.some((l) => l.startsWith('c.yaml:7: ') && l.includes('ebb.dev/reserve'))).toBe(true);
  });
});
