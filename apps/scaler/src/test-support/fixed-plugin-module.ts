/**
 * A plugin package stand-in: `ebb run` loads it by specifier through dynamic import, exactly as it loads an
 * npm package by name.
 */
export { fixedPlugin as plugin } from './test-plugins.ts';
