/** A Kubernetes object as read from YAML: only the fields every reader needs are typed. */
export interface SourceObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown; readonly annotations?: unknown };
  readonly spec?: unknown;
}

/** Where an object came from, for messages: `hpa.yaml: document 2 (HorizontalPodAutoscaler shop/web)`. */
export interface SourceRef {
  /** File name or `<stdin>`. */
  readonly file: string;
  /** 1-based position of the YAML document. */
  readonly document: number;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The Deployment a conversion applies to. */
export interface TargetRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * What one source object converts to: the Deployment annotations for one target, and a line for each setting
 * that could not be carried over (or was carried over with a difference), saying why.
 */
export interface Conversion {
  readonly source: SourceRef;
  /** Absent when nothing is converted: the object names no Deployment, or no setting carries over (the notes say why). */
  readonly target?: TargetRef;
  readonly annotations: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/**
 * Bad input: names the document, the field, the value and what is allowed, e.g.
 * `hpa.yaml: document 1 (HorizontalPodAutoscaler default/web): spec.maxReplicas: got "ten"; allowed: an integer >= 1`.
 */
export class ConvertInputError extends Error {
  readonly where: string;
  readonly field: string;
  readonly got: string;
  readonly allowed: string;

  constructor(where: string, field: string, got: string, allowed: string) {
    super(`${where}: ${field}: got ${got}; allowed: ${allowed}`);
    this.name = 'ConvertInputError';
    this.where = where;
    this.field = field;
    this.got = got;
    this.allowed = allowed;
  }
}

/** `hpa.yaml: document 2 (HorizontalPodAutoscaler shop/web)`. */
export function describeSource(s: SourceRef): string {
  return `${s.file}: document ${s.document} (${s.kind} ${s.namespace}/${s.name})`;
}
