import { describe, expect, it } from 'vitest';
import type { HpaState } from './hpa-state.ts';
import { recommendHpa } from './recommend.ts';
import { decisionInput } from './test-support/decision.ts';
import { UpstreamController } from './test-support/upstream-horizontal.ts';
import { NOW_MS } from './test-support/pods.ts';
import { randomPods, randomSetup, seededRandom, toPodSamples, toUpstreamPods, upstreamMetrics } from './test-support/upstream-sequences.ts';

const SEQUENCES = 2_000;
const TICKS = 30;
/** Time between two decisions: the scaler's tick (2 s), the controller's sync period (15 s), and others. */
const STEPS_SECONDS = [1, 2, 2, 5, 15, 30];

interface Outcome {
  readonly decisions: number;
  readonly rescales: number;
  readonly errors: number;
  readonly differences: string[];
}

/**
 * Runs one seeded sequence through the plugin and the port of the controller side by side. The scale is set to
 * what they decided (the plugin alone is the target's only policy); now and then a person sets another count at a
 * tick after which neither asked for a change. Stops at the first difference (the two would drift apart after it).
 */
function runSequence(seed: number): Outcome {
  const rng = seededRandom(seed);
  const setup = randomSetup(rng);
  const controller = new UpstreamController(setup.tolerance, {
    cpuInitializationPeriodMs: setup.cpuInitializationPeriodMs,
    delayOfInitialReadinessStatusMs: setup.initialReadinessDelayMs,
  });
  const hpa = { minReplicas: setup.minReplicas, maxReplicas: setup.maxReplicas, metrics: setup.metrics, ...(setup.behavior ? { behavior: setup.behavior } : {}) };
  let current = Math.floor(rng() * (setup.maxReplicas + 4)) + 1;
  let load = 0.2 + rng() * 1.5;
  const bursty = rng() < 0.3;
  let nowMs = NOW_MS;
  let state: HpaState | undefined;
  let changed = false;
  let rescales = 0;
  let errors = 0;
  for (let tick = 0; tick < TICKS; tick++) {
    nowMs += (STEPS_SECONDS[Math.floor(rng() * STEPS_SECONDS.length)] ?? 2) * 1000;
    // Mostly a random walk; in bursty sequences the load jumps, so scale events of both directions pile up.
    load = bursty && rng() < 0.5 ? 0.05 + rng() * 3 : Math.max(0.02, Math.min(4, load * (0.6 + rng() * 0.8)));
    if (!changed && rng() < 0.05) current = 1 + Math.floor(rng() * (setup.maxReplicas + 4));
    const pods = randomPods(rng, current, load, nowMs, tick);
    const expected = controller.reconcile(hpa, current, toUpstreamPods(pods), (r) => upstreamMetrics(pods, r), nowMs);
    const input = decisionInput({
      config: setup.config,
      scaling: { minReplicas: setup.minReplicas, maxReplicas: setup.maxReplicas },
      current,
      pods: toPodSamples(pods),
      nowMs,
      state,
    });
    const output = recommendHpa(input);
    state = output.state;
    const rec = output.recommendation;
    const got = rec.kind === 'replicas' ? String(rec.replicas) : rec.kind;
    const want = 'err' in expected ? 'no-data' : String(expected.desiredReplicas);
    if (got !== want) {
      const detail = `seed ${seed} tick ${tick}: current ${current}, controller ${want}, plugin ${got} (${rec.reason}); setup ${JSON.stringify(setup.config)}`;
      return { decisions: tick + 1, rescales, errors, differences: [detail] };
    }
    if ('err' in expected) {
      errors++;
      changed = false;
    } else {
      changed = expected.rescale;
      if (expected.rescale) rescales++;
      current = expected.desiredReplicas;
    }
  }
  return { decisions: TICKS, rescales, errors, differences: [] };
}

const CHUNKS = 4;
const PER_CHUNK = SEQUENCES / CHUNKS;

describe('the plugin against a line-by-line port of the controller (Kubernetes 1.38)', () => {
  // Pure computation, about a second per chunk on an idle machine; the timeout leaves room for a loaded one.
  it.each(Array.from({ length: CHUNKS }, (_, i) => [i * PER_CHUNK + 1, (i + 1) * PER_CHUNK]))(
    `decides as the controller on seeded random sequences %i..%i of ${TICKS} decisions`,
    (first, last) => {
      let decisions = 0;
      let rescales = 0;
      let errors = 0;
      const differences: string[] = [];
      for (let seed = first; seed <= last; seed++) {
        const outcome = runSequence(seed);
        decisions += outcome.decisions;
        rescales += outcome.rescales;
        errors += outcome.errors;
        differences.push(...outcome.differences);
      }
      expect(differences.slice(0, 5)).toEqual([]);
      expect(differences).toHaveLength(0);
      // The sequences exercise the paths that matter: scale changes and metric errors both happen often.
      expect(decisions).toBe(PER_CHUNK * TICKS);
      expect(rescales).toBeGreaterThan(decisions / 20);
      expect(errors).toBeGreaterThan(decisions / 100);
    },
    60_000,
  );
});
