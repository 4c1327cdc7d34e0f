import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import type { SimConfiguration } from './configuration.ts';
import { PRESET_NAMES, presetNamed, type PresetOptions } from './presets.ts';

const CONFIG_FIELDS = ['name', 'description', 'preset', 'annotations'];

/**
 * Reads configurations from YAML text:
 * ```yaml
 * configurations:
 *   - name: kpa-target-5
 *     description: KPA aiming at 5 requests per pod   # optional
 *     preset: knative-default                          # optional: start from a preset's annotations
 *     annotations:
 *       ebb.dev/policies: kpa
 *       ebb.dev/kpa.target: "5"
 * ```
 * A top-level list of the same items is accepted too. Annotation values may be written unquoted (numbers and
 * booleans are turned into their text). Every configuration keeps the line of each annotation, so later
 * validation can name it.
 *
 * @throws SimulatorInputError `EBB_SIM_CONFIG_INVALID` naming the file, the line and the problem.
 */
export function parseConfigurations(text: string, file: string, presets: PresetOptions): SimConfiguration[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const fail = (problem: string, node?: Node | null): never => {
    const line = lineOf(node);
    throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, problem, line === undefined ? { file } : { file, line });
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, `not valid YAML: ${firstError.message.split('\n')[0]}`, { file, line });
  }
  const root = doc.contents;
  const list = isMap(root) ? root.get('configurations', true) : root;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'configurations') fail(`unknown field "${key}"; expected configurations`, pair.key as Node);
    }
  }
  if (!isSeq(list)) return fail('expected a list of configurations (under "configurations:")', (list as Node | undefined) ?? root);
  if (list.items.length === 0) fail('the list of configurations is empty', list);
  const seen = new Set<string>();
  return list.items.map((item, index) => {
    if (!isMap(item)) return fail(`configuration #${index + 1} is not a mapping with name and annotations`, item as Node);
    const map = item as YAMLMap;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!CONFIG_FIELDS.includes(key)) fail(`configuration #${index + 1}: unknown field "${key}"; expected ${CONFIG_FIELDS.join(', ')}`, pair.key as Node);
    }
    const nameNode = map.get('name', true);
    const name = isScalar(nameNode) ? String(nameNode.value ?? '').trim() : '';
    if (!name) fail(`configuration #${index + 1} has no name`, item);
    if (seen.has(name)) fail(`configuration name "${name}" is used twice`, nameNode as Node);
    seen.add(name);
    const annotations: Record<string, string> = {};
    const annotationLines: Record<string, number> = {};
    const presetNode = map.get('preset', true);
    if (presetNode !== undefined) {
      const preset = isScalar(presetNode) ? String(presetNode.value) : '';
      if (!(PRESET_NAMES as readonly string[]).includes(preset)) fail(`configuration "${name}": unknown preset "${preset}"; expected one of ${PRESET_NAMES.join(', ')}`, presetNode as Node);
      Object.assign(annotations, presetNamed(preset, presets).annotations);
    }
    const annNode = map.get('annotations', true);
    if (annNode !== undefined && annNode !== null && !isMap(annNode)) fail(`configuration "${name}": annotations must be a mapping of annotation names to values`, annNode as Node);
    for (const pair of isMap(annNode) ? annNode.items : []) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value;
      if (!isScalar(value) || value.value === null || typeof value.value === 'object') {
        fail(`configuration "${name}": annotation ${key} must have a text value (quote it)`, (value as Node | null) ?? (pair.key as Node));
      }
      annotations[key] = String((value as { value: unknown }).value);
      const line = lineOf(pair.key as Node);
      if (line !== undefined) annotationLines[key] = line;
    }
    if (Object.keys(annotations).length === 0) fail(`configuration "${name}" has no annotations (and no preset)`, item);
    const description = map.get('description');
    const line = lineOf(item);
    return {
      name,
      ...(typeof description === 'string' ? { description } : {}),
      annotations,
      source: line === undefined ? { file } : { file, line },
      annotationLines,
    };
  });
}

/** Reads configurations from a YAML file; see {@link parseConfigurations}. */
export function readConfigurationFile(path: string, presets: PresetOptions): SimConfiguration[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, `cannot read the configurations: ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`, { file: path });
  }
  return parseConfigurations(text, path, presets);
}
