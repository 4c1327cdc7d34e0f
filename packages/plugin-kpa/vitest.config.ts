import { defineConfig } from 'vitest/config';
import { ebbVitestConfig } from '../../vitest.shared.ts';

// The pod-scraping collector's pod watch is tested against the local cluster's apiserver.
export default defineConfig(ebbVitestConfig(import.meta.dirname, 'plugin-kpa', { cluster: true }));
