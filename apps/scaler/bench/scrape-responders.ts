/**
 * A fleet of pod metric endpoints in one process (a child of scale-scrape.ts, so its CPU is counted apart from
 * the scaler's): one listening socket per pod IP on the queue-proxy's metrics port, all sharing one tiny handler
 * that answers from a precomputed buffer. Like Knative's queue-proxy on :9090 it answers Knative's
 * `Accept: application/protobuf` with the `Stat` protobuf and anything else with Prometheus text
 * (`queue_average_concurrent_requests`, `queue_requests_per_second`).
 *
 * Driven over IPC by the parent:
 * - `{ op: 'serve', ips, port, inFlight }` -> `{ op: 'served', count, errors }`
 * - `{ op: 'set', ip, inFlight }` -> `{ op: 'set', ip, atMs }`: that pod reports `inFlight` from now on
 * - `{ op: 'stats' }` -> `{ op: 'stats', text, proto, firstAfterSet }`: scrapes answered per client kind since
 *   the start, and per `set` IP the first text and protobuf scrape after the change (epoch ms)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Pod {
  readonly ip: string;
  inFlight: number;
  text: Buffer;
  proto: Buffer;
  setAtMs?: number;
  firstText?: number;
  firstProto?: number;
}

const startedMs = Date.now();
const pods = new Map<string, Pod>();
const counts = { text: 0, proto: 0 };
const PROTO_TYPE = 'application/protobuf';
const TEXT_HEADERS = { 'content-type': 'text/plain; version=0.0.4', 'content-length': '0' };
const PROTO_HEADERS = { 'content-type': PROTO_TYPE, 'content-length': '0' };

/** Prometheus text as the queue-proxy writes its autoscaling gauges. */
function textBody(pod: Pod): Buffer {
  const labels = `destination_namespace="bench",destination_pod="${pod.ip}"`;
  return Buffer.from(
    `# HELP queue_average_concurrent_requests Average of requests currently being handled by this pod\n# TYPE queue_average_concurrent_requests gauge\nqueue_average_concurrent_requests{${labels}} ${pod.inFlight}\n` +
      `# HELP queue_requests_per_second Number of requests received since last Stat\n# TYPE queue_requests_per_second gauge\nqueue_requests_per_second{${labels}} ${pod.inFlight * 10}\n`,
  );
}

/** Knative's `Stat` message (stat.proto): pod_name=1 string, doubles 2-6, timestamp=7 int64 (left out: 0). */
function protoBody(pod: Pod): Buffer {
  const name = Buffer.from(pod.ip);
  const doubles = [pod.inFlight, 0, pod.inFlight * 10, 0, (Date.now() - startedMs) / 1000];
  const out = Buffer.alloc(2 + name.length + doubles.length * 9);
  let at = 0;
  out[at++] = (1 << 3) | 2;
  out[at++] = name.length;
  at += name.copy(out, at);
  doubles.forEach((v, i) => {
    out[at++] = ((i + 2) << 3) | 1;
    out.writeDoubleLE(v, at);
    at += 8;
  });
  return out;
}

function update(pod: Pod, inFlight: number): void {
  pod.inFlight = inFlight;
  pod.text = textBody(pod);
  pod.proto = protoBody(pod);
}

function handler(ip: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const pod = pods.get(ip) as Pod;
    const proto = req.headers.accept === PROTO_TYPE;
    const body = proto ? pod.proto : pod.text;
    if (proto) counts.proto++;
    else counts.text++;
    if (pod.setAtMs !== undefined) {
      if (proto) pod.firstProto ??= Date.now();
      else pod.firstText ??= Date.now();
    }
    const headers = proto ? PROTO_HEADERS : TEXT_HEADERS;
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers).end(body);
  };
}

async function serve(ips: readonly string[], port: number, inFlight: number): Promise<string[]> {
  const errors: string[] = [];
  await Promise.all(
    ips.map(
      (ip) =>
        new Promise<void>((resolve) => {
          if (pods.has(ip)) return resolve();
          const pod: Pod = { ip, inFlight, text: Buffer.alloc(0), proto: Buffer.alloc(0) };
          update(pod, inFlight);
          pods.set(ip, pod);
          const server = createServer({ keepAliveTimeout: 120_000 }, handler(ip));
          server.once('error', (e) => {
            errors.push(`${ip}:${port}: ${e.message}`);
            resolve();
          });
          server.listen({ port, host: ip, backlog: 64 }, () => resolve());
        }),
    ),
  );
  return errors;
}

process.on('message', (m: { op: string; ips?: string[]; port?: number; ip?: string; inFlight?: number }) => {
  if (m.op === 'serve') {
    void serve(m.ips ?? [], m.port ?? 9090, m.inFlight ?? 1).then((errors) => process.send?.({ op: 'served', count: pods.size, errors: errors.slice(0, 5), failed: errors.length }));
  } else if (m.op === 'set') {
    const pod = pods.get(m.ip ?? '');
    if (pod) {
      update(pod, m.inFlight ?? 0);
      pod.setAtMs = Date.now();
      delete pod.firstText;
      delete pod.firstProto;
    }
    process.send?.({ op: 'set', ip: m.ip, atMs: pod?.setAtMs });
  } else if (m.op === 'stats') {
    const firstAfterSet: Record<string, { setAtMs: number; text?: number; proto?: number }> = {};
    for (const p of pods.values()) if (p.setAtMs !== undefined) firstAfterSet[p.ip] = { setAtMs: p.setAtMs, ...(p.firstText ? { text: p.firstText } : {}), ...(p.firstProto ? { proto: p.firstProto } : {}) };
    process.send?.({ op: 'stats', ...counts, firstAfterSet });
  }
});
process.send?.({ op: 'ready' });
