import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { CertKeyPair } from './pki.ts';

/** What a client-certificate kubeconfig for the local cluster contains. */
export interface KubeconfigSpec {
  /** Name used for the cluster, user and context entries. */
  readonly name: string;
  /** `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** PEM file of the CA that signed the apiserver's serving certificate. */
  readonly caFile: string;
  /** Client certificate and key (PEM files). */
  readonly client: CertKeyPair;
}

const base64 = async (path: string): Promise<string> => (await readFile(path)).toString('base64');

/**
 * Renders a self-contained kubeconfig (certificates embedded, so the file can be copied elsewhere).
 * Works with kubectl, client-go and `@kubernetes/client-node`.
 */
export async function renderKubeconfig(spec: KubeconfigSpec): Promise<string> {
  const [ca, cert, key] = await Promise.all([base64(spec.caFile), base64(spec.client.cert), base64(spec.client.key)]);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: spec.name, cluster: { server: spec.server, 'certificate-authority-data': ca } }],
    users: [{ name: spec.name, user: { 'client-certificate-data': cert, 'client-key-data': key } }],
    contexts: [{ name: spec.name, context: { cluster: spec.name, user: spec.name } }],
    'current-context': spec.name,
  });
}

/** Writes {@link renderKubeconfig}'s output to `path`, readable by the owner only. */
export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<void> {
  await writeFile(path, await renderKubeconfig(spec), { mode: 0o600 });
}
