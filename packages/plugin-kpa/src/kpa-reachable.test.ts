import { describe, expect, it } from 'vitest';
import { createKpaPlugin } from './index.ts';
import { FakeWindow, fakeMetrics } from './test-support/fake-metrics.ts';
import { T0, s } from './test-support/knative-fixtures.ts';
import { recommendInput } from './test-support/recommend-input.ts';

/**
 * Knative's `AutoscalerStableModeDecreaseNonReachable` (pkg/autoscaler/scaling/autoscaler_test.go) through the
 * plugin's public API: 100 ready pods, target 10 per pod at 100 %, concurrency 1, scale-down rate 1.1 -> 1 pod
 * when the revision is unreachable, floor(100 / 1.1) = 90 when it is reachable.
 */
describe('the KPA plugin with reachable: false', () => {
  const plugin = createKpaPlugin({ maxScaleDownRate: 1.1 });
  const parsed = plugin.config.parse({ 'autoscaling.knative.dev/target': '10', 'autoscaling.knative.dev/target-utilization-percentage': '100' }, 'ebb.dev/kpa.');
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join('; '));
  const metrics = fakeMetrics({ concurrency: new FakeWindow().fill(T0 - s(59), T0 + 1, 1) });
  const state = { panicTimeMs: undefined, maxPanicPods: 0 };

  it.each([
    { reachable: undefined, want: 90, maxScaleDown: 90 },
    { reachable: true, want: 90, maxScaleDown: 90 },
    { reachable: false, want: 1, maxScaleDown: 0 },
  ])('reachable $reachable -> $want pods', ({ reachable, want, maxScaleDown }) => {
    const input = recommendInput(parsed.value, { ready: 100, metrics, state });
    const out = plugin.recommend(reachable === undefined ? input : { ...input, reachable });
    expect(out.recommendation).toMatchObject({ kind: 'replicas', replicas: want, details: { maxScaleDown } });
  });

  it('a steady answer is not reused across a change of reachability', () => {
    const first = plugin.recommend(recommendInput(parsed.value, { ready: 100, metrics, state }));
    const again = plugin.recommend({ ...recommendInput(parsed.value, { ready: 100, metrics }), state: first.state, reachable: false });
    expect([first.recommendation, again.recommendation]).toMatchObject([{ replicas: 90 }, { replicas: 1 }]);
    const back = plugin.recommend({ ...recommendInput(parsed.value, { ready: 100, metrics }), state: again.state });
    expect(back.recommendation).toMatchObject({ replicas: 90 });
  });
});
