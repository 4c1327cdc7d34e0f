import { describe, expect, it } from 'vitest';
import { planSwap, type SwapConfig, type SwapObservation, type SwapPlan, type SwapReserve, type SwapTarget } from './swap-plan.ts';

const target = (spec: number, ready = spec, observed = true): SwapTarget => ({ specReplicas: spec, readyReplicas: ready, observed });
const reserve = (spec: number, ready = spec, o: Partial<SwapReserve> = {}): SwapReserve => ({
  specReplicas: spec,
  readyReplicas: ready,
  observed: true,
  deleting: false,
  ours: true,
  upToDate: true,
  sinceRequestMs: 5_000,
  ...o,
});
const on = (replicas = 1, readyTimeoutMs = 120_000): SwapConfig => ({ kind: 'on', replicas, readyTimeoutMs });
const off: SwapConfig = { kind: 'off' };
const obs = (desired: number, t: SwapTarget, config: SwapConfig, r?: SwapReserve, settling = false): SwapObservation => ({
  desired,
  target: t,
  config,
  ...(r ? { reserve: r } : {}),
  settling,
});

/** The parts of a plan a row asserts; `hold` as a regex, `undefined` meaning "no hold". */
interface Expect {
  phase: SwapPlan['phase'];
  action?: SwapPlan['action'];
  hold?: RegExp;
  problem?: RegExp;
}

function check(plan: SwapPlan, want: Expect): void {
  expect(plan.phase).toBe(want.phase);
  expect(plan.action).toEqual(want.action);
  if (want.hold) expect(plan.hold).toMatch(want.hold);
  else expect(plan.hold).toBeUndefined();
  if (want.problem) expect(plan.problem?.message).toMatch(want.problem);
  else expect(plan.problem).toBeUndefined();
}

describe('planSwap', () => {
  it.each<[string, SwapObservation, Expect]>([
    // Going to zero: reserve first, Ready, then the target.
    ['creates the reserve and holds the target', obs(0, target(1), on()), { phase: 'warming', action: { kind: 'create', replicas: 1 }, hold: /being created/ }],
    ['holds while the reserve warms up', obs(0, target(1), on(), reserve(1, 0)), { phase: 'warming', hold: /0 of 1 reserve pods Ready/ }],
    ['waits for every reserve pod', obs(0, target(3), on(2), reserve(2, 1)), { phase: 'warming', hold: /1 of 2 reserve pods Ready/ }],
    ['holds while the reserve status lags its spec', obs(0, target(1), on(), reserve(1, 1, { observed: false })), { phase: 'warming', hold: /waiting for the reserve/ }],
    ['lets the target go to zero once the reserve is Ready', obs(0, target(2), on(), reserve(1)), { phase: 'swapping' }],
    ['scales an idle reserve (at 0) back up', obs(0, target(1), on(), reserve(0)), { phase: 'warming', action: { kind: 'scale-reserve', replicas: 1 }, hold: /0 of 1/ }],
    ['rewrites a changed reserve and scales it in one step', obs(0, target(1), on(), reserve(0, 0, { upToDate: false })), { phase: 'warming', action: { kind: 'update', replicas: 1 }, hold: /0 of 1/ }],
    ['lowers the reserve to fewer pods without waiting', obs(0, target(1), on(1), reserve(2)), { phase: 'swapping', action: { kind: 'scale-reserve', replicas: 1 } }],
    ['waits for an earlier reserve to be deleted', obs(0, target(1), on(), reserve(1, 1, { deleting: true })), { phase: 'warming', hold: /still being deleted/ }],
    [
      'keeps the target up when the reserve is not Ready in time, and says so',
      obs(0, target(2), on(1, 60_000), reserve(1, 0, { sinceRequestMs: 61_000 })),
      { phase: 'not-ready', hold: /not Ready: 0 of 1/, problem: /^0 of 1 reserve pods Ready 61s after they were asked for$/ },
    ],
    ['is not stuck while the reserve has not been asked for all its pods', obs(0, target(1), on(2, 1_000), reserve(1, 0, { sinceRequestMs: 9e9 })), { phase: 'warming', action: { kind: 'scale-reserve', replicas: 2 }, hold: /0 of 2/ }],
    // At zero.
    ['idle: the reserve serves', obs(0, target(0), on(), reserve(1)), { phase: 'reserve' }],
    ['idle: a changed shape rolls out on the serving reserve', obs(0, target(0), on(), reserve(1, 1, { upToDate: false })), { phase: 'reserve', action: { kind: 'update', replicas: 1 } }],
    [
      'idle: a reserve that lost its pods brings one target pod back',
      obs(0, target(0), on(), reserve(1, 0, { sinceRequestMs: Number.POSITIVE_INFINITY })),
      { phase: 'not-ready', action: { kind: 'scale-target', replicas: 1 }, problem: /^0 of 1 reserve pods Ready$/ },
    ],
    ['idle: a reserve asked for pods a moment ago is waited for', obs(0, target(0), on(), reserve(1, 0, { sinceRequestMs: 1_000 })), { phase: 'warming' }],
    ['both at zero without a reserve: creates it', obs(0, target(0), on()), { phase: 'warming', action: { kind: 'create', replicas: 1 } }],
    ['both at zero with a reserve at zero: scales it', obs(0, target(0), on(), reserve(0)), { phase: 'warming', action: { kind: 'scale-reserve', replicas: 1 } }],
    // Demand returns: target first, then the reserve to zero.
    ['demand returns: the reserve serves while the target scales up', obs(2, target(0), on(), reserve(1)), { phase: 'waking' }],
    ['demand returns: the target is not Ready yet', obs(2, target(2, 0), on(), reserve(1)), { phase: 'waking' }],
    ['demand returns: the target status lags its spec', obs(2, target(2, 2, false), on(), reserve(1)), { phase: 'waking' }],
    ['demand returns: a Ready target takes over', obs(2, target(2, 1), on(), reserve(1)), { phase: 'handing-over', action: { kind: 'scale-reserve', replicas: 0 } }],
    ['a reserve of 3 waits for both target pods', obs(2, target(2, 1), on(3), reserve(3)), { phase: 'waking' }],
    ['a reserve of 3 hands over to 2 Ready target pods', obs(2, target(2, 2), on(3), reserve(3)), { phase: 'handing-over', action: { kind: 'scale-reserve', replicas: 0 } }],
    ['a reserve of 2 hands over to 2 of 5 Ready target pods', obs(5, target(5, 2), on(2), reserve(2)), { phase: 'handing-over', action: { kind: 'scale-reserve', replicas: 0 } }],
    ['standard: the reserve waits at zero', obs(2, target(2), on(), reserve(0)), { phase: 'standard' }],
    ['standard: an idle reserve follows the template without pods', obs(2, target(2), on(), reserve(0, 0, { upToDate: false })), { phase: 'standard', action: { kind: 'update', replicas: 0 } }],
    ['standard: no reserve is made before it is needed', obs(2, target(2), on()), { phase: 'standard' }],
    // Reserve turned off.
    ['off and nothing to remove', obs(0, target(1), off), { phase: 'disabled' }],
    ['off: removed at once while the target serves', obs(1, target(1), off, reserve(1)), { phase: 'removing', action: { kind: 'delete-reserve' } }],
    ['off at zero with demand: the target comes up first', obs(1, target(1, 0), off, reserve(1)), { phase: 'removing' }],
    ['off and wanted at zero: plain scale to zero', obs(0, target(0), off, reserve(1)), { phase: 'removing', action: { kind: 'delete-reserve' } }],
    ['off with a reserve at zero', obs(2, target(0), off, reserve(0)), { phase: 'removing', action: { kind: 'delete-reserve' } }],
    ['off while the reserve is being deleted', obs(1, target(1), off, reserve(1, 1, { deleting: true })), { phase: 'removing' }],
    // Blocked and settling.
    ['invalid settings hold a scale to zero', obs(0, target(1), { kind: 'invalid', reason: 'bad' }), { phase: 'blocked', hold: /invalid: bad/ }],
    ['invalid settings never hold a scale up', obs(3, target(1), { kind: 'invalid', reason: 'bad' }), { phase: 'blocked' }],
    ['a taken name holds and is reported', obs(0, target(1), on(), reserve(1, 1, { ours: false })), { phase: 'blocked', hold: /not this target's reserve/, problem: /not this target's reserve/ }],
    ["a taken name is left alone when the reserve is off", obs(0, target(1), off, reserve(1, 1, { ours: false })), { phase: 'disabled' }],
    ['an unseen write holds and does nothing', obs(0, target(1), on(), reserve(1), true), { phase: 'settling', hold: /not yet visible/ }],
    ['an unseen write does not hold a scale up', obs(2, target(2), on(), reserve(1), true), { phase: 'settling' }],
  ])('%s', (_name, observation, want) => {
    check(planSwap(observation), want);
  });
});

/** Every combination of small counts and flags, to check the guarantees whatever the state. */
function* everyObservation(): Generator<SwapObservation> {
  const configs: SwapConfig[] = [on(1, 1_000), on(2, 1_000), off];
  for (const desired of [0, 1, 3])
    for (const ts of [0, 1, 2])
      for (let tr = 0; tr <= ts + 1; tr++)
        for (const tObserved of [true, false])
          for (const config of configs)
            for (const rs of [undefined, 0, 1, 2, 3])
              for (let rr = 0; rr <= (rs ?? 0); rr++)
                for (const flags of [{}, { upToDate: false }, { observed: false }, { deleting: true }, { ours: false }, { sinceRequestMs: 10_000 }])
                  for (const settling of [false, true]) {
                    const t = target(ts, tr, tObserved);
                    yield obs(desired, t, config, rs === undefined ? undefined : reserve(rs, rr, { sinceRequestMs: 0, ...flags }), settling);
                  }
}

describe('planSwap guarantees, over every small state', () => {
  const all = [...everyObservation()];

  it(`covers ${all.length} states`, () => expect(all.length).toBeGreaterThan(10_000));

  it('lets the target go to zero only while the reserve has all its pods Ready', () => {
    for (const o of all) {
      const plan = planSwap(o);
      if (o.desired !== 0 || o.target.specReplicas === 0 || plan.hold !== undefined || o.config.kind !== 'on') continue;
      const r = o.reserve;
      expect(r && r.ours && !r.deleting && r.observed && r.specReplicas >= o.config.replicas && r.readyReplicas >= o.config.replicas, JSON.stringify(o)).toBe(true);
      expect(o.settling).toBe(false);
    }
  });

  it('removes the reserve (on) only while the target has Ready pods and wants them', () => {
    for (const o of all) {
      const a = planSwap(o).action;
      if (o.config.kind !== 'on' || (a?.kind !== 'delete-reserve' && !(a?.kind === 'scale-reserve' && a.replicas === 0))) continue;
      expect(o.desired >= 1 && o.target.observed && o.target.specReplicas >= 1 && o.target.readyReplicas >= 1, JSON.stringify(o)).toBe(true);
    }
  });

  it('removes a turned-off reserve only when the target serves, the reserve is empty, or zero is wanted', () => {
    for (const o of all) {
      if (o.config.kind !== 'off' || planSwap(o).action?.kind !== 'delete-reserve') continue;
      const serves = o.target.observed && o.target.specReplicas >= 1 && o.target.readyReplicas >= 1;
      expect(serves || o.desired === 0 || o.reserve?.specReplicas === 0, JSON.stringify(o)).toBe(true);
    }
  });

  it('never holds a scale up, never acts while settling, and scales the target only up from zero', () => {
    for (const o of all) {
      const plan = planSwap(o);
      if (o.desired >= 1) expect(plan.hold).toBeUndefined();
      if (o.settling) expect(plan.action).toBeUndefined();
      if (plan.action?.kind === 'scale-target') expect(o.target.specReplicas).toBe(0);
      if (plan.action && o.reserve && !o.reserve.ours) throw new Error(`acts on a reserve that is not ours: ${JSON.stringify(o)}`);
    }
  });
});
