/**
 * Checks for collector options that come from the scaler's YAML config file: each returns the value when valid,
 * else records a problem naming the option path, the value and what is allowed, so every problem is reported at
 * once.
 */
export class OptionChecks {
  readonly problems: string[] = [];
  private readonly where: string;

  /** @param where path of the options mapping, e.g. `pluginOptions.kpa.pods`. */
  constructor(where: string) {
    this.where = where;
  }

  /** Records a problem with option `name`. */
  bad(name: string, value: unknown, allowed: string): undefined {
    this.problems.push(`${this.where}.${name}: invalid value ${JSON.stringify(value)}: expected ${allowed}`);
    return undefined;
  }

  /** Reports keys of `options` not in `known`. */
  unknownKeys(options: Readonly<Record<string, unknown>>, known: readonly string[]): void {
    for (const k of Object.keys(options)) {
      if (!known.includes(k)) this.problems.push(`${this.where}.${k}: unknown option; expected one of ${known.join(', ')}`);
    }
  }

  /** An integer in [min, max], or `fallback` when absent. */
  int(options: Readonly<Record<string, unknown>>, name: string, min: number, max: number, fallback: number, unit = ''): number {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    return this.bad(name, v, `an integer ${min}..${max}${unit ? ` (${unit})` : ''}`) ?? fallback;
  }

  /** A non-empty string matching `pattern`, or `fallback` when absent. */
  string(options: Readonly<Record<string, unknown>>, name: string, pattern: RegExp, allowed: string, fallback: string): string {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && pattern.test(v)) return v;
    return this.bad(name, v, allowed) ?? fallback;
  }

  /** One of `values`, or `fallback` when absent. */
  oneOf<T extends string>(options: Readonly<Record<string, unknown>>, name: string, values: readonly T[], fallback: T): T {
    const v = options[name];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    return this.bad(name, v, `one of ${values.join(', ')}`) ?? fallback;
  }
}

/** True for a plain mapping (not null, not an array). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
