import { parseTargetConfig, scalingConfigSchema, type ConfigIssue, type PolicyPlugin } from '@ebb/core';
import { parseTargetModelConfig, type TargetModelConfig } from '../model/target-model-config.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';
import type { SimConfiguration } from './configuration.ts';

/**
 * Checks a configuration with the scaler's own parser (the same plugins, schema and messages as `ebb validate`)
 * and reads its model settings (per-pod concurrency, queue, reserve).
 *
 * @param extraKeys Ebb keys read outside the plugins (the reserve's), never "unknown"
 * @throws SimulatorInputError `EBB_SIM_CONFIG_INVALID` listing every problem, each as
 *   `file:line: configuration "name": message` (the line of the annotation when the file gives it).
 */
export function validateConfiguration(
  conf: SimConfiguration,
  plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>,
  extraKeys: readonly string[],
  defaultPodConcurrency: number,
): TargetModelConfig {
  const issues: ConfigIssue[] = [];
  const parsed = parseTargetConfig(conf.annotations, plugins, scalingConfigSchema, extraKeys);
  if (!parsed.ok) issues.push(...parsed.issues);
  const model = parseTargetModelConfig(conf.annotations, defaultPodConcurrency);
  if (!model.ok) issues.push(...model.issues.filter((i) => !issues.some((j) => j.message === i.message)));
  if (model.ok && issues.length === 0) return model.value;
  const file = conf.source?.file ?? `<configuration ${conf.name}>`;
  const located = issues.map((i) => {
    const line = conf.annotationLines?.[i.key] ?? conf.source?.line;
    return { line, text: `configuration "${conf.name}": ${i.message}` };
  });
  const [first, ...rest] = located;
  const more = rest.map((r) => `\n${file}${r.line === undefined ? '' : `:${r.line}`}: ${r.text}`).join('');
  throw new SimulatorInputError(SimulatorErrorCodes.CONFIG_INVALID, `${first!.text}${more}`, first!.line === undefined ? { file } : { file, line: first!.line });
}
