import { SELECTION_LABEL } from '@ebb/core';
import { stringify } from 'yaml';
import type { ConvertedTarget } from './convert-manifest.ts';

/** Output formats of `ebb convert`. */
export const CONVERT_FORMATS = ['yaml', 'patch'] as const;
/** One of {@link CONVERT_FORMATS}. */
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

/** The metadata to merge into a target Deployment: the selection label and the annotations. */
export function targetPatch(t: ConvertedTarget): { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } {
  return { metadata: { labels: { [SELECTION_LABEL]: 'true' }, annotations: { ...t.annotations } } };
}

/**
 * One YAML document per target: a partial Deployment (apiVersion, kind, name, namespace, label, annotations),
 * usable as a strategic-merge patch (`kubectl patch deployment NAME -n NS --patch-file FILE`) or to copy into the
 * Deployment's manifest; a comment names the sources.
 */
export function formatYaml(targets: readonly ConvertedTarget[]): string {
  return targets
    .map((t) => {
      const from = t.sources.map((s) => `${s.kind} ${s.namespace}/${s.name} (${s.file}, document ${s.document})`).join(', ');
      const doc = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: t.name, namespace: t.namespace, ...targetPatch(t).metadata } };
      return `# Deployment ${t.namespace}/${t.name}, converted from ${from}\n${stringify(doc, { lineWidth: 0 })}`;
    })
    .join('---\n');
}

/**
 * One `kubectl patch` command per target with a JSON merge patch, quoted for a POSIX shell:
 * `kubectl patch deployment web -n shop --type merge -p '{"metadata":{...}}'`.
 */
export function formatPatch(targets: readonly ConvertedTarget[]): string {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  return targets.map((t) => `kubectl patch deployment ${t.name} -n ${t.namespace} --type merge -p ${quote(JSON.stringify(targetPatch(t)))}\n`).join('');
}
