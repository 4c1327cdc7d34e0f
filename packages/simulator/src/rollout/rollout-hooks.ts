import type { TargetFloors } from '@ebb/core';
import type { ClusterModel } from '../model/cluster-model.ts';
import type { VirtualClock } from '../run/virtual-clock.ts';

/**
 * What a rollout replay adds to one configuration's run: two modelled versions see every request of the trace,
 * and the router lets exactly one of them take each request (by the effective split when it arrives); the
 * rollout's replica floors go to the control loop; the rollout steps itself on the virtual clock.
 */
export interface RolloutHooks {
  /** Whether the target at `target` (index in the model) takes request `ref` arriving at `timeMs`. */
  readonly accepts: (target: number, ref: number, timeMs: number) => boolean;
  readonly floors: TargetFloors;
  /** Called once before the loop starts: schedules the rollout's steps and figures on `clock`. */
  attach(clock: VirtualClock, model: ClusterModel): void;
}
