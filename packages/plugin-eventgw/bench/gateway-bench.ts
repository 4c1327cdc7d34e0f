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
 *
 * Run (needs wrk, `apt-get install wrk`):
 *   cd /work/main && source scripts/node-env.sh
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/gateway-bench.ts
 * Environment: EBB_BENCH_ROUNDS (3), EBB_BENCH_SECONDS (10), EBB_BENCH_CONNECTIONS (64), EBB_BENCH_QUEUED (10000; 0 skips the memory part),
 * EBB_BENCH_BACKEND_WORK_US (0: CPU the backend spends per request, standing in for an application), WRK (path of
 * wrk).
 */
import { cpus, loadavg } from 'node:os';
import { cpuSeconds, spread, startChild, withCpu, wrk, type BenchChild, type WrkResult } from './bench-tools.ts';
import { measureQueuedMemory } from './queued-memory.ts';

const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['EBB_BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['EBB_BENCH_CONNECTIONS'] ?? 64);
const QUEUED = Number(process.env['EBB_BENCH_QUEUED'] ?? 10_000);
const LATENCY_SECONDS = Math.max(3, Math.round(SECONDS / 2));
const BACKEND_WORK_US = Number(process.env['EBB_BENCH_BACKEND_WORK_US'] ?? 0);
const HOST = 'echo.local';

interface Round {
  readonly direct: WrkResult;
  readonly gateway: WrkResult;
  readonly proxy: WrkResult;
  readonly backendCpuDirect: number;
  readonly gatewayCpu: number;
  readonly proxyCpu: number;
  readonly backendCpuGateway: number;
  readonly latencyDirect: WrkResult;
  readonly latencyGateway: WrkResult;
  readonly latencyProxy: WrkResult;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`;

/** Runs `steps` in an order rotated by `by`, so that no path always runs first (or right after another). */
async function rotated(by: number, steps: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (let i = 0; i < steps.length; i++) await steps[(i + by) % steps.length]?.();
}

async function round(index: number, backend: BenchChild, gateway: BenchChild, proxy: BenchChild): Promise<Round> {
  const url = (c: BenchChild): string => `http://127.0.0.1:${c.port}/`;
  const load = { connections: CONNECTIONS, seconds: SECONDS };
  const low = { connections: 1, seconds: LATENCY_SECONDS };
  const r: Partial<Record<keyof Round, unknown>> = {};
  await rotated(index, [
    async () => {
      const d = await withCpu([backend.pid], () => wrk(url(backend), load));
      [r.direct, r.backendCpuDirect] = [d.result, d.cpu[0]];
    },
    async () => {
      const g = await withCpu([gateway.pid, backend.pid], () => wrk(url(gateway), { ...load, host: HOST }));
      [r.gateway, r.gatewayCpu, r.backendCpuGateway] = [g.result, g.cpu[0], g.cpu[1]];
    },
    async () => {
      const p = await withCpu([proxy.pid], () => wrk(url(proxy), { ...load, host: HOST }));
      [r.proxy, r.proxyCpu] = [p.result, p.cpu[0]];
    },
  ]);
  await rotated(index, [
    async () => void (r.latencyDirect = await wrk(url(backend), low)),
    async () => void (r.latencyGateway = await wrk(url(gateway), { ...low, host: HOST })),
    async () => void (r.latencyProxy = await wrk(url(proxy), { ...low, host: HOST })),
  ]);
  return r as Round;
}

const perCore = (r: Round): number => r.gateway.requests / r.gatewayCpu;
const ofDirect = (r: Round): number => (100 * r.gateway.rps) / r.direct.rps;
const addedP50 = (r: Round): number => r.latencyGateway.p50 - r.latencyDirect.p50;

function report(rounds: readonly Round[]): void {
  console.log(`\n### Throughput and latency (${rounds.length} rounds; ${CONNECTIONS} connections, ${SECONDS} s; low load: 1 connection, ${LATENCY_SECONDS} s)\n`);
  console.log('| Round | Direct req/s | Gateway req/s | % of direct | Gateway CPU (cores) | Gateway req/s per core | Minimal proxy req/s per core | p50 direct, 1 conn | p50 gateway, 1 conn | p50 added | p99 added | p50 added, minimal proxy | Errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  rounds.forEach((r, i) => {
    const cores = r.gatewayCpu / r.gateway.seconds;
    console.log(
      `| ${i + 1} | ${fmt(r.direct.rps)} | ${fmt(r.gateway.rps)} | ${fmt(ofDirect(r), 1)} % | ${fmt(cores, 2)} | ${fmt(perCore(r))} | ${fmt(r.proxy.requests / r.proxyCpu)} | ` +
        `${fmt(r.latencyDirect.p50 * 1000)} µs | ${fmt(r.latencyGateway.p50 * 1000)} µs | ${fmt(addedP50(r) * 1000)} µs | ` +
        `${fmt((r.latencyGateway.p99 - r.latencyDirect.p99) * 1000)} µs | ${fmt((r.latencyProxy.p50 - r.latencyDirect.p50) * 1000)} µs | ` +
        `${[r.direct, r.gateway, r.proxy, r.latencyDirect, r.latencyGateway, r.latencyProxy].reduce((n, w) => n + w.errors, 0)} |`,
    );
  });
  const show = (values: number[], digits: number, unit: string): string => {
    const s = spread(values);
    return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
  };
  console.log('\nMedian (min-max) over the rounds, against the goals:\n');
  console.log('| Figure | Measured | Goal |');
  console.log('|---|---|---|');
  console.log(`| Gateway requests/s per gateway core | ${show(rounds.map(perCore), 0, '')} | >= 8,000 |`);
  console.log(`| Minimal Node proxy requests/s per core (reference) | ${show(rounds.map((r) => r.proxy.requests / r.proxyCpu), 0, '')} | |`);
  console.log(`| Gateway CPU per request, % of the minimal proxy's | ${show(rounds.map((r) => (100 * r.gatewayCpu * r.proxy.requests) / (r.proxyCpu * r.gateway.requests)), 0, ' %')} | |`);
  console.log(`| Gateway throughput, % of direct | ${show(rounds.map(ofDirect), 1, ' %')} | >= 70 % |`);
  console.log(`| Minimal proxy throughput, % of direct (reference) | ${show(rounds.map((r) => (100 * r.proxy.rps) / r.direct.rps), 1, ' %')} | |`);
  console.log(`| p50 added latency at low load | ${show(rounds.map((r) => addedP50(r) * 1000), 0, ' µs')} | <= 300 µs |`);
  console.log(`| p50 added latency at low load, minimal proxy (reference) | ${show(rounds.map((r) => (r.latencyProxy.p50 - r.latencyDirect.p50) * 1000), 0, ' µs')} | |`);
  console.log(`| Backend CPU per 1,000 requests, direct / through the gateway | ${show(rounds.map((r) => (1000 * r.backendCpuDirect) / r.direct.requests * 1000), 0, ' ms')} / ${show(rounds.map((r) => (1000 * r.backendCpuGateway) / r.gateway.requests * 1000), 0, ' ms')} | |`);
}

async function main(): Promise<void> {
  const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`# Event gateway benchmark\n\n${new Date().toISOString()}, Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${load()}`);
  if (BACKEND_WORK_US > 0) console.log(`Backend work per request: ${BACKEND_WORK_US} µs of CPU.`);
  const backend = await startChild(['backend', 'fast', String(BACKEND_WORK_US)]);
  const spec = { host: HOST, backendPort: backend.port, containerConcurrency: 0, queueLength: 10_000, queueTimeoutMs: 30_000 };
  const gateway = await startChild(['gateway', JSON.stringify(spec)]);
  const proxy = await startChild(['proxy', String(backend.port)]);
  const rounds: Round[] = [];
  try {
    // Warm-up: JIT and connection pools, not measured.
    await wrk(`http://127.0.0.1:${backend.port}/`, { connections: CONNECTIONS, seconds: 2 });
    for (const c of [gateway, proxy]) await wrk(`http://127.0.0.1:${c.port}/`, { connections: CONNECTIONS, seconds: 2, host: HOST });
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await round(i, backend, gateway, proxy));
      console.error(`[bench] round ${i + 1}/${ROUNDS} done`);
    }
    console.error(`[bench] gateway process used ${fmt(cpuSeconds(gateway.pid), 1)} CPU s in all`);
  } finally {
    await Promise.all([gateway.stop(), proxy.stop()]);
    await backend.stop();
  }
  report(rounds);
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
