import type { PluginFactory } from './runtime/plugin-loader.ts';

/**
 * The built-in policy plugins by id, in one sorted list. Adding one: export a factory from its package and add
 * a line here (see docs/plugins.md).
 */
export const BUILTIN_FACTORIES: Readonly<Record<string, PluginFactory>> = {};
