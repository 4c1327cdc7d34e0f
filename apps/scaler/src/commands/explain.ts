import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parseTargetKey, readStatus, toScaleTarget, type Decision } from '@ebb/core';

/** The answer of a scaler's `/explain` endpoint. */
export type ExplainAnswer = ({ target: string } & Decision) | { target: string; invalid: readonly string[] };

/** Renders a decision for people: each plugin (with its details), the combination, bounds and what happens next. */
export function formatExplain(a: ExplainAnswer): string {
  if ('invalid' in a) {
    return `Target ${a.target}: configuration is INVALID; the scaler leaves it as it is until fixed:\n${a.invalid.map((m) => `  - ${m}`).join('\n')}\n`;
  }
  const lines = [`Target ${a.target}: spec.replicas ${a.current}, ready ${a.ready}`, 'Plugins:'];
  const width = Math.max(...a.recommendations.map((r) => r.pluginId.length), ...a.failed.map((f) => f.pluginId.length), 4);
  for (const { pluginId, recommendation: r } of a.recommendations) {
    const what = r.kind === 'replicas' ? `wants ${r.replicas}` : r.kind === 'no-data' ? 'NO DATA (blocks scale-down)' : 'no opinion';
    lines.push(`  ${pluginId.padEnd(width)}  ${what.padEnd(12)} ${r.reason}`);
    // The figures behind the answer (a KPA's windows, the prewarm plugin's histogram and windows).
    const details = r.kind === 'replicas' && r.details ? Object.entries(r.details) : [];
    if (details.length) lines.push(`  ${''.padEnd(width)}  ${''.padEnd(12)} ${details.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
  }
  for (const f of a.failed) lines.push(`  ${f.pluginId.padEnd(width)}  FAILED       ${f.error}`);
  const s = a.scaling;
  lines.push(`Combined: ${a.winner ? `max of recommendations -> ${a.winner.pluginId} (${a.winner.reason})` : 'no plugin recommended a count'}`);
  lines.push(`Bounds: min ${s.minReplicas}, max ${s.maxReplicas || 'unbounded'}; scale-to-zero ${s.scaleToZero ? `on (grace ${s.scaleToZeroGracePeriodMs / 1000}s)` : 'off'}; scale-down delay ${s.scaleDownDelayMs / 1000}s`);
  if (a.floor) lines.push(`Floor: ${a.floor.replicas} (${a.floor.reason})`);
  lines.push(`Applied: ${a.applied.length ? a.applied.join(', ') : 'nothing changed the combined value'}`);
  if (a.hold) lines.push(`Holding: ${a.hold}`);
  lines.push(`Desired: ${a.desired}`);
  lines.push(
    a.desired === a.current ? `Next: no change (${a.current} replicas)` : `Next: scale ${a.current} -> ${a.desired} at the next tick (if this replica leads the target's shard)`,
  );
  return lines.join('\n') + '\n';
}

/**
 * `ebb explain NAMESPACE/NAME`: asks the running scaler (its `/explain` endpoint) what each plugin recommends
 * and why; when no scaler answers, shows the last status the scaler wrote on the Deployment.
 */
export async function explainCommand(key: string, o: { scalerUrl: string; kc?: () => KubeConfig }, out: (s: string) => void): Promise<number> {
  if (!parseTargetKey(key)) {
    out(`invalid target "${key}": expected NAMESPACE/NAME, e.g. default/coffee\n`);
    return 2;
  }
  try {
    const res = await fetch(`${o.scalerUrl.replace(/\/$/, '')}/explain?target=${encodeURIComponent(key)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as ExplainAnswer | { error: string };
    if ('error' in body) {
      out(`${body.error}\n`);
      return 1;
    }
    out(formatExplain(body));
    return 0;
  } catch (e) {
    if (!o.kc) {
      out(`no scaler answered at ${o.scalerUrl} (${(e as Error).message}); pass --scaler URL\n`);
      return 1;
    }
    out(`no scaler answered at ${o.scalerUrl} (${(e as Error).message}); showing the last status written on the Deployment\n`);
  }
  const ref = parseTargetKey(key)!;
  const d = await o.kc().makeApiClient(AppsV1Api).readNamespacedDeployment(ref);
  const status = readStatus(toScaleTarget(d));
  if (!status) {
    out(`Deployment ${key} has no ${'ebb.dev/status'} annotation: the scaler has not evaluated it (label ebb.dev/autoscale=true?)\n`);
    return 1;
  }
  out(JSON.stringify(status, null, 2) + '\n');
  return 0;
}
