import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);

/**
 * The Gateway API release whose CRDs the tests install: the official `sigs.k8s.io/gateway-api` Go module, whose
 * `config/crd/standard/` folder holds the standard channel's CRDs as released.
 */
export const GATEWAY_API_VERSION = 'v1.6.3';

/** The annotation each released Gateway API CRD carries with its release. */
export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** The Go module that ships the Gateway API CRDs. */
export const GATEWAY_API_MODULE = 'sigs.k8s.io/gateway-api';

/**
 * The folder of the standard channel's CRD files of `version`, from the Go module cache (`go mod download`
 * fetches the module once; later calls answer from the cache). Throws an error naming Go or the module when it
 * cannot be had.
 */
export async function gatewayApiCrdDir(version = GATEWAY_API_VERSION): Promise<string> {
  let out: string;
  try {
    ({ stdout: out } = await run('go', ['mod', 'download', '-json', `${GATEWAY_API_MODULE}@${version}`], { env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 300_000 }));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`the Gateway API CRDs come from the Go module ${GATEWAY_API_MODULE}@${version}, and \`go mod download\` failed: ${why}`);
  }
  const dir = (JSON.parse(out) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`\`go mod download -json ${GATEWAY_API_MODULE}@${version}\` named no module folder`);
  return join(dir, 'config', 'crd', 'standard');
}

/** The CustomResourceDefinitions of the standard channel of `version` (other kinds in the folder are left out). */
export async function gatewayApiCrds(version = GATEWAY_API_VERSION): Promise<V1CustomResourceDefinition[]> {
  const dir = await gatewayApiCrdDir(version);
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      const obj = doc.toJS() as V1CustomResourceDefinition | null;
      if (obj?.kind === 'CustomResourceDefinition') crds.push(obj);
    }
  }
  if (crds.length === 0) throw new Error(`no CustomResourceDefinition found in ${dir}`);
  return crds;
}

/**
 * Installs (or updates) the Gateway API's standard CRDs of `version` in the cluster of `kc` and waits until each
 * is Established. Idempotent: tests of several files may call it; a CRD already there from the same release is left as
 * it is, one from another release is replaced. Returns the names of the CRDs.
 */
export async function installGatewayApiCrds(kc: KubeConfig, version = GATEWAY_API_VERSION): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = await gatewayApiCrds(version);
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    try {
      const existing = await api.readCustomResourceDefinition({ name });
      if (existing.metadata?.annotations?.[BUNDLE_VERSION_ANNOTATION] === version) continue;
      await api.replaceCustomResourceDefinition({ name, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion } } });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      try {
        await api.createCustomResourceDefinition({ body: crd });
      } catch (created) {
        // Another test file installed it in the meantime: the same definition.
        if ((created as { code?: number }).code !== 409) throw created;
      }
    }
  }
  const names = crds.map((c) => c.metadata?.name ?? '');
  await waitFor(
    async () => {
      for (const name of names) {
        const crd = await api.readCustomResourceDefinition({ name });
        if (!crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
      }
      return true;
    },
    { timeoutMs: 60_000, description: `the Gateway API CRDs ${version} to be Established` },
  );
  return names;
}
