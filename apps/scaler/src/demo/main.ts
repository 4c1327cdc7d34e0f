/**
 * The Ebb demo, one command (`bash scripts/demo.sh`): the local Kubernetes control plane (reused when it already
 * runs, else started and stopped again at the end), the scaler and the event gateway in this process, and a
 * "coffee" Deployment under load; a live view, the idle -> reserve -> request -> standard pods sequence, and a
 * summary. See `coffee.ts` for the settings and the timeline, `run-demo.ts` for the steps.
 *
 * Environment: EBB_DEMO_CLIENTS (90), EBB_DEMO_SECONDS (30), EBB_DEMO_CLUSTER (local cluster name, `default`: the
 * one `npm run cluster -- up` starts), EBB_DEMO_VERSIONS (`0` leaves the versions part out).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { Cluster, DEFAULT_CLUSTER_NAME, startCluster, waitFor } from '@ebb/testing';
import { runDemo } from './run-demo.ts';
import { formatSummary } from './summary.ts';

const say = (line: string): void => void process.stdout.write(`[demo] ${line}\n`);

/** The running local cluster called `name`, or a new one (then `owned`: stopped at the end). */
async function openOrStartCluster(name: string): Promise<{ cluster: Cluster; owned: boolean }> {
  const existing = await Cluster.open(name);
  if (existing) {
    const status = await existing.status();
    if (status.apiserverReady && status.components.every((c) => c.running)) {
      say(`using the running local cluster "${name}" (${existing.kubeconfigPath}); it stays up afterwards`);
      return { cluster: existing, owned: false };
    }
  }
  say(`starting the local cluster "${name}" (etcd, kube-apiserver, controllers, KWOK; about 10 s)`);
  const began = performance.now();
  const cluster = await startCluster({ name, log: (line) => say(`cluster: ${line}`) });
  say(`cluster up in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return { cluster, owned: true };
}

async function createNamespace(kc: KubeConfig, name: string): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels: { 'app.kubernetes.io/part-of': 'ebb-demo' } } } });
  // Pods are refused until the namespace's default ServiceAccount exists.
  await waitFor(() => core.readNamespacedServiceAccount({ name: 'default', namespace: name }), { timeoutMs: 30_000, description: `the default ServiceAccount of ${name}` });
}

async function main(): Promise<number> {
  const clients = Number(process.env['EBB_DEMO_CLIENTS'] ?? 90);
  const loadSeconds = Number(process.env['EBB_DEMO_SECONDS'] ?? 30);
  if (!(clients >= 1 && loadSeconds >= 1)) throw new Error('EBB_DEMO_CLIENTS and EBB_DEMO_SECONDS must be numbers >= 1');
  const abort = new AbortController();
  const onSignal = (): void => {
    say('stopping (cleaning up; press Ctrl-C again to quit at once)');
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    abort.abort(new Error('stopped by a signal'));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  const { cluster, owned } = await openOrStartCluster(process.env['EBB_DEMO_CLUSTER'] ?? DEFAULT_CLUSTER_NAME);
  const kc = cluster.kubeConfig();
  const namespace = `ebb-demo-${randomBytes(2).toString('hex')}`;
  const logFile = join(tmpdir(), `ebb-demo-${process.pid}.log`);
  try {
    await createNamespace(kc, namespace);
    say(`namespace ${namespace}; scaler and gateway logs: ${logFile}`);
    const versions = process.env['EBB_DEMO_VERSIONS'] !== '0';
    const summary = await runDemo({ kc, namespace, clients, loadSeconds, logFile, versions, signal: abort.signal });
    for (const line of formatSummary(summary)) process.stdout.write(line + '\n');
    return 0;
  } catch (e) {
    process.stdout.write('\n');
    say(abort.signal.aborted ? 'the demo was stopped' : `the demo did not finish: ${e instanceof Error ? e.message : String(e)}`);
    say(`logs of the scaler and the gateway: ${logFile}`);
    return 1;
  } finally {
    if (owned) {
      say('stopping the local cluster');
      await cluster.stop();
    } else {
      say(`deleting namespace ${namespace}`);
      await kc
        .makeApiClient(CoreV1Api)
        .deleteNamespace({ name: namespace })
        .catch((e: unknown) => say(`could not delete namespace ${namespace}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}

try {
  // Exit explicitly: keep-alive sockets of the Kubernetes client would keep the process waiting.
  process.exit(await main());
} catch (e) {
  say(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
