import { parseArgs } from 'node:util';
import { parseDuration } from '@ebb/core';
import type { SimConfiguration } from '../config/configuration.ts';
import { readConfigurationFile } from '../config/config-file.ts';
import { PRESET_NAMES, builtinPresets, presetNamed } from '../config/presets.ts';
import type { SimulationOptions } from '../run/simulation-options.ts';
import { SimulatorErrorCodes, SimulatorInputError } from '../trace/input-error.ts';

/** Usage text of `ebb simulate`. */
export const SIMULATE_USAGE = `Usage: ebb simulate TRACE [options]

Replays a traffic trace through Ebb's real control loop and policies on a virtual clock and reports, per function
and in total: pod-hours and cost, cold starts, wait p50/p99, max pods and scale actions.

TRACE   an Azure Functions invocation table (*-inv.csv, with its *-run.csv next to it), a per-request CSV with a
        TIMESTAMP column, or synthetic:steps | synthetic:bursts | synthetic:diurnal [?name=value&...]

Configurations (default: the knative-default preset):
  --config FILE               YAML file with configurations (name, annotations, optional preset) to compare
  --preset NAME               a built-in configuration, repeatable: ${PRESET_NAMES.join(', ')}
  --compare                   every built-in preset, side by side
  --annotation KEY=VALUE      an annotation of an ad-hoc configuration named "custom", repeatable

Model:
  --seed N                    seed of every random draw (default 1)
  --startup DURATION          pod start-up time (default 5s)
  --startup-jitter DURATION   start-up times are uniform within ± this (default 1s; 0s with --startup)
  --pod-concurrency N         requests per pod at once, 0 = unlimited (default 1); configurations may set it
  --reserve-price-ratio R     price of a reserve pod relative to a standard one, (0, 1] (default 0.54)
  --initial-replicas N        pods each function has at the start (default 0)
  --timezone ZONE             default zone of cron windows and of the kpa-cron preset (default UTC)

Trace:
  --start TIME                start of dateless traces, ISO 8601 (default 2026-01-05T00:00:00Z)
  --hours H                   simulate only the first H hours
  --function PREFIX           only functions whose id starts with PREFIX, repeatable
  --max-functions N           at most N functions
  --durations FILE            the Azure duration table, when not next to the invocation table
  --request-duration DURATION fixed duration of each request of a per-request trace without durations
  --duration-unit ms|s        unit of a per-request trace's "duration" column (DurationMs and duration_s say it)

Rollout (one function, the busiest, as two versions v1 -> v2; Knative's time steps vs Ebb's capacity-aware ones):
  --rollout DURATION          replay a rollout with this rollout-duration, e.g. 60s
  --rollout-at DURATION       when it begins, after the start of the span (default 10m)
  --rollout-max-surge N       pods above the pre-rollout total the capacity-aware rollout may use (default 0: no budget)

Output:
  --json                      results as JSON on stdout (no table)
  --svg FILE                  chart: demand vs Ready pods over time, cold starts marked
  --png FILE                  the same chart as PNG (needs the package @resvg/resvg-js)
  --per-function              in compare mode, also each configuration's per-function table
  --no-progress               no progress bar (it is drawn only when stderr is a terminal)
  -h, --help
`;

/** What the command line asks for. */
export interface SimulateArgs {
  readonly help: boolean;
  readonly options: SimulationOptions;
  readonly json: boolean;
  readonly svg?: string;
  readonly png?: string;
  readonly perFunction: boolean;
  readonly progress: boolean;
  /** A rollout replay instead of the configurations' comparison. */
  readonly rollout?: { readonly durationMs: number; readonly atMs: number; readonly maxSurgePods: number };
}

/**
 * Parses `ebb simulate` arguments.
 * @throws SimulatorInputError `EBB_SIM_OPTIONS_INVALID` for a bad option value or usage (naming it),
 *   `EBB_SIM_CONFIG_INVALID` for a bad configuration file or preset.
 */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw usage(e instanceof Error ? e.message : String(e));
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { help: true, options: { trace: '' }, json: false, perFunction: false, progress: false };
  if (positionals.length !== 1) throw usage(positionals.length ? `expected one TRACE, got ${positionals.length}: ${positionals.join(' ')}` : 'missing TRACE');
  const num = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw usage(`--${name} ${text}: expected a number`);
    return n;
  };
  const dur = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined || ms < 0) throw usage(`--${name} ${text}: expected a duration such as 500ms, 5s or 1m`);
    return ms;
  };
  let startMs: number | undefined;
  if (v.start !== undefined) {
    startMs = Date.parse(v.start);
    if (!Number.isFinite(startMs) || startMs % 1000 !== 0) throw usage(`--start ${v.start}: expected an ISO 8601 time on a whole second, such as 2026-01-05T00:00:00Z`);
  }
  const podConcurrency = num('pod-concurrency', v['pod-concurrency']);
  const timezone = v.timezone;
  const presetOptions = { podConcurrency: podConcurrency ?? 1, ...(timezone ? { timezone } : {}) };
  const configurations: SimConfiguration[] = [];
  if (v.compare) configurations.push(...builtinPresets(presetOptions));
  for (const name of v.preset ?? []) if (!configurations.some((c) => c.name === name)) configurations.push(presetNamed(name, presetOptions));
  if (v.config) configurations.push(...readConfigurationFile(v.config, presetOptions));
  if (v.annotation?.length) {
    const annotations: Record<string, string> = {};
    for (const a of v.annotation) {
      const eq = a.indexOf('=');
      if (eq <= 0) throw usage(`--annotation ${a}: expected KEY=VALUE, e.g. ebb.dev/kpa.target=10`);
      annotations[a.slice(0, eq)] = a.slice(eq + 1).replace(/\\n/g, '\n');
    }
    configurations.push({ name: 'custom', description: 'annotations from the command line', annotations, source: { file: '<command line>' } });
  }
  const startupMean = dur('startup', v.startup);
  const startupJitter = dur('startup-jitter', v['startup-jitter']);
  const requestDuration = dur('request-duration', v['request-duration']);
  const durationUnit = v['duration-unit'];
  if (durationUnit !== undefined && durationUnit !== 'ms' && durationUnit !== 's') throw usage(`--duration-unit ${durationUnit}: expected ms or s`);
  const options: SimulationOptions = {
    trace: positionals[0]!,
    ...(configurations.length ? { configurations } : {}),
    ...(v.seed !== undefined ? { seed: num('seed', v.seed)! } : {}),
    ...(startupMean !== undefined || startupJitter !== undefined
      ? { startup: { ...(startupMean !== undefined ? { meanMs: startupMean } : {}), ...(startupJitter !== undefined ? { jitterMs: startupJitter } : {}) } }
      : {}),
    ...(podConcurrency !== undefined ? { podConcurrency } : {}),
    ...(v['reserve-price-ratio'] !== undefined ? { reservePriceRatio: num('reserve-price-ratio', v['reserve-price-ratio'])! } : {}),
    ...(v['initial-replicas'] !== undefined ? { initialReplicas: num('initial-replicas', v['initial-replicas'])! } : {}),
    ...(timezone ? { timezone } : {}),
    ...(startMs !== undefined ? { startMs } : {}),
    ...(v.hours !== undefined ? { hours: num('hours', v.hours)! } : {}),
    ...(v.function?.length ? { functions: v.function } : {}),
    ...(v['max-functions'] !== undefined ? { maxFunctions: num('max-functions', v['max-functions'])! } : {}),
    ...(v.durations ? { durationsFile: v.durations } : {}),
    ...(requestDuration !== undefined ? { requestDurations: { fixedMs: requestDuration } } : {}),
    ...(durationUnit !== undefined ? { durationUnit } : {}),
  };
  const rolloutMs = dur('rollout', v.rollout);
  if (rolloutMs !== undefined && (v.svg || v.png)) throw usage('--svg and --png draw the configurations\' comparison, not a --rollout replay');
  if (rolloutMs === undefined && (v['rollout-at'] !== undefined || v['rollout-max-surge'] !== undefined)) throw usage('--rollout-at and --rollout-max-surge need --rollout DURATION');
  const rollout = rolloutMs === undefined ? undefined : { durationMs: rolloutMs, atMs: dur('rollout-at', v['rollout-at']) ?? 600_000, maxSurgePods: num('rollout-max-surge', v['rollout-max-surge']) ?? 0 };
  return {
    help: false,
    options,
    ...(rollout ? { rollout } : {}),
    json: v.json ?? false,
    ...(v.svg ? { svg: v.svg } : {}),
    ...(v.png ? { png: v.png } : {}),
    perFunction: v['per-function'] ?? false,
    progress: !(v['no-progress'] ?? false),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string' },
      preset: { type: 'string', multiple: true },
      compare: { type: 'boolean' },
      annotation: { type: 'string', multiple: true },
      seed: { type: 'string' },
      startup: { type: 'string' },
      'startup-jitter': { type: 'string' },
      'pod-concurrency': { type: 'string' },
      'reserve-price-ratio': { type: 'string' },
      'initial-replicas': { type: 'string' },
      timezone: { type: 'string' },
      start: { type: 'string' },
      hours: { type: 'string' },
      function: { type: 'string', multiple: true },
      'max-functions': { type: 'string' },
      durations: { type: 'string' },
      'request-duration': { type: 'string' },
      'duration-unit': { type: 'string' },
      json: { type: 'boolean' },
      svg: { type: 'string' },
      png: { type: 'string' },
      'per-function': { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      rollout: { type: 'string' },
      'rollout-at': { type: 'string' },
      'rollout-max-surge': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function usage(problem: string): SimulatorInputError {
  return new SimulatorInputError(SimulatorErrorCodes.OPTIONS_INVALID, problem);
}
