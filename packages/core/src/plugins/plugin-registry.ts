import { EbbError, ErrorCodes } from '../contracts/errors.ts';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { CORE_VERSION } from '../version.ts';
import { checkManifest } from './manifest.ts';

/** Options of {@link PluginRegistry}. */
export interface PluginRegistryOptions {
  /** The core version manifests' `coreVersion` ranges are checked against; default {@link CORE_VERSION}. */
  readonly coreVersion?: string;
}

/**
 * The policy plugins of one scaler, checked when they are registered (at start-up, not at the first tick):
 * {@link PluginRegistry.register} checks the manifest (`EBB_PLUGIN_INVALID_MANIFEST`), the supported core range
 * (`EBB_PLUGIN_UNSUPPORTED_CORE`) and duplicate ids (`EBB_PLUGIN_DUPLICATE_ID`); once every plugin is in,
 * {@link PluginRegistry.validate} checks dependencies (`EBB_PLUGIN_MISSING_DEPENDENCY`).
 */
export class PluginRegistry {
  private readonly byId = new Map<string, PolicyPlugin<unknown, unknown>>();
  private readonly coreVersion: string;

  constructor(options: PluginRegistryOptions = {}) {
    this.coreVersion = options.coreVersion ?? CORE_VERSION;
  }

  /** Registers every plugin, then validates dependencies; throws the first {@link EbbError} found. */
  static of(plugins: Iterable<PolicyPlugin<unknown, unknown>>, options: PluginRegistryOptions = {}): PluginRegistry {
    const registry = new PluginRegistry(options);
    for (const p of plugins) registry.register(p);
    registry.validate();
    return registry;
  }

  /** Adds a plugin after checking its manifest, its core range and that its id is new. */
  register<C, S>(plugin: PolicyPlugin<C, S>): void {
    const p = (typeof plugin === 'object' && plugin !== null ? plugin : {}) as Partial<PolicyPlugin<C, S>>;
    checkManifest(p.manifest, this.coreVersion);
    const id = p.manifest.id;
    const shape = [
      typeof p.recommend === 'function' ? undefined : 'recommend is not a function',
      typeof p.config?.parse === 'function' && typeof p.config.keys === 'function' ? undefined : 'config is not a config schema',
      p.metrics === undefined || typeof p.metrics === 'function' ? undefined : 'metrics is not a function',
    ].filter((why) => why !== undefined);
    if (shape.length) throw new EbbError(ErrorCodes.PLUGIN_INVALID_MANIFEST, `plugin "${id}": ${shape.join('; ')}`);
    if (this.byId.has(id)) {
      const other = this.byId.get(id)?.manifest.version;
      throw new EbbError(ErrorCodes.PLUGIN_DUPLICATE_ID, `plugin "${id}" is registered twice (versions ${other} and ${p.manifest.version})`);
    }
    this.byId.set(id, plugin as unknown as PolicyPlugin<unknown, unknown>);
  }

  /** Checks that every plugin's dependencies are registered; one error names every missing one. */
  validate(): void {
    const missing: string[] = [];
    for (const [id, p] of this.plugins()) {
      for (const dep of p.manifest.dependencies ?? []) if (!this.byId.has(dep)) missing.push(`plugin "${id}" depends on "${dep}", which is not registered`);
    }
    if (missing.length) throw new EbbError(ErrorCodes.PLUGIN_MISSING_DEPENDENCY, missing.join('; '));
  }

  /** The registered plugins by id, sorted by id. */
  plugins(): ReadonlyMap<string, PolicyPlugin<unknown, unknown>> {
    return new Map([...this.byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The plugin registered under `id`, or undefined. */
  get(id: string): PolicyPlugin<unknown, unknown> | undefined {
    return this.byId.get(id);
  }

  /** Whether a plugin is registered under `id`. */
  has(id: string): boolean {
    return this.byId.has(id);
  }
}
