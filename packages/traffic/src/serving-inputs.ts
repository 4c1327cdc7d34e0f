import type { PluginRecommendation, ScaleTarget } from '@ebb/core';
import { isPodServing, podPort, selectorMatches } from '@ebb/plugin-eventgw';
import type { V1Pod } from '@kubernetes/client-node';
import type { SliceEndpoint } from './endpoint-plan.ts';
import type { BurstFigures } from './serving-mode.ts';

/** The Ready pods of `target` among `pods` (its namespace's), with the port the gateway would use. */
export function targetEndpoints(target: ScaleTarget, pods: readonly V1Pod[], port: number): SliceEndpoint[] {
  const selector = { matchLabels: { ...target.selector } };
  if (Object.keys(target.selector).length === 0) return [];
  return pods
    .filter((p) => isPodServing(p) && selectorMatches(selector, p.metadata?.labels))
    .map((p) => ({ pod: p.metadata?.name ?? '', address: p.status?.podIP ?? '', port: podPort(p, port) }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

/**
 * The KPA's panic-window figures from its recommendation's details; `pending` when the KPA decides the target
 * but had no data (or no answer), undefined when the KPA is not among its policies.
 */
export function kpaBurstFigures(recommendations: readonly PluginRecommendation[] | undefined): BurstFigures | 'pending' | undefined {
  const kpa = recommendations?.find((p) => p.pluginId === 'kpa');
  if (!kpa || kpa.recommendation.kind === 'no-opinion') return undefined;
  const details = kpaDetails(recommendations);
  const total = details?.['totalPerPod'];
  const panic = details?.['observedPanicValue'];
  return typeof total === 'number' && typeof panic === 'number' ? { totalPerPod: total, panicValue: panic } : 'pending';
}

/**
 * Whether only the gateway measures the target's demand: the `eventgw` policy is enabled, or the KPA reads the
 * figures another collector records (`ebb.dev/kpa.metric-source: external`, which is the gateway's stats unless a
 * plugin of yours records them). Serve mode would take that demand out of sight.
 */
export function demandSeenOnlyByGateway(recommendations: readonly PluginRecommendation[] | undefined): boolean {
  if (recommendations?.some((p) => p.pluginId === 'eventgw')) return true;
  return kpaDetails(recommendations)?.['metricSource'] === 'external';
}

function kpaDetails(recommendations: readonly PluginRecommendation[] | undefined) {
  const r = recommendations?.find((p) => p.pluginId === 'kpa')?.recommendation;
  return r && r.kind === 'replicas' ? r.details : undefined;
}
