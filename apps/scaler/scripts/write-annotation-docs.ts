/** Writes docs/annotations.md from the schemas (see src/commands/annotation-docs.ts). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PluginRegistry } from '@ebb/core';
import { BUILTIN_FACTORIES } from '../src/builtins.ts';
import { OFFLINE_CONTEXT } from '../src/runtime/plugin-loader.ts';
import { renderAnnotationDocs } from '../src/commands/annotation-docs.ts';

const plugins = PluginRegistry.of(Object.values(BUILTIN_FACTORIES).map((f) => f(undefined, OFFLINE_CONTEXT) as never)).plugins();
const path = fileURLToPath(new URL('../../../docs/annotations.md', import.meta.url));
writeFileSync(path, renderAnnotationDocs(plugins));
console.log(`wrote ${path}`);
