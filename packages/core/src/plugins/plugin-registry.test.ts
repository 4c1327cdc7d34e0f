import { describe, expect, it } from 'vitest';
import { ErrorCodes, isEbbError, type ErrorCode } from '../contracts/errors.ts';
import type { PluginManifest, PolicyPlugin } from '../contracts/plugin.ts';
import { defineConfig, field } from '../config/define-config.ts';
import { CORE_VERSION } from '../version.ts';
import { PluginRegistry } from './plugin-registry.ts';

const schema = defineConfig({ target: field({ key: 'target', type: { kind: 'number', min: 0.01 }, default: 10, description: 'Target.' }) });

function plugin(manifest: Partial<PluginManifest> & { id: string }): PolicyPlugin<{ target: number }, undefined> {
  return {
    manifest: { version: '1.0.0', coreVersion: `^${CORE_VERSION}`, description: `the ${manifest.id} policy`, ...manifest },
    config: schema,
    recommend: ({ config }) => ({ recommendation: { kind: 'replicas', replicas: Math.ceil(config.target), reason: 'fixed' } }),
  };
}

/** The EbbError code `fn` throws (fails the test when it throws something else, or nothing). */
function codeOf(fn: () => void): ErrorCode {
  try {
    fn();
  } catch (e) {
    if (isEbbError(e)) return e.code;
    throw e;
  }
  throw new Error('expected an EbbError, nothing was thrown');
}

describe('PluginRegistry.register: manifest checks', () => {
  it.each([
    ['an upper-case id', { id: 'KPA' }],
    ['an id with an underscore', { id: 'event_gateway' }],
    ['an id starting with a digit', { id: '1kpa' }],
    ['an id with a trailing dash', { id: 'kpa-' }],
    ['an empty id', { id: '' }],
    ['a version that is not semver', { id: 'kpa', version: '1.0' }],
    ['a version with a v prefix', { id: 'kpa', version: 'v1.0.0' }],
    ['a coreVersion that is not a range', { id: 'kpa', coreVersion: 'latest' }],
    ['an empty coreVersion', { id: 'kpa', coreVersion: '' }],
    ['an empty description', { id: 'kpa', description: ' ' }],
    ['a dependency that is not an id', { id: 'cron', dependencies: ['Not An Id'] }],
    ['a dependency on itself', { id: 'cron', dependencies: ['cron'] }],
    ['a repeated dependency', { id: 'cron', dependencies: ['kpa', 'kpa'] }],
  ])('rejects %s with EBB_PLUGIN_INVALID_MANIFEST', (_name, manifest) => {
    expect(codeOf(() => new PluginRegistry().register(plugin(manifest)))).toBe(ErrorCodes.PLUGIN_INVALID_MANIFEST);
  });

  it.each([
    ['no manifest', { config: schema, recommend: () => ({ recommendation: { kind: 'no-opinion', reason: '' } }) }],
    ['no recommend', { manifest: plugin({ id: 'kpa' }).manifest, config: schema }],
    ['no config schema', { manifest: plugin({ id: 'kpa' }).manifest, recommend: () => ({}) }],
    ['metrics that is not a function', { ...plugin({ id: 'kpa' }), metrics: [] }],
    ['not an object', null],
  ])('rejects a plugin with %s with EBB_PLUGIN_INVALID_MANIFEST', (_name, shape) => {
    expect(codeOf(() => new PluginRegistry().register(shape as unknown as PolicyPlugin))).toBe(ErrorCodes.PLUGIN_INVALID_MANIFEST);
  });

  it.each([
    ['kpa', {}],
    ['event-gateway', { version: '2.3.4-beta.1+build.7' }],
    ['hpa2', { dependencies: [] }],
  ])('accepts %s', (id, extra) => {
    const registry = new PluginRegistry();
    registry.register(plugin({ id, ...extra }));
    expect(registry.has(id)).toBe(true);
  });

  it('names the plugin and the field in the message', () => {
    expect(() => new PluginRegistry().register(plugin({ id: 'kpa', version: 'one' }))).toThrow('plugin "kpa": invalid manifest: version "one" is not a semver version');
  });
});

describe('PluginRegistry.register: core version', () => {
  it.each([
    ['0.1.0', '^0.1.0', true],
    ['0.1.5', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.0.0', '>=0.1.0 <2', true],
    ['2.0.0', '>=0.1.0 <2', false],
    ['0.1.0', '0.x || 1.x', true],
    ['0.3.0-rc.1', '^0.3.0-0', true],
    ['0.1.0', '^1.0.0', false],
  ])('core %s with coreVersion %s: supported=%s', (core, range, supported) => {
    const register = (): void => new PluginRegistry({ coreVersion: core }).register(plugin({ id: 'kpa', coreVersion: range }));
    if (supported) expect(register).not.toThrow();
    else expect(codeOf(register)).toBe(ErrorCodes.PLUGIN_UNSUPPORTED_CORE);
  });

  it('checks against CORE_VERSION by default and says both versions', () => {
    expect(() => new PluginRegistry().register(plugin({ id: 'kpa', version: '3.0.0', coreVersion: '^99.0.0' }))).toThrow(
      `plugin "kpa" 3.0.0 requires @ebb/core ^99.0.0, but this core is ${CORE_VERSION}`,
    );
  });
});

describe('PluginRegistry: duplicates and dependencies', () => {
  it('rejects a second plugin with the same id with EBB_PLUGIN_DUPLICATE_ID', () => {
    const registry = new PluginRegistry();
    registry.register(plugin({ id: 'kpa' }));
    expect(codeOf(() => registry.register(plugin({ id: 'kpa', version: '2.0.0' })))).toBe(ErrorCodes.PLUGIN_DUPLICATE_ID);
    expect(registry.get('kpa')?.manifest.version).toBe('1.0.0');
  });

  it.each([
    ['registered later', [{ id: 'cron', dependencies: ['kpa'] }, { id: 'kpa' }], undefined],
    ['registered earlier', [{ id: 'kpa' }, { id: 'cron', dependencies: ['kpa'] }], undefined],
    ['a chain', [{ id: 'a', dependencies: ['b'] }, { id: 'b', dependencies: ['c'] }, { id: 'c' }], undefined],
    ['missing', [{ id: 'cron', dependencies: ['kpa'] }], ErrorCodes.PLUGIN_MISSING_DEPENDENCY],
    ['one of two missing', [{ id: 'cron', dependencies: ['kpa', 'hpa'] }, { id: 'kpa' }], ErrorCodes.PLUGIN_MISSING_DEPENDENCY],
  ] as const)('a dependency %s', (_name, manifests, code) => {
    const registry = new PluginRegistry();
    for (const m of manifests) registry.register(plugin(m));
    if (code) expect(codeOf(() => registry.validate())).toBe(code);
    else expect(() => registry.validate()).not.toThrow();
  });

  it('names every missing dependency in one error', () => {
    const registry = new PluginRegistry();
    registry.register(plugin({ id: 'cron', dependencies: ['kpa', 'hpa'] }));
    registry.register(plugin({ id: 'eventgw', dependencies: ['kpa'] }));
    expect(() => registry.validate()).toThrow(
      'plugin "cron" depends on "kpa", which is not registered; plugin "cron" depends on "hpa", which is not registered; plugin "eventgw" depends on "kpa", which is not registered',
    );
  });

  it('builds a checked registry in one call and lists plugins sorted by id', () => {
    const registry = PluginRegistry.of([plugin({ id: 'kpa' }), plugin({ id: 'cron', dependencies: ['kpa'] }), plugin({ id: 'hpa' })]);
    expect([...registry.plugins().keys()]).toEqual(['cron', 'hpa', 'kpa']);
    expect(codeOf(() => PluginRegistry.of([plugin({ id: 'cron', dependencies: ['kpa'] })]))).toBe(ErrorCodes.PLUGIN_MISSING_DEPENDENCY);
  });
});
