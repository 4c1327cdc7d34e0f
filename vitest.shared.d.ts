import type { ViteUserConfig } from 'vitest/config';
/** Options for {@link ebbVitestConfig}. */
export interface EbbVitestOptions {
    /**
     * The project's tests talk to the real local Kubernetes control plane: one cluster is started per test run
     * (or the one named by `EBB_TEST_KUBECONFIG` is reused) and each test file gets its own namespace.
     */
    cluster?: boolean;
}
/** The one vitest configuration every project uses, so that all projects resolve and run tests alike. */
export declare function ebbVitestConfig(root: string, name: string, options?: EbbVitestOptions): ViteUserConfig;
//# sourceMappingURL=vitest.shared.d.ts.map