import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME } from './index.ts';

describe('testing', () => {
  it('has a name', () => expect(PACKAGE_NAME).toBe('@ebb/testing'));
});
