import { describe, expect, it } from 'vitest';
import { formatBytes, quantityText, quantityToMilli, quantityToNumber, quantityToUnits } from './quantity.ts';

describe('Kubernetes quantities', () => {
  it.each([
    { text: '500m', milli: 500, units: 1, number: 0.5 },
    { text: '0.1', milli: 100, units: 1, number: 0.1 },
    { text: '1', milli: 1000, units: 1, number: 1 },
    { text: '1.5', milli: 1500, units: 2, number: 1.5 },
    { text: '.5', milli: 500, units: 1, number: 0.5 },
    { text: '5.', milli: 5000, units: 5, number: 5 },
    { text: '+2', milli: 2000, units: 2, number: 2 },
    { text: '-1', milli: -1000, units: -1, number: -1 },
    { text: '512Mi', milli: 536870912000, units: 536870912, number: 536870912 },
    { text: '1Ki', milli: 1024000, units: 1024, number: 1024 },
    { text: '1.5Gi', milli: 1610612736000, units: 1610612736, number: 1610612736 },
    { text: '1G', milli: 1e12, units: 1e9, number: 1e9 },
    { text: '2k', milli: 2e6, units: 2000, number: 2000 },
    { text: '1e3', milli: 1e6, units: 1000, number: 1000 },
    { text: '1E3', milli: 1e6, units: 1000, number: 1000 },
    { text: '1E', milli: 1e21, units: 1e18, number: 1e18 },
    { text: '1e-2', milli: 10, units: 1, number: 0.01 },
    { text: '100n', milli: 1, units: 1, number: 1e-7 },
    { text: '250u', milli: 1, units: 1, number: 0.00025 },
    { text: '123456789n', milli: 124, units: 1, number: 0.123456789 },
    { text: ' 512Mi ', milli: 536870912000, units: 536870912, number: 536870912 },
  ])('$text', ({ text, milli, units, number }) => {
    expect(quantityToMilli(text)).toBe(milli);
    expect(quantityToUnits(text)).toBe(units);
    expect(quantityToNumber(text)).toBeCloseTo(number, 12);
  });

  it.each(['', 'abc', 'Mi', '1K', '1.2.3', '1 Mi', '1mi', '1toString', '1constructor', '--1', '1e', '0x10'])('rejects %j', (text) => {
    expect(quantityToMilli(text)).toBeUndefined();
    expect(quantityToUnits(text)).toBeUndefined();
    expect(quantityToNumber(text)).toBeUndefined();
  });

  it.each([
    { doc: '512Mi', text: '512Mi' },
    { doc: 0.5, text: '0.5' },
    { doc: 1e21, text: '1e21' },
    { doc: 2, text: '2' },
    { doc: true, text: undefined },
    { doc: null, text: undefined },
    { doc: Number.NaN, text: undefined },
  ])('reads the YAML scalar $doc as $text', ({ doc, text }) => {
    expect(quantityText(doc)).toBe(text);
  });

  it.each([
    { bytes: 536870912, text: '512Mi' },
    { bytes: 1610612736, text: '1.5Gi' },
    { bytes: 2048, text: '2Ki' },
    { bytes: 1000, text: '1000' },
  ])('formats $bytes bytes as $text', ({ bytes, text }) => expect(formatBytes(bytes)).toBe(text));
});
