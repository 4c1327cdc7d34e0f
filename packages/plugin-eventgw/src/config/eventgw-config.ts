import { defineConfig, type ConfigOf, type ConfigSchema, type CrossFieldIssue } from '@ebb/core';
import { EVENTGW_PREFIX, eventgwFields } from './eventgw-fields.ts';

/**
 * A target's event gateway settings, parsed from its `ebb.dev/eventgw.*` annotations. Durations in ms; `hosts`
 * are lower-case; `pathPrefix` starts with `/` and has no trailing `/` (except `/` itself).
 */
export type EventGatewayConfig = ConfigOf<typeof eventgwFields>;

/** A DNS host name (RFC 1123 labels), checked after lower-casing. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/**
 * Normalises the parsed value: host names lower-case without a trailing dot; the path prefix without a trailing
 * slash, so `/api/` and `/api` mean the same. Example: `Coffee.Example.com.` -> `coffee.example.com`.
 */
export function normaliseEventGatewayConfig(value: EventGatewayConfig): EventGatewayConfig {
  const hosts = [...new Set(value.hosts.map((h) => h.toLowerCase().replace(/\.$/, '')))];
  const trimmed = value.pathPrefix.replace(/\/+$/, '');
  return { ...value, hosts, pathPrefix: trimmed === '' ? '/' : trimmed };
}

/** A host claim: a DNS name, or `*.` and a DNS name (a wildcard for exactly one label). */
export function isValidHostClaim(host: string): boolean {
  return HOST_NAME.test(host.startsWith('*.') ? host.slice(2) : host);
}

/** Cross-field checks: every host is a DNS name or a wildcard `*.<DNS name>`. */
export function validateEventGatewayConfig(value: EventGatewayConfig): readonly CrossFieldIssue[] {
  const bad = value.hosts.filter((h) => !isValidHostClaim(h));
  if (bad.length === 0) return [];
  return [
    {
      field: 'hosts',
      message: `invalid host name ${bad.map((h) => `"${h}"`).join(', ')}`,
      allowed: 'DNS names such as coffee.example.com, or wildcards for one label such as *.example.com, comma-separated, without port or scheme',
    },
  ];
}

/** The event gateway's annotation schema, shared by the gateway and the policy plugin. */
export const eventGatewayConfigSchema: ConfigSchema<EventGatewayConfig> = defineConfig(eventgwFields, {
  normalise: normaliseEventGatewayConfig,
  validate: validateEventGatewayConfig,
});

/** Parses a Deployment's annotations under `ebb.dev/eventgw.`. */
export function parseEventGatewayConfig(annotations: Readonly<Record<string, string>>) {
  return eventGatewayConfigSchema.parse(annotations, EVENTGW_PREFIX);
}
