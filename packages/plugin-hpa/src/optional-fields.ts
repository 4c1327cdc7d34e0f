import { formatDuration, parseDuration, type FieldType } from '@ebb/core';
import { quantityText, quantityToMilli, quantityToUnits } from './quantity.ts';

/**
 * Field types for settings that may be left unset (core's scalar kinds need a concrete default, and an HPA
 * target is either written or absent). Each is a `yaml` field whose document is a single scalar, checked here:
 * the annotation `70` arrives as the number 70, `512Mi` as a string.
 */

type Yaml = Extract<FieldType, { kind: 'yaml' }>;

function show(doc: unknown): string {
  return typeof doc === 'string' ? `"${doc}"` : String(doc);
}

/** Bounds of {@link optionalNumber}. */
export interface NumberBounds {
  readonly min: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** An optional number in [min, max] (an integer when `integer`). */
export function optionalNumber(bounds: NumberBounds): Yaml {
  const noun = bounds.integer ? 'an integer' : 'a number';
  const range = bounds.max === undefined ? `>= ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
  return {
    kind: 'yaml',
    parse(doc, issue) {
      const ok =
        typeof doc === 'number' &&
        Number.isFinite(doc) &&
        (!bounds.integer || Number.isSafeInteger(doc)) &&
        doc >= bounds.min &&
        (bounds.max === undefined || doc <= bounds.max);
      if (ok) return doc;
      issue(`expected ${noun} ${range}, got ${show(doc)}`, `${noun.slice(noun.indexOf(' ') + 1)} ${range}`);
      return undefined;
    },
  };
}

/** An optional Go duration (`60s`, `1m30s`) in [minMs, maxMs], parsed to ms; whole seconds when asked. */
export function optionalDuration(minMs: number, maxMs: number, wholeSeconds: boolean): Yaml {
  const allowed = `${formatDuration(minMs)} <= value <= ${formatDuration(maxMs)}${wholeSeconds ? ', whole seconds' : ''}`;
  return {
    kind: 'yaml',
    parse(doc, issue) {
      const ms = typeof doc === 'string' ? parseDuration(doc.trim()) : doc === 0 ? 0 : undefined;
      if (ms !== undefined && ms >= minMs && ms <= maxMs && (!wholeSeconds || ms % 1000 === 0)) return ms;
      issue(`expected a duration such as 60s with ${allowed}, got ${show(doc)}`, allowed);
      return undefined;
    },
  };
}

/**
 * An optional Kubernetes quantity greater than 0: CPU as millicores rounded up (`250m` -> 250, `0.5` -> 500),
 * memory as bytes rounded up (`512Mi` -> 536870912, `1G` -> 1000000000).
 */
export function optionalQuantity(unit: 'millicores' | 'bytes'): Yaml {
  const example = unit === 'millicores' ? '250m or 1.5' : '512Mi or 1G';
  return {
    kind: 'yaml',
    parse(doc, issue) {
      const text = quantityText(doc);
      const value = text === undefined ? undefined : unit === 'millicores' ? quantityToMilli(text) : quantityToUnits(text);
      if (value !== undefined && value > 0) return value;
      issue(`expected a Kubernetes quantity greater than 0 such as ${example}, got ${show(doc)}`, 'quantity > 0');
      return undefined;
    },
  };
}
