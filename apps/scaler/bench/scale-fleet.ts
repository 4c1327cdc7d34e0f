/**
 * Helpers of scale-scrape.ts: the targets (paused Deployments plus their pods, created straight on the fake nodes
 * so the controller manager's 20 requests/s do not pace the setup), the responder processes, and process CPU/RSS
 * from /proc.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { isPodReady, testDeploymentManifest, TEST_IMAGE } from '@ebb/testing';
import { SELECTION_LABEL } from '@ebb/core';

export const REVISION_LABEL = 'serving.knative.dev/revision';

/** Pods of target `i`: every fourth target has 2, the others 1. */
export const podsOf = (i: number): number => (i % 4 === 0 ? 2 : 1);

/** Runs `work` over `items` with at most `parallel` at once. */
export async function inBatches<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

/** Creates target `name` (paused, so no ReplicaSet) and its `pods` pods bound to `node`. */
export async function createScrapedTarget(kc: KubeConfig, namespace: string, name: string, pods: number, node: string, annotations: Record<string, string>): Promise<void> {
  const deployment = testDeploymentManifest({ namespace, name, replicas: pods, labels: { [SELECTION_LABEL]: 'true' }, annotations });
  deployment.spec = { ...deployment.spec!, paused: true };
  const retry = async (call: () => Promise<unknown>): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await call();
        return;
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 409) return;
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
  };
  await retry(() => kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace, body: deployment }));
  for (let p = 0; p < pods; p++) {
    const pod: V1Pod = {
      metadata: { name: `${name}-${p}`, namespace, labels: { app: name, [REVISION_LABEL]: name } },
      spec: { nodeName: node, terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: TEST_IMAGE }] },
    };
    await retry(() => kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: pod }));
  }
}

/** Pod name -> IP of the Ready pods of the namespace (one paged LIST). */
export async function readyPodIps(kc: KubeConfig, namespace: string): Promise<Map<string, string>> {
  const core = kc.makeApiClient(CoreV1Api);
  const ips = new Map<string, string>();
  let _continue: string | undefined;
  do {
    const page = await core.listNamespacedPod({ namespace, limit: 2000, ...(_continue ? { _continue } : {}) });
    for (const p of page.items) if (isPodReady(p) && p.status?.podIP) ips.set(p.metadata?.name ?? '', p.status.podIP);
    _continue = page.metadata?._continue;
  } while (_continue);
  return ips;
}

/** A responder process (scrape-responders.ts) with a request/answer helper over IPC. */
export interface Responder {
  readonly child: ChildProcess;
  ask<T>(message: Record<string, unknown>, answerOp: string): Promise<T>;
}

export async function startResponder(): Promise<Responder> {
  const child = fork(fileURLToPath(new URL('./scrape-responders.ts', import.meta.url)), [], { execArgv: ['--disable-warning=ExperimentalWarning'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: Record<string, unknown>, answerOp: string): Promise<T> =>
    new Promise((resolve) => {
      const on = (m: { op: string }): void => {
        if (m.op !== answerOp) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
      if (Object.keys(message).length) child.send(message);
    });
  await ask({}, 'ready');
  return { child, ask };
}

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
export function processUsage(pid: number): { cpuS: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, rss (pages) 24.
  return { cpuS: (Number(fields[11]) + Number(fields[12])) / 100, rssBytes: Number(fields[21]) * 4096 };
}

/** The 1-minute load average. */
export const loadAverage = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** The p-quantile of `values` (0 when empty). */
export function quantile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}
