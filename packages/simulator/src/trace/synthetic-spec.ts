import { parseDuration } from '@ebb/core';
import { traceError } from './input-error.ts';
import type { SyntheticOptions, SyntheticShape } from './synthetic-trace.ts';

/** The prefix that names a synthetic trace instead of a file: `synthetic:diurnal?peak=20&hours=24`. */
export const SYNTHETIC_PREFIX = 'synthetic:';

const WHERE = '<synthetic>';

/** Parameters each kind accepts (besides the common ones), with their defaults as written. */
const KIND_PARAMS: Readonly<Record<SyntheticShape['kind'], Readonly<Record<string, string>>>> = {
  steps: { rps: '0,2,10,2,0', step: '10m' },
  bursts: { size: '20', every: '10m', first: '1m', spread: '0s' },
  diurnal: { peak: '20', trough: '0.2', 'peak-hour': '14' },
};
const COMMON_PARAMS: Readonly<Record<string, string>> = { functions: '1', duration: '1s', jitter: '0' };
const DEFAULT_HOURS: Readonly<Record<SyntheticShape['kind'], string>> = { steps: '', bursts: '1', diurnal: '24' };

/**
 * Parses `synthetic:<kind>[?name=value&...]` into generator options. Kinds and parameters (defaults):
 * - `steps`: `rps` comma-separated rates (0,2,10,2,0), `step` length of each (10m); span = steps x step.
 * - `bursts`: `size` (20), `every` (10m), `first` offset (1m), `spread` (0s); span 1 h.
 * - `diurnal`: `peak` (20), `trough` (0.2) req/s, `peak-hour` UTC (14); span 24 h.
 * Common: `hours` (span), `functions` (1), `duration` per request (1s), `jitter` of durations 0..1 (0).
 *
 * @throws SimulatorInputError `EBB_SIM_TRACE_INVALID` naming `<synthetic>` and the bad parameter.
 */
export function parseSyntheticSpec(spec: string, startMs: number, seed: number): SyntheticOptions {
  const body = spec.slice(SYNTHETIC_PREFIX.length);
  const [kindText = '', query = ''] = body.split('?', 2);
  if (!(kindText in KIND_PARAMS)) {
    throw traceError(`unknown synthetic shape "${kindText}"; expected ${Object.keys(KIND_PARAMS).map((k) => SYNTHETIC_PREFIX + k).join(', ')}`, WHERE);
  }
  const kind = kindText as SyntheticShape['kind'];
  const given = new URLSearchParams(query);
  const allowed: Record<string, string> = { ...COMMON_PARAMS, ...KIND_PARAMS[kind], hours: DEFAULT_HOURS[kind] };
  for (const key of given.keys()) {
    if (!(key in allowed)) throw traceError(`unknown parameter "${key}" for ${SYNTHETIC_PREFIX}${kind}; expected ${Object.keys(allowed).join(', ')}`, WHERE);
  }
  const text = (key: string): string => given.get(key) ?? allowed[key] ?? '';
  const num = (key: string, min: number, max = Infinity): number => {
    const v = Number(text(key));
    if (text(key) === '' || !Number.isFinite(v) || v < min || v > max) throw traceError(`${key}=${text(key)} is out of range; expected a number ${min}..${max}`, WHERE);
    return v;
  };
  const int = (key: string, min: number): number => {
    const v = num(key, min);
    if (!Number.isInteger(v)) throw traceError(`${key}=${text(key)} is not a whole number`, WHERE);
    return v;
  };
  const dur = (key: string, minMs: number): number => {
    const v = parseDuration(text(key));
    if (v === undefined || v < minMs) throw traceError(`${key}=${text(key)} is not a duration >= ${minMs}ms such as 500ms, 30s, 10m`, WHERE);
    return v;
  };
  let shape: SyntheticShape;
  let spanMs: number;
  switch (kind) {
    case 'steps': {
      const rps = text('rps').split(',').map((r) => Number(r));
      if (rps.some((r) => !Number.isFinite(r) || r < 0)) throw traceError(`rps=${text('rps')} must be comma-separated numbers >= 0`, WHERE);
      shape = { kind, rps, stepMs: dur('step', 1000) };
      spanMs = given.has('hours') ? num('hours', 0.001) * 3_600_000 : rps.length * shape.stepMs;
      break;
    }
    case 'bursts':
      shape = { kind, size: int('size', 1), everyMs: dur('every', 1000), firstMs: dur('first', 0), spreadMs: dur('spread', 0) };
      spanMs = num('hours', 0.001) * 3_600_000;
      break;
    case 'diurnal':
      shape = { kind, peakRps: num('peak', 0), troughRps: num('trough', 0), peakHour: num('peak-hour', 0, 24) };
      spanMs = num('hours', 0.001) * 3_600_000;
      break;
  }
  return {
    shape,
    startMs,
    spanMs: Math.round(spanMs),
    seed,
    functions: int('functions', 1),
    durationMs: dur('duration', 1),
    durationJitter: num('jitter', 0, 1),
    name: `synthetic-${kind}`,
  };
}
