import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { targetKey, type MetricName, type MetricSink, type TargetInfo, type TargetKey } from '@ebb/core';
import type { PodLister } from '../pod-lister.ts';
import type { ScrapePod } from '../pod-selection.ts';

/** How a fake pod answers its metrics page. */
export type PodBehaviour = 'ok' | 'http-503' | 'garbage' | 'hang';

/** One fake pod: a real HTTP server on its own loopback IP, serving a Prometheus page from `metrics`. */
export interface MetricPod extends ScrapePod {
  /** Metric name -> value; each is served as one series with a `pod` label. */
  readonly metrics: Map<string, number>;
  behaviour: PodBehaviour;
  /** Requests its metrics page received. */
  hits: number;
}

/**
 * Fake pods for collector tests: each pod is a real HTTP server on `127.0.<block>.<i>` (block 0 of the loopback
 * pod network, which no local cluster hands out) at one shared port, so the collector reaches them exactly as
 * it reaches pods in a cluster.
 */
export class MetricPods implements PodLister {
  readonly pods: MetricPod[] = [];
  port = 0;
  /** When set, `readyPods` throws it (a broken pod watch). */
  listError: Error | undefined;
  private readonly servers: Server[] = [];
  private readonly block = 100 + Math.floor(Math.random() * 150);

  /** Starts `count` pods, started at `startMs`, serving `metrics` (copied per pod). */
  async add(count: number, startMs: number | undefined, metrics: Record<string, number>, prefix = 'pod'): Promise<MetricPod[]> {
    const added: MetricPod[] = [];
    for (let i = 0; i < count; i++) {
      const ip = `127.0.${this.block}.${this.pods.length + 1}`;
      const pod: MetricPod = { name: `${prefix}-${this.pods.length}`, ip, startMs, metrics: new Map(Object.entries(metrics)), behaviour: 'ok', hits: 0 };
      const server = createServer((req, res) => {
        pod.hits++;
        if (pod.behaviour === 'hang') return;
        if (pod.behaviour === 'http-503') return void res.writeHead(503).end('overloaded');
        if (pod.behaviour === 'garbage') return void res.writeHead(200).end([...pod.metrics.keys()].map((m) => `${m}{oops 1`).join('\n'));
        const lines = [...pod.metrics].flatMap(([m, v]) => [`# TYPE ${m} gauge`, `${m}{pod="${pod.name}"} ${v}`]);
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, ip, () => resolve());
      });
      this.port ||= (server.address() as AddressInfo).port;
      this.servers.push(server);
      this.pods.push(pod);
      added.push(pod);
    }
    return added;
  }

  async readyPods(): Promise<readonly ScrapePod[]> {
    if (this.listError) throw this.listError;
    return this.pods.map(({ name, ip, startMs }) => ({ name, ip, startMs }));
  }

  async retain(): Promise<void> {
    // Fixed pods: nothing to stop watching.
  }

  async close(): Promise<void> {
    for (const s of this.servers) s.closeAllConnections();
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** The `i`-th element of `items`; throws when absent (instead of a non-null assertion). */
export function nth<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`no element ${i} (length ${items.length})`);
  return item;
}

/** A {@link MetricSink} that keeps what it is given. */
export class RecordingSink implements MetricSink {
  readonly records: Array<{ target: TargetKey; metric: MetricName; value: number; timeMs: number }> = [];
  readonly failures: Array<{ target: TargetKey; metric: MetricName; error: unknown }> = [];

  record(target: TargetKey, metric: MetricName, value: number, timeMs: number): void {
    this.records.push({ target, metric, value, timeMs });
  }

  snapshot(): void {
    // The KPA collectors publish no snapshot.
  }

  fail(target: TargetKey, metric: MetricName, error: unknown): void {
    this.failures.push({ target, metric, error });
  }

  /** Messages of the failures, for assertions. */
  failureMessages(): string[] {
    return this.failures.map((f) => (f.error instanceof Error ? f.error.message : String(f.error)));
  }
}

/** A target as the scaler hands it to collectors: Deployment `default/<name>`, pods `app=<name>`, the `kpa` policy. */
export function kpaTarget(name: string, annotations: Record<string, string> = {}, policies: readonly string[] = ['kpa']): TargetInfo {
  const ref = { namespace: 'default', name };
  return { ref, key: targetKey(ref), selector: { app: name }, policies, annotations };
}
