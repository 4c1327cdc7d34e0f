/**
 * @ebb/core/testing: what a plugin author needs to test a policy plugin: the shared contract suite (vitest), the
 * checks behind it as plain functions, and metric views built from samples. `ManualClock` (for collectors and
 * scheduling plugins) comes from `@ebb/core`. This entry point imports vitest; the main entry point never does.
 */
export { pluginContractSuite, type PluginContractOptions } from './plugin-contract-suite.ts';
export {
  CONTRACT_NOW_MS,
  configProblems,
  decisionProblems,
  deepFreeze,
  emptyMetrics,
  manifestProblems,
  metricsFrom,
  outputProblems,
  prefixOf,
  scenarioInput,
  type ContractScenario,
} from './contract-checks.ts';
