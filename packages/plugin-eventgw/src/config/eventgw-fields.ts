import { field } from '@ebb/core';

/** The plugin's id, and its annotation sub-namespace: `ebb.dev/eventgw.<key>`. */
export const EVENTGW_PLUGIN_ID = 'eventgw';

/** Full prefix of the event gateway's annotations. */
export const EVENTGW_PREFIX = `ebb.dev/${EVENTGW_PLUGIN_ID}.`;

/** Most in-flight requests per pod the gateway can be told to allow (Knative's containerConcurrency bound). */
export const CONTAINER_CONCURRENCY_MAX = 1000;

/** Most requests one gateway replica may queue for one target. */
export const QUEUE_LENGTH_MAX = 100_000;

/**
 * The event gateway's annotation keys on a Deployment, declared once. The gateway reads the routing keys
 * (`host`, `path-prefix`, `container-concurrency`, `queue-length`, `queue-timeout`, `port`, `protocol`, `service`); the
 * policy reads `container-concurrency`, `target`, `window` and `idle-period`. Both parse them with the same
 * schema, so a value means the same thing on both sides.
 */
export const eventgwFields = {
  hosts: field<readonly string[]>({
    key: 'host',
    type: { kind: 'list' },
    default: [],
    description:
      'Host names (comma-separated, case-insensitive, without port) the gateway routes to this Deployment, ' +
      'e.g. `coffee.example.com`, or wildcards for exactly one label, e.g. `*.example.com` (an exact name claimed ' +
      'by another Deployment wins over a wildcard). Without it the gateway ignores the Deployment: it never routes a host nobody opted in.',
  }),
  pathPrefix: field<string>({
    key: 'path-prefix',
    type: { kind: 'string', pattern: /\/[^\s?#]*/, patternText: 'a path starting with /' },
    default: '/',
    description:
      'Only requests whose path is this prefix or below it (on a `/` boundary) are routed; the longest prefix of a ' +
      'host wins. The path is forwarded unchanged.',
  }),
  containerConcurrency: field<number>({
    key: 'container-concurrency',
    type: { kind: 'int', min: 0, max: CONTAINER_CONCURRENCY_MAX },
    default: 1,
    description:
      'Most requests in flight per pod, 0..1000: 1 dispatches one request per pod at a time; 0 = unlimited. ' +
      'Requests beyond the free slots wait in a FIFO queue.',
  }),
  target: field<number>({
    key: 'target',
    type: { kind: 'number', min: 0, exclusiveMin: true },
    default: 100,
    description:
      'In-flight requests per pod the policy aims at when `container-concurrency` is 0 (unlimited); ignored otherwise.',
  }),
  queueLength: field<number>({
    key: 'queue-length',
    type: { kind: 'int', min: 0, max: QUEUE_LENGTH_MAX },
    default: 1000,
    description:
      'Most requests one gateway replica holds waiting for this target, 0..100000; beyond it: 503 with Retry-After. ' +
      '0 refuses every request that finds no free slot (and so every request at zero pods).',
  }),
  queueTimeoutMs: field<number>({
    key: 'queue-timeout',
    type: { kind: 'duration', minMs: 10, maxMs: 3_600_000 },
    default: 30_000,
    description: 'Longest a request waits for a free slot (or for a pod to turn Ready), 10ms..1h; then 504 with Retry-After.',
  }),
  port: field<number>({
    key: 'port',
    type: { kind: 'int', min: 0, max: 65_535 },
    default: 0,
    description:
      "Port of the pods to forward to. 0 (default): the container port named `http`, else the pod's first container " +
      'port (with EndpointSlices: the slice port named `http`, else its first port).',
  }),
  protocol: field<'http1' | 'h2c'>({
    key: 'protocol',
    type: { kind: 'enum', values: ['http1', 'h2c'] },
    default: 'http1',
    description:
      'How the gateway talks to the pods: `http1` (HTTP/1.1, default) or `h2c` (HTTP/2 over cleartext with prior ' +
      'knowledge, required for gRPC; Knative marks such pods with the port name `h2c`). Clients may use either ' +
      'protocol towards the gateway whatever this says.',
  }),
  service: field<string>({
    key: 'service',
    type: { kind: 'string', pattern: /([a-z0-9]([-a-z0-9]*[a-z0-9])?)?/, patternText: 'a Service name' },
    default: '',
    description: 'EndpointSlice discovery only: the Service whose EndpointSlices list the pods; default the Deployment\'s name.',
  }),
  windowMs: field<number>({
    key: 'window',
    type: { kind: 'duration', minMs: 1000, maxMs: 600_000, wholeSeconds: true },
    default: 10_000,
    description:
      'The policy scales on the highest demand (in-flight + queued) seen in this window, 1s..10m in whole seconds, ' +
      'so that a burst that just ended does not scale down at once.',
  }),
  idlePeriodMs: field<number>({
    key: 'idle-period',
    type: { kind: 'duration', minMs: 0, maxMs: 3_600_000, wholeSeconds: true },
    default: 30_000,
    description:
      'The policy keeps one pod until the gateway has seen no demand for this long, 0s..1h; then it recommends 0. ' +
      "The target's `ebb.dev/scale-to-zero-grace-period` applies after it.",
  }),
};
