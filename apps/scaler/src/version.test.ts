import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EBB_VERSION } from './version.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('ebb --version', () => {
  it('is the version of the package', () => {
    expect(EBB_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(EBB_VERSION).toBe(manifest.version);
  });

  it.each([['--version'], ['-V']])('%s prints it alone on stdout and exits 0', async (flag) => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--conditions=@ebb/source', '--disable-warning=ExperimentalWarning', MAIN, flag]);
    expect(stdout).toBe(`${manifest.version}\n`);
    expect(stderr).toBe('');
  });
});
