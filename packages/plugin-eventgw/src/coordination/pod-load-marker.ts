import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { errorText, httpStatus, type Clock, type Logger, type TimerHandle } from '@ebb/core';
import type { GatewayTargets } from '../gateway/gateway-targets.ts';
import { loadKey, loadPatch } from './pod-load-marks.ts';
import { withTimeout } from './with-timeout.ts';

/** How often the local load per pod is looked at, ms. */
const POLL_MS = 100;
/** A pod's mark is removed only after it was idle (at this replica) for this long, ms: fewer writes. */
const IDLE_MS = 2000;
/** A changed non-zero load is rewritten at most this often, ms (the busy/idle edge is written at once). */
const REFRESH_MS = 5000;

interface Mark {
  written: number;
  writtenMs: number;
  idleSinceMs: number | undefined;
}

/**
 * Writes each pod's load onto the pod, so that a scale-down removes idle pods first: this replica's requests in
 * flight go into its own `gateway-load.ebb.dev/<hash>` annotation, and `controller.kubernetes.io/pod-deletion-cost`
 * becomes the sum over live replicas (see `loadPatch`). A pod is marked within about 100 ms plus one apiserver
 * round trip after its first request starts, and unmarked after it was idle for 2 s. Writes are read-modify-write
 * with the pod's resourceVersion, so two replicas never lose each other's figures. Failures are logged and
 * retried at the next change; they never affect requests.
 */
export class PodLoadMarker {
  private readonly api: CoreV1Api;
  private readonly marks = new Map<string, Mark>();
  private timer: TimerHandle | undefined;
  private busy = false;
  private stopped = false;
  private readonly targets: GatewayTargets;
  private readonly self: string;
  private readonly liveMembers: () => readonly string[];
  private readonly clock: Clock;
  private readonly logger: Logger;

  /**
   * @param self this replica's id
   * @param liveMembers ids of the live gateway replicas (marks of others are removed when a pod is written)
   */
  constructor(kc: KubeConfig, targets: GatewayTargets, self: string, liveMembers: () => readonly string[], clock: Clock, logger: Logger) {
    this.api = kc.makeApiClient(CoreV1Api);
    this.targets = targets;
    this.self = self;
    this.liveMembers = liveMembers;
    this.clock = clock;
    this.logger = logger;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops marking and removes this replica's marks from the pods it marked (best effort). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    for (const [pod, m] of this.marks) {
      if (m.written > 0 && !(await this.write(pod, 0).then(() => true, () => false))) return; // apiserver away: leave them
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.poll().finally(() => this.schedule()), POLL_MS);
  }

  /** Local in-flight per pod, as `namespace/pod`. */
  private loads(): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.targets.list()) {
      if (t.dispatcher.inFlight === 0) continue; // its marked pods, if any, are set to 0 by the caller
      for (const u of t.dispatcher.usage()) {
        const pod = `${t.route.ref.namespace}/${u.id}`;
        out.set(pod, (out.get(pod) ?? 0) + u.inFlight);
      }
    }
    return out;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = this.clock.now();
      const loads = this.loads();
      for (const pod of this.marks.keys()) if (!loads.has(pod)) loads.set(pod, 0);
      for (const [pod, load] of loads) {
        const m = this.marks.get(pod) ?? { written: 0, writtenMs: 0, idleSinceMs: undefined };
        this.marks.set(pod, m);
        m.idleSinceMs = load > 0 ? undefined : (m.idleSinceMs ?? now);
        const due =
          (load > 0 && m.written === 0) ||
          (load === 0 && m.written > 0 && now - (m.idleSinceMs ?? now) >= IDLE_MS) ||
          (load > 0 && load !== m.written && now - m.writtenMs >= REFRESH_MS);
        if (!due) {
          if (load === 0 && m.written === 0) this.marks.delete(pod);
          continue;
        }
        try {
          await this.write(pod, load);
          m.written = load;
          m.writtenMs = now;
          if (load === 0) this.marks.delete(pod);
        } catch (e) {
          if (httpStatus(e) === 404) this.marks.delete(pod);
          else this.logger.warn('could not mark the load of a pod', { pod, error: errorText(e) });
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Read-modify-write of the pod's annotations with its resourceVersion; retried on conflict; 2 s at most. */
  private write(pod: string, load: number): Promise<void> {
    return withTimeout(this.readModifyWrite(pod, load), 2000, this.clock, `marking pod ${pod}`);
  }

  private async readModifyWrite(pod: string, load: number): Promise<void> {
    const [namespace = '', name = ''] = pod.split('/');
    for (let attempt = 1; ; attempt++) {
      const current = await this.api.readNamespacedPod({ name, namespace });
      const annotations = loadPatch(current.metadata?.annotations ?? {}, this.self, load, this.liveMembers());
      if (Object.keys(annotations).length === 0) return;
      try {
        await this.api.patchNamespacedPod(
          { name, namespace, body: { metadata: { resourceVersion: current.metadata?.resourceVersion, annotations } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
        return;
      } catch (e) {
        if (httpStatus(e) !== 409 || attempt >= 5) throw e;
      }
    }
  }

  /** This replica's load annotation key (for diagnostics). */
  get key(): string {
    return loadKey(this.self);
  }
}
