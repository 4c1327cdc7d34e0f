import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * Whether `labels` satisfy a Kubernetes label selector (`matchLabels` and `matchExpressions` with In, NotIn,
 * Exists, DoesNotExist). An empty selector matches everything, as in Kubernetes; a Deployment always has a
 * non-empty one.
 */
export function selectorMatches(selector: V1LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = l[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
