import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterState, ComponentName, ComponentState } from './cluster-state.ts';
import { describeProbe, isOk, probeHttps, type ProbeResult, type ProbeTls } from './https-probe.ts';
import { isAlive } from './processes.ts';
import { waitFor } from './wait-for.ts';

/** The last `lines` lines of a log file ('' when it cannot be read). */
export async function logTail(logFile: string, lines = 15): Promise<string> {
  try {
    return (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Thrown when a control-plane component exits or does not become healthy; carries the end of its log. */
export class ComponentStartError extends Error {
  override readonly name = 'ComponentStartError';
  readonly component: ComponentName;
  readonly logFile: string;

  constructor(component: ComponentName, logFile: string, problem: string, tail: string) {
    super(`${component} ${problem} (log: ${logFile})${tail ? `\n--- last lines of ${component}.log ---\n${tail}` : ''}`);
    this.component = component;
    this.logFile = logFile;
  }
}

/** How to check one component, and for how long. */
export interface HealthCheck {
  readonly name: ComponentName;
  readonly component: Pick<ComponentState, 'pid' | 'logFile'>;
  /** One probe; 200 means healthy. */
  readonly probe: () => Promise<ProbeResult>;
  readonly timeoutMs: number;
}

/**
 * Polls `check.probe` until it answers 200. Fails fast with {@link ComponentStartError} (and the end of the
 * component's log) if the process exits, or after `timeoutMs` with the last probe answer.
 */
export async function waitUntilHealthy(check: HealthCheck): Promise<void> {
  let last: ProbeResult = { error: 'not probed yet' };
  let outcome: 'healthy' | 'exited' | 'timeout';
  try {
    outcome = await waitFor(
      async () => {
        if (!isAlive(check.component.pid)) return 'exited' as const;
        last = await check.probe();
        return isOk(last) ? ('healthy' as const) : undefined;
      },
      { timeoutMs: check.timeoutMs, intervalMs: 100, description: `${check.name} to become healthy` },
    );
  } catch {
    outcome = 'timeout';
  }
  if (outcome === 'healthy') return;
  const problem =
    outcome === 'exited' ? 'exited during start-up' : `was not healthy after ${check.timeoutMs} ms (last probe: ${describeProbe(last)})`;
  throw new ComponentStartError(check.name, check.component.logFile, problem, await logTail(check.component.logFile));
}

/** Probe of a plain-HTTP health path on loopback (etcd `/health`, kwok `/healthz`). */
export function httpProbe(url: string): () => Promise<ProbeResult> {
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
}

/** Probe of an HTTPS health path (kube-apiserver `/readyz` with client certificate, others' `/healthz`). */
export function httpsProbe(url: string, tls: ProbeTls = {}): () => Promise<ProbeResult> {
  return () => probeHttps(url, tls);
}

/** The apiserver's `/readyz`, called as cluster-admin and verified against the cluster CA. */
export function apiserverReadyzProbe(state: Pick<ClusterState, 'apiserverUrl' | 'stateDir'>): () => Promise<ProbeResult> {
  const pki = join(state.stateDir, 'pki');
  return httpsProbe(`${state.apiserverUrl}/readyz`, {
    ca: join(pki, 'ca.crt'),
    cert: join(pki, 'admin.crt'),
    key: join(pki, 'admin.key'),
  });
}

/** The health probe of a component of a recorded cluster. */
export function componentProbe(
  name: ComponentName,
  state: Pick<ClusterState, 'apiserverUrl' | 'stateDir' | 'components'>,
): () => Promise<ProbeResult> {
  const port = state.components[name]?.port;
  if (port === undefined) return async () => ({ error: `${name} was not started` });
  switch (name) {
    case 'etcd':
      return httpProbe(`http://127.0.0.1:${port}/health`);
    case 'kube-apiserver':
      return apiserverReadyzProbe(state);
    case 'kwok':
      return httpProbe(`http://127.0.0.1:${port}/healthz`);
    case 'kube-controller-manager':
    case 'kube-scheduler':
      // Self-signed serving certificates; /healthz is open to anonymous callers.
      return httpsProbe(`https://127.0.0.1:${port}/healthz`);
  }
}
