import { readlinkSync, writeFileSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterBinaries } from './binaries.ts';
import { findFreePorts } from './free-port.ts';
import { startOwnedProcess, type OwnedProcess } from './owned-process.ts';
import { waitFor } from './wait-for.ts';

/** Options of {@link startKubeProxy}. */
export interface KubeProxyOptions {
  /** Admin kubeconfig of the cluster. */
  readonly kubeconfigPath: string;
  /** The (fake) node kube-proxy runs as. */
  readonly nodeName: string;
  /** Proxy mode (default `nftables`). */
  readonly mode?: 'nftables' | 'iptables';
}

/** A running kube-proxy. */
export interface KubeProxy {
  readonly process: OwnedProcess;
  stop(): Promise<void>;
}

/**
 * Whether this process runs in a private network namespace made by `scripts/in-pod-netns.sh`: the script records
 * the machine's namespace in `EBB_HOST_NETNS` before leaving it. kube-proxy rewrites the packet filter of the
 * namespace it runs in, so it is never started in the machine's own.
 */
export function inPrivateNetns(env: NodeJS.ProcessEnv = process.env): boolean {
  const host = env['EBB_HOST_NETNS'];
  if (!host) return false;
  try {
    return readlinkSync('/proc/self/ns/net') !== host;
  } catch {
    return false;
  }
}

/**
 * Starts kube-proxy (built from the control plane's k8s.io/kubernetes version by tools/cluster/build.sh) against
 * the local cluster, as node `nodeName`, with health and metrics on loopback; resolves once its health check
 * answers 200, i.e. after its first sync of Services and EndpointSlices. Traffic to a ClusterIP from this network
 * namespace is then routed by the EndpointSlices, as on a node.
 * @throws when not in a private network namespace, or when the binary is missing.
 */
export async function startKubeProxy(o: KubeProxyOptions): Promise<KubeProxy> {
  if (!inPrivateNetns()) {
    throw new Error('kube-proxy rewrites the packet filter of its network namespace: run this test through scripts/in-pod-netns.sh (a private namespace), never in the machine\'s own');
  }
  const bin = join(await ensureClusterBinaries(), 'kube-proxy');
  try {
    await access(bin, constants.X_OK);
  } catch {
    throw new Error(`kube-proxy is missing in ${bin}: run bash tools/cluster/build.sh (it builds it from tools/cluster/go/kube-proxy) and read its warnings`);
  }
  const [healthz, metrics] = await findFreePorts(2);
  const stem = join(tmpdir(), `ebb-kube-proxy-${process.pid}-${healthz}`);
  writeFileSync(
    `${stem}.yaml`,
    [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
      'kind: KubeProxyConfiguration',
      `clientConnection: {kubeconfig: ${JSON.stringify(o.kubeconfigPath)}}`,
      `mode: ${o.mode ?? 'nftables'}`,
      `hostnameOverride: ${o.nodeName}`,
      // No conntrack table sizing (a private namespace may not write those sysctls).
      'conntrack: {maxPerCore: 0}',
      `healthzBindAddress: 127.0.0.1:${healthz}`,
      `metricsBindAddress: 127.0.0.1:${metrics}`,
      'nodePortAddresses: [primary]',
    ].join('\n'),
  );
  const process_ = startOwnedProcess({ command: bin, args: ['--config', `${stem}.yaml`, '-v=2'], logFile: `${stem}.log` });
  try {
    await waitFor(
      async () => {
        if (!process_.alive()) throw new Error(`kube-proxy exited: ${process_.logTail()}`);
        const res = await fetch(`http://127.0.0.1:${healthz}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 30_000, description: 'kube-proxy healthy (first sync done)' },
    );
  } catch (e) {
    await process_.stop();
    throw e;
  }
  return { process: process_, stop: () => process_.stop() };
}
