import { describe, expect, it } from 'vitest';
import type { PolicyPlugin } from '../contracts/plugin.ts';
import { configProblems, decisionProblems, manifestProblems, scenarioInput, type ContractScenario } from './contract-checks.ts';

/** Options of {@link pluginContractSuite}. */
export interface PluginContractOptions<C = unknown, S = unknown> {
  /** The plugin under test, or a factory called once per check (for plugins that keep state in closures). */
  readonly plugin: PolicyPlugin<C, S> | (() => PolicyPlugin<C, S>);
  /** Plugins it depends on (`manifest.dependencies`), registered with it. */
  readonly dependencies?: readonly PolicyPlugin<unknown, unknown>[];
  /**
   * Annotations every check starts from (full names). Leave empty when the defaults alone are a valid
   * configuration; a plugin with a required key (a schedule, a host) names a minimal valid value here.
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Further situations to decide in, e.g. with samples of the plugin's metrics. Two always run: no metrics at all
   * with one pod, and no metrics at all with no pod.
   */
  readonly scenarios?: readonly ContractScenario[];
  /** The core version the manifest is checked against (default: this core). */
  readonly coreVersion?: string;
}

/**
 * Registers vitest tests that every policy plugin must pass:
 * - the manifest is valid for this core and a `PluginRegistry` accepts the plugin;
 * - the config schema parses the defaults (plus `annotations`), describes every field, keeps its keys under
 *   `ebb.dev/<id>.` and renders into the annotation reference;
 * - `recommend` on empty metrics (and on each scenario) does not throw, answers one of `replicas` (an integer
 *   >= 0), `no-opinion` or `no-data` with a reason, answers the same twice for the same input (also one step later
 *   with its own state), never mutates its input, and never reads the clock, `Math.random`, the network or the
 *   console.
 *
 * Call it at the top level of a test file:
 * ```ts
 * import { pluginContractSuite } from '@ebb/core/testing';
 * pluginContractSuite({ plugin: createQueueDepthPlugin(), scenarios: [{ name: 'deep queue', series: { 'queue-depth': [500] } }] });
 * ```
 */
export function pluginContractSuite<C, S>(options: PluginContractOptions<C, S>): void {
  const make = (): PolicyPlugin<unknown, unknown> => (typeof options.plugin === 'function' ? options.plugin() : options.plugin) as PolicyPlugin<unknown, unknown>;
  const id = make().manifest?.id ?? '(no id)';
  const deps = options.dependencies ?? [];
  const base = options.annotations ?? {};
  const scenarios: ContractScenario[] = [
    { name: 'no metrics, one pod', replicas: { current: 1, ready: 1 } },
    { name: 'no metrics, no pod', replicas: { current: 0, ready: 0 } },
    ...(options.scenarios ?? []),
  ];

  describe(`policy plugin contract: ${id}`, () => {
    it('has a valid manifest that a plugin registry accepts', () => {
      expect(manifestProblems(make(), deps, options.coreVersion)).toEqual([]);
    });

    it('parses its defaults and documents every key', () => {
      expect(configProblems(make(), base)).toEqual([]);
    });

    it.each(scenarios.map((s) => [s.name, s] as const))('decides purely and validly: %s', (_name, scenario) => {
      const plugin = make();
      const { input, problems } = scenarioInput(plugin, scenario, base);
      expect(problems).toEqual([]);
      if (input) expect(decisionProblems(plugin, input)).toEqual([]);
    });
  });
}
