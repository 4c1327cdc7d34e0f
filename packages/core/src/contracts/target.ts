/** Namespace and name of a scale target (a Deployment). */
export interface TargetRef {
  readonly namespace: string;
  readonly name: string;
}

/** `namespace/name`: the key under which a target's windows, state and status are kept. */
export type TargetKey = string;

/** Builds the {@link TargetKey} of a target. */
export function targetKey(ref: TargetRef): TargetKey {
  return `${ref.namespace}/${ref.name}`;
}

/** Parses a `namespace/name` key; undefined when it is not of that form. */
export function parseTargetKey(key: string): TargetRef | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(key);
  return m ? { namespace: m[1]!, name: m[3]! } : undefined;
}

/** What collectors know about a target: enough to find its pods and its load. */
export interface TargetInfo {
  readonly ref: TargetRef;
  readonly key: TargetKey;
  /** The Deployment's pod selector (matchLabels only). */
  readonly selector: Readonly<Record<string, string>>;
  /** Policy plugin ids enabled on the target. */
  readonly policies: readonly string[];
  /** All annotations of the Deployment, for collectors that read their own settings. */
  readonly annotations: Readonly<Record<string, string>>;
}
