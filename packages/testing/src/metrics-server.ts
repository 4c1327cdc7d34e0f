import { ApiregistrationV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1APIService } from '@kubernetes/client-node';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterBinaries } from './binaries.ts';
import { hasCondition } from './pods.ts';
import { findFreePort } from './free-port.ts';
import { startOwnedProcess, type OwnedProcess } from './owned-process.ts';
import { waitFor } from './wait-for.ts';

/** The APIService metrics-server registers. Only one can exist per cluster. */
export const METRICS_API_SERVICE = 'v1beta1.metrics.k8s.io';
/** Namespace and name of the selector-less Service (and its EndpointSlice) the APIService points at. */
const SERVICE = { namespace: 'kube-system', name: 'ebb-metrics-server' } as const;

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  readonly kubeConfig: KubeConfig;
  /** Path of a kubeconfig for the same cluster, with rights to read nodes and pods and to delegate authn/z. */
  readonly kubeconfigPath: string;
  /** Scrape only nodes matching this label selector (a metrics node's `labelSelector`). */
  readonly nodeSelector: string;
  /** Folder with the `metrics-server` binary; default from `ensureClusterBinaries()` (built by build.sh). */
  readonly binDir?: string;
  /** Scrape period, whole seconds >= 10 (metrics-server's minimum; default 10); each scrape may take half of it. */
  readonly metricResolutionSeconds?: number;
  /** Address to listen on; default {@link localNonLoopbackAddress}. */
  readonly address?: string;
  /** Longest wait for the APIService to be Available, ms (default 90 000). */
  readonly timeoutMs?: number;
}

/** A running metrics-server: see {@link startMetricsServer}. */
export interface MetricsServer {
  /** `https://<address>:<port>`, where the apiserver's aggregator calls it. */
  readonly url: string;
  readonly process: OwnedProcess;
  /** Unregisters the APIService, deletes its Service and EndpointSlice, and stops the process. */
  stop(): Promise<void>;
}

/**
 * An IPv4 address of this machine that is not loopback. The aggregator reaches an APIService through the
 * EndpointSlice of its Service, and EndpointSlice validation rejects loopback addresses, so metrics-server has
 * to listen on such an address (traffic to it still stays on this machine).
 * @throws when the machine has none (for example inside `unshare -rn`).
 */
export function localNonLoopbackAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) return a.address;
  }
  throw new Error(
    'metrics-server needs a non-loopback IPv4 address of this machine to listen on (EndpointSlices reject loopback addresses), and there is none; pass `address`',
  );
}

function apiService(port: number): V1APIService {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: METRICS_API_SERVICE, labels: { 'app.kubernetes.io/managed-by': 'ebb-testing' } },
    spec: {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { namespace: SERVICE.namespace, name: SERVICE.name, port },
      // metrics-server serves a self-signed certificate it generates in its --cert-dir.
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
}

/**
 * Starts metrics-server (built from `sigs.k8s.io/metrics-server` by `tools/cluster/build.sh`) on this machine
 * and registers it as the `metrics.k8s.io` APIService through the apiserver's aggregation layer: a Service
 * without selector in `kube-system` whose EndpointSlice names this machine's address (the local cluster routes
 * aggregated APIs to endpoints, as there is no kube-proxy). It scrapes the nodes matching `nodeSelector` at
 * the address and kubelet port of their status, without verifying their (KWOK's self-signed) certificates.
 * Resolves when `GET /apis/metrics.k8s.io/v1beta1` answers through the apiserver.
 *
 * One metrics.k8s.io per cluster: an APIService left by an earlier run is replaced; two test runs sharing one
 * cluster must not both start one.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const binDir = options.binDir ?? (await ensureClusterBinaries());
  const command = join(binDir, 'metrics-server');
  await access(command, constants.X_OK).catch(() => {
    throw new Error(`${command} is missing: tools/cluster/build.sh builds it (see its log for a failed metrics-server build)`);
  });
  const resolutionSeconds = options.metricResolutionSeconds ?? 10;
  const address = options.address ?? localNonLoopbackAddress();
  const port = await findFreePort(address);
  const dir = await mkdtemp(join(tmpdir(), 'ebb-metrics-server-'));
  const kc = options.kubeConfig;
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  let server: OwnedProcess | undefined;
  const stop = async (): Promise<void> => {
    await registration.deleteAPIService({ name: METRICS_API_SERVICE }).catch(() => undefined);
    await discovery.deleteNamespacedEndpointSlice({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(() => undefined);
    await core.deleteNamespacedService({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(() => undefined);
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const kubeconfig = options.kubeconfigPath;
    server = startOwnedProcess({
      command,
      args: [
        `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${address}`, `--secure-port=${port}`, `--cert-dir=${dir}`,
        `--metric-resolution=${resolutionSeconds}s`, `--kubelet-request-timeout=${Math.floor(resolutionSeconds / 2)}s`,
        `--node-selector=${options.nodeSelector}`,
        '--kubelet-insecure-tls', '--kubelet-use-node-status-port', '--kubelet-preferred-address-types=InternalIP',
      ],
      logFile: join(dir, 'metrics-server.log'),
    });
    await stopLeftovers(kc);
    await core.createNamespacedService({
      namespace: SERVICE.namespace,
      body: { metadata: { name: SERVICE.name }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: port, protocol: 'TCP' }] } },
    });
    await discovery.createNamespacedEndpointSlice({
      namespace: SERVICE.namespace,
      body: {
        metadata: { name: SERVICE.name, labels: { 'kubernetes.io/service-name': SERVICE.name, 'endpointslice.kubernetes.io/managed-by': 'ebb-testing' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [address], conditions: { ready: true } }],
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      },
    });
    await registration.createAPIService({ body: apiService(443) });
    const running = server;
    const outcome = await waitFor(
      async () => {
        if (!running.alive()) return 'exited';
        const s = await registration.readAPIService({ name: METRICS_API_SERVICE });
        if (!hasCondition(s, 'Available', 'True')) throw new Error(s.status?.conditions?.find((c) => c.type === 'Available')?.message ?? 'not Available yet');
        return 'available';
      },
      { timeoutMs: options.timeoutMs ?? 90_000, intervalMs: 250, description: `APIService ${METRICS_API_SERVICE} to be Available` },
    );
    if (outcome === 'exited') throw new Error('metrics-server exited');
    return { url: `https://${address}:${port}`, process: running, stop };
  } catch (error) {
    const tail = server ? `\nmetrics-server log:\n${server.logTail()}` : '';
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`, { cause: error });
  }
}

/** Removes an APIService, Service and EndpointSlice a crashed earlier run may have left. */
async function stopLeftovers(kc: KubeConfig): Promise<void> {
  const gone = (e: unknown): void => {
    if ((e as { code?: number }).code !== 404) throw e;
  };
  await kc.makeApiClient(ApiregistrationV1Api).deleteAPIService({ name: METRICS_API_SERVICE }).catch(gone);
  await kc.makeApiClient(DiscoveryV1Api).deleteNamespacedEndpointSlice({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(gone);
  await kc.makeApiClient(CoreV1Api).deleteNamespacedService({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(gone);
}
