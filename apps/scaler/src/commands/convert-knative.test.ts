import { PluginRegistry } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { OFFLINE_CONTEXT } from '../runtime/plugin-loader.ts';
import { knownAnnotationKeys } from './convert.ts';
import { convertKnativeService } from './convert-knative.ts';
import type { SourceRef } from './convert-types.ts';

const plugins = PluginRegistry.of(Object.values(BUILTIN_FACTORIES).map((f) => f(undefined, OFFLINE_CONTEXT) as never)).plugins();
const known = knownAnnotationKeys(plugins);
const source: SourceRef = { file: 'kn.yaml', document: 1, kind: 'Service', namespace: 'shop', name: 'coffee' };
const ksvc = (annotations: Record<string, string>, more = '') =>
  parse(`apiVersion: serving.knative.dev/v1
kind: Service
spec:
  template:
    metadata:
      annotations: ${JSON.stringify(annotations)}
    spec:
      containers: [{image: x}]${more}`);

describe('convertKnativeService', () => {
  it.each([
    ['KPA annotations unchanged', { 'autoscaling.knative.dev/target': '10', 'autoscaling.knative.dev/window': '40s', 'autoscaling.knative.dev/minScale': '1' }, {}],
    ['the HPA class with cpu', { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'cpu', 'autoscaling.knative.dev/target': '70' }, {}],
    ['containerConcurrency', { 'autoscaling.knative.dev/max-scale': '5' }, { 'ebb.dev/kpa.container-concurrency': '1' }],
  ])('%s', (_name, annotations, extra) => {
    const c = convertKnativeService(ksvc(annotations, Object.keys(extra).length ? '\n      containerConcurrency: 1' : ''), source, known);
    expect(c.target).toEqual({ namespace: 'shop', name: 'coffee' });
    expect(c.annotations).toEqual({ ...annotations, ...extra });
  });

  it('leaves out annotations Ebb does not read and HPA-class custom metrics, and notes traffic splits', () => {
    const c = convertKnativeService(
      ksvc(
        { 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'rps', 'autoscaling.knative.dev/target': '100', 'autoscaling.knative.dev/made-up': 'x', 'run.googleapis.com/cpu-throttling': 'false' },
        '\n  traffic: [{tag: current, revisionName: coffee-1, percent: 50}, {latestRevision: true, percent: 50}]',
      ),
      source,
      known,
    );
    expect(c.annotations).toEqual({ 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' });
    const notes = c.notes.join('\n');
    expect(notes).toContain('annotation autoscaling.knative.dev/made-up: "x" is not read by Ebb');
    expect(notes).toContain('metric: "rps" with the HPA class');
    expect(notes).toContain('spec.traffic (2 entries');
    expect(notes).not.toContain('run.googleapis.com');
  });

  it('keeps HTTP/2 towards pods whose port Knative names h2c', () => {
    const c = convertKnativeService(parse('spec: {template: {spec: {containers: [{image: x, ports: [{name: h2c, containerPort: 8080}]}]}}}'), source, known);
    expect(c.annotations).toEqual({ 'ebb.dev/eventgw.protocol': 'h2c' });
    expect(convertKnativeService(parse('spec: {template: {spec: {containers: [{image: x, ports: [{name: http1, containerPort: 8080}]}]}}}'), source, known).annotations).toEqual({});
  });

  it('does not note a plain 100 % latest-revision route', () => {
    const c = convertKnativeService(ksvc({}, '\n  traffic: [{latestRevision: true, percent: 100}]'), source, known);
    expect(c.notes.join('\n')).not.toContain('spec.traffic');
  });

  it('rejects a containerConcurrency out of range', () => {
    expect(() => convertKnativeService(ksvc({}, '\n      containerConcurrency: 5000'), source, known)).toThrow(
      'kn.yaml: document 1 (Service shop/coffee): spec.template.spec.containerConcurrency: got 5000; allowed: an integer >= 0 and <= 1000',
    );
  });
});
