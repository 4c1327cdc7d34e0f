import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from './member-record.ts';
import { memberLeaseName } from './lease-membership.ts';

describe('member records', () => {
  it('round-trip, dropping empty targets and zero holds', () => {
    const text = encodeRecord(new Map([
      ['shop/b', { want: 2, held: new Map([['pod-2', 1], ['pod-1', 0]]) }],
      ['shop/a', { want: 0, held: new Map([['pod-9', 0]]) }],
    ]));
    expect(text).toBe('{"v":1,"t":{"shop/b":{"w":2,"h":{"pod-2":1}}}}');
    const back = decodeRecord(text);
    expect(back.ok && [...back.record]).toEqual([['shop/b', { want: 2, held: new Map([['pod-2', 1]]) }]]);
  });

  it.each([
    { text: 'nope', error: /not JSON/ },
    { text: '{"v":2,"t":{}}', error: /expected \{"v":1/ },
    { text: '{"v":1,"t":{"a/b":{"w":-1,"h":{}}}}', error: /target a\/b/ },
    { text: '{"v":1,"t":{"a/b":{"w":1,"h":{"p":1.5}}}}', error: /pod p: 1.5 is not a whole number/ },
  ])('refuse $text', ({ text, error }) => {
    const r = decodeRecord(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });

  it('an absent annotation is an empty record', () => {
    expect(decodeRecord(undefined)).toEqual({ ok: true, record: new Map() });
  });

  it.each([
    ['gw-7c9f-abc', 'ebb-gw-gw-7c9f-abc'],
    ['Test_Gateway', 'ebb-gw-test-gateway'],
    ['--x', 'ebb-gw-x'],
  ])('lease name of %s', (id, name) => {
    expect(memberLeaseName(id)).toBe(name);
  });
});
