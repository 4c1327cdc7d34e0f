import { readFileSync } from 'node:fs';
import { parseReserveConfig, parseTargetConfig, RESERVE_ANNOTATION_KEYS, scalingConfigSchema, SELECTION_LABEL, ANNOTATION_PREFIX, KNATIVE_PREFIX, type PolicyPlugin } from '@ebb/core';
import { parseAllDocuments } from 'yaml';

/** One finding of `ebb validate`. */
export interface ValidateFinding {
  readonly where: string;
  readonly ok: boolean;
  readonly lines: readonly string[];
}

interface K8sObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  items?: K8sObject[];
}

/**
 * Lints the Ebb and Knative annotations of every Deployment in a manifest (multi-document YAML, or a List),
 * offline, with the same parser the scaler uses. Deployments without Ebb or Knative annotations are skipped.
 */
export function validateManifest(text: string, source: string, plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>): ValidateFinding[] {
  const findings: ValidateFinding[] = [];
  const docs = parseAllDocuments(text);
  docs.forEach((doc, i) => {
    const where = `${source}: document ${i + 1}`;
    if (doc.errors.length) {
      findings.push({ where, ok: false, lines: doc.errors.map((e) => `not valid YAML: ${e.message.split('\n')[0]}`) });
      return;
    }
    const objects: K8sObject[] = [];
    const root = doc.toJS() as K8sObject | null;
    if (root?.kind === 'List' || root?.kind?.endsWith('List')) objects.push(...(root.items ?? []));
    else if (root) objects.push(root);
    for (const obj of objects) {
      if (obj.kind !== 'Deployment') continue;
      const annotations = obj.metadata?.annotations ?? {};
      const labelled = obj.metadata?.labels?.[SELECTION_LABEL] === 'true';
      const relevant = Object.keys(annotations).some((k) => k.startsWith(ANNOTATION_PREFIX) || k.startsWith(KNATIVE_PREFIX));
      if (!labelled && !relevant) continue;
      const name = `Deployment ${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name ?? '?'}`;
      const lines: string[] = [];
      const parsed = parseTargetConfig(annotations, plugins, scalingConfigSchema, RESERVE_ANNOTATION_KEYS);
      if (!parsed.ok) lines.push(...parsed.issues.map((i) => i.message));
      const reserve = parseReserveConfig(annotations);
      if (!reserve.ok) lines.push(...reserve.issues.map((i) => i.message));
      if (!labelled) lines.push(`has autoscaling annotations but not the label ${SELECTION_LABEL}: "true"; Ebb ignores it until the label is set`);
      const ok = parsed.ok && reserve.ok && labelled;
      if (ok) {
        const reserveText = reserve.value.enabled ? `; reserve ${reserve.value.replicas} pod(s) instead of zero` : '';
        lines.push(`ok: policies ${parsed.value.scaling.policies.join(', ')}; replicas ${parsed.value.scaling.minReplicas}..${parsed.value.scaling.maxReplicas || 'unbounded'}${reserveText}`);
      }
      findings.push({ where: `${source}: ${name}`, ok, lines });
    }
  });
  return findings;
}

/** `ebb validate FILE|-`: prints findings; returns the exit code (1 when any problem). */
export function validateCommand(path: string, plugins: ReadonlyMap<string, PolicyPlugin<unknown, unknown>>, out: (s: string) => void): number {
  const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  const findings = validateManifest(text, path === '-' ? '<stdin>' : path, plugins);
  if (!findings.length) {
    out(`${path}: no Deployment with Ebb or Knative autoscaling annotations found\n`);
    return 0;
  }
  let problems = 0;
  for (const f of findings) {
    if (!f.ok) problems += f.lines.length;
    out(`${f.ok ? 'OK  ' : 'FAIL'} ${f.where}\n${f.lines.map((l) => `       ${f.ok ? '' : '- '}${l}`).join('\n')}\n`);
  }
  out(problems ? `\n${problems} problem(s) found\n` : '\nall targets valid\n');
  return problems ? 1 : 0;
}
