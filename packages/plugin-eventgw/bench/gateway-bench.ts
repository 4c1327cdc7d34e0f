/**
 * The event gateway against a direct connection, side by side in one run, on loopback, small payloads (see
 * BENCHMARKS.md for results). Processes: a node:http backend, the gateway (production defaults, a StaticDiscovery
 * routing `echo.local` to the backend, containerConcurrency 0), a minimal Node reverse proxy as a reference for
 * what Node itself costs (see `bench-process.ts`) and wrk. Each round measures, one right after the other (the
 * order rotates from round to round):
 *   1. throughput direct (wrk -> backend) and through the gateway (wrk -> gateway -> backend), 64 connections,
 *      with the CPU seconds each process used (/proc/<pid>/stat): requests per gateway core = requests / gateway
 *      CPU seconds;
 *   2. latency at low load (1 connection, one request at a time), direct and through the gateway: the added p50.
 * Then the memory of a gateway holding 10,000 queued requests (backend slot full), see `queued-memory.ts`.
 * Besides the minimal Node proxy, a minimal Go proxy (net/http/httputil, `go-proxy/`) is measured when Go is
 * installed: what a compiled proxy costs on the same machine.
 *
 * EBB_BENCH_PIN=1 gives the gateway (and each reference proxy) CPU 1 to itself and puts the backend and wrk on
 * CPU 0, in every path alike: the gateway on its own core, as it runs in a cluster (its own pods), instead of
 * taking CPU from the backend it measures against.
 *
 * Run (needs wrk, `apt-get install wrk`):
 *   cd /work/main && source scripts/node-env.sh
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/gateway-bench.ts
 * Environment: EBB_BENCH_ROUNDS (3), EBB_BENCH_SECONDS (10), EBB_BENCH_CONNECTIONS (64), EBB_BENCH_QUEUED (10000; 0 skips the memory part),
 * EBB_BENCH_BACKEND_WORK_US (0: CPU the backend spends per request, standing in for an application), WRK (path of
 * wrk), EBB_BENCH_PIN (0), EBB_BENCH_GO (1: measure the Go reference proxy when Go is installed).
 */
import { cpus, loadavg } from 'node:os';
import { cpuSeconds, pinToCpu, spread, startChild, startGoProxy, withCpu, wrk, type BenchChild, type WrkResult } from './bench-tools.ts';
import { measureQueuedMemory } from './queued-memory.ts';

const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['EBB_BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['EBB_BENCH_CONNECTIONS'] ?? 64);
const QUEUED = Number(process.env['EBB_BENCH_QUEUED'] ?? 10_000);
const LATENCY_SECONDS = Math.max(3, Math.round(SECONDS / 2));
const BACKEND_WORK_US = Number(process.env['EBB_BENCH_BACKEND_WORK_US'] ?? 0);
const PIN = process.env['EBB_BENCH_PIN'] === '1';
const GO = process.env['EBB_BENCH_GO'] !== '0';
const HOST = 'echo.local';
/** With EBB_BENCH_PIN: backend and wrk on this CPU, the proxy under test on the other. */
const CLIENT_CPU = PIN ? 0 : undefined;
const PROXY_CPU = 1;

/** A proxy in front of the backend: the gateway, or a reference. */
interface Proxy {
  readonly name: string;
  readonly child: BenchChild;
}

/** One proxy's figures in one round. */
interface ProxyRound {
  readonly load: WrkResult;
  /** CPU seconds of the proxy, and of the backend, during `load`. */
  readonly cpu: number;
  readonly backendCpu: number;
  readonly latency: WrkResult;
}

interface Round {
  readonly direct: WrkResult;
  readonly backendCpuDirect: number;
  readonly latencyDirect: WrkResult;
  readonly proxies: ReadonlyMap<string, ProxyRound>;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`;

/** Runs `steps` in an order rotated by `by`, so that no path always runs first (or right after another). */
async function rotated(by: number, steps: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (let i = 0; i < steps.length; i++) await steps[(i + by) % steps.length]?.();
}

async function round(index: number, backend: BenchChild, proxies: readonly Proxy[]): Promise<Round> {
  const url = (c: BenchChild): string => `http://127.0.0.1:${c.port}/`;
  const load = { connections: CONNECTIONS, seconds: SECONDS, ...(CLIENT_CPU === undefined ? {} : { cpu: CLIENT_CPU }) };
  const low = { ...load, connections: 1, seconds: LATENCY_SECONDS };
  let direct: { result: WrkResult; cpu: number[] } | undefined;
  let latencyDirect: WrkResult | undefined;
  const loads = new Map<string, { result: WrkResult; cpu: number[] }>();
  const latencies = new Map<string, WrkResult>();
  await rotated(index, [
    async () => void (direct = await withCpu([backend.pid], () => wrk(url(backend), load))),
    ...proxies.map((p) => async () => void loads.set(p.name, await withCpu([p.child.pid, backend.pid], () => wrk(url(p.child), { ...load, host: HOST })))),
  ]);
  await rotated(index, [
    async () => void (latencyDirect = await wrk(url(backend), low)),
    ...proxies.map((p) => async () => void latencies.set(p.name, await wrk(url(p.child), { ...low, host: HOST }))),
  ]);
  if (!direct || !latencyDirect) throw new Error('a direct measurement is missing');
  const byProxy = new Map<string, ProxyRound>();
  for (const p of proxies) {
    const l = loads.get(p.name);
    const latency = latencies.get(p.name);
    if (!l || !latency) throw new Error(`a measurement of ${p.name} is missing`);
    byProxy.set(p.name, { load: l.result, cpu: l.cpu[0] ?? NaN, backendCpu: l.cpu[1] ?? NaN, latency });
  }
  return { direct: direct.result, backendCpuDirect: direct.cpu[0] ?? NaN, latencyDirect, proxies: byProxy };
}

const of = (r: Round, name: string): ProxyRound => {
  const p = r.proxies.get(name);
  if (!p) throw new Error(`no figures for ${name}`);
  return p;
};
const perCore = (p: ProxyRound): number => p.load.requests / p.cpu;
const ofDirect = (r: Round, p: ProxyRound): number => (100 * p.load.rps) / r.direct.rps;
const addedP50 = (r: Round, p: ProxyRound): number => (p.latency.p50 - r.latencyDirect.p50) * 1000;
const errors = (r: Round): number => [r.direct, r.latencyDirect, ...[...r.proxies.values()].flatMap((p) => [p.load, p.latency])].reduce((n, w) => n + w.errors, 0);

function report(rounds: readonly Round[], names: readonly string[]): void {
  console.log(`\n### Throughput and latency (${rounds.length} rounds; ${CONNECTIONS} connections, ${SECONDS} s; low load: 1 connection, ${LATENCY_SECONDS} s)\n`);
  console.log('| Round | Direct req/s | Gateway req/s | % of direct | Gateway CPU (cores) | Gateway req/s per core | p50 direct, 1 conn | p50 gateway, 1 conn | p50 added | p99 added | Errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  rounds.forEach((r, i) => {
    const g = of(r, 'gateway');
    console.log(
      `| ${i + 1} | ${fmt(r.direct.rps)} | ${fmt(g.load.rps)} | ${fmt(ofDirect(r, g), 1)} % | ${fmt(g.cpu / g.load.seconds, 2)} | ${fmt(perCore(g))} | ` +
        `${fmt(r.latencyDirect.p50 * 1000)} µs | ${fmt(g.latency.p50 * 1000)} µs | ${fmt(addedP50(r, g))} µs | ` +
        `${fmt((g.latency.p99 - r.latencyDirect.p99) * 1000)} µs | ${errors(r)} |`,
    );
  });
  const show = (values: number[], digits: number, unit: string): string => {
    const s = spread(values);
    return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
  };
  console.log('\nMedian (min-max) over the rounds; the gateway against the goals, the other proxies as references:\n');
  console.log(`| Figure | ${names.join(' | ')} | Goal (gateway) |`);
  console.log(`|---|${names.map(() => '---|').join('')}---|`);
  const row = (figure: string, value: (r: Round, p: ProxyRound) => number, digits: number, unit: string, goal: string): void =>
    console.log(`| ${figure} | ${names.map((n) => show(rounds.map((r) => value(r, of(r, n))), digits, unit)).join(' | ')} | ${goal} |`);
  row('Requests/s per proxy core', (_r, p) => perCore(p), 0, '', '>= 8,000');
  row('Throughput, % of direct', ofDirect, 1, ' %', '>= 70 %');
  row('p50 added latency at low load', addedP50, 0, ' µs', '<= 300 µs');
  row('CPU per request', (_r, p) => (1e6 * p.cpu) / p.load.requests, 0, ' µs', '');
  row('Backend CPU per request', (_r, p) => (1e6 * p.backendCpu) / p.load.requests, 0, ' µs', '');
  console.log(`\nBackend CPU per request, direct: ${show(rounds.map((r) => (1e6 * r.backendCpuDirect) / r.direct.requests), 0, ' µs')}.`);
}

async function main(): Promise<void> {
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`# Event gateway benchmark\n\n${new Date().toISOString()}, Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${load()}`);
  if (BACKEND_WORK_US > 0) console.log(`Backend work per request: ${BACKEND_WORK_US} µs of CPU.`);
  if (PIN) console.log(`Pinned: backend and wrk on CPU ${CLIENT_CPU}, the gateway and each reference proxy on CPU ${PROXY_CPU}.`);
  const backend = await startChild(['backend', 'fast', String(BACKEND_WORK_US)]);
  const spec = { host: HOST, backendPort: backend.port, containerConcurrency: 0, queueLength: 10_000, queueTimeoutMs: 30_000 };
  const proxies: Proxy[] = [
    { name: 'gateway', child: await startChild(['gateway', JSON.stringify(spec)]) },
    { name: 'minimal Node proxy', child: await startChild(['proxy', String(backend.port)]) },
  ];
  const goProxy = GO ? await startGoProxy(backend.port) : undefined;
  if (goProxy) proxies.push({ name: 'minimal Go proxy', child: goProxy });
  const rounds: Round[] = [];
  try {
    if (PIN) {
      pinToCpu(backend.pid, CLIENT_CPU ?? 0);
      for (const p of proxies) pinToCpu(p.child.pid, PROXY_CPU);
    }
    // Warm-up: JIT and connection pools, not measured.
    await wrk(`http://127.0.0.1:${backend.port}/`, { connections: CONNECTIONS, seconds: 2 });
    for (const p of proxies) await wrk(`http://127.0.0.1:${p.child.port}/`, { connections: CONNECTIONS, seconds: 2, host: HOST });
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await round(i, backend, proxies));
      console.error(`[bench] round ${i + 1}/${ROUNDS} done`);
    }
    console.error(`[bench] gateway process used ${fmt(cpuSeconds(proxies[0]?.child.pid ?? 0), 1)} CPU s in all`);
  } finally {
    await Promise.all(proxies.map((p) => p.child.stop()));
    await backend.stop();
  }
  report(rounds, proxies.map((p) => p.name));
  console.log(`\nLoad average at the end: ${load()}.`);

  if (QUEUED <= 0) return;
  const q = await measureQueuedMemory(QUEUED);
  console.log(`\n### Memory with ${fmt(q.queued)} queued requests (containerConcurrency 1, backend slot held, queue-length ${fmt(q.queued)})\n`);
  console.log('| Moment | RSS | Heap used | Heap total |');
  console.log('|---|---|---|---|');
  for (const [name, m] of [['idle, before', q.baseline], [`${fmt(q.queued)} queued`, q.whileQueued], ['after the queue drained', q.afterDrain]] as const) {
    console.log(`| ${name} | ${mib(m.rss)} | ${mib(m.heapUsed)} | ${mib(m.heapTotal)} |`);
  }
  const per = (q.whileQueued.heapUsed - q.baseline.heapUsed) / q.queued;
  console.log(`\nHeap per queued request (connection, parser, request/response objects, waiter): ${fmt(per / 1024, 1)} KiB; RSS per queued request: ${fmt((q.whileQueued.rss - q.baseline.rss) / q.queued / 1024, 1)} KiB.`);
  console.log(`Request ${fmt(q.queued + 2)} (queue full): HTTP ${q.overflowStatus}. Served after the backend released its slot: ${fmt(q.served)} of ${fmt(q.queued + 1)}.`);
}

await main();
