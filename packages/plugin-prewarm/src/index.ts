/**
 * @ebb/plugin-prewarm: the `prewarm` policy plugin, learned keep-alive and pre-warming per target from a histogram
 * of idle times (the hybrid histogram policy of Shahrad et al., "Serverless in the Wild", USENIX ATC 2020).
 * `ebb run` loads it as a built-in (`prewarm`) or by package name and calls {@link createPlugin}.
 */
export { createPlugin, PREWARM_PLUGIN_ID, type PrewarmPlugin } from './prewarm-plugin.ts';
export { BIN_MS, prewarmConfigSchema, PREWARM_METRIC, PREWARM_METRICS, type PrewarmConfig, type PrewarmMetric } from './prewarm-config.ts';
export { BURST_HOLD_MS, recommendPrewarm } from './recommend-prewarm.ts';
export { hybridWindows, FORECAST_MARGIN, type KeepWindows, type WindowMode } from './hybrid-windows.ts';
export { addIdle, binCountCv, EMPTY_HISTOGRAM, percentileBin, sampleCount, type IdleHistogram } from './idle-histogram.ts';
export { GAP_MS, METRIC_RETENTION_MS, trackDemand, type DemandTrack } from './demand-tracker.ts';
export { decodePersisted, encodePersisted, type PersistedPrewarm } from './persisted-state.ts';
export { initialState, PERSIST_EVERY_MS, PERSIST_WHEN_IDLE_MS, type PrewarmState } from './prewarm-state.ts';
