/**
 * The whole system at scale with real scraping: a private local cluster with N targets (EBB_BENCH_TARGETS, default
 * 1,000; every fourth has 2 KWOK pods, the others 1), every pod's queue-proxy port (:9090 on its loopback pod IP)
 * answered by a fleet of responder processes (scrape-responders.ts, their CPU counted apart), then in turn:
 * 1. the real `ebb run` (child process, KPA with `metric-source: pods`, 2 s tick) and
 * 2. Knative Serving v0.51.0's own metric collection and deciders (packages/plugin-kpa/bench/knative-scrape-go),
 * each alone for a steady window (EBB_BENCH_WINDOW_S, default 60 s; every pod reports 10 in flight, target 10, so
 * nothing changes), then load steps on single targets (one pod reports 50: the answer is 5 pods).
 * Figures: CPU (cores, /proc) and RSS of each side, scrapes per second (counted by the responders), the scaler's
 * scrape durations (undici's diagnostics channels, scrape-probe.ts), apiserver requests in the window, time from
 * the step to the first scrape that saw it and to the scale write (Ebb: the Deployment's spec.replicas; Knative:
 * its decider's new desired count), and the 1-minute load average of the machine.
 *
 * Run: npm run bench:scale   (EBB_BENCH_TARGETS=5000, EBB_BENCH_PARALLEL=512 for the collector's maxParallelScrapes,
 * EBB_BENCH_SCRAPE_MS=2000 for its scrape interval,
 * EBB_BENCH_KNATIVE=0 to leave the Go side out, EBB_BENCH_CPU_PROF=<folder> for a CPU profile of the scaler)
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { ensureClusterBinaries, startCluster, waitFor } from '@ebb/testing';
import { STATUS_ANNOTATION } from '@ebb/core';
import { createScrapedTarget, inBatches, loadAverage, podsOf, processUsage, quantile, readyPodIps, startResponder, type Responder } from './scale-fleet.ts';
import { spawnBenchScaler } from './scale-scaler.ts';

const TARGETS = Number(process.env['EBB_BENCH_TARGETS'] ?? 1000);
const WINDOW_S = Number(process.env['EBB_BENCH_WINDOW_S'] ?? 60);
const KNATIVE = process.env['EBB_BENCH_KNATIVE'] !== '0';
const STEPS = 5;
/** The collector's `maxParallelScrapes` (its default is 64). */
const PARALLEL = Number(process.env['EBB_BENCH_PARALLEL'] ?? 64);
/** The collector's scrape `intervalMs` (its default is 1000, Knative's). */
const SCRAPE_MS = Number(process.env['EBB_BENCH_SCRAPE_MS'] ?? 1000);
const namespace = 'bench';
const log = (line: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const names = Array.from({ length: TARGETS }, (_, i) => `t-${i}`);
const totalPods = names.reduce((sum, _, i) => sum + podsOf(i), 0);
const goDir = fileURLToPath(new URL('../../../packages/plugin-kpa/bench/knative-scrape-go', import.meta.url));
const goBinary = join(tmpdir(), 'knative-scrape-go');
if (KNATIVE) execFileSync('go', ['build', '-o', goBinary, '.'], { cwd: goDir, env: { ...process.env, GOFLAGS: '-mod=mod' }, stdio: 'inherit' });

const cluster = await startCluster({ name: `bench-scale-${process.pid}`, nodes: 2, timeoutMs: 180_000 });
const responders: Responder[] = [];
const results: string[] = [];
try {
  const kc = cluster.kubeConfig();
  const kubectl = join(await ensureClusterBinaries(), 'kubectl');
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor(() => kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace }));
  const annotations = {
    'ebb.dev/policies': 'kpa',
    'ebb.dev/kpa.metric-source': 'pods',
    'ebb.dev/kpa.target': '10',
    'ebb.dev/kpa.target-utilization-percentage': '100',
    'ebb.dev/max-replicas': '10',
  };
  const setupStart = Date.now();
  await inBatches(names.map((n, i) => [n, i] as const), 32, ([n, i]) => createScrapedTarget(kc, namespace, n, podsOf(i), `kwok-node-${i % 2}`, annotations));
  log(`${TARGETS} targets and ${totalPods} pods created in ${((Date.now() - setupStart) / 1000).toFixed(0)} s`);
  let ips = new Map<string, string>();
  await waitFor(
    async () => {
      ips = await readyPodIps(kc, namespace);
      log(`${ips.size} of ${totalPods} pods ready`);
      return ips.size === totalPods;
    },
    { timeoutMs: 1_800_000, intervalMs: 10_000, description: 'every pod ready' },
  );
  const responderCount = Math.max(1, Math.ceil(totalPods / 4000));
  const owner = new Map<string, Responder>();
  const all = [...ips.values()];
  for (let r = 0; r < responderCount; r++) {
    const responder = await startResponder();
    responders.push(responder);
    const mine = all.filter((_, i) => i % responderCount === r);
    for (const ip of mine) owner.set(ip, responder);
    const served = await responder.ask<{ count: number; failed: number; errors: string[] }>({ op: 'serve', ips: mine, port: 9090, inFlight: 10 }, 'served');
    if (served.failed) throw new Error(`responder ${r}: ${served.failed} addresses could not be served: ${served.errors.join('; ')}`);
  }
  log(`${responderCount} responder processes serve ${all.length} pod IPs; scaler maxParallelScrapes ${PARALLEL}, intervalMs ${SCRAPE_MS}`);

  const responderCpu = () => responders.reduce((s, r) => s + processUsage(r.child.pid as number).cpuS, 0);
  const scrapeCounts = async () => {
    const stats = await Promise.all(responders.map((r) => r.ask<{ text: number; proto: number; firstAfterSet: Record<string, { setAtMs: number; text?: number; proto?: number }> }>({ op: 'stats' }, 'stats')));
    return { text: stats.reduce((s, x) => s + x.text, 0), proto: stats.reduce((s, x) => s + x.proto, 0), first: Object.assign({}, ...stats.map((x) => x.firstAfterSet)) as Record<string, { setAtMs: number; text?: number; proto?: number }> };
  };
  const apiserverRequests = (): Map<string, number> => {
    const text = execFileSync(kubectl, ['--kubeconfig', cluster.kubeconfigPath, 'get', '--raw', '/metrics'], { encoding: 'utf8', maxBuffer: 128 * 2 ** 20 });
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('apiserver_request_total{')) continue;
      const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      if (!['deployments', 'events', 'pods'].includes(labels['resource'] ?? '') || labels['subresource'] === 'status') continue;
      const key = `${labels['verb']} ${labels['resource']}${labels['subresource'] ? `/${labels['subresource']}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(line.split(' ').at(-1)));
    }
    return counts;
  };
  const requestDelta = (before: Map<string, number>, after: Map<string, number>): string =>
    [...after.keys()].sort().map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)] as const).filter(([, d]) => d > 0).map(([k, d]) => `${k} ${(d / WINDOW_S).toFixed(2)}/s`).join(', ') || 'none';
  const heapUsedMiB = async (port: number): Promise<number | undefined> => {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '');
    const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes'));
    return line === undefined ? undefined : Number(line.split(' ').at(-1)) / 2 ** 20;
  };
  const podIp = (i: number) => ips.get(`t-${i}-0`) as string;
  const setInFlight = (i: number, inFlight: number) => (owner.get(podIp(i)) as Responder).ask<{ atMs: number }>({ op: 'set', ip: podIp(i), inFlight }, 'set');

  /** One side's steady window: CPU and RSS of `pid`, scrapes of kind `kind`, apiserver requests. */
  async function steadyWindow(side: string, pid: number, kind: 'text' | 'proto', probeFile?: string, metricsPort?: number) {
    const readProbe = () => (probeFile ? (JSON.parse(readFileSync(probeFile, 'utf8')) as { ok: number; failed: number; ms: Record<string, number> }) : undefined);
    const c0 = processUsage(pid), r0 = responderCpu(), s0 = await scrapeCounts(), a0 = apiserverRequests(), p0 = readProbe(), t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const c1 = processUsage(pid), r1 = responderCpu(), s1 = await scrapeCounts(), a1 = apiserverRequests(), p1 = readProbe(), t1 = Date.now();
    const seconds = (t1 - t0) / 1000;
    const cores = (c1.cpuS - c0.cpuS) / seconds;
    let duration = '';
    if (p0 && p1) {
      const durations: number[] = [];
      for (const [b, n] of Object.entries(p1.ms)) for (let k = 0; k < n - (p0.ms[b] ?? 0); k++) durations.push(Number(b) / 10);
      duration = `p50 ${quantile(durations, 0.5).toFixed(1)} ms, p99 ${quantile(durations, 0.99).toFixed(1)} ms, failed ${p1.failed - p0.failed}`;
    }
    const heap = metricsPort ? await heapUsedMiB(metricsPort) : undefined;
    const memory = `${(c1.rssBytes / 2 ** 20).toFixed(0)}${heap === undefined ? '' : ` (heap used ${heap.toFixed(0)})`}`;
    const row = `| ${side} | ${TARGETS} | ${totalPods} | ${cores.toFixed(3)} | ${((cores * 1e6) / TARGETS).toFixed(0)} | ${memory} | ${((s1[kind] - s0[kind]) / seconds).toFixed(0)} | ${duration || 'n/a'} | ${((r1 - r0) / seconds).toFixed(3)} | ${requestDelta(a0, a1)} | ${loadAverage().toFixed(1)} |`;
    log(row);
    results.push(row);
    return cores;
  }

  /** Load steps on targets `first`, `first + 4`, ...: time to the first scrape that saw it and to the decision. */
  async function loadSteps(side: string, first: number, kind: 'text' | 'proto', decidedAt: (name: string, sinceMs: number) => Promise<number | undefined>) {
    const toScrape: number[] = [];
    const toDecision: number[] = [];
    for (let k = 0; k < STEPS; k++) {
      const i = first + 4 * k;
      const { atMs } = await setInFlight(i, 50);
      const decided = await decidedAt(`t-${i}`, atMs);
      const seen = (await scrapeCounts()).first[podIp(i)]?.[kind];
      await setInFlight(i, 10);
      if (decided === undefined) log(`${side}: t-${i} no decision within 20 s`);
      else toDecision.push(decided - atMs);
      if (seen !== undefined) toScrape.push(seen - atMs);
      await sleep(1000);
    }
    const fmt = (v: number[]) => (v.length ? `${v.join(', ')} ms` : 'none');
    const row = `| ${side} | ${TARGETS} | step -> first scrape: ${fmt(toScrape)} | step -> decision: ${fmt(toDecision)} | ${loadAverage().toFixed(1)} |`;
    log(row);
    results.push(row);
  }

  // 1. Ebb.
  const scaler = await spawnBenchScaler({
    kubeconfig: cluster.kubeconfigPath,
    name: 'scale-scrape',
    config: { namespaces: [namespace], tickInterval: '2s', logLevel: 'warn', plugins: ['kpa'], pluginOptions: { kpa: { pods: { port: 9090, maxParallelScrapes: PARALLEL, intervalMs: SCRAPE_MS } } } },
  });
  const apps = kc.makeApiClient(AppsV1Api);
  await waitFor(
    async () => {
      const list = await apps.listNamespacedDeployment({ namespace });
      const done = list.items.filter((d) => d.metadata?.annotations?.[STATUS_ANNOTATION]).length;
      log(`ebb: ${done} of ${TARGETS} targets evaluated`);
      return done === TARGETS;
    },
    { timeoutMs: 900_000, intervalMs: 10_000, description: 'every target evaluated once' },
  );
  await sleep(10_000);
  const ebbCores = await steadyWindow('Ebb `ebb run`', scaler.child.pid as number, 'text', scaler.probeFile, scaler.port);
  if (process.env['EBB_BENCH_DEBUG']) {
    const list = await apps.listNamespacedDeployment({ namespace });
    const recent = list.items.sort((a, b) => Number(b.metadata?.resourceVersion) - Number(a.metadata?.resourceVersion)).slice(0, 3);
    for (const d of recent) log(`recently written: ${d.metadata?.name} ${d.metadata?.annotations?.[STATUS_ANNOTATION]}`);
    log(scaler.logs.join('').slice(-3000));
  }
  await loadSteps('Ebb', 1, 'text', async (name, sinceMs) => {
    let at: number | undefined;
    await waitFor(
      async () => {
        const d = await apps.readNamespacedDeployment({ name, namespace });
        if ((d.spec?.replicas ?? 0) > podsOf(Number(name.slice(2)))) at = Date.now();
        return at !== undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: `${name} scaled` },
    ).catch(() => undefined);
    return at && at >= sinceMs ? at : undefined;
  });
  await scaler.kill();

  // 2. Knative's collection and deciders on the same pods.
  if (KNATIVE) {
    const go = spawn(goBinary, ['-kubeconfig', cluster.kubeconfigPath, '-namespace', namespace], { stdio: ['ignore', 'pipe', 'inherit'] });
    const decisions: Array<{ name: string; desired: number; atMs: number }> = [];
    let ready = false;
    let buffer = '';
    go.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [word, name, desired, at] = line.split(' ');
        if (word === 'READY') ready = true;
        if (word === 'DECIDE') decisions.push({ name: name as string, desired: Number(desired), atMs: Number(at) });
      }
    });
    await waitFor(() => ready, { timeoutMs: 900_000, description: 'Knative collections running' });
    await sleep(70_000); // past the first stable window, as the Ebb side was
    const knCores = await steadyWindow('Knative v0.51.0 metrics + scaling (Go)', go.pid as number, 'proto');
    await loadSteps('Knative', 2, 'proto', async (name, sinceMs) => {
      let at: number | undefined;
      await waitFor(() => (at = decisions.find((d) => d.name === name && d.atMs >= sinceMs && d.desired > 1)?.atMs) !== undefined, { timeoutMs: 20_000, intervalMs: 20 }).catch(() => undefined);
      return at;
    });
    go.kill('SIGTERM');
    results.push(`CPU per target, Knative / Ebb: ${(knCores / ebbCores).toFixed(2)}x`);
  }
  console.log(results.join('\n'));
} finally {
  for (const r of responders) r.child.kill('SIGTERM');
  await cluster.stop();
}
