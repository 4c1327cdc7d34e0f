import { defineConfig, field, type ConfigOf, type ConfigSchema, type CrossFieldIssue } from '@ebb/core';
import { EVENTGW_PREFIX, eventGatewayConfigSchema } from '@ebb/plugin-eventgw';

/** Prefix of activator mode's annotations on a Deployment: `ebb.dev/activator.<key>`. */
export const ACTIVATOR_PREFIX = 'ebb.dev/activator.';

/** Knative's default target burst capacity (config-autoscaler `target-burst-capacity`). */
export const DEFAULT_TARGET_BURST_CAPACITY = 211;

const knativeKey = (key: string) => `autoscaling.knative.dev/${key}`;

/** A DNS-1035 label: the form of a Service name. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Activator mode's annotation keys, declared once. Opting in makes Ebb own a selector-less Service for the
 * Deployment, whose EndpointSlices list the gateway's pods (Proxy) or the Deployment's Ready pods (Serve).
 */
export const activatorFields = {
  enabled: field<boolean>({
    key: 'enabled',
    type: { kind: 'bool' },
    default: false,
    description:
      'Activator mode: Ebb owns a selector-less Service for this Deployment and switches its EndpointSlices between the ' +
      "gateway's pods (Proxy: at zero, or short of burst capacity) and the Deployment's Ready pods (Serve). Point ingresses and clients at that Service.",
  }),
  service: field<string>({
    key: 'service',
    type: { kind: 'string' },
    default: '',
    description: 'Name of the Service Ebb owns for this Deployment; default `<deployment>-ebb`. A Service of that name not created by Ebb is left alone (Warning Event).',
  }),
  port: field<number>({
    key: 'port',
    type: { kind: 'int', min: 1, max: 65_535 },
    default: 80,
    description: "The Service's port, 1..65535 (clients call `<service>:<port>`); the EndpointSlices point it at the gateway's data port or the pods' port.",
  }),
  targetBurstCapacity: field<number>({
    key: 'target-burst-capacity',
    aliases: ['ebb.dev/kpa.target-burst-capacity', knativeKey('target-burst-capacity'), knativeKey('targetBurstCapacity')],
    type: { kind: 'number' },
    default: DEFAULT_TARGET_BURST_CAPACITY,
    description:
      'Spare capacity (metric units) the Ready pods must have beyond the panic-window load before the gateway leaves the path: ' +
      `-1 = the gateway always stays in the path, 0 = only at zero; default ${DEFAULT_TARGET_BURST_CAPACITY} (Knative's).`,
  }),
  serveWithConcurrencyLimit: field<boolean>({
    key: 'serve-with-concurrency-limit',
    type: { kind: 'bool' },
    default: false,
    description:
      'A target with `ebb.dev/eventgw.container-concurrency: 1` stays in Proxy mode, where the gateway enforces one request per pod; ' +
      'true lets it switch to Serve, where only the pods themselves (or your data plane) can enforce a limit.',
  }),
};

/** A target's activator settings, parsed. `service` is resolved (never empty). */
export type ActivatorConfig = ConfigOf<typeof activatorFields>;

/** Cross-field checks: the Service name is a DNS-1035 label; the burst capacity is -1 or >= 0. */
function validateActivatorConfig(value: ActivatorConfig): readonly CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  if (value.service !== '' && !SERVICE_NAME.test(value.service)) {
    issues.push({ field: 'service', message: `invalid Service name "${value.service}"`, allowed: 'a DNS-1035 label: lower-case letters, digits and -, starting with a letter, at most 63 characters' });
  }
  if (value.targetBurstCapacity < 0 && value.targetBurstCapacity !== -1) {
    issues.push({ field: 'targetBurstCapacity', message: `invalid value: ${value.targetBurstCapacity}`, allowed: '-1 (always in the path), 0 or a positive number' });
  }
  return issues;
}

/** The activator's annotation schema. */
export const activatorConfigSchema: ConfigSchema<ActivatorConfig> = defineConfig(activatorFields, { validate: validateActivatorConfig });

/**
 * Every annotation key activator mode reads, for the unknown-key check of `ebb.dev/*`: its own, and the gateway's
 * (`ebb.dev/eventgw.container-concurrency` and `.port` decide the mode and the pods' port), which a scaler without
 * the `eventgw` policy plugin would otherwise call unknown.
 */
export const ACTIVATOR_ANNOTATION_KEYS: readonly string[] = [...activatorConfigSchema.keys(ACTIVATOR_PREFIX), ...eventGatewayConfigSchema.keys(EVENTGW_PREFIX)];

/** The Service name of a Deployment: the configured one, or `<deployment>-ebb`. */
export function servingServiceName(deploymentName: string, config: ActivatorConfig): string {
  return config.service || `${deploymentName}-ebb`;
}

/** Parses a Deployment's `ebb.dev/activator.*` annotations (and the burst-capacity aliases). */
export function parseActivatorConfig(annotations: Readonly<Record<string, string>>) {
  return activatorConfigSchema.parse(annotations, ACTIVATOR_PREFIX);
}
