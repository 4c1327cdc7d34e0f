/** @ebb/scaler: the `ebb` program's building blocks, for tests and embedding. */
export { BUILTIN_FACTORIES } from './builtins.ts';
export { validateManifest, validateCommand, type ValidateFinding } from './commands/validate.ts';
export { explainCommand, formatExplain, type ExplainAnswer } from './commands/explain.ts';
export { DEFAULT_CONFIG, loadConfigFile, parseConfig, type ScalerConfig } from './runtime/config-file.ts';
export { jsonLogger, LOG_LEVELS, type LogLevel } from './runtime/logger.ts';
export { loadPlugins, OFFLINE_CONTEXT, type PluginContext, type PluginFactory } from './runtime/plugin-loader.ts';
export { jumpHash, leaseOwnership, ownsAll, type Ownership } from './runtime/ownership.ts';
export { PromObserver } from './runtime/prom-observer.ts';
export { startHttpServer } from './runtime/http-server.ts';
export { startScaler, type RunningScaler, type StartScalerOptions } from './runtime/scaler.ts';
export { buildContainer, Tokens } from './runtime/wiring.ts';
