import { defineConfig } from 'vitest/config';
import { ebbVitestConfig } from '../../vitest.shared.ts';

// The metrics.k8s.io collector is tested against metrics-server on the local cluster.
export default defineConfig(ebbVitestConfig(import.meta.dirname, 'plugin-hpa', { cluster: true }));
