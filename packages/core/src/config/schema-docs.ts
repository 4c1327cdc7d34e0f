import type { ConfigSchema, FieldSpec, FieldType } from '../contracts/config.ts';
import { formatDuration } from './duration.ts';
import { numericRange, patternText, rangeRelation } from './field-range.ts';

const TYPE_NAMES: Readonly<Record<FieldType['kind'], string>> = {
  int: 'integer',
  number: 'number',
  bool: 'boolean',
  duration: 'duration',
  enum: 'enum',
  string: 'string',
  list: 'list',
  yaml: 'YAML',
};

/**
 * Renders a schema as a Markdown section: a `##` heading with `title`, then one table row per field in
 * declaration order with the full key under `prefix`, its aliases, type, default, allowed values and
 * description. docs/annotations.md is generated from these sections.
 */
export function renderSchemaDocs(title: string, prefix: string, schema: ConfigSchema<unknown>): string {
  const rows = Object.values(schema.fields).map((spec) =>
    [
      code(prefix + spec.key),
      spec.aliases?.length ? spec.aliases.map(code).join('<br>') : '',
      TYPE_NAMES[spec.type.kind],
      formatDefault(spec),
      allowedCell(spec.type),
      spec.description,
    ].map(cell),
  );
  const header = ['Key', 'Aliases', 'Type', 'Default', 'Allowed', 'Description'];
  const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  return [`## ${title}`, '', ...lines, ''].join('\n');
}

/** The default of a field as a user would write it: `30s` for a duration, `kpa,cron` for a list. */
export function formatDefault(spec: FieldSpec<unknown>): string {
  const d: unknown = spec.default;
  switch (spec.type.kind) {
    case 'duration':
      return code(formatDuration(d as number));
    case 'list':
      return (d as readonly string[]).length ? code((d as readonly string[]).join(',')) : '(empty)';
    case 'yaml':
      return d === undefined ? '(none)' : code(JSON.stringify(d));
    case 'string':
      return d === '' ? '(empty)' : code(String(d));
    default:
      return code(String(d));
  }
}

function allowedCell(type: FieldType): string {
  switch (type.kind) {
    case 'int':
    case 'number':
    case 'duration': {
      const relation = rangeRelation(numericRange(type), 'value') ?? 'any';
      return type.kind === 'duration' && type.wholeSeconds ? `${relation}, whole seconds` : relation;
    }
    case 'bool':
      return '`true`, `false`';
    case 'enum':
      return type.values.map(code).join(', ');
    case 'string':
      return type.pattern ? `matches ${code(patternText(type))}` : 'any';
    case 'list':
      return type.values ? `comma-separated, each one of ${type.values.map(code).join(', ')}` : 'comma-separated';
    case 'yaml':
      return 'YAML document, see description';
  }
}

function code(s: string): string {
  return `\`${s}\``;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
