import { ApiregistrationV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1APIService } from '@kubernetes/client-node';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterBinaries } from './binaries.ts';
import { holdHostLock } from './host-lock.ts';
import { findFreePort } from './free-port.ts';
import { localNonLoopbackAddress } from './metrics-server.ts';
import { startOwnedProcess, type OwnedProcess } from './owned-process.ts';
import { hasCondition } from './pods.ts';
import { waitFor } from './wait-for.ts';

/** The APIServices the adapter registers (one of each per cluster). */
export const CUSTOM_METRICS_API_SERVICES = ['v1beta2.custom.metrics.k8s.io', 'v1beta1.external.metrics.k8s.io'] as const;
/**
 * The external metrics the adapter serves, fixed in its test provider (`test-adapter/provider/provider.go` of
 * sigs.k8s.io/custom-metrics-apiserver): names, labels and values. A selector `foo=bar` on `my-external-metric`
 * matches one series (42); none, both (85).
 */
export const TEST_ADAPTER_EXTERNAL_METRICS = [
  { name: 'my-external-metric', labels: { foo: 'bar' }, value: 42 },
  { name: 'my-external-metric', labels: { foo: 'baz' }, value: 43 },
  { name: 'other-external-metric', labels: {}, value: 44 },
] as const;

const SERVICE = { namespace: 'kube-system', name: 'ebb-custom-metrics-adapter' } as const;

/** Options of {@link startCustomMetricsAdapter}. */
export interface CustomMetricsAdapterOptions {
  readonly kubeConfig: KubeConfig;
  /** Path of a kubeconfig for the same cluster, with rights to list the described objects and delegate authn/z. */
  readonly kubeconfigPath: string;
  /** Folder with the `custom-metrics-adapter` binary; default from `ensureClusterBinaries()` (built by build.sh). */
  readonly binDir?: string;
  /** Longest wait for the port, the lock and the APIServices, ms (default 120 000). */
  readonly timeoutMs?: number;
}

/** A custom metric value to set: see {@link CustomMetricsAdapter.setMetric}. */
export interface CustomMetricValue {
  readonly namespace: string;
  /** The described object's resource, plural (`pods`, `services`, `deployments.apps`). */
  readonly resource: string;
  readonly name: string;
  readonly metric: string;
  /** A quantity: `300m`, `42`. */
  readonly value: string;
  /** Labels of the series, matched by a metric selector. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A running custom metrics adapter: see {@link startCustomMetricsAdapter}. */
export interface CustomMetricsAdapter {
  /** `https://<address>:<port>`, where the apiserver's aggregator calls it. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, its endpoint that sets custom metric values. */
  readonly writeUrl: string;
  readonly process: OwnedProcess;
  /** Sets one custom metric value (through the adapter's write endpoint); it is served from then on. */
  setMetric(value: CustomMetricValue): Promise<void>;
  /** Unregisters the APIServices, deletes the Service and EndpointSlice, stops the process and frees the lock. */
  stop(): Promise<void>;
}

function apiService(name: (typeof CUSTOM_METRICS_API_SERVICES)[number]): V1APIService {
  const [version = '', ...group] = name.split('.');
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'ebb-testing' } },
    spec: {
      group: group.join('.'),
      version,
      service: { namespace: SERVICE.namespace, name: SERVICE.name, port: 443 },
      // The adapter serves a self-signed certificate it generates in its --cert-dir.
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  };
}

async function setMetric(writeUrl: string, value: CustomMetricValue): Promise<void> {
  const path = [value.namespace === '' ? '' : `namespaces/${value.namespace}`, value.resource, value.name, value.metric].filter(Boolean).join('/');
  const labels = Object.entries(value.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const url = `${writeUrl}/write-metrics/${path}${labels ? `?labels=${encodeURIComponent(labels)}` : ''}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value.value) });
  if (!res.ok) throw new Error(`setting ${path} to ${value.value} failed: HTTP ${res.status} ${await res.text()}`);
}

/** Removes the APIServices, Service and EndpointSlice an earlier run may have left. */
async function removeRegistration(kc: KubeConfig): Promise<void> {
  const gone = (e: unknown): void => {
    if ((e as { code?: number }).code !== 404) throw e;
  };
  for (const name of CUSTOM_METRICS_API_SERVICES) await kc.makeApiClient(ApiregistrationV1Api).deleteAPIService({ name }).catch(gone);
  await kc.makeApiClient(DiscoveryV1Api).deleteNamespacedEndpointSlice({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(gone);
  await kc.makeApiClient(CoreV1Api).deleteNamespacedService({ name: SERVICE.name, namespace: SERVICE.namespace }).catch(gone);
}

/**
 * Starts the custom metrics adapter of the tests (the test provider of `sigs.k8s.io/custom-metrics-apiserver`,
 * built by `tools/cluster/build.sh` from `tools/cluster/go/custom-metrics`) on this machine and registers it as `custom.metrics.k8s.io` (v1beta2) and `external.metrics.k8s.io` (v1beta1) through
 * the apiserver's aggregation layer, as `startMetricsServer` does for metrics.k8s.io: a selector-less Service in
 * `kube-system` whose EndpointSlice names this machine's non-loopback address. Resolves when both APIServices are
 * Available.
 *
 * One custom.metrics.k8s.io per cluster: a second caller on this machine (another test file or run) waits for the
 * first one's `stop()` (a lock file in the temp folder); its write endpoint listens on loopback at a free port.
 */
export async function startCustomMetricsAdapter(options: CustomMetricsAdapterOptions): Promise<CustomMetricsAdapter> {
  const binDir = options.binDir ?? (await ensureClusterBinaries());
  const command = join(binDir, 'custom-metrics-adapter');
  await access(command, constants.X_OK).catch(() => {
    throw new Error(`${command} is missing: tools/cluster/build.sh builds it (see its log for a failed build of the custom metrics adapter)`);
  });
  const timeoutMs = options.timeoutMs ?? 120_000;
  const lock = await holdHostLock('ebb-custom-metrics-adapter', timeoutMs);
  const kc = options.kubeConfig;
  const address = localNonLoopbackAddress();
  let dir: string | undefined;
  let writeUrl = '';
  let server: OwnedProcess | undefined;
  const stop = async (): Promise<void> => {
    await removeRegistration(kc).catch(() => undefined);
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    await lock.release();
  };
  try {
    const port = await findFreePort(address);
    const writePort = await findFreePort();
    writeUrl = `http://127.0.0.1:${writePort}`;
    dir = await mkdtemp(join(tmpdir(), 'ebb-custom-metrics-'));
    const kubeconfig = options.kubeconfigPath;
    server = startOwnedProcess({
      command,
      args: [
        `--lister-kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        `--bind-address=${address}`, `--secure-port=${port}`, `--cert-dir=${dir}`, `--write-address=127.0.0.1:${writePort}`,
      ],
      logFile: join(dir, 'custom-metrics-adapter.log'),
    });
    await removeRegistration(kc);
    await kc.makeApiClient(CoreV1Api).createNamespacedService({
      namespace: SERVICE.namespace,
      body: { metadata: { name: SERVICE.name }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: port, protocol: 'TCP' }] } },
    });
    await kc.makeApiClient(DiscoveryV1Api).createNamespacedEndpointSlice({
      namespace: SERVICE.namespace,
      body: {
        metadata: { name: SERVICE.name, labels: { 'kubernetes.io/service-name': SERVICE.name, 'endpointslice.kubernetes.io/managed-by': 'ebb-testing' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: [address], conditions: { ready: true } }],
        ports: [{ name: 'https', port, protocol: 'TCP' }],
      },
    });
    const registration = kc.makeApiClient(ApiregistrationV1Api);
    for (const name of CUSTOM_METRICS_API_SERVICES) await registration.createAPIService({ body: apiService(name) });
    const running = server;
    const outcome = await waitFor(
      async () => {
        if (!running.alive()) return 'exited';
        for (const name of CUSTOM_METRICS_API_SERVICES) {
          const s = await registration.readAPIService({ name });
          if (!hasCondition(s, 'Available', 'True')) throw new Error(`${name}: ${s.status?.conditions?.find((c) => c.type === 'Available')?.message ?? 'not Available yet'}`);
        }
        // The write endpoint answers once the adapter has started.
        return (await fetch(`${writeUrl}/`).catch(() => undefined)) && 'available';
      },
      { timeoutMs, intervalMs: 250, description: `APIServices ${CUSTOM_METRICS_API_SERVICES.join(' and ')} to be Available` },
    );
    if (outcome === 'exited') throw new Error('the custom metrics adapter exited');
    const writes = writeUrl;
    return { url: `https://${address}:${port}`, writeUrl: writes, process: running, setMetric: (value) => setMetric(writes, value), stop };
  } catch (error) {
    const tail = server ? `\ncustom metrics adapter log:\n${server.logTail()}` : '';
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`, { cause: error });
  }
}
