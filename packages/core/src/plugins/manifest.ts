import { satisfies, valid, validRange } from 'semver';
import { EbbError, ErrorCodes } from '../contracts/errors.ts';
import type { PluginManifest } from '../contracts/plugin.ts';

/** A plugin id: lower-case kebab, starting with a letter, e.g. `kpa`, `event-gateway`, `hpa2`. */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks a plugin manifest against the running core. Throws an {@link EbbError} naming the plugin:
 * - `EBB_PLUGIN_INVALID_MANIFEST` for a missing or malformed field: id not lower-case kebab, version not a
 *   semver version (`1.2.3`, no `v` prefix), coreVersion not a semver range, empty description, dependencies
 *   that are not plugin ids (or name the plugin itself, or repeat);
 * - `EBB_PLUGIN_UNSUPPORTED_CORE` when `coreVersion` does not include `coreVersion` of this core.
 */
export function checkManifest(manifest: unknown, coreVersion: string): asserts manifest is PluginManifest {
  const m = (typeof manifest === 'object' && manifest !== null ? manifest : {}) as Partial<Record<keyof PluginManifest, unknown>>;
  const name = typeof m.id === 'string' && m.id !== '' ? `plugin "${m.id}"` : 'a plugin without an id';
  const invalid = (why: string): never => {
    throw new EbbError(ErrorCodes.PLUGIN_INVALID_MANIFEST, `${name}: invalid manifest: ${why}`);
  };
  if (typeof manifest !== 'object' || manifest === null) invalid('the manifest is missing');
  if (typeof m.id !== 'string' || !PLUGIN_ID_PATTERN.test(m.id)) {
    invalid(`id ${JSON.stringify(m.id)} is not lower-case kebab (e.g. kpa, event-gateway)`);
  }
  if (typeof m.version !== 'string' || valid(m.version) !== m.version.replace(/\+.*$/, '')) {
    invalid(`version ${JSON.stringify(m.version)} is not a semver version (e.g. 1.2.3)`);
  }
  if (typeof m.coreVersion !== 'string' || m.coreVersion.trim() === '' || validRange(m.coreVersion) === null) {
    invalid(`coreVersion ${JSON.stringify(m.coreVersion)} is not a semver range (e.g. ^0.1.0)`);
  }
  if (typeof m.description !== 'string' || m.description.trim() === '') invalid('description is empty');
  if (m.dependencies !== undefined) {
    const deps = m.dependencies;
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string' || !PLUGIN_ID_PATTERN.test(d))) {
      invalid(`dependencies ${JSON.stringify(deps)} must be a list of plugin ids`);
    }
    if ((deps as string[]).includes(m.id as string)) invalid('a plugin cannot depend on itself');
    if (new Set(deps as string[]).size !== (deps as string[]).length) invalid('dependencies repeat an id');
  }
  if (!satisfies(coreVersion, m.coreVersion as string, { includePrerelease: true })) {
    throw new EbbError(
      ErrorCodes.PLUGIN_UNSUPPORTED_CORE,
      `${name} ${String(m.version)} requires @ebb/core ${String(m.coreVersion)}, but this core is ${coreVersion}`,
    );
  }
}
