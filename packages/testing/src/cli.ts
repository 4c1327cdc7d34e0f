import { parseArgs } from 'node:util';
import { Cluster, type ClusterStatus } from './cluster.ts';
import { startCluster } from './start-cluster.ts';
import { clusterRunRoot, DEFAULT_CLUSTER_NAME } from './run-paths.ts';

const USAGE = `Usage: npm run cluster -- <command> [--name <name>] [--nodes <n>] [--json]

Commands:
  up       build the binaries if needed and start the local cluster; it keeps running after this exits;
           prints the kubeconfig path
  status   show the cluster's processes, ports and readiness
  down     stop the cluster and delete its folder

Options:
  --name   cluster name (default "${DEFAULT_CLUSTER_NAME}"); clusters live in ${clusterRunRoot()}/<name>
  --nodes  number of fake nodes for "up" (default 2)
  --json   print "status" as JSON`;

function formatStatus(status: ClusterStatus): string {
  const lines = [
    `cluster     ${status.name} (${status.apiserverReady ? 'ready' : `NOT READY: ${status.apiserverReadyz}`})`,
    `apiserver   ${status.apiserverUrl}`,
    `kubeconfig  ${status.kubeconfigPath}`,
    `folder      ${status.stateDir}`,
    `started     ${status.startedAt || '(start did not finish)'}${status.ownerPid === null ? '' : `, owned by PID ${status.ownerPid}`}`,
    ...status.components.map(
      (c) => `  ${c.name.padEnd(24)} pid ${String(c.pid).padEnd(8)} port ${String(c.port).padEnd(6)} ${c.running ? 'running' : 'STOPPED'}  ${c.logFile}`,
    ),
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', default: DEFAULT_CLUSTER_NAME },
      nodes: { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const existing = await Cluster.open(values.name);
  switch (command) {
    case 'up': {
      if (existing) {
        const status = await existing.status();
        if (status.apiserverReady && status.components.every((c) => c.running)) {
          console.error(`cluster ${values.name} is already running`);
          console.log(existing.kubeconfigPath);
          return 0;
        }
        console.error(`cluster ${values.name} is not healthy; starting it again`);
      }
      const nodes = Number(values.nodes);
      const began = performance.now();
      const cluster = await startCluster({
        name: values.name,
        nodes,
        keepAfterExit: true,
        log: (line) => console.error(`[cluster] ${line}`),
      });
      console.error(`[cluster] up in ${((performance.now() - began) / 1000).toFixed(1)} s; use it with: export KUBECONFIG=${cluster.kubeconfigPath}`);
      console.log(cluster.kubeconfigPath);
      return 0;
    }
    case 'status': {
      if (!existing) {
        console.error(`cluster ${values.name} is not running (no state in ${clusterRunRoot()}/${values.name})`);
        return 1;
      }
      const status = await existing.status();
      console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return status.apiserverReady && status.components.every((c) => c.running) ? 0 : 1;
    }
    case 'down': {
      if (!existing) {
        console.error(`cluster ${values.name} is not running`);
        return 0;
      }
      await existing.stop();
      console.error(`cluster ${values.name} stopped`);
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  // Exit explicitly: HTTP keep-alive sockets of the Kubernetes client would otherwise keep the CLI waiting.
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
