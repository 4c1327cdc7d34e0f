import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** A TCP proxy to the apiserver that a test can cut (a network partition) and heal. */
export interface CuttableProxy {
  /** A copy of the client configuration that reaches the apiserver through the proxy. */
  readonly kubeConfig: KubeConfig;
  /** Drops every connection and resets new ones until {@link heal}. */
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 in front of the current cluster of `kc` (TLS passes through untouched). */
export async function startCuttableProxy(kc: KubeConfig): Promise<CuttableProxy> {
  const target = new URL(kc.getCurrentCluster()?.server ?? '');
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect({ host: target.hostname, port: Number(target.port || 443) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxied = new KubeConfig();
  proxied.loadFromOptions({
    clusters: kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${(server.address() as AddressInfo).port}` })),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return {
    kubeConfig: proxied,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    heal() {
      cut = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
