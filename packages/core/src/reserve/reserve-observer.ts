import type { TargetKey } from '../contracts/target.ts';
import type { ReserveAction, ReservePhase } from './swap-plan.ts';

/** What the reserve swap reports for metrics. Every method is cheap and never throws. */
export interface ReserveObserver {
  /** The swap phase of a target with a reserve configured or present, on every tick. */
  phase(target: TargetKey, phase: ReservePhase): void;
  /** The target's reserve did not become Ready in time (`true`), or is fine again (`false`). */
  notReady(target: TargetKey, notReady: boolean): void;
  /** One write of the swap and its result. */
  action(target: TargetKey, action: ReserveAction['kind'], result: 'ok' | 'error'): void;
  /** The target no longer has anything to do with a reserve (or is gone): drop its series. */
  forget(target: TargetKey): void;
}

const ignore = (): void => undefined;

/** An observer that records nothing. */
export const noopReserveObserver: ReserveObserver = { phase: ignore, notReady: ignore, action: ignore, forget: ignore };
