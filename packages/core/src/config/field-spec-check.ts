import type { FieldSpec } from '../contracts/config.ts';
import { inRange, numericRange } from './field-range.ts';

/**
 * Checks one field declaration at definition time (a programming error, not a user's): the key is a plain
 * annotation name fragment and the default is a value of the field's own type and range. Throws a TypeError
 * naming the field.
 */
export function checkFieldSpec(name: string, spec: FieldSpec<unknown>): void {
  const fail = (why: string): never => {
    throw new TypeError(`config field ${name} (${spec.key}): ${why}`);
  };
  if (!/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(spec.key)) fail('key must be a non-empty annotation name fragment');
  const d: unknown = spec.default;
  const type = spec.type;
  switch (type.kind) {
    case 'int':
    case 'number':
    case 'duration': {
      if (typeof d !== 'number' || !Number.isFinite(d)) return fail('default must be a finite number');
      if (type.kind === 'int' && !Number.isInteger(d)) fail('default must be an integer');
      if (type.kind === 'duration' && type.wholeSeconds && d % 1000 !== 0) fail('default must be whole seconds');
      if (!inRange(numericRange(type), d)) fail('default is outside the range');
      return;
    }
    case 'bool':
      if (typeof d !== 'boolean') fail('default must be a boolean');
      return;
    case 'enum':
      if (typeof d !== 'string' || !type.values.includes(d)) fail(`default must be one of ${type.values.join(', ')}`);
      return;
    case 'string':
      if (typeof d !== 'string') fail('default must be a string');
      return;
    case 'list':
      if (!Array.isArray(d) || d.some((item) => typeof item !== 'string' || (type.values && !type.values.includes(item)))) {
        fail('default must be a list of allowed strings');
      }
      return;
    case 'yaml':
      return;
  }
}
