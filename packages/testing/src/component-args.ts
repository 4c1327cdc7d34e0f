import { join } from 'node:path';
import type { ComponentName } from './cluster-state.ts';
import { KWOK_NODE_ANNOTATION } from './kwok-stages.ts';
import type { ProcessSpec } from './processes.ts';
import type { ClusterPaths } from './run-paths.ts';
import type { ClusterPki } from './pki.ts';

/** Service range of the local cluster. Nothing routes it (there is no kube-proxy); it only names Services. */
export const SERVICE_CIDR = '10.96.0.0/16';
/** First address of {@link SERVICE_CIDR}, given to the `kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

/** Ports chosen for one start, all on 127.0.0.1. */
export interface ComponentPorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

/** Everything the command lines depend on. */
export interface ComponentInputs {
  readonly binDir: string;
  readonly paths: ClusterPaths;
  readonly pki: ClusterPki;
  readonly ports: ComponentPorts;
  /** Kubeconfigs of the components that use their own identity. */
  readonly kubeconfigs: { readonly controllerManager: string; readonly scheduler: string };
}

function etcd({ paths, ports }: ComponentInputs): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=ebb', `--data-dir=${paths.etcdDataDir}`,
    `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=ebb=${peer}`,
    '--initial-cluster-state=new',
    // Test data only: losing it on a power cut is fine, and skipping fsync makes every write fast.
    '--unsafe-no-fsync=true', '--log-level=warn',
  ];
}

function apiserver({ pki, ports }: ComponentInputs): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${pki.apiserver.cert}`, `--tls-private-key-file=${pki.apiserver.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccount.publicKey}`,
    `--service-account-signing-key-file=${pki.serviceAccount.privateKey}`,
    // Aggregation layer: an APIService (for example metrics.k8s.io) can register and is called with these.
    `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
    `--proxy-client-key-file=${pki.frontProxyClient.key}`,
    // No kube-proxy: reach aggregated APIs at their endpoint (pod) IPs, which are loopback addresses here.
    '--enable-aggregator-routing=true',
    // The `kubernetes` Endpoints would hold 127.0.0.1, which Endpoints validation rejects; nothing needs them.
    '--endpoint-reconciler-type=none',
    // Open watches would otherwise hold a graceful shutdown (and so a restart) until SIGKILL.
    '--shutdown-watch-termination-grace-period=2s',
    '--allow-privileged=true', '--profiling=false', '--event-ttl=1h',
  ];
}

function controllerManager({ pki, ports, kubeconfigs }: ComponentInputs): string[] {
  const kc = kubeconfigs.controllerManager;
  return [
    `--kubeconfig=${kc}`, `--authentication-kubeconfig=${kc}`, `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1', `--secure-port=${ports.controllerManager}`, '--leader-elect=false',
    // Each controller gets a service-account token signed with this key (TokenRequest), as in kubeadm.
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccount.privateKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    `--cluster-signing-cert-file=${pki.ca.cert}`, `--cluster-signing-key-file=${pki.ca.key}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // Check nodes every second (default 5 s), so new fake nodes lose their not-ready taint sooner.
    '--node-monitor-period=1s',
    '--profiling=false',
  ];
}

function scheduler({ ports, kubeconfigs }: ComponentInputs): string[] {
  const kc = kubeconfigs.scheduler;
  return [
    `--kubeconfig=${kc}`, `--authentication-kubeconfig=${kc}`, `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1', `--secure-port=${ports.scheduler}`, '--leader-elect=false', '--profiling=false',
  ];
}

function kwok({ paths, ports }: ComponentInputs): string[] {
  return [
    `--kubeconfig=${paths.kubeconfig}`, `--config=${paths.kwokConfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    '--node-ip=127.0.0.1', `--node-port=${ports.kwok}`, `--server-address=127.0.0.1:${ports.kwok}`,
    // Used only for pods on nodes without spec.podCIDR; fake nodes always have one.
    '--cidr=127.255.0.1/24',
    // Renew a node Lease for each fake node: without it the node lifecycle controller marks the nodes (and every
    // pod on them) NotReady about every 50 s, and pods' Ready times move under the tests.
    '--node-lease-duration-seconds=40',
  ];
}

const ARGS: Record<ComponentName, (inputs: ComponentInputs) => string[]> = {
  etcd,
  'kube-apiserver': apiserver,
  'kube-controller-manager': controllerManager,
  'kube-scheduler': scheduler,
  kwok,
};

/** The port each component is recorded with in the cluster state. */
export function componentPort(name: ComponentName, ports: ComponentPorts): number {
  const byName: Record<ComponentName, number> = {
    etcd: ports.etcdClient,
    'kube-apiserver': ports.apiserver,
    'kube-controller-manager': ports.controllerManager,
    'kube-scheduler': ports.scheduler,
    kwok: ports.kwok,
  };
  return byName[name];
}

/** The command line and log file of one component. */
export function componentSpec(name: ComponentName, inputs: ComponentInputs): ProcessSpec {
  return {
    command: join(inputs.binDir, name),
    args: ARGS[name](inputs),
    logFile: join(inputs.paths.logDir, `${name}.log`),
  };
}
