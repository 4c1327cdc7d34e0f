import { describe, expect, it } from 'vitest';
import { H2_PREFACE, sniffPreface } from './h2-sniff.ts';

describe('sniffPreface', () => {
  it.each([
    ['GET / HTTP/1.1\r\n', 'http1'],
    ['P', 'more'],
    ['PRI * HTTP/2.0\r\n', 'more'],
    ['POST / HTTP/1.1\r\n', 'http1'],
    ['PRI * HTTP/1.1\r\n', 'http1'],
    [`${H2_PREFACE.toString('latin1')}`, 'h2'],
    [`${H2_PREFACE.toString('latin1')}\u0000\u0000\u0012\u0004`, 'h2'],
  ])('%j -> %s', (bytes, kind) => {
    expect(sniffPreface(Buffer.from(bytes, 'latin1'))).toBe(kind);
  });
});
