import { Agent, request } from 'node:http';
import { COLD_START_HEADER } from '@ebb/plugin-eventgw';

/** One request through the gateway, as the client saw it. */
export interface RequestResult {
  /** Demo phase the request was sent in. */
  readonly phase: string;
  readonly startMs: number;
  readonly ms: number;
  /** HTTP status; 0 when no answer came (connection error, timeout). */
  readonly status: number;
  /** The gateway held the request for a cold start this long (its `x-ebb-cold-start` header), ms. */
  readonly coldStartMs: number | undefined;
  /** The pod that answered (`x-pod`), and whether it was a reserve pod. */
  readonly pod: string | undefined;
  readonly reserve: boolean;
  readonly error?: string;
}

/** Every request of the demo, in the order they ended. */
export class Recorder {
  readonly results: RequestResult[] = [];

  add(r: RequestResult): void {
    this.results.push(r);
  }

  ok(r: RequestResult): boolean {
    return r.status === 200;
  }

  /** Requests that ended within the last `ms` (for rates and recent latency). */
  recent(nowMs: number, ms: number): RequestResult[] {
    const out: RequestResult[] = [];
    for (let i = this.results.length - 1; i >= 0; i--) {
      const r = this.results[i];
      if (!r || r.startMs + r.ms < nowMs - ms) break;
      out.push(r);
    }
    return out;
  }
}

/** Sends one GET through the gateway on 127.0.0.1:`port` with `Host: host`. Never rejects. */
export function sendOne(port: number, host: string, phase: string, agent: Agent | false, timeoutMs = 30_000): Promise<RequestResult> {
  const startMs = Date.now();
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Omit<RequestResult, 'phase' | 'startMs' | 'ms'>): void => {
      if (done) return;
      done = true;
      resolve({ phase, startMs, ms: performance.now() - started, ...r });
    };
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('error', (e) => finish({ status: 0, coldStartMs: undefined, pod: undefined, reserve: false, error: e.message }));
      res.on('end', () => {
        const cold = res.headers[COLD_START_HEADER];
        const pod = res.headers['x-pod'];
        finish({
          status: res.statusCode ?? 0,
          coldStartMs: typeof cold === 'string' ? Number(cold) : undefined,
          pod: typeof pod === 'string' ? pod : undefined,
          reserve: res.headers['x-reserve'] === '1',
          ...(res.statusCode === 200 ? {} : { error: `HTTP ${res.statusCode} ${String(res.headers['x-ebb-error'] ?? '')}`.trim() }),
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => finish({ status: 0, coldStartMs: undefined, pod: undefined, reserve: false, error: e.message }));
    req.end();
  });
}

/**
 * `clients` closed-loop clients: each sends a request through the gateway, waits for the answer, and sends the
 * next at once (after `thinkMs`), until stopped. Keep-alive connections, one per client.
 */
export class LoadClients {
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly agent: Agent;

  constructor(port: number, host: string, phase: string, clients: number, recorder: Recorder, thinkMs = 0) {
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    this.agent = agent;
    for (let i = 0; i < clients; i++) {
      this.loops.push(
        (async () => {
          while (this.running) {
            recorder.add(await sendOne(port, host, phase, agent));
            if (thinkMs > 0 && this.running) await new Promise((r) => setTimeout(r, thinkMs));
          }
        })(),
      );
    }
  }

  /** Stops sending; resolves once every request in flight has its answer. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
  }
}
