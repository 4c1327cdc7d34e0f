import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Clock, TargetKey } from '@ebb/core';
import type { AcquireResult, Lease } from './dispatcher.ts';
import { GatewayErrors, sendError } from './error-response.ts';
import { clientSendsBody, forwardOnce, type ForwardOutcome } from './forward-request.ts';
import type { GatewayLimits } from './gateway-limits.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayTarget, GatewayTargets } from './gateway-targets.ts';
import { formatGrpcTimeout, GrpcStatus, isGrpcRequest, parseGrpcTimeout } from './grpc-status.ts';
import { forwardH2Once } from './h2-forward.ts';
import type { H2Sessions } from './h2-sessions.ts';
import { requestHost, upstreamRequestHeaders } from './hop-headers.ts';
import type { ScalerPoke } from './scaler-poke.ts';
import type { HttpRouteTable } from '../routes/http-route-table.ts';
import { lookupTarget } from '../routes/target-lookup.ts';

/** The response header that marks a request held for a cold start; its value is the hold time in ms. */
export const COLD_START_HEADER = 'x-ebb-cold-start';

/** Status recorded for a request whose client went away before the answer (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/** What the data-plane request handler needs. */
export interface GatewayHandlerDeps {
  readonly targets: GatewayTargets;
  readonly metrics: GatewayMetrics;
  readonly limits: GatewayLimits;
  readonly agent: Agent;
  readonly clock: Clock;
  /** Undefined: no scaler to poke (requests at zero still wait for a pod). */
  readonly poke: ScalerPoke | undefined;
  /** True while shutting down: answers carry `Connection: close`. */
  readonly draining: () => boolean;
  /** Connections to pods that speak h2c (route protocol `h2c`). */
  readonly h2Sessions: H2Sessions;
  /** The rules of accepted HTTPRoutes, tried before the annotation hosts; undefined: none. */
  readonly httpRoutes?: HttpRouteTable;
}

const noop = (): void => undefined;

/**
 * The data-plane handler: route by Host (`:authority` for HTTP/2) and path to an opted-in target (404 otherwise),
 * take a slot (hold at zero and poke the scaler; queue in arrival order; 503 when the queue is full; 504 when the
 * wait expires; for a gRPC call with `grpc-timeout`, DEADLINE_EXCEEDED when its deadline passes first), then
 * forward over HTTP/1.1 or h2c (route protocol) with retries for failures that happened before the request could
 * be acted on. Serves HTTP/1.1 requests and HTTP/2 streams (Node's compatibility API). Never throws.
 */
export function createGatewayHandler(deps: GatewayHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.on('error', noop);
    res.on('error', noop);
    handle(deps, req, res).catch((e: unknown) => {
      sendError(res, 500, GatewayErrors.badRequest, `gateway error: ${e instanceof Error ? e.message : String(e)}`, { close: true });
    });
  };
}

async function handle(deps: GatewayHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const h2 = req.httpVersionMajor === 2;
  if (deps.draining() && !h2) res.setHeader('connection', 'close');
  const withBody = clientSendsBody(req);
  const host = requestHost(req.headers);
  const url = req.url ?? '';
  if (!host || !url.startsWith('/')) {
    const why = !host ? 'the request has no Host header' : `only origin-form request targets (a path starting with /) are accepted, got "${url.slice(0, 100)}"`;
    return sendError(res, 400, GatewayErrors.badRequest, why, { close: true });
  }
  if (h2 && headerBytes(req.rawHeaders) > deps.limits.maxHeaderBytes) {
    // HTTP/1.1 header blocks are bounded by the parser; an HTTP/2 one is checked here (HPACK-decoded size).
    return sendError(res, 431, GatewayErrors.badRequest, `request headers are larger than the limit of ${deps.limits.maxHeaderBytes} bytes`);
  }
  const found = lookupTarget(deps.targets, deps.httpRoutes, host, url, req.headers);
  if (found.kind === 'refused') {
    deps.metrics.reject(undefined, 'unavailable');
    return sendError(res, found.status, GatewayErrors.unavailable, found.message, { close: withBody, ...(found.status === 503 ? { retryAfterS: 1 } : {}) });
  }
  const target = found.kind === 'target' ? found.target : undefined;
  if (!target) {
    deps.metrics.reject(undefined, 'no_route');
    return sendError(res, 404, GatewayErrors.noRoute, `no target is routed for host "${host.slice(0, 255)}" and path "${url.split('?')[0]?.slice(0, 255)}"`, { close: withBody });
  }
  const key = target.route.key;
  const finish = (status: number): void => deps.metrics.request(key, status, (performance.now() - startedAt) / 1000);
  target.requestCount++;
  const grpc = isGrpcRequest(req.headers);
  if (grpc && target.route.protocol !== 'h2c') {
    // gRPC needs HTTP/2 to the pod (its status travels in trailers): say so instead of a protocol error later.
    deps.metrics.reject(key, 'backend_failed');
    sendError(res, 502, GatewayErrors.backendFailed, `a gRPC call needs HTTP/2 to the pods, but the pods of ${key} are spoken to over HTTP/1.1: set ebb.dev/eventgw.protocol: h2c on the Deployment`, {
      grpcStatus: GrpcStatus.failedPrecondition,
    });
    return finish(502);
  }

  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > deps.limits.maxBodyBytes) {
    deps.metrics.reject(key, 'body_too_large');
    sendError(res, 413, GatewayErrors.bodyTooLarge, `request body of ${declared} bytes is larger than the limit of ${deps.limits.maxBodyBytes} bytes`, { close: true });
    return finish(413);
  }
  if (target.dispatcher.readyEndpoints === 0) {
    target.coldStarts++;
    deps.poke?.poke(key);
  }

  // The client going away before its answer ends a wait in the queue. Created only when a request has to wait:
  // most find a free slot at once (and aborting on every close would build a DOMException per request).
  let abort: AbortController | undefined;
  let clientGone = false;
  // A gRPC call's deadline bounds its wait: when it passes, the call ends with DEADLINE_EXCEEDED (not a hang).
  const grpcDeadlineMs = grpc ? parseGrpcTimeout(req.headers['grpc-timeout']) : undefined;
  let deadlinePassed = false;
  res.once('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    abort?.abort();
  });
  let avoid: Set<string> | undefined;
  let first: Lease | undefined;
  for (let attempt = 1; ; attempt++) {
    const options = { avoid, front: attempt > 1 };
    let lease = target.dispatcher.tryAcquire(options);
    if (!lease) {
      if (clientGone) return finish(CLIENT_CLOSED_STATUS);
      abort ??= new AbortController();
      const controller = abort;
      const left = grpcDeadlineMs === undefined ? undefined : grpcDeadlineMs - (performance.now() - startedAt);
      const deadline =
        left === undefined
          ? undefined
          : deps.clock.setTimeout(() => {
              deadlinePassed = true;
              controller.abort();
            }, left);
      const got = await target.dispatcher.acquire({ ...options, signal: abort.signal });
      deadline?.cancel();
      if (got.kind === 'aborted' && deadlinePassed && !clientGone) return finish(deadlineExceeded(deps, target, res, grpcDeadlineMs ?? 0));
      if (got.kind !== 'lease') return finish(refuse(deps, target, got, res, withBody));
      lease = got.lease;
    }
    if (!first) {
      first = lease;
      deps.metrics.dispatched(key, lease.waitedMs / 1000, lease.coldStart);
    }
    const headers = upstreamRequestHeaders(req.headers, { remoteAddress: req.socket.remoteAddress, proto: 'http' });
    if (grpcDeadlineMs !== undefined) {
      // The pod gets what is left of the deadline.
      const left = grpcDeadlineMs - (performance.now() - startedAt);
      if (left <= 0) {
        lease.release();
        return finish(deadlineExceeded(deps, target, res, grpcDeadlineMs));
      }
      headers['grpc-timeout'] = formatGrpcTimeout(left);
    }
    const settings = {
      agent: deps.agent,
      clock: deps.clock,
      headers,
      responseHeaders: first.coldStart ? { [COLD_START_HEADER]: String(Math.round(first.waitedMs)) } : {},
      connectTimeoutMs: deps.limits.connectTimeoutMs,
      bodyIdleTimeoutMs: deps.limits.bodyIdleTimeoutMs,
      responseIdleTimeoutMs: deps.limits.responseIdleTimeoutMs,
      maxBodyBytes: deps.limits.maxBodyBytes,
      targetName: key,
    };
    const outcome =
      target.route.protocol === 'h2c'
        ? await forwardH2Once(req, res, lease.endpoint, { ...settings, sessions: deps.h2Sessions, withBody })
        : await forwardOnce(req, res, lease.endpoint, settings);
    lease.release();
    if (outcome.kind === 'retry' && attempt < deps.limits.maxAttempts && !clientGone) {
      deps.metrics.retry(key);
      (avoid ??= new Set<string>()).add(lease.endpoint.id);
      continue;
    }
    return finish(settle(deps, key, outcome, res, withBody));
  }
}

/** Bytes of a decoded header list: names and values (RFC 9113's 32 bytes of overhead per field left out). */
function headerBytes(raw: readonly string[]): number {
  let n = 0;
  for (const s of raw) n += s.length;
  return n;
}

/** Answers a gRPC call whose deadline passed while it waited for a slot; returns the status recorded. */
function deadlineExceeded(deps: GatewayHandlerDeps, target: GatewayTarget, res: ServerResponse, deadlineMs: number): number {
  const key = target.route.key;
  deps.metrics.reject(key, 'queue_timeout');
  const why = target.dispatcher.readyEndpoints === 0 ? `no pod of ${key} turned Ready` : `no pod of ${key} had a free slot`;
  sendError(res, 504, GatewayErrors.queueTimeout, `${why} within the call's gRPC deadline of ${Math.round(deadlineMs)} ms`, {
    grpcStatus: GrpcStatus.deadlineExceeded,
  });
  return 504;
}

/** Answers a refused acquire; returns the status recorded. */
function refuse(deps: GatewayHandlerDeps, target: GatewayTarget, got: Exclude<AcquireResult, { kind: 'lease' }>, res: ServerResponse, withBody: boolean): number {
  const key = target.route.key;
  switch (got.kind) {
    case 'queue-full':
      deps.metrics.reject(key, 'queue_full');
      sendError(res, 503, GatewayErrors.queueFull, `the queue of ${key} is full (${got.queued} requests waiting); retry later`, { retryAfterS: 1, close: withBody });
      return 503;
    case 'timeout': {
      deps.metrics.reject(key, 'queue_timeout');
      const why = got.coldStart ? `no pod of ${key} turned Ready` : `no pod of ${key} had a free slot`;
      sendError(res, 504, GatewayErrors.queueTimeout, `${why} within the queue timeout of ${target.route.queueTimeoutMs} ms`, { retryAfterS: 1, close: withBody });
      return 504;
    }
    case 'closed':
      deps.metrics.reject(key, 'unavailable');
      sendError(res, 503, GatewayErrors.unavailable, got.reason, { retryAfterS: 1, close: true });
      return 503;
    case 'aborted':
      return CLIENT_CLOSED_STATUS;
  }
}

/** Records and, when needed, answers the final outcome of forwarding; returns the status recorded. */
function settle(deps: GatewayHandlerDeps, key: TargetKey, outcome: ForwardOutcome, res: ServerResponse, withBody: boolean): number {
  switch (outcome.kind) {
    case 'done':
      return outcome.status;
    case 'client-gone':
      return CLIENT_CLOSED_STATUS;
    case 'retry':
      deps.metrics.reject(key, 'backend_failed');
      sendError(res, 502, GatewayErrors.backendFailed, outcome.reason, { close: withBody });
      return 502;
    case 'failed':
      deps.metrics.reject(key, outcome.status === 413 ? 'body_too_large' : outcome.status === 502 ? 'backend_failed' : 'client_timeout');
      return outcome.status;
  }
}
