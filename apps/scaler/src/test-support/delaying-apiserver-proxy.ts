import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';

/** A plain-HTTP proxy in front of the test apiserver that can hold back chosen requests (a slow apiserver). */
export interface DelayingApiserverProxy {
  /** A kubeconfig file that reaches the apiserver through this proxy. */
  readonly kubeconfigPath: string;
  /** Requests whose path matches are held this long before they are sent on (0: none held). */
  delay(pathPattern: RegExp, ms: number): void;
  /** Requests that were held so far. */
  held(): number;
  /** The next `count` requests whose path matches are answered `status` at once (a Status body), not forwarded. */
  refuse(pathPattern: RegExp, status: number, count: number): void;
  /** Requests refused so far. */
  refused(): number;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every request to the apiserver of `kc` with `kc`'s credentials, and
 * holds back requests whose path matches the pattern set with `delay` before forwarding them (the request, not
 * the answer, is late: as on a congested link, a held write lands late and meets optimistic concurrency). Watches
 * and other streams pass through as they come.
 */
export async function startDelayingApiserverProxy(kc: KubeConfig, name: string): Promise<DelayingApiserverProxy> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const upstream = new URL(cluster.server);
  const tls: RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  let rule: { pattern: RegExp; ms: number } | undefined;
  let heldCount = 0;
  let refusal: { pattern: RegExp; status: number; left: number } | undefined;
  let refusedCount = 0;
  const sockets = new Set<import('node:net').Socket>();
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = httpsRequest(
      { ...tls, host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        // At once, not with the first body byte: a watch's answer has no body until something changes, and its
        // client waits for the headers.
        res.flushHeaders();
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  };
  const server = createServer((req, res) => {
    const no = refusal;
    if (no && no.left > 0 && no.pattern.test(req.url ?? '')) {
      no.left--;
      refusedCount++;
      const body = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'refused by the test proxy', code: no.status };
      res.writeHead(no.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const r = rule;
    if (r && r.ms > 0 && r.pattern.test(req.url ?? '')) {
      heldCount++;
      req.pause();
      const timer = setTimeout(() => forward(req, res), r.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    forward(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfigPath = join(tmpdir(), `ebb-proxy-${name}-${process.pid}-${port}.kubeconfig`);
  writeFileSync(
    kubeconfigPath,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node speaks plain HTTP only with skipTLSVerify set (there is no TLS to verify on this hop).
      clusters: [{ name: 'proxy', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'proxy', user: {} }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy' } }],
      'current-context': 'proxy',
    }),
  );
  return {
    kubeconfigPath,
    delay: (pattern, ms) => void (rule = { pattern, ms }),
    held: () => heldCount,
    refuse: (pattern, status, count) => void (refusal = { pattern, status, left: count }),
    refused: () => refusedCount,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
