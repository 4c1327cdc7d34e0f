import { defineConfig } from 'vitest/config';
import { ebbVitestConfig } from '../../vitest.shared.ts';

export default defineConfig(ebbVitestConfig(import.meta.dirname, 'traffic'));
