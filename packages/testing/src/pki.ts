import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A certificate and its private key, both PEM files. */
export interface CertKeyPair {
  readonly cert: string;
  readonly key: string;
}

/** Every certificate and key a local cluster needs (all PEM file paths). */
export interface ClusterPki {
  /** CA that signs the apiserver serving certificate and all client certificates. */
  readonly ca: CertKeyPair;
  /** Serving certificate of kube-apiserver (127.0.0.1, localhost and the in-cluster `kubernetes` names). */
  readonly apiserver: CertKeyPair;
  /** Client certificate in group `system:masters` (cluster-admin). */
  readonly admin: CertKeyPair;
  /** Client certificate `system:kube-controller-manager`. */
  readonly controllerManager: CertKeyPair;
  /** Client certificate `system:kube-scheduler`. */
  readonly scheduler: CertKeyPair;
  /** CA for the aggregation layer's request-header authentication. */
  readonly frontProxyCa: CertKeyPair;
  /** Client certificate `front-proxy-client` the apiserver presents to aggregated APIs. */
  readonly frontProxyClient: CertKeyPair;
  /** Key pair that signs and verifies service-account tokens (PEM private key and PEM public key). */
  readonly serviceAccount: { readonly privateKey: string; readonly publicKey: string };
}

const VALID_DAYS = '3650';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error('the local cluster needs the `openssl` command to create its certificates, and it is not on PATH');
    }
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.trim() || err.message}`);
  }
}

async function selfSignedCa(dir: string, name: string, commonName: string): Promise<CertKeyPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await openssl([
    'req', '-x509', ...EC_KEY, '-keyout', pair.key, '-out', pair.cert, '-days', VALID_DAYS, '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  return pair;
}

interface LeafSpec {
  readonly name: string;
  readonly subject: string;
  readonly usage: 'clientAuth' | 'serverAuth';
  readonly altNames?: readonly string[];
}

async function signedLeaf(dir: string, ca: CertKeyPair, spec: LeafSpec): Promise<CertKeyPair> {
  const pair = { cert: join(dir, `${spec.name}.crt`), key: join(dir, `${spec.name}.key`) };
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${spec.usage}`,
    ...(spec.altNames?.length ? [`subjectAltName=${spec.altNames.join(',')}`] : []),
  ];
  await openssl([
    'req', '-x509', ...EC_KEY, '-keyout', pair.key, '-out', pair.cert, '-days', VALID_DAYS, '-subj', spec.subject,
    '-CA', ca.cert, '-CAkey', ca.key, ...extensions.flatMap((ext) => ['-addext', ext]),
  ]);
  return pair;
}

/**
 * The DNS names and IPs the apiserver serving certificate covers: loopback for clients on this machine and
 * the in-cluster names of the `kubernetes` Service (`serviceIp` is the first address of the service range).
 */
export function apiserverAltNames(serviceIp: string): string[] {
  return [
    'IP:127.0.0.1', `IP:${serviceIp}`, 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local',
  ];
}

/**
 * Creates a fresh PKI for one cluster in `dir` with the `openssl` command: ECDSA P-256 certificates valid for
 * ten years (the cluster lives for a test run, so rotation is out of scope) and an RSA service-account key.
 * Takes about 0.1 s.
 */
export async function createClusterPki(dir: string, serviceIp: string): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const [ca, frontProxyCa] = await Promise.all([
    selfSignedCa(dir, 'ca', 'ebb-local-cluster-ca'),
    selfSignedCa(dir, 'front-proxy-ca', 'ebb-local-front-proxy-ca'),
  ]);
  const serviceAccount = { privateKey: join(dir, 'sa.key'), publicKey: join(dir, 'sa.pub') };
  const [apiserver, admin, controllerManager, scheduler, frontProxyClient] = await Promise.all([
    signedLeaf(dir, ca, { name: 'apiserver', subject: '/CN=kube-apiserver', usage: 'serverAuth', altNames: apiserverAltNames(serviceIp) }),
    signedLeaf(dir, ca, { name: 'admin', subject: '/O=system:masters/CN=ebb-admin', usage: 'clientAuth' }),
    signedLeaf(dir, ca, { name: 'controller-manager', subject: '/CN=system:kube-controller-manager', usage: 'clientAuth' }),
    signedLeaf(dir, ca, { name: 'scheduler', subject: '/CN=system:kube-scheduler', usage: 'clientAuth' }),
    signedLeaf(dir, frontProxyCa, { name: 'front-proxy-client', subject: '/CN=front-proxy-client', usage: 'clientAuth' }),
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', serviceAccount.privateKey]).then(() =>
      openssl(['pkey', '-in', serviceAccount.privateKey, '-pubout', '-out', serviceAccount.publicKey]),
    ),
  ]);
  return { ca, apiserver, admin, controllerManager, scheduler, frontProxyCa, frontProxyClient, serviceAccount };
}
