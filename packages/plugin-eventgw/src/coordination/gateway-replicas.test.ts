import { AppsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { createTestDeployment, findFreePort, useTestNamespace } from '@ebb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, pause, send, targetStats } from '../test-support/http-client.ts';
import { startGatewayProcess, type GatewayProcess } from '../test-support/gateway-process.ts';
import { servePods } from '../test-support/pod-backends.ts';

const ns = useTestNamespace('eventgw-replicas');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Outcome {
  readonly id: string;
  readonly gateway: string;
  readonly status: number | 'error';
  readonly body: string;
  readonly phase: 'before' | 'change' | 'after';
}

async function scale(name: string, replicas: number): Promise<void> {
  await ns.kubeConfig
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeploymentScale({ name, namespace: ns.name, body: { spec: { replicas } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

async function readyAtEvery(gateways: readonly GatewayProcess[], key: string, n: number): Promise<void> {
  for (const g of gateways) await eventually(async () => (await targetStats(g.adminPort, key))?.readyEndpoints === n, `${g.gatewayId} to see ${n} ready pods`, 60_000);
}

describe('several gateway replicas', () => {
  it('hand the only slot to whichever replica has a request waiting', async () => {
    const name = 'single';
    const port = await findFreePort();
    await createTestDeployment(ns.kubeConfig, {
      namespace: ns.name,
      name,
      replicas: 1,
      containerPort: port,
      annotations: { 'ebb.dev/eventgw.host': `${name}.example.com`, 'ebb.dev/eventgw.container-concurrency': '1', 'ebb.dev/eventgw.queue-timeout': '60s' },
    });
    const pods = await servePods(ns.kubeConfig, ns.name, `app=${name}`, port, (pod, req, res) => {
      req.resume();
      req.on('end', () => res.end(`${pod} ${String(req.headers['x-test-id'])}`));
    });
    cleanups.push(() => pods.stop());
    const gateways: GatewayProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const g = await startGatewayProcess(ns.kubeConfig, { gatewayId: `${name}-gw-${i}`, namespace: ns.name, group: name });
      gateways.push(g);
      cleanups.push(() => g.stop());
    }
    await readyAtEvery(gateways, `${ns.name}/${name}`, 1);
    // One request at a time, each at the next replica: every one of them needs the slot another replica held.
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const g = gateways[i % 3] ?? gateways[0];
      const started = performance.now();
      const r = await send(g?.port ?? 0, { host: `${name}.example.com`, method: 'POST', body: `r${i}`, headers: { 'x-test-id': `r${i}` }, timeoutMs: 60_000 });
      waits.push(performance.now() - started);
      expect(r.status).toBe(200);
      expect(r.body).toMatch(new RegExp(` r${i}$`));
    }
    waits.sort((a, b) => a - b);
    console.info(`slot handover between replicas: median ${waits[6]?.toFixed(0)} ms, max ${waits[11]?.toFixed(0)} ms (request and answer included)`);
    expect(Math.max(...pods.all.map((b) => b.maxInFlight))).toBe(1);
  }, 120_000);

  it.each([1, 3])(
    'keep the requests in flight on each pod within containerConcurrency %i while pods come and go and a replica is killed',
    async (cc) => {
      const name = `web-cc${cc}`;
      const port = await findFreePort();
      await createTestDeployment(ns.kubeConfig, {
        namespace: ns.name,
        name,
        replicas: 2,
        containerPort: port,
        annotations: { 'ebb.dev/eventgw.host': `${name}.example.com`, 'ebb.dev/eventgw.container-concurrency': String(cc), 'ebb.dev/eventgw.queue-timeout': '90s' },
      });
      const pods = await servePods(
        ns.kubeConfig,
        ns.name,
        `app=${name}`,
        port,
        (pod, req, res) => {
          const id = String(req.headers['x-test-id']);
          req.resume();
          req.on('end', () => setTimeout(() => res.end(`${pod} ${id}`), 5 + Math.floor(Math.random() * 25)));
        },
        { graceful: true },
      );
      cleanups.push(() => pods.stop());
      const gateways: GatewayProcess[] = [];
      for (let i = 0; i < 3; i++) {
        const g = await startGatewayProcess(ns.kubeConfig, { gatewayId: `${name}-gw-${i}`, namespace: ns.name, group: name });
        gateways.push(g);
        cleanups.push(() => g.stop());
      }
      const key = `${ns.name}/${name}`;
      await readyAtEvery(gateways, key, 2);

      const alive = new Set(gateways);
      const outcomes: Outcome[] = [];
      let phase: Outcome['phase'] = 'before';
      let running = true;
      const client = async (i: number): Promise<void> => {
        for (let n = 0; running; n++) {
          const live = gateways.filter((g) => alive.has(g));
          const g = live[i % live.length] ?? gateways[0];
          if (!g) return;
          const id = `c${i}-${n}`;
          const at = phase;
          try {
            const r = await send(g.port, { host: `${name}.example.com`, method: 'POST', body: id, headers: { 'x-test-id': id }, timeoutMs: 120_000 });
            outcomes.push({ id, gateway: g.gatewayId, status: r.status, body: r.body, phase: at });
          } catch {
            outcomes.push({ id, gateway: g.gatewayId, status: 'error', body: '', phase: at });
          }
        }
      };
      const clients = Promise.all(Array.from({ length: 18 }, (_, i) => client(i)));

      await pause(8000); // load before the change
      phase = 'change';
      const killed = gateways[2];
      if (!killed) throw new Error('no third gateway');
      await scale(name, 4);
      alive.delete(killed);
      await killed.kill();
      const survivors = gateways.filter((g) => g !== killed);
      await readyAtEvery(survivors, key, 4);
      await scale(name, 3);
      await readyAtEvery(survivors, key, 3);
      phase = 'after';
      await pause(8000); // the same load after the change
      running = false;
      await clients;

      const maxPerPod = Math.max(...pods.all.map((b) => b.maxInFlight));
      const received = new Map<string, number>();
      for (const b of pods.all) for (const line of b.received) received.set(line.split(' ')[2] ?? '', (received.get(line.split(' ')[2] ?? '') ?? 0) + 1);
      const twice = [...received].filter(([, n]) => n > 1);
      const lost = outcomes.filter((o) => o.gateway !== killed.gatewayId && !(o.status === 200 && o.body.endsWith(` ${o.id}`)));
      const afterBySurvivor = survivors.map((g) => outcomes.filter((o) => o.phase === 'after' && o.gateway === g.gatewayId && o.status === 200).length);
      console.info(`cc ${cc}: ${outcomes.length} requests, ${outcomes.filter((o) => o.status === 200).length} answered 200, max in flight per pod ${maxPerPod}, after the change per surviving replica ${afterBySurvivor.join('/')}`);
      expect(maxPerPod).toBeLessThanOrEqual(cc);
      expect(maxPerPod).toBe(cc === 1 ? 1 : maxPerPod); // sanity: the load reached the pods
      expect(twice).toEqual([]);
      expect(lost.map((o) => `${o.id} via ${o.gateway}: ${o.status} ${o.body.slice(0, 80)}`)).toEqual([]);
      for (const n of afterBySurvivor) expect(n).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o.gateway === killed.gatewayId && o.status !== 200).length).toBeLessThanOrEqual(18);
    },
    180_000,
  );
});
