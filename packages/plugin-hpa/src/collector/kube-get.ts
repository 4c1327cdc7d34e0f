import type { KubeConfig } from '@kubernetes/client-node';
import { request, type RequestOptions } from 'node:https';
import { request as plainRequest } from 'node:http';

/** A GET to the Kubernetes API failed: HTTP status (0 when there was no answer) and the API's message. */
export class KubeGetError extends Error {
  override readonly name = 'KubeGetError';
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/**
 * GETs `path` (with its query) from the current cluster of `kc` with its credentials and returns the parsed
 * JSON. For APIs client-node has no client for (custom.metrics.k8s.io, external.metrics.k8s.io, discovery).
 * @throws KubeGetError naming the path, the status and the API's message; aborts with `signal`.
 */
export async function kubeGetJson(kc: KubeConfig, path: string, signal: AbortSignal): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeGetError('the kubeconfig has no current cluster', 0);
  const url = new URL(path, cluster.server);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' }, signal };
  await kc.applyToHTTPSOptions(options);
  const send = url.protocol === 'https:' ? request : plainRequest;
  return await new Promise<unknown>((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status === 200 && body !== undefined) return resolve(body);
        const message = (body as { message?: unknown } | undefined)?.message;
        reject(new KubeGetError(`GET ${path}: HTTP ${status}: ${typeof message === 'string' ? message : text.slice(0, 200)}`, status));
      });
    });
    req.on('error', (e) => reject(new KubeGetError(`GET ${path}: ${e.message}`, 0)));
    req.end();
  });
}
