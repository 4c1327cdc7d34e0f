import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** The daemonless OCI tools scripts/image.sh and the image test use. */
export const IMAGE_TOOLS = ['buildah', 'podman', 'runc'] as const;

/** The tools of {@link IMAGE_TOOLS} that are not on PATH. */
export function missingImageTools(): string[] {
  return IMAGE_TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/**
 * A containers.conf for podman that empties the default ulimits (runc refuses the default nofile limit on some
 * machines); podman reads it through `CONTAINERS_CONF`.
 */
function containersConf(): string {
  const dir = join(homedir(), '.cache/ebb/image');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'containers.conf');
  writeFileSync(path, '[containers]\ndefault_ulimits = []\n');
  return path;
}

/** Runs a program; rejects with its output when it fails. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${stderr}${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** `podman ARGS` with runc as the runtime (crun refuses hybrid cgroup hierarchies). */
export function podman(args: string[], timeoutMs?: number): Promise<{ stdout: string; stderr: string }> {
  return run('podman', ['--runtime', 'runc', ...args], { ...process.env, CONTAINERS_CONF: containersConf() }, timeoutMs);
}

/**
 * `bash scripts/image.sh`: builds the image (or finds it up to date for its inputs) and returns its reference,
 * its id (run this: the reference may be re-tagged meanwhile by a build of other inputs) and what it printed.
 */
export async function buildImage(): Promise<{ ref: string; id: string; log: string }> {
  const { stdout, stderr } = await run('bash', [join(REPO, 'scripts/image.sh')], process.env, 900_000);
  const ref = stdout.trim().split('\n').at(-1) ?? '';
  const inputs = /inputs ([0-9a-f]{16})/.exec(stderr)?.[1];
  if (!inputs) throw new Error(`scripts/image.sh did not name the inputs of the image:\n${stderr}`);
  const { stdout: id } = await podman(['image', 'inspect', '--format', '{{.Id}}', `localhost/ebb:inputs-${inputs}`]);
  return { ref, id: id.trim(), log: stderr };
}

/**
 * A kubeconfig for a container: the current context of `kc` with every certificate and key inlined (a container
 * cannot read the files a kubeconfig on this machine points at).
 */
export function inlinedKubeconfig(kc: KubeConfig): string {
  const data = (file: string | undefined, inline: string | undefined) => inline ?? (file ? readFileSync(file).toString('base64') : undefined);
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || !user) throw new Error('the kubeconfig has no current cluster or user');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority-data': data(cluster.caFile, cluster.caData), 'insecure-skip-tls-verify': cluster.skipTLSVerify || undefined } }],
    users: [{ name: 'u', user: { 'client-certificate-data': data(user.certFile, user.certData), 'client-key-data': data(user.keyFile, user.keyData), token: user.token } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  });
}
