import type { V1Deployment } from '@kubernetes/client-node';
import { RESERVE_ROLE_LABEL, SELECTION_LABEL } from '@ebb/core';
import { READINESS_DELAY_ANNOTATION } from '@ebb/testing';

/** Name of the demo's Deployment, its host on the gateway and the port its pods answer on. */
export const COFFEE = { name: 'coffee', host: 'coffee.local', port: 8080 } as const;

/** Time one request takes in a coffee pod, ms. */
export const SERVICE_MS = 100;

/** Requests one coffee pod takes at a time: the gateway's slots per pod, and the KPA's target. */
export const PER_POD = 10;

/**
 * The settings that make the demo take minutes instead of a quarter of an hour (each one's production default in
 * brackets). The timeline they give, after the load stops:
 *  - KPA stable window 10 s [60 s]: the average concurrency falls to zero over 10 s; panic mode (entered when the
 *    load first hit one pod) ends 10 s after its last trigger; the KPA halves the pods at most each tick. The
 *    panic window is 20 % of it [10 %], 2 s, so that it always holds a sample of the once-a-second collector.
 *  - scale-to-zero grace 6 s [30 s]: the last pod stays 6 s after the desired count first reads zero.
 *  - then the reserve: `coffee-reserve` gets one pod, and once it is Ready (2 s) coffee goes to zero.
 *  - eventgw policy window 5 s [10 s], idle period 0 s [30 s]: it follows demand without adding its own delay.
 *  - the scaler ticks every second [2 s].
 * Pods take 2 s to turn Ready (the readiness-delay annotation of the local cluster): that is the cold start a
 * request would wait for at zero, and what the reserve pod saves.
 */
export const DEMO_TIMINGS = {
  kpaWindow: '10s',
  kpaPanicWindowPercentage: '20',
  scaleToZeroGrace: '6s',
  eventgwWindow: '5s',
  eventgwIdle: '0s',
  readinessDelay: '2s',
  tickIntervalMs: 1000,
} as const;

/** The annotations of the coffee Deployment: KPA on the gateway's concurrency, eventgw, a reserve pod. */
export function coffeeAnnotations(maxReplicas: number): Record<string, string> {
  return {
    'ebb.dev/policies': 'kpa,eventgw',
    'ebb.dev/min-replicas': '0',
    'ebb.dev/max-replicas': String(maxReplicas),
    'ebb.dev/scale-to-zero-grace-period': DEMO_TIMINGS.scaleToZeroGrace,
    'ebb.dev/reserve': 'true',
    'ebb.dev/reserve.resources': 'requests: {cpu: 100m, memory: 64Mi}',
    // KPA: 10 concurrent requests per pod (x 70 % utilization = 7), measured by the gateway.
    'ebb.dev/kpa.target': String(PER_POD),
    'ebb.dev/kpa.metric': 'concurrency',
    'ebb.dev/kpa.metric-source': 'external',
    'ebb.dev/kpa.window': DEMO_TIMINGS.kpaWindow,
    'ebb.dev/kpa.panic-window-percentage': DEMO_TIMINGS.kpaPanicWindowPercentage,
    // The gateway: routes coffee.local here, at most 10 requests per pod at a time, the rest wait in its queue.
    'ebb.dev/eventgw.host': COFFEE.host,
    'ebb.dev/eventgw.container-concurrency': String(PER_POD),
    'ebb.dev/eventgw.window': DEMO_TIMINGS.eventgwWindow,
    'ebb.dev/eventgw.idle-period': DEMO_TIMINGS.eventgwIdle,
  };
}

/** The coffee Deployment: one pod to begin with, pods labelled `app: coffee`, container port 8080 named http. */
export function coffeeDeployment(namespace: string, maxReplicas = 20): V1Deployment {
  const podLabels = { app: COFFEE.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: COFFEE.name, namespace, labels: { ...podLabels, [SELECTION_LABEL]: 'true' }, annotations: coffeeAnnotations(maxReplicas) },
    spec: {
      replicas: 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels, annotations: { [READINESS_DELAY_ANNOTATION]: DEMO_TIMINGS.readinessDelay } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'coffee',
              image: 'registry.invalid/ebb/coffee:1',
              ports: [{ name: 'http', containerPort: COFFEE.port }],
              resources: { requests: { cpu: '500m', memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** True for a pod of the reserve Deployment (it carries the reserve role label). */
export function isReservePod(labels: Readonly<Record<string, string>> | undefined): boolean {
  return labels?.[RESERVE_ROLE_LABEL] !== undefined;
}
