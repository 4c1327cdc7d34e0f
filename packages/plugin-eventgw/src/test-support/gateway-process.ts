/**
 * A gateway in a process of its own, for tests that need several replicas and to kill one (SIGKILL). Started by
 * {@link startGatewayProcess}: the gateway watches the test cluster (kubeconfig as JSON in `EBB_TEST_GW_KUBECONFIG`)
 * with the options in `argv[2]` (JSON), sends `{ port, adminPort }` over IPC once listening, and stops gracefully
 * on a `stop` message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import type { GatewayOptions } from '../gateway/gateway-options.ts';

/** What a test chooses for one gateway process (all on 127.0.0.1, ephemeral ports). */
export interface GatewayProcessSpec {
  readonly gatewayId: string;
  readonly namespace: string;
  /** Coordination group (and namespace of its Leases: `namespace`); absent = not coordinated. */
  readonly group?: string;
  readonly podDeletionCost?: boolean;
}

/** A running gateway process. */
export interface GatewayProcess {
  readonly gatewayId: string;
  readonly port: number;
  readonly adminPort: number;
  readonly child: ChildProcess;
  /** SIGKILL: no drain, no Lease deletion. */
  kill(): Promise<void>;
  /** Graceful stop (drain 0 ms); resolves when the process exited. */
  stop(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

/** Forks a gateway process and waits until it listens. */
export async function startGatewayProcess(kc: KubeConfig, spec: GatewayProcessSpec): Promise<GatewayProcess> {
  const child = fork(self, [JSON.stringify(spec)], {
    execArgv: ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning'],
    env: { ...process.env, EBB_TEST_GW_KUBECONFIG: kc.exportConfig() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = (await Promise.race([once(child, 'message'), exited.then(() => Promise.reject(new Error(`gateway process ${spec.gatewayId} exited before listening`)))])) as [{ port: number; adminPort: number }];
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    gatewayId: spec.gatewayId,
    port: ready.port,
    adminPort: ready.adminPort,
    child,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone()) child.send('stop');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const { startGateway } = await import('../gateway/start-gateway.ts');
  const spec = JSON.parse(process.argv[2] ?? '{}') as GatewayProcessSpec;
  const kc = new KubeConfig();
  kc.loadFromString(process.env.EBB_TEST_GW_KUBECONFIG ?? '');
  const options: GatewayOptions = {
    kubeConfig: kc,
    namespaces: [spec.namespace],
    host: '127.0.0.1',
    port: 0,
    adminHost: '127.0.0.1',
    adminPort: 0,
    gatewayId: spec.gatewayId,
    processMetrics: false,
    ...(spec.group ? { coordination: { namespace: spec.namespace, group: spec.group } } : {}),
    ...(spec.podDeletionCost !== undefined ? { podDeletionCost: spec.podDeletionCost } : {}),
  };
  const gw = await startGateway(options);
  process.on('message', (m) => {
    if (m === 'stop') void gw.stop({ drainTimeoutMs: 0 }).then(() => process.exit(0));
  });
  process.on('disconnect', () => void gw.stop({ drainTimeoutMs: 0 }).then(() => process.exit(0)));
  process.send?.({ port: gw.port, adminPort: gw.adminPort });
}

if (process.argv[1] === self && process.send) await main();
