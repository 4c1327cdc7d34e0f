/**
 * @ebb/plugin-cron: scheduled capacity. Time windows from the `ebb.dev/cron` annotation become replica floors
 * while active; the loop is poked at every window boundary. Everything public passes through this file.
 */
export {
  CRON_ANNOTATION,
  CRON_PLUGIN_ID,
  CRON_PLUGIN_VERSION,
  CRON_WINDOWS_KEY,
  createCronPlugin,
  cronConfigSchema,
  type CronPlugin,
  type CronPluginOptions,
} from './cron-plugin.ts';
export type { CronConfig, CronState, CronWindow, WindowEnd } from './cron-window.ts';
export type { CronSpec } from './cron-spec.ts';
export { parseWindows, type ParsedWindows, type WindowProblem } from './parse-windows.ts';
export { recommendFloor } from './recommend-floor.ts';
export { activeOccurrence, nextActivation, type Occurrence } from './window-occurrences.ts';
export { nextBoundary, windowStatus, type Boundary, type WindowStatus } from './window-status.ts';
export { nextBoundaries, scheduleBoundaries, type BoundarySchedulerDeps } from './boundary-scheduler.ts';
