import { readFileSync } from 'node:fs';

/**
 * The version of the `ebb` program: `version` of @ebb/scaler's package.json, read at start-up (one folder up from
 * both `src/` and the compiled `dist/`, so the sources, the packed package and the image report the same).
 */
export const EBB_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
