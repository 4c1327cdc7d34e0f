import { ANNOTATION_PREFIX, SELECTION_LABEL, STATUS_ANNOTATION, type ConfigIssue } from '../contracts/config.ts';
import { closestMatch } from './edit-distance.ts';

/**
 * Reports an `unknown_key` issue for every annotation under one of `prefixes` (default `ebb.dev/`) that no
 * schema reads: a typo there would otherwise be silently ignored. `knownKeys` are the full names every schema in
 * use reads (see `ConfigSchema.keys`); {@link STATUS_ANNOTATION}, which Ebb writes itself, is always known. The
 * message suggests the closest known key when one is a plausible typo (edit distance). Issues are sorted by key.
 */
export function unknownKeys(
  annotations: Readonly<Record<string, string>>,
  knownKeys: Iterable<string>,
  prefixes: readonly string[] = [ANNOTATION_PREFIX],
): ConfigIssue[] {
  const known = new Set(knownKeys);
  known.add(STATUS_ANNOTATION);
  known.add(SELECTION_LABEL);
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(annotations).sort()) {
    if (known.has(key) || !prefixes.some((p) => key.startsWith(p))) continue;
    const guess = closestMatch(key, known);
    issues.push({
      code: 'unknown_key',
      key,
      value: annotations[key],
      message: guess ? `unknown annotation ${key}: did you mean ${guess}?` : `unknown annotation ${key}: no enabled policy or core setting reads it`,
      ...(guess ? { allowed: guess } : {}),
    });
  }
  return issues;
}
