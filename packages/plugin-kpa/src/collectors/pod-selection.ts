import { populationMeanSampleSize } from './sample-size.ts';

/** A ready pod of a target as the pod-scraping collector sees it. */
export interface ScrapePod {
  /** Pod name (unique in its namespace). */
  readonly name: string;
  /** Pod IP, where its metrics are served. */
  readonly ip: string;
  /** `status.startTime` in ms since the epoch; undefined when the kubelet has not reported it. */
  readonly startMs: number | undefined;
}

/** Inputs of {@link selectPods}. */
export interface PodSelectionInput {
  /** The target's ready pods. */
  readonly pods: readonly ScrapePod[];
  /** Now, ms since the epoch. */
  readonly nowMs: number;
  /** Pods younger than this (ms since their start) are only used as backup: Knative uses the stable window. */
  readonly youngPodCutoffMs: number;
  /** Pods to keep in the sample when they are still old enough (names); empty to draw afresh, as Knative does. */
  readonly keep: ReadonlySet<string>;
  /** Uniform random number in [0, 1); injectable so tests are deterministic. */
  readonly random: () => number;
}

/** What to scrape this round. */
export interface PodSelection {
  /** Ready pods, old and young: the population the sample stands for. */
  readonly total: number;
  /** Pods that must answer ({@link populationMeanSampleSize} of `total`). */
  readonly sampleSize: number;
  /** Pods in the order to try them: the first `sampleSize` are the sample, the rest are backups for failures. */
  readonly order: readonly ScrapePod[];
}

/** Fisher-Yates shuffle of a copy of `items`. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `pods` in random order, the ones named in `keep` first. */
function keptFirst(pods: readonly ScrapePod[], keep: ReadonlySet<string>, random: () => number): ScrapePod[] {
  const kept = pods.filter((p) => keep.has(p.name));
  const rest = pods.filter((p) => !keep.has(p.name));
  return [...shuffled(kept, random), ...shuffled(rest, random)];
}

/**
 * Chooses the pods to scrape as Knative's `scrapePods` (pkg/autoscaler/metrics/stats_scraper.go): the sample size
 * comes from all ready pods; pods that started at least `youngPodCutoffMs` ago ("old") are preferred, because a
 * young pod's figures may still be low. With enough old pods the old ones are shuffled and the young ones follow
 * as backups; otherwise every old pod is used and the young ones, shuffled, fill the sample.
 * Ebb's one addition: pods in `keep` (last round's sample) come first among their group, so a counter read from
 * the same pods every second gives rates over one second rather than over a pod's last, random, visit.
 * Example: 10 ready pods, 8 old -> sample 7 drawn from the 8 old pods, the 2 young ones as backups.
 */
export function selectPods(input: PodSelectionInput): PodSelection {
  const { pods, nowMs, youngPodCutoffMs, keep, random } = input;
  const old: ScrapePod[] = [];
  const young: ScrapePod[] = [];
  for (const p of pods) (p.startMs !== undefined && nowMs - p.startMs >= youngPodCutoffMs ? old : young).push(p);
  const total = pods.length;
  const sampleSize = populationMeanSampleSize(total);
  const order = old.length < sampleSize ? [...old, ...keptFirst(young, keep, random)] : [...keptFirst(old, keep, random), ...young];
  return { total, sampleSize, order };
}
