import type { TargetKey } from '@ebb/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayTargets } from './gateway-targets.ts';

/**
 * Latency buckets in seconds: fine below 10 ms (the gateway's own overhead lives there), then roughly 1-2.5-5
 * steps up to 5 minutes for long one-request-per-pod tasks.
 */
export const LATENCY_BUCKETS_S: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.15,
  0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 7.5, 10, 15, 30, 60, 120, 300,
];

/** Cold-start buckets in seconds: from a warm reserve pod (~100 ms) to a slow image pull (minutes). */
export const COLD_START_BUCKETS_S: readonly number[] = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 300];

/** Why the gateway answered a request itself. */
export type RejectReason = 'no_route' | 'queue_full' | 'queue_timeout' | 'backend_failed' | 'unavailable' | 'client_timeout' | 'body_too_large';

type TargetLabels = { readonly namespace: string; readonly name: string };

function labels(target: TargetKey): TargetLabels {
  const i = target.indexOf('/');
  return { namespace: target.slice(0, i), name: target.slice(i + 1) };
}

/**
 * The gateway's Prometheus metrics on its own registry (never the global one). Per target (`namespace`,
 * `name`): request count by status code, end-to-end latency (queue wait included), queue wait, cold-start hold
 * time, queue depth, in-flight requests and ready endpoints (read at scrape time), rejections by reason, and
 * retries. Series of a target are removed when it stops being routed.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Label sets per target (and per target and status code), built once: they are read on every request. */
  private readonly labelSets = new Map<TargetKey, { readonly target: TargetLabels; readonly byCode: Map<number, TargetLabels & { code: string }> }>();
  private readonly requests = new Counter({
    name: 'ebb_gateway_requests_total',
    help: 'Requests routed to a target, by final status code',
    labelNames: ['namespace', 'name', 'code'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'ebb_gateway_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, queue wait included',
    labelNames: ['namespace', 'name'],
    buckets: [...LATENCY_BUCKETS_S],
    registers: [this.registry],
  });
  private readonly queueWait = new Histogram({
    name: 'ebb_gateway_queue_wait_seconds',
    help: 'Time a request waited for a free slot before it was forwarded',
    labelNames: ['namespace', 'name'],
    buckets: [...LATENCY_BUCKETS_S],
    registers: [this.registry],
  });
  private readonly coldStart = new Histogram({
    name: 'ebb_gateway_cold_start_duration_seconds',
    help: 'Time a request that arrived at zero ready pods was held until it was forwarded',
    labelNames: ['namespace', 'name'],
    buckets: [...COLD_START_BUCKETS_S],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'ebb_gateway_rejected_total',
    help: 'Requests the gateway answered itself, by reason',
    labelNames: ['namespace', 'name', 'reason'],
    registers: [this.registry],
  });
  private readonly unrouted = new Counter({
    name: 'ebb_gateway_unrouted_requests_total',
    help: 'Requests for a host (and path) no opted-in target claims (404)',
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'ebb_gateway_retries_total',
    help: 'Forwarding attempts repeated after a connection failure',
    labelNames: ['namespace', 'name'],
    registers: [this.registry],
  });
  private readonly pokes = new Counter({
    name: 'ebb_gateway_pokes_total',
    help: 'Pokes sent to the scaler for targets at zero ready pods, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });

  /** @param targets read at scrape time for queue depth, in-flight requests and ready endpoints. */
  constructor(targets: GatewayTargets, options: { processMetrics?: boolean } = {}) {
    const gauge = (name: string, help: string, read: (t: ReturnType<GatewayTargets['list']>[number]) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['namespace', 'name'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const t of targets.list()) this.set(labels(t.route.key), read(t));
        },
      });
    };
    gauge('ebb_gateway_queue_depth', 'Requests waiting in the queue of a target', (t) => t.dispatcher.queued);
    gauge('ebb_gateway_in_flight', 'Requests being forwarded to pods of a target', (t) => t.dispatcher.inFlight);
    gauge('ebb_gateway_ready_endpoints', 'Ready pods the gateway routes a target to', (t) => t.dispatcher.readyEndpoints);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'ebb_gateway_' });
    targets.onRemoved((key) => void this.forget(key));
  }

  private labelsOf(target: TargetKey): { readonly target: TargetLabels; readonly byCode: Map<number, TargetLabels & { code: string }> } {
    let sets = this.labelSets.get(target);
    if (!sets) {
      sets = { target: labels(target), byCode: new Map() };
      this.labelSets.set(target, sets);
    }
    return sets;
  }

  /** A routed request ended with `code` after `seconds`. */
  request(target: TargetKey, code: number, seconds: number): void {
    const sets = this.labelsOf(target);
    let withCode = sets.byCode.get(code);
    if (!withCode) {
      withCode = { ...sets.target, code: String(code) };
      sets.byCode.set(code, withCode);
    }
    this.requests.inc(withCode);
    this.latency.observe(sets.target, seconds);
  }

  /** A request got its slot after waiting `seconds`; `coldStart` when it arrived at zero ready pods. */
  dispatched(target: TargetKey, seconds: number, coldStart: boolean): void {
    const l = this.labelsOf(target).target;
    this.queueWait.observe(l, seconds);
    if (coldStart) this.coldStart.observe(l, seconds);
  }

  reject(target: TargetKey | undefined, reason: RejectReason): void {
    if (target === undefined) this.unrouted.inc();
    else this.rejected.inc({ ...labels(target), reason });
  }

  retry(target: TargetKey): void {
    this.retries.inc(labels(target));
  }

  poke(result: 'sent' | 'failed' | 'skipped'): void {
    this.pokes.inc({ result });
  }

  /** Removes every series of `target` (metrics with further labels: every value of them). */
  private async forget(target: TargetKey): Promise<void> {
    this.labelSets.delete(target);
    const l = labels(target);
    for (const m of [this.latency, this.queueWait, this.coldStart, this.retries]) m.remove(l);
    const mine = (v: { labels: Partial<Record<string, string | number>> }): boolean => v.labels['namespace'] === l.namespace && v.labels['name'] === l.name;
    for (const v of (await this.requests.get()).values) if (mine(v)) this.requests.remove(v.labels);
    for (const v of (await this.rejected.get()).values) if (mine(v)) this.rejected.remove(v.labels);
  }
}
