/**
 * @ebb/simulator: replays traffic traces through the real control loop and policy plugins on a virtual clock,
 * against a modelled cluster and event gateway, and compares configurations by cost, cold starts and waits.
 * Everything public passes through this file.
 */
export { runSimulation, type SimulationResult, type TraceSummary, type DemandSeries } from './run/run-simulation.ts';
export { resolveSettings, type SimulationOptions, type ResolvedSettings, type ProgressListener } from './run/simulation-options.ts';
export type { ConfigurationResult, FunctionResult, FunctionSeries } from './run/results.ts';
export { percentile, percentiles } from './run/percentile.ts';
export { selectTrace, type TraceSelection } from './run/trace-selection.ts';
export { SIM_NAMESPACE } from './run/simulate-configuration.ts';
export { MIN_QUIET_MS, SLEEP_SAFE_POLICIES, type IdleStats } from './run/idle-targets.ts';
export { WARMUP_MS, warmupWarnings, type WarmupFigures } from './run/warmup.ts';
export type { SimConfiguration } from './config/configuration.ts';
export { builtinPresets, presetNamed, PRESET_NAMES, type PresetName, type PresetOptions } from './config/presets.ts';
export { parseConfigurations, readConfigurationFile } from './config/config-file.ts';
export { loadTrace, detectFormat, DEFAULT_TRACE_START_MS, type LoadTraceOptions, type TraceFormat } from './trace/load-trace.ts';
export { readAzureFunctionsTrace, MAX_TRACE_REQUESTS, type AzureReadOptions, type TextFile } from './trace/azure-functions-reader.ts';
export { readRequestTrace, parseTimestamp, MAX_REQUEST_TRACE_SPAN_MS, type DurationUnit, type RequestDurationModel, type RequestReadOptions } from './trace/request-trace-reader.ts';
export { syntheticTrace, diurnalRps, type SyntheticShape, type SyntheticOptions } from './trace/synthetic-trace.ts';
export { azureFleetCsv, type AzureFleetOptions, type AzureFleetTables } from './trace/azure-fleet.ts';
export { parseSyntheticSpec, SYNTHETIC_PREFIX } from './trace/synthetic-spec.ts';
export { traceFunctionOf, traceRequestCount, type Trace, type TraceFunction } from './trace/trace.ts';
export { createRandom, type Random } from './trace/seeded-random.ts';
export { SimulatorErrorCodes, SimulatorInputError, isSimulatorInputError, type SimulatorErrorCode } from './trace/input-error.ts';
export { parseTargetModelConfig, type TargetModelConfig } from './model/target-model-config.ts';
export { VirtualClock } from './run/virtual-clock.ts';
export { DEFAULT_CPU_MODEL, type CpuModel } from './model/modelled-collectors.ts';
export { simulateCommand, processIo, type SimulateIo } from './cli/simulate-command.ts';
export { parseSimulateArgs, SIMULATE_USAGE, type SimulateArgs } from './cli/cli-args.ts';
export { terminalReport, compareTable, configurationTable } from './report/terminal-report.ts';
export { jsonReport } from './report/json-report.ts';
export { svgChart, CHART_COLOURS } from './report/svg-chart.ts';
export { svgToPng, PNG_RENDERER, type ModuleLoader } from './report/png-export.ts';
export { ProgressBar, type ProgressSink } from './report/progress-bar.ts';
export { runRolloutReplay, type RolloutReplayOptions, type RolloutReplayResult, type RolloutModeResult } from './rollout/run-rollout.ts';
export { rolloutReport } from './rollout/rollout-report.ts';
