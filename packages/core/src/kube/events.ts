import { CoreV1Api, type KubeConfig, type CoreV1Event } from '@kubernetes/client-node';
import type { Clock } from '../contracts/clock.ts';
import type { EventSink, EventType, ScaleTarget } from '../contracts/cluster.ts';
import { silentLogger, type Logger } from '../contracts/observe.ts';
import { errorText } from './actuator.ts';

/** The component name Ebb's Events carry. */
export const EVENT_COMPONENT = 'ebb-scaler';

/**
 * Records core/v1 Events on Deployments, like the HPA controller does (`SuccessfulRescale`, `InvalidConfig`).
 * Failures are logged, never thrown: an Event is never worth a failed tick.
 */
export class KubeEventSink implements EventSink {
  private readonly core: CoreV1Api;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private seq = 0;

  constructor(kc: KubeConfig, clock: Clock, logger: Logger = silentLogger) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.clock = clock;
    this.logger = logger;
  }

  async event(target: ScaleTarget, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date(this.clock.now());
    const body: CoreV1Event = {
      metadata: { name: `${target.ref.name}.${now.getTime().toString(16)}${(this.seq++ % 4096).toString(16)}`, namespace: target.ref.namespace },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.ref.name, namespace: target.ref.namespace, uid: target.uid },
      type,
      reason,
      message: message.length > 1000 ? `${message.slice(0, 997)}...` : message,
      source: { component: EVENT_COMPONENT },
      reportingComponent: EVENT_COMPONENT,
      reportingInstance: EVENT_COMPONENT,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.core.createNamespacedEvent({ namespace: target.ref.namespace, body });
    } catch (e) {
      this.logger.warn('could not record event', { target: target.key, reason, error: errorText(e) });
    }
  }
}
