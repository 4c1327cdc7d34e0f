/**
 * The event gateway against a direct connection, side by side in one run, on loopback, small payloads (see
 * BENCHMARKS.md for results). Three processes: a node:http backend, the gateway (production defaults, a
 * StaticDiscovery routing `echo.local` to the backend, containerConcurrency 0) and wrk. Each round measures, one
 * right after the other:
 *   1. throughput direct (wrk -> backend) and through the gateway (wrk -> gateway -> backend), 64 connections,
 *      with the CPU seconds each process used (/proc/<pid>/stat): requests per gateway core = requests / gateway
 *      CPU seconds;
 *   2. latency at low load (1 connection, one request at a time), direct and through the gateway: the added p50.
 * Then the memory of a gateway holding 10,000 queued requests (backend slot full), see `queued-memory.ts`.
 *
 * Run (needs wrk, `apt-get install wrk`):
 *   cd /work/main && source scripts/node-env.sh
 *   node --conditions=@ebb/source --disable-warning=ExperimentalWarning packages/plugin-eventgw/bench/gateway-bench.ts
 * Environment: EBB_BENCH_ROUNDS (3), EBB_BENCH_SECONDS (10), EBB_BENCH_CONNECTIONS (64), EBB_BENCH_QUEUED (10000),
 * WRK (path of wrk).
 */
import { cpus } from 'node:os';
import { cpuSeconds, spread, startChild, withCpu, wrk, type BenchChild, type WrkResult } from './bench-tools.ts';
import { measureQueuedMemory } from './queued-memory.ts';

const ROUNDS = Number(process.env['EBB_BENCH_ROUNDS'] ?? 3);
const SECONDS = Number(process.env['EBB_BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['EBB_BENCH_CONNECTIONS'] ?? 64);
const QUEUED = Number(process.env['EBB_BENCH_QUEUED'] ?? 10_000);
const LATENCY_SECONDS = Math.max(3, Math.round(SECONDS / 2));
const HOST = 'echo.local';

interface Round {
  readonly direct: WrkResult;
  readonly gateway: WrkResult;
  readonly backendCpuDirect: number;
  readonly gatewayCpu: number;
  readonly backendCpuGateway: number;
  readonly latencyDirect: WrkResult;
  readonly latencyGateway: WrkResult;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MiB`;

async function round(backend: BenchChild, gateway: BenchChild): Promise<Round> {
  const directUrl = `http://127.0.0.1:${backend.port}/`;
  const gatewayUrl = `http://127.0.0.1:${gateway.port}/`;
  const direct = await withCpu([backend.pid], () => wrk(directUrl, { connections: CONNECTIONS, seconds: SECONDS }));
  const through = await withCpu([gateway.pid, backend.pid], () => wrk(gatewayUrl, { connections: CONNECTIONS, seconds: SECONDS, host: HOST }));
  const latencyDirect = await wrk(directUrl, { connections: 1, seconds: LATENCY_SECONDS });
  const latencyGateway = await wrk(gatewayUrl, { connections: 1, seconds: LATENCY_SECONDS, host: HOST });
  return {
    direct: direct.result,
    gateway: through.result,
    backendCpuDirect: direct.cpu[0] ?? NaN,
    gatewayCpu: through.cpu[0] ?? NaN,
    backendCpuGateway: through.cpu[1] ?? NaN,
    latencyDirect,
    latencyGateway,
  };
}

const perCore = (r: Round): number => r.gateway.requests / r.gatewayCpu;
const ofDirect = (r: Round): number => (100 * r.gateway.rps) / r.direct.rps;
const addedP50 = (r: Round): number => r.latencyGateway.p50 - r.latencyDirect.p50;

function report(rounds: readonly Round[]): void {
  console.log(`\n### Throughput and latency (${rounds.length} rounds; ${CONNECTIONS} connections, ${SECONDS} s; low load: 1 connection, ${LATENCY_SECONDS} s)\n`);
  console.log('| Round | Direct req/s | Gateway req/s | % of direct | Gateway CPU (cores) | Gateway req/s per core | p50 direct, 1 conn | p50 gateway, 1 conn | p50 added | p99 added | Errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  rounds.forEach((r, i) => {
    const cores = r.gatewayCpu / r.gateway.seconds;
    console.log(
      `| ${i + 1} | ${fmt(r.direct.rps)} | ${fmt(r.gateway.rps)} | ${fmt(ofDirect(r), 1)} % | ${fmt(cores, 2)} | ${fmt(perCore(r))} | ` +
        `${fmt(r.latencyDirect.p50 * 1000)} µs | ${fmt(r.latencyGateway.p50 * 1000)} µs | ${fmt(addedP50(r) * 1000)} µs | ` +
        `${fmt((r.latencyGateway.p99 - r.latencyDirect.p99) * 1000)} µs | ${r.direct.errors + r.gateway.errors + r.latencyDirect.errors + r.latencyGateway.errors} |`,
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
  console.log(`| Gateway throughput, % of direct | ${show(rounds.map(ofDirect), 1, ' %')} | >= 70 % |`);
  console.log(`| p50 added latency at low load | ${show(rounds.map((r) => addedP50(r) * 1000), 0, ' µs')} | <= 300 µs |`);
  console.log(`| Backend CPU per 1,000 requests, direct / through the gateway | ${show(rounds.map((r) => (1000 * r.backendCpuDirect) / r.direct.requests * 1000), 0, ' ms')} / ${show(rounds.map((r) => (1000 * r.backendCpuGateway) / r.gateway.requests * 1000), 0, ' ms')} | |`);
}

async function main(): Promise<void> {
  console.log(`# Event gateway benchmark\n\n${new Date().toISOString()}, Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
  const backend = await startChild(['backend', 'fast']);
  const spec = { host: HOST, backendPort: backend.port, containerConcurrency: 0, queueLength: 10_000, queueTimeoutMs: 30_000 };
  const gateway = await startChild(['gateway', JSON.stringify(spec)]);
  const rounds: Round[] = [];
  try {
    // Warm-up: JIT and connection pools, not measured.
    await wrk(`http://127.0.0.1:${backend.port}/`, { connections: CONNECTIONS, seconds: 2 });
    await wrk(`http://127.0.0.1:${gateway.port}/`, { connections: CONNECTIONS, seconds: 2, host: HOST });
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await round(backend, gateway));
      console.error(`[bench] round ${i + 1}/${ROUNDS} done`);
    }
    console.error(`[bench] gateway process used ${fmt(cpuSeconds(gateway.pid), 1)} CPU s in all`);
  } finally {
    await gateway.stop();
    await backend.stop();
  }
  report(rounds);

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
