import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { EbbError, ErrorCodes } from '../contracts/errors.ts';

/** Where a kubeconfig was found. */
export type KubeConfigSource = 'explicit' | 'KUBECONFIG' | 'home' | 'in-cluster';

/**
 * Loads Kubernetes client configuration from the usual places, in order: an explicit path, `$KUBECONFIG`,
 * `~/.kube/config`, then the in-cluster service account. Throws `EBB_KUBE_UNAVAILABLE` naming what was tried.
 */
export function loadKubeConfig(explicitPath?: string): { kc: KubeConfig; source: KubeConfigSource; path?: string } {
  const kc = new KubeConfig();
  const tried: string[] = [];
  const fromFile = (path: string, source: KubeConfigSource) => {
    kc.loadFromFile(path);
    return { kc, source, path };
  };
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new EbbError(ErrorCodes.KUBE_UNAVAILABLE, `kubeconfig ${explicitPath} does not exist`);
    return fromFile(explicitPath, 'explicit');
  }
  const env = process.env['KUBECONFIG'];
  if (env) {
    const first = env.split(':').find((p) => p && existsSync(p));
    if (first) return fromFile(first, 'KUBECONFIG');
    tried.push(`$KUBECONFIG=${env} (no such file)`);
  } else tried.push('$KUBECONFIG (unset)');
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFile(home, 'home');
  tried.push(`${home} (no such file)`);
  if (process.env['KUBERNETES_SERVICE_HOST'] && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) {
    kc.loadFromCluster();
    return { kc, source: 'in-cluster' };
  }
  tried.push('in-cluster service account (not running in a pod)');
  throw new EbbError(ErrorCodes.KUBE_UNAVAILABLE, `no Kubernetes configuration found; tried: ${tried.join('; ')}`);
}
