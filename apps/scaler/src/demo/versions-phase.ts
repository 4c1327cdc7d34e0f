import type { KubeConfig } from '@kubernetes/client-node';
import { PER_POD } from './coffee.ts';
import type { VersionsView } from './live-view.ts';
import { LoadClients, sendOne, type Recorder } from './load.ts';
import type { Monitor } from './monitor.ts';
import type { PodServers } from './pod-servers.ts';
import { createVersions, RouteStateWatch, setVersionWeights, VERSIONS, VERSIONS_HOST, weightOf, type VersionName } from './versions.ts';

/** What the versions part saw: the rollout coffee-v1 -> coffee-v2 under load through the gateway. */
export interface VersionsPhase {
  readonly clients: number;
  readonly rolloutSeconds: number;
  /** Seconds from the weight change until the effective split was 0/100 and the rollout done. */
  readonly rolloutS: number;
  /** The effective weights of v2 seen, in order (0 first), and the rollout's steps seen. */
  readonly v2Weights: readonly number[];
  readonly stepsSeen: number;
  /** Requests that ended while the rollout ran (weight change to completion), and those of them not answered 200. */
  readonly requestsDuring: number;
  readonly failedDuring: number;
  /** Answers of the whole part by version. */
  readonly servedBy: Readonly<Record<VersionName, number>>;
  /** Most Ready pods of v1 and v2 together, and the pods of v1 when the weights changed. */
  readonly peakTotalPods: number;
  readonly podsBefore: number;
  /** Whether every sample in which v2 had a weight above 0 showed a Ready v2 pod; v2's answers that waited for a cold start. */
  readonly v2ReadyBeforeTraffic: boolean;
  readonly v2ColdStarts: number;
  /** The effective weight of v2 at the end, and v1's replicas then; seconds from the rollout's end to v1 at zero (undefined: not seen). */
  readonly v2FinalWeight: number;
  readonly v1DesiredAtEnd: number | undefined;
  readonly v1ZeroAfterS: number | undefined;
}

/** What the part needs from the demo around it. */
export interface VersionsContext {
  readonly kc: KubeConfig;
  readonly namespace: string;
  readonly gatewayPort: number;
  readonly pods: PodServers;
  readonly recorder: Recorder;
  readonly monitor: Monitor;
  readonly until: (what: string, check: () => boolean | Promise<boolean>) => Promise<unknown>;
  readonly clients: number;
  readonly rolloutSeconds: number;
  /** The GatewayClass to create (cluster-wide: the caller deletes it). */
  readonly className: string;
}

/** One look at the versions: weights, step, replicas and Ready pods. */
interface VersionsSample {
  readonly atMs: number;
  readonly view: VersionsView;
}

/**
 * The versions part: v1 and v2 of coffee behind one HTTPRoute, `clients` clients on its host, the weights changed
 * from 100/0 to 0/100 with `ebb.dev/rollout-duration`, then the wait until v1 is at zero. The live view shows both
 * versions throughout; the step changes and the versions' scaling are milestones.
 */
export async function runVersionsPart(c: VersionsContext): Promise<VersionsPhase> {
  const m = c.monitor;
  const [v1, v2] = VERSIONS;
  await createVersions(c.kc, c.namespace, c.className, c.rolloutSeconds);
  const watch = new RouteStateWatch(c.kc, c.namespace);
  const samples: VersionsSample[] = [];
  const look = (): VersionsView => {
    const state = watch.last;
    const versions = VERSIONS.map((name) => ({ name, ...c.pods.countsOf(name), weight: weightOf(state, c.namespace, name) }));
    return { versions, step: state?.to === undefined ? undefined : state.step, note: state?.reason };
  };
  let last: VersionsView | undefined;
  const sampler = setInterval(() => {
    const view = look();
    samples.push({ atMs: Date.now(), view });
    if (last) milestones(m, last, view);
    last = view;
  }, 100);
  m.versions = look;
  let load: LoadClients | undefined;
  try {
    m.event(`versions: ${v1} (1 pod) and ${v2} (0 pods) behind the HTTPRoute coffee, host ${VERSIONS_HOST}, 100/0, ebb.dev/rollout-duration ${c.rolloutSeconds}s`);
    await c.until(`${v1} Ready and the route answering`, async () => c.pods.countsOf(v1).ready >= 1 && (await sendOne(c.gatewayPort, VERSIONS_HOST, 'probe', false, 5000)).status === 200);
    m.phase = 'versions';
    load = new LoadClients(c.gatewayPort, VERSIONS_HOST, 'versions', c.clients, c.recorder);
    m.event(`versions: ${c.clients} clients on ${VERSIONS_HOST}; ${v1} scales to its share`);
    await c.until(`${v1} with a slot for every client`, () => c.pods.countsOf(v1).ready >= Math.ceil(c.clients / PER_POD));
    const podsBefore = c.pods.countsOf(v1).ready;
    const beganMs = Date.now();
    await setVersionWeights(c.kc, c.namespace, { [v1]: 0, [v2]: 100 });
    m.phase = 'rollout';
    m.event(`rollout: the route's weights set to ${v1} 0 / ${v2} 100; the scaler moves the effective split in steps, each after ${v2} has the Ready pods its share needs`);
    await c.until('the rollout to v2 complete', () => watch.last?.to === undefined && weightOf(watch.last, c.namespace, v2) === 100);
    const endMs = Date.now();
    m.event(`rollout complete in ${((endMs - beganMs) / 1000).toFixed(1)} s: all traffic on ${v2}; ${v1} goes to zero after its grace period`);
    m.phase = 'drain-v1';
    const v1Zero = await c.until(`${v1} at zero`, () => c.pods.countsOf(v1).desired === 0).then(
      () => (Date.now() - endMs) / 1000,
      () => undefined,
    );
    await load.stop();
    load = undefined;
    const results = c.recorder.results.filter((r) => r.phase === 'versions');
    const during = results.filter((r) => r.startMs + r.ms >= beganMs && r.startMs <= endMs);
    const by = (v: string) => results.filter((r) => r.status === 200 && r.pod?.startsWith(`${v}-`));
    const duringSamples = samples.filter((s) => s.atMs >= beganMs);
    const weights = duringSamples.map((s) => s.view.versions[1]?.weight ?? 0);
    return {
      clients: c.clients,
      rolloutSeconds: c.rolloutSeconds,
      rolloutS: (endMs - beganMs) / 1000,
      v2Weights: [0, ...weights].filter((w, i, all) => i === 0 || w !== all[i - 1]),
      stepsSeen: new Set(duringSamples.map((s) => s.view.step).filter((s) => s !== undefined)).size,
      requestsDuring: during.length,
      failedDuring: during.filter((r) => r.status !== 200).length,
      servedBy: { [v1]: by(v1).length, [v2]: by(v2).length } as Record<VersionName, number>,
      peakTotalPods: Math.max(0, ...samples.map((s) => s.view.versions.reduce((sum, v) => sum + v.ready, 0))),
      podsBefore,
      v2ReadyBeforeTraffic: samples.every((s) => (s.view.versions[1]?.weight ?? 0) === 0 || (s.view.versions[1]?.ready ?? 0) >= 1),
      v2ColdStarts: by(v2).filter((r) => r.coldStartMs !== undefined).length,
      v2FinalWeight: weightOf(watch.last, c.namespace, v2),
      v1DesiredAtEnd: c.pods.countsOf(v1).desired,
      v1ZeroAfterS: v1Zero,
    };
  } finally {
    clearInterval(sampler);
    await load?.stop();
    await watch.stop();
  }
}

/** Milestones between two looks: a new rollout step (with the split), a version's replicas changing. */
function milestones(m: Monitor, was: VersionsView, now: VersionsView): void {
  if (now.step !== undefined && now.step !== was.step) {
    m.event(`rollout step ${now.step}: ${now.versions.map((v) => `${v.name} ${v.weight} %`).join(' / ')}${now.note ? ` (${now.note})` : ''}`);
  }
  now.versions.forEach((v, i) => {
    const before = was.versions[i]?.desired;
    if (before !== undefined && v.desired !== before) m.event(`${v.name} scaled ${before} -> ${v.desired ?? 'gone'}`);
  });
}
