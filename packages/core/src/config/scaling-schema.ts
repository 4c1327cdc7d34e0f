import { ANNOTATION_PREFIX, KNATIVE_PREFIX, type ConfigSchema, type CrossFieldIssue, type ParseResult } from '../contracts/config.ts';
import type { ScalingConfig } from '../contracts/scaling.ts';
import { defineConfig, field } from './define-config.ts';

/** Knative's bound for integer scale annotations (`math.MaxInt32`). */
export const MAX_SCALE_LIMIT = 2_147_483_647;
/** Knative's `WindowMax` (1 h), the upper bound of its window-like durations, in ms. */
export const KNATIVE_WINDOW_MAX_MS = 3_600_000;
/** Knative's `WindowMin` (6 s), also its lower bound for the scale-to-zero grace period, in ms. */
export const KNATIVE_WINDOW_MIN_MS = 6_000;

const kn = (name: string): string => KNATIVE_PREFIX + name;

/**
 * The target-wide scaling schema (keys `ebb.dev/<key>`), with Knative's annotations as aliases: same names,
 * same defaults, same ranges (pkg/apis/autoscaling/annotation_validation.go). Cross-field: with a bounded
 * maximum (> 0), `min-replicas` and `activation-replicas` must not exceed it.
 */
export const scalingConfigSchema: ConfigSchema<ScalingConfig> = defineConfig(
  {
    policies: field<readonly string[]>({
      key: 'policies',
      type: { kind: 'list' },
      default: ['kpa'],
      description: 'Policy plugin ids enabled on the target, comma-separated; the desired count is the max of their recommendations.',
    }),
    minReplicas: field({
      key: 'min-replicas',
      aliases: [kn('min-scale'), kn('minScale')],
      type: { kind: 'int', min: 0, max: MAX_SCALE_LIMIT },
      default: 0,
      description: 'Lower bound of replicas. 0 lets the target scale to zero (when `ebb.dev/scale-to-zero` allows it).',
    }),
    maxReplicas: field({
      key: 'max-replicas',
      aliases: [kn('max-scale'), kn('maxScale')],
      type: { kind: 'int', min: 0, max: MAX_SCALE_LIMIT },
      default: 0,
      description: 'Upper bound of replicas; 0 means unbounded.',
    }),
    initialReplicas: field({
      key: 'initial-replicas',
      aliases: [kn('initial-scale'), kn('initialScale')],
      type: { kind: 'int', min: 0, max: MAX_SCALE_LIMIT },
      default: 1,
      description: 'Replicas when the target is first seen, before any policy has data.',
    }),
    activationReplicas: field({
      key: 'activation-replicas',
      aliases: [kn('activation-scale')],
      type: { kind: 'int', min: 1, max: MAX_SCALE_LIMIT },
      default: 1,
      description: 'Minimum replicas when scaling up from zero; afterwards the policies decide (may scale below it again).',
    }),
    scaleDownDelayMs: field({
      key: 'scale-down-delay',
      aliases: [kn('scale-down-delay'), kn('scaleDownDelay')],
      type: { kind: 'duration', minMs: 0, maxMs: KNATIVE_WINDOW_MAX_MS, wholeSeconds: true },
      default: 0,
      description: 'Scale down only to the highest desired count seen during this window (whole seconds); 0s scales down at once.',
    }),
    scaleToZero: field({
      key: 'scale-to-zero',
      type: { kind: 'bool' },
      default: true,
      description: 'Whether the target may go to zero replicas; `false` keeps at least one.',
    }),
    scaleToZeroGracePeriodMs: field({
      key: 'scale-to-zero-grace-period',
      type: { kind: 'duration', minMs: KNATIVE_WINDOW_MIN_MS, maxMs: KNATIVE_WINDOW_MAX_MS },
      default: 30_000,
      description: 'After the last non-zero desired count, keep one pod this long before going to zero (Knative default 30s, minimum 6s).',
    }),
    scaleToZeroPodRetentionMs: field({
      key: 'scale-to-zero-pod-retention-period',
      aliases: [kn('scale-to-zero-pod-retention-period'), kn('scaleToZeroPodRetentionPeriod')],
      type: { kind: 'duration', minMs: 0, maxMs: KNATIVE_WINDOW_MAX_MS },
      default: 0,
      description: 'Minimum time the last pod stays after the desired count drops to zero; the wait is the longer of this and the grace period.',
    }),
  },
  {
    validate(c, keyOf): CrossFieldIssue[] {
      const issues: CrossFieldIssue[] = [];
      const name = (f: keyof ScalingConfig & string): string => shortName(keyOf(f));
      // Knative: `max-scale=2 is less than min-scale=5`.
      if (c.maxReplicas > 0 && c.maxReplicas < c.minReplicas) {
        issues.push({
          field: 'maxReplicas',
          related: ['minReplicas'],
          message: `${name('maxReplicas')}=${c.maxReplicas} is less than ${name('minReplicas')}=${c.minReplicas}`,
          allowed: 'max-replicas = 0 (unbounded) or max-replicas >= min-replicas',
        });
      }
      if (c.maxReplicas > 0 && c.maxReplicas < c.activationReplicas) {
        issues.push({
          field: 'maxReplicas',
          related: ['activationReplicas'],
          message: `${name('maxReplicas')}=${c.maxReplicas} is less than ${name('activationReplicas')}=${c.activationReplicas}`,
          allowed: 'max-replicas = 0 (unbounded) or max-replicas >= activation-replicas',
        });
      }
      return issues;
    },
  },
);

/** Parses the scaling configuration of a target from its annotations (keys under `ebb.dev/`). */
export function parseScalingConfig(annotations: Readonly<Record<string, string>>): ParseResult<ScalingConfig> {
  return scalingConfigSchema.parse(annotations, ANNOTATION_PREFIX);
}

/** The part of an annotation name after its `/`: `autoscaling.knative.dev/min-scale` -> `min-scale`. */
function shortName(key: string): string {
  return key.slice(key.indexOf('/') + 1);
}
