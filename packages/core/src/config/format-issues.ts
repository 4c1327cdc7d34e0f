import type { ConfigIssue } from '../contracts/config.ts';

/**
 * Formats issues for people, one per line under a count, e.g.
 * ```
 * 2 configuration problems:
 *   - invalid value "abc" for ebb.dev/kpa.target: expected a number >= 0.01
 *   - expected 6s <= 1s <= 1h: autoscaling.knative.dev/window
 * ```
 * An empty list gives `no configuration problems`.
 */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  if (issues.length === 0) return 'no configuration problems';
  const head = `${issues.length} configuration problem${issues.length === 1 ? '' : 's'}:`;
  return [head, ...issues.map((i) => `  - ${i.message}`)].join('\n');
}
