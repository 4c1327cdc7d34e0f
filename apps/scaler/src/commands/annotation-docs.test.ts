import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PluginRegistry } from '@ebb/core';
import { describe, expect, it } from 'vitest';
import { BUILTIN_FACTORIES } from '../builtins.ts';
import { OFFLINE_CONTEXT } from '../runtime/plugin-loader.ts';
import { renderAnnotationDocs } from './annotation-docs.ts';

const DOC = fileURLToPath(new URL('../../../../docs/annotations.md', import.meta.url));

describe('docs/annotations.md', () => {
  it('is what the schemas generate (run `npm run docs:annotations` after changing a schema)', () => {
    const plugins = PluginRegistry.of(Object.values(BUILTIN_FACTORIES).map((f) => f(undefined, OFFLINE_CONTEXT) as never)).plugins();
    const generated = renderAnnotationDocs(plugins);
    expect(generated).toContain('`ebb.dev/min-replicas`');
    expect(generated).toContain('`autoscaling.knative.dev/min-scale`');
    expect(readFileSync(DOC, 'utf8')).toBe(generated);
  });
});
