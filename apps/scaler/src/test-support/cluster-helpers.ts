import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import { createTestDeployment, waitFor } from '@ebb/testing';
import { SELECTION_LABEL, systemClock, type Logger } from '@ebb/core';
import { DEFAULT_CONFIG, type ScalerConfig } from '../runtime/config-file.ts';
import { startScaler, type RunningScaler } from '../runtime/scaler.ts';
import { TEST_FACTORIES } from './test-plugins.ts';

/** `spec.replicas` of a Deployment as the apiserver has it. */
export async function specReplicas(kc: KubeConfig, namespace: string, name: string): Promise<number> {
  const d = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace });
  return d.spec?.replicas ?? 0;
}

/** Waits until `spec.replicas` equals `want`. */
export async function waitForReplicas(kc: KubeConfig, namespace: string, name: string, want: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => (await specReplicas(kc, namespace, name)) === want, { timeoutMs, description: `${namespace}/${name} at ${want} replicas` });
}

/** Merges annotations into a Deployment (null removes a key). */
export async function annotate(kc: KubeConfig, namespace: string, name: string, annotations: Record<string, string | null>): Promise<void> {
  await kc
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeployment({ name, namespace, body: { metadata: { annotations } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

/** Events on a Deployment, optionally of one reason. */
export async function eventsOf(kc: KubeConfig, namespace: string, name: string, reason?: string): Promise<CoreV1Event[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
  return list.items.filter((e) => !reason || e.reason === reason);
}

/** Creates an autoscaled test Deployment (selection label set). */
export async function createTarget(kc: KubeConfig, namespace: string, name: string, annotations: Record<string, string>, replicas = 1): Promise<void> {
  await createTestDeployment(kc, { namespace, name, replicas, labels: { [SELECTION_LABEL]: 'true' }, annotations });
}

/** A logger that keeps records in memory, for assertions on logs. */
export function memoryLogger(): Logger & { records: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> } {
  const records: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void records.push({ level, msg, ...(fields ? { fields } : {}) });
  return { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Starts an in-process scaler on the test cluster, watching one namespace, with the test plugins built in. */
export async function startTestScaler(
  kc: KubeConfig,
  namespace: string,
  o: { config?: Partial<ScalerConfig>; collectors?: Parameters<typeof startScaler>[0]['collectors']; logger?: Logger } = {},
): Promise<RunningScaler> {
  const config: ScalerConfig = {
    ...DEFAULT_CONFIG,
    namespaces: [namespace],
    tickIntervalMs: 500,
    http: { host: '127.0.0.1', port: 0 },
    plugins: ['fixed', 'throwing', 'load'],
    ...o.config,
  };
  return startScaler({ config, builtins: TEST_FACTORIES, kc, clock: systemClock, ...(o.collectors ? { collectors: o.collectors } : {}), ...(o.logger ? { logger: o.logger } : {}) });
}
