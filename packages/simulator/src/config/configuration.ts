import type { InputLocation } from '../trace/input-error.ts';

/** One configuration under test: the annotation set every modelled Deployment carries. */
export interface SimConfiguration {
  /** Short unique name for tables, e.g. `knative-default`. */
  readonly name: string;
  /** One line for reports. */
  readonly description?: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where it was written (for messages): a file and the line of the configuration. */
  readonly source?: InputLocation;
  /** Line of each annotation key in `source.file`, for messages that name the line of a bad value. */
  readonly annotationLines?: Readonly<Record<string, number>>;
}
