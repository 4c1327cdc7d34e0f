import { EbbError, ErrorCodes, silentLogger, systemClock, type Clock, type Logger, type PolicyPlugin } from '@ebb/core';
import type { KubeConfig } from '@kubernetes/client-node';

/** What the scaler hands a plugin factory besides its options: the scaler's own cluster access and clock. */
export interface PluginContext {
  /** The scaler's KubeConfig (loaded on first call), for plugins that bring collectors. */
  readonly kubeConfig: () => KubeConfig;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The context of offline uses (validate, docs): asking for the cluster fails with a clear error. */
export const OFFLINE_CONTEXT: PluginContext = {
  kubeConfig: () => {
    throw new EbbError(ErrorCodes.KUBE_UNAVAILABLE, 'this command works offline and has no cluster to give a plugin');
  },
  clock: systemClock,
  logger: silentLogger,
};

/** A plugin factory: takes the options from the config file's `pluginOptions.<id>` and the scaler's context. */
export type PluginFactory = (options: unknown, context: PluginContext) => PolicyPlugin<unknown, unknown>;

/** Whether a value looks like a policy plugin (manifest, config schema, recommend). */
function isPlugin(v: unknown): v is PolicyPlugin<unknown, unknown> {
  const p = v as Partial<PolicyPlugin<unknown, unknown>> | null;
  return !!p && typeof p === 'object' && typeof p.recommend === 'function' && typeof p.manifest?.id === 'string' && typeof p.config?.parse === 'function';
}

/**
 * Resolves what an external package exports, in this order: `createPlugin(options)`, `plugin`, the default
 * export (a plugin or a factory).
 */
function fromModule(mod: Record<string, unknown>, options: unknown): PolicyPlugin<unknown, unknown> | undefined {
  for (const candidate of [mod['createPlugin'], mod['plugin'], mod['default']]) {
    if (isPlugin(candidate)) return candidate;
    if (typeof candidate === 'function') {
      const made: unknown = (candidate as (o: unknown) => unknown)(options);
      if (isPlugin(made)) return made;
    }
  }
  return undefined;
}

/**
 * Loads the configured plugins: built-in ids through their factories, anything else as an npm package name by
 * dynamic import. Options for a package-loaded plugin are looked up by the package name and by the plugin's id.
 * Failures are `EBB_PLUGIN_LOAD_FAILED` naming the plugin.
 */
export async function loadPlugins(
  names: readonly string[],
  builtins: Readonly<Record<string, PluginFactory>>,
  pluginOptions: Readonly<Record<string, unknown>>,
  context: PluginContext,
  importer: (specifier: string) => Promise<Record<string, unknown>> = (s) => import(s) as Promise<Record<string, unknown>>,
): Promise<PolicyPlugin<unknown, unknown>[]> {
  const out: PolicyPlugin<unknown, unknown>[] = [];
  for (const name of names) {
    const builtin = builtins[name];
    if (builtin) {
      out.push(builtin(pluginOptions[name], context));
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await importer(name);
    } catch (e) {
      const known = Object.keys(builtins).sort().join(', ');
      throw new EbbError(ErrorCodes.PLUGIN_LOAD_FAILED, `plugin "${name}" is not built in (${known}) and could not be imported as a package: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
    const plugin = fromModule(mod, pluginOptions[name]);
    if (!plugin) {
      throw new EbbError(ErrorCodes.PLUGIN_LOAD_FAILED, `package "${name}" exports no policy plugin: expected createPlugin(options), plugin, or a default export with manifest, config and recommend`);
    }
    const byId = pluginOptions[plugin.manifest.id];
    out.push(byId !== undefined && pluginOptions[name] === undefined ? (fromModule(mod, byId) ?? plugin) : plugin);
  }
  return out;
}
