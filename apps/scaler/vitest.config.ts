import { defineConfig } from 'vitest/config';
import { ebbVitestConfig } from '../../vitest.shared.ts';

// src/netns runs in a private network namespace with kube-proxy: vitest.netns.config.ts (target test-netns).
export default defineConfig(ebbVitestConfig(import.meta.dirname, 'scaler', { cluster: true, exclude: ['src/netns/**'] }));
