import { defineConfig, field, type ConfigOf, type ConfigSchema, type ParseResult } from '@ebb/core';

/** Where the rollout keys live: on the HTTPRoute, `ebb.dev/rollout-*`. */
export const ROLLOUT_PREFIX = 'ebb.dev/';

const rolloutFields = {
  durationMs: field<number>({
    key: 'rollout-duration',
    aliases: ['serving.knative.dev/rollout-duration'],
    type: { kind: 'duration', minMs: 0, maxMs: 86_400_000, wholeSeconds: true },
    default: 0,
    description:
      'On an HTTPRoute: a weight change moves the split gradually over this time, as Knative\'s rollout-duration (1 % ' +
      'first, then equal steps), 0s..24h in whole seconds; each step waits until the receiving version has the Ready ' +
      'pods its next share needs. 0s (default): a weight change applies at once.',
  }),
  maxSurgePods: field<number>({
    key: 'rollout-max-surge',
    type: { kind: 'int', min: 0, max: 10_000 },
    default: 0,
    description:
      'On an HTTPRoute: most pods a rollout may add over the two versions\' pods before it, 0..10000; with a tight ' +
      'budget the steps shrink or wait for the giving version to scale down. 0 (default): no budget.',
  }),
  progressDeadlineMs: field<number>({
    key: 'rollout-progress-deadline',
    type: { kind: 'duration', minMs: 10_000, maxMs: 86_400_000, wholeSeconds: true },
    default: 600_000,
    description:
      'On an HTTPRoute: longest a step waits for the receiving version\'s Ready pods, 10s..24h; then the rollout stops ' +
      'where it is (traffic stays; an Event and a route condition say why).',
  }),
};

/** A route's rollout settings: durations in ms; `maxSurgePods` 0 = no budget. */
export type RolloutConfig = ConfigOf<typeof rolloutFields>;

/** The rollout keys of an HTTPRoute (Knative's `serving.knative.dev/rollout-duration` is an alias). */
export const rolloutConfigSchema: ConfigSchema<RolloutConfig> = defineConfig(rolloutFields);

/** Parses an HTTPRoute's `ebb.dev/rollout-*` annotations; every problem names the key, the value and the range. */
export function parseRolloutConfig(annotations: Readonly<Record<string, string>>): ParseResult<RolloutConfig> {
  return rolloutConfigSchema.parse(annotations, ROLLOUT_PREFIX);
}
