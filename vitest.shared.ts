import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

/** Options for {@link ebbVitestConfig}. */
export interface EbbVitestOptions {
  /**
   * The project's tests talk to the real local Kubernetes control plane: one cluster is started per test run
   * (or the one named by `EBB_TEST_KUBECONFIG` is reused) and each test file gets its own namespace.
   */
  cluster?: boolean;
  /** Test files (default: every `*.test.ts` under src). */
  include?: readonly string[];
  /** Test files left out (e.g. the ones another configuration runs). */
  exclude?: readonly string[];
}

const globalSetup = fileURLToPath(new URL('./packages/testing/src/vitest-global-setup.ts', import.meta.url));

/** The one vitest configuration every project uses, so that all projects resolve and run tests alike. */
export function ebbVitestConfig(root: string, name: string, options: EbbVitestOptions = {}): ViteUserConfig {
  return {
    root,
    cacheDir: `../../node_modules/.vite/${name}`,
    resolve: { conditions: ['@ebb/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@ebb/source', 'node', 'import', 'default'] } },
    test: {
      name,
      watch: false,
      environment: 'node',
      include: [...(options.include ?? ['src/**/*.test.ts'])],
      ...(options.exclude ? { exclude: ['**/node_modules/**', ...options.exclude] } : {}),
      reporters: ['default'],
      ...(options.cluster
        ? { globalSetup: [globalSetup], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: true, maxWorkers: 2 }
        : { testTimeout: 10_000 }),
      benchmark: { include: ['src/**/*.bench.ts'] },
    },
  };
}
