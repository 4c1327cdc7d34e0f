import { defineConfig } from 'vitest/config';
import { ebbVitestConfig } from '../../vitest.shared.ts';

/**
 * The data-plane tests: run by `bash ../../scripts/in-pod-netns.sh npx vitest run --config vitest.netns.config.ts`
 * (the Nx target `test-netns`), inside a private network namespace where kube-proxy routes ClusterIPs by the
 * EndpointSlices of a local cluster started there.
 */
export default defineConfig(ebbVitestConfig(import.meta.dirname, 'scaler-netns', { cluster: true, include: ['src/netns/**/*.test.ts'] }));
