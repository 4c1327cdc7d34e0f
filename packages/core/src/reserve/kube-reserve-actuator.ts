import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../contracts/clock.ts';
import type { Actuator, EventSink } from '../contracts/cluster.ts';
import type { Logger } from '../contracts/observe.ts';
import { ReserveActuator } from './reserve-actuator.ts';
import { KubeReserveClient } from './reserve-client.ts';
import type { ReserveObserver } from './reserve-observer.ts';
import { KubeReserveWatch } from './reserve-watch.ts';

/** Options of {@link createKubeReserveActuator}. */
export interface KubeReserveActuatorOptions {
  /** The plain actuator that scales targets (a `KubeActuator`). */
  readonly inner: Actuator;
  readonly clock: Clock;
  readonly events: EventSink;
  /** Namespaces the scaler watches; empty or undefined means all. */
  readonly namespaces?: readonly string[];
  readonly logger?: Logger;
  readonly observer?: ReserveObserver;
}

/** A {@link ReserveActuator} on the apiserver: reserve writes through client-node, reserves read from an informer. */
export function createKubeReserveActuator(kc: KubeConfig, o: KubeReserveActuatorOptions): ReserveActuator {
  return new ReserveActuator({
    inner: o.inner,
    client: new KubeReserveClient(kc),
    watch: new KubeReserveWatch(kc, { ...(o.namespaces ? { namespaces: o.namespaces } : {}), ...(o.logger ? { logger: o.logger } : {}) }),
    clock: o.clock,
    events: o.events,
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.observer ? { observer: o.observer } : {}),
  });
}
