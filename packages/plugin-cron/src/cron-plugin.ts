import {
  CORE_VERSION,
  EbbError,
  ErrorCodes,
  defineConfig,
  field,
  type ConfigSchema,
  type PolicyPlugin,
  type SchedulingPlugin,
} from '@ebb/core';
import { scheduleBoundaries } from './boundary-scheduler.ts';
import type { CronConfig, CronState, CronWindow } from './cron-window.ts';
import { parseWindows } from './parse-windows.ts';
import { recommendFloor } from './recommend-floor.ts';
import { canonicalTimeZone } from './zoned-time.ts';

/** The plugin id, also its annotation sub-namespace. */
export const CRON_PLUGIN_ID = 'cron';
/** The plugin's version (kept equal to package.json). */
export const CRON_PLUGIN_VERSION = '0.1.0';
/** The short annotation holding the window list (as in the design brief). */
export const CRON_ANNOTATION = 'ebb.dev/cron';
/** The canonical key of the window list under the plugin's prefix: `ebb.dev/cron.windows`; it wins over the short one. */
export const CRON_WINDOWS_KEY = 'windows';

/** Options of {@link createCronPlugin}. */
export interface CronPluginOptions {
  /** IANA time zone for windows without `timezone` (from the scaler's config); default `UTC`. */
  readonly defaultTimezone?: string;
}

/** The cron plugin: a policy plugin with the scheduling capability. */
export type CronPlugin = PolicyPlugin<CronConfig, CronState> & SchedulingPlugin<CronConfig>;

/** The config schema of the cron plugin: one YAML field, the window list. */
export function cronConfigSchema(defaultTimezone: string): ConfigSchema<CronConfig> {
  return defineConfig({
    windows: field<readonly CronWindow[]>({
      key: CRON_WINDOWS_KEY,
      aliases: [CRON_ANNOTATION],
      type: {
        kind: 'yaml',
        parse(doc, issue) {
          const parsed = parseWindows(doc, defaultTimezone);
          for (const p of parsed.problems) issue(p.message, p.allowed);
          return parsed.windows;
        },
      },
      default: [],
      description:
        'YAML list of time windows (name, start cron, end cron or duration, timezone, replicas, leadTime, exclude, ' +
        'from, runOnce); while a window is active the target keeps at least its replicas. See plugin-cron README.',
    }),
  });
}

/**
 * Creates the cron plugin: windows from the `ebb.dev/cron` annotation become replica floors while active, and
 * the loop is poked at every window boundary.
 *
 * @throws EbbError `EBB_CONFIG_FILE_INVALID` when `defaultTimezone` is not a known IANA time zone.
 */
export function createCronPlugin(options: CronPluginOptions = {}): CronPlugin {
  const zone = canonicalTimeZone(options.defaultTimezone ?? 'UTC');
  if (zone === undefined) {
    throw new EbbError(
      ErrorCodes.CONFIG_FILE_INVALID,
      `cron plugin: defaultTimezone ${JSON.stringify(options.defaultTimezone)} is not a known IANA time zone; ` +
        'allowed: a zone such as "UTC", "Europe/Berlin" or "America/New_York"',
    );
  }
  return {
    manifest: {
      id: CRON_PLUGIN_ID,
      version: CRON_PLUGIN_VERSION,
      coreVersion: `^${CORE_VERSION}`,
      description: 'Scheduled capacity: cron time windows as replica floors, with time zones, lead time and exclusions.',
    },
    config: cronConfigSchema(zone),
    recommend: (input) => recommendFloor(input.config.windows, input.nowMs),
    schedule: (ctx) => scheduleBoundaries({ windows: ctx.config.windows, clock: ctx.clock, poke: ctx.poke }),
  };
}
