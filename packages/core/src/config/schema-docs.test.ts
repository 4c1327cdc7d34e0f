import { describe, expect, it } from 'vitest';
import { defineConfig, field } from './define-config.ts';
import { scalingConfigSchema } from './scaling-schema.ts';
import { renderSchemaDocs } from './schema-docs.ts';

describe('renderSchemaDocs', () => {
  const doc = renderSchemaDocs('Scaling', 'ebb.dev/', scalingConfigSchema);
  const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
  const row = (key: string): string[] =>
    (rows.find((r) => r.startsWith(`| \`${key}\``)) ?? '')
      .slice(2, -2)
      .split(' | ');

  it('renders a heading and a table with one row per field', () => {
    expect(doc.startsWith('## Scaling\n\n| Key | Aliases | Type | Default | Allowed | Description |\n| --- |')).toBe(true);
    expect(rows).toHaveLength(Object.keys(scalingConfigSchema.fields).length);
  });

  it.each([
    ['ebb.dev/min-replicas', '`autoscaling.knative.dev/min-scale`<br>`autoscaling.knative.dev/minScale`', 'integer', '`0`', '0 <= value <= 2147483647'],
    ['ebb.dev/scale-down-delay', '`autoscaling.knative.dev/scale-down-delay`<br>`autoscaling.knative.dev/scaleDownDelay`', 'duration', '`0s`', '0s <= value <= 1h, whole seconds'],
    ['ebb.dev/scale-to-zero-grace-period', '', 'duration', '`30s`', '6s <= value <= 1h'],
    ['ebb.dev/scale-to-zero', '', 'boolean', '`true`', '`true`, `false`'],
    ['ebb.dev/policies', '', 'list', '`kpa`', 'comma-separated'],
  ])('renders %s', (key, aliases, type, def, allowed) => {
    expect(row(key).slice(1, 5)).toEqual([aliases, type, def, allowed]);
    const spec = Object.values(scalingConfigSchema.fields).find((f) => `ebb.dev/${f.key}` === key);
    expect(row(key)[5]).toBe(spec?.description);
  });

  it('escapes pipes and newlines so the table stays intact', () => {
    const schema = defineConfig({
      mode: field({ key: 'mode', type: { kind: 'enum', values: ['a|b', 'c'] }, default: 'c', description: 'One\nor | two.' }),
      count: field({ key: 'count', type: { kind: 'number', min: 0, exclusiveMin: true }, default: 1, description: 'n' }),
    });
    const out = renderSchemaDocs('Demo', 'ebb.dev/demo.', schema);
    expect(out).toContain('| `ebb.dev/demo.mode` |  | enum | `c` | `a\\|b`, `c` | One or \\| two. |');
    expect(out).toContain('| `ebb.dev/demo.count` |  | number | `1` | value > 0 | n |');
  });
});
