import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from './index.ts';

describe('plugin-cron', () => {
  it('has a name', () => expect(PACKAGE_NAME).toBe('@ebb/plugin-cron'));
});
