import { readFileSync } from 'node:fs';
import { ANNOTATION_PREFIX, RESERVE_ANNOTATION_KEYS, scalingConfigSchema, type PolicyPlugin } from '@ebb/core';
import { convertManifest, CONVERTIBLE_KINDS } from './convert-manifest.ts';
import { CONVERT_FORMATS, formatPatch, formatYaml, type ConvertFormat } from './convert-output.ts';
import { validateManifest } from './validate.ts';

/** Every annotation key the scaler reads with these plugins (core, reserve, each plugin's keys and aliases). */
export function knownAnnotationKeys(plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>): Set<string> {
  const keys = new Set<string>([...RESERVE_ANNOTATION_KEYS, ...scalingConfigSchema.keys(ANNOTATION_PREFIX)]);
  for (const [id, p] of plugins) for (const k of p.config.keys(`${ANNOTATION_PREFIX}${id}.`)) keys.add(k);
  return keys;
}

/**
 * `ebb convert FILE|- [--format yaml|patch]`: prints the Deployment annotations that give the behaviour of the
 * HPAs, KEDA objects and Knative Services in a manifest (stdout), and a note for each setting not carried over
 * (stderr). The output is checked with `ebb validate`'s own parser before it is printed. Returns the exit code:
 * 0 when converted, 1 on bad input, nothing to convert, or output the parser rejects (each problem named).
 */
export function convertCommand(
  path: string,
  format: string | undefined,
  plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const fmt = (format ?? 'yaml') as ConvertFormat;
  if (!CONVERT_FORMATS.includes(fmt)) {
    err(`ebb convert: --format: got ${JSON.stringify(format)}; allowed: ${CONVERT_FORMATS.join(', ')}\n`);
    return 1;
  }
  const file = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    err(`ebb convert: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const result = convertManifest(text, file, knownAnnotationKeys(plugins));
  if (result.errors.length) {
    err(`${result.errors.map((e) => `error: ${e}`).join('\n')}\n\n${result.errors.length} problem(s) in the input; nothing converted\n`);
    return 1;
  }
  for (const n of result.notes) err(`note: ${n.where}: ${n.text}\n`);
  if (!result.sourceCount) {
    err(`ebb convert: ${file}: nothing to convert; allowed: ${CONVERTIBLE_KINDS}\n`);
    return 1;
  }
  if (!result.targets.length) {
    err(`ebb convert: ${file}: no Deployment could be converted (see the notes above)\n`);
    return 1;
  }
  const yaml = formatYaml(result.targets);
  const problems = validateManifest(yaml, 'converted', plugins).filter((f) => !f.ok);
  out(fmt === 'yaml' ? yaml : formatPatch(result.targets));
  if (problems.length) {
    err(`${problems.flatMap((p) => p.lines.map((l) => `problem: ${p.where}: ${l}`)).join('\n')}\nthe converted annotations are not valid for this scaler's configuration (--config); fix them before applying\n`);
    return 1;
  }
  err(`${result.targets.length} Deployment(s) converted, ${result.notes.length} note(s); apply the annotations, then delete the original autoscaler objects (two autoscalers would fight over the replica count)\n`);
  return 0;
}
