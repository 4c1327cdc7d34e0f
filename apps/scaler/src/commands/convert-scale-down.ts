import { clampSeconds, secondsToDuration, type FieldReader, type Mapping } from './convert-fields.ts';
import { GRACE_PERIOD_RANGE_S, KEYS } from './convert-keys.ts';

/** The HPA controller's default scale-down stabilization window, in seconds (`--horizontal-pod-autoscaler-downscale-stabilization`). */
export const HPA_DOWNSCALE_STABILIZATION_S = 300;

/** Policies that scale on a metric KEDA would have fed to its HPA, but that do not read HPA behavior. */
const NON_HPA_METRIC_POLICIES = ['eventgw', 'kpa'];

/** `behavior.scaleDown.stabilizationWindowSeconds` (0..3600), else the controller's default of 300 s. */
export function scaleDownWindowS(f: FieldReader, behavior: Mapping | undefined, path: string): number {
  const down = f.mapping(behavior?.scaleDown, `${path}.scaleDown`);
  return f.integer(down?.stabilizationWindowSeconds, `${path}.scaleDown.stabilizationWindowSeconds`, { min: 0, max: 3600 }) ?? HPA_DOWNSCALE_STABILIZATION_S;
}

/**
 * How KEDA scales down, in Ebb's terms. KEDA's HPA scales N -> M (M >= 1) to the highest recommendation of its
 * scale-down window (300 s unless `behavior` says otherwise); KEDA itself goes to 0 once `cooldown` has passed
 * since the last activity, whatever that window holds. The hpa policy has the window of its own; for the kpa and
 * eventgw policies `ebb.dev/scale-down-delay` gives it. Ebb's grace period before zero starts when the delayed
 * count reaches 0, so with a minimum of 0 the two share the cooldown: delay = min(window, cooldown - 6 s) and
 * grace = cooldown - delay (at least 6 s), so that zero comes when KEDA's would. Examples: window 300 s, cooldown
 * 300 s -> delay 294 s, grace 6 s; cooldown 30 s -> delay 24 s, grace 6 s; minimum 1 -> delay 300 s.
 */
export function scaleDownTiming(
  policies: ReadonlySet<string>,
  windowS: number,
  cooldown: { readonly seconds: number; readonly field: string },
  floor: number,
  notes: string[],
): Record<string, string> {
  const others = NON_HPA_METRIC_POLICIES.filter((p) => policies.has(p));
  const maxDelayS = floor === 0 ? Math.max(0, cooldown.seconds - GRACE_PERIOD_RANGE_S.min) : windowS;
  const delayS = others.length ? Math.min(windowS, maxDelayS, GRACE_PERIOD_RANGE_S.max) : 0;
  const out: Record<string, string> = {};
  if (delayS) {
    out[KEYS.scaleDownDelay] = secondsToDuration(delayS);
    const shorter = delayS < windowS ? ` (not ${windowS}s: KEDA goes to zero ${cooldown.field} ${cooldown.seconds}s after the last activity, and a longer delay would hold pods past that)` : '';
    notes.push(
      `KEDA's HPA scales down to the highest count of the last ${windowS}s; ebb.dev/scale-down-delay: ${secondsToDuration(delayS)} does that for the ${others.join(', ')} polic${others.length > 1 ? 'ies' : 'y'}${shorter}${policies.has('hpa') ? '; for cpu/memory the hpa policy\'s own window comes on top' : ''}`,
    );
  } else if (others.length && windowS > 0) {
    notes.push(`KEDA's HPA scales down to the highest count of the last ${windowS}s; not carried over, as ${cooldown.field} ${cooldown.seconds}s leaves no room for a delay before zero`);
  }
  if (floor === 0) {
    const what = delayS ? `${cooldown.field} minus the scale-down delay` : cooldown.field;
    out[KEYS.gracePeriod] = secondsToDuration(clampSeconds(cooldown.seconds - delayS, GRACE_PERIOD_RANGE_S.min, GRACE_PERIOD_RANGE_S.max, what, KEYS.gracePeriod, notes));
  }
  return out;
}
