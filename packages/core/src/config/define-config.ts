import type { ConfigSchema, CrossFieldIssue, FieldSpec } from '../contracts/config.ts';

/** The parsed value type of a record of fields. */
export type ConfigOf<F extends Record<string, FieldSpec<unknown>>> = { readonly [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

/** Options of {@link defineConfig}. */
export interface DefineConfigOptions<T> {
  /** Runs after every field parsed without issues: convert units, fill derived defaults. */
  normalise?(value: T): T;
  /** Cross-field checks on the normalised value. */
  validate?(value: T): readonly CrossFieldIssue[];
}

/** Declares one field; only a typing helper. */
export function field<T>(spec: FieldSpec<T>): FieldSpec<T> {
  return spec;
}

/** Builds a {@link ConfigSchema} from field declarations. */
export function defineConfig<F extends Record<string, FieldSpec<unknown>>>(
  fields: F,
  options: DefineConfigOptions<ConfigOf<F>> = {},
): ConfigSchema<ConfigOf<F>> {
  void fields;
  void options;
  throw new Error('defineConfig: implementation pending (packages/core/src/config)');
}
