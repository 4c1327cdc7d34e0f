import { describe, expect, it } from 'vitest';
import { encodeGrpcMessage, formatGrpcTimeout, grpcStatusForHttp, isGrpcRequest, parseGrpcTimeout } from './grpc-status.ts';

describe('grpc-timeout', () => {
  it.each([
    ['250m', 250],
    ['2S', 2000],
    ['1M', 60_000],
    ['1H', 3_600_000],
    ['1500u', 1.5],
    ['3000000n', 3],
    ['99999999m', 99_999_999],
    ['123456789m', undefined],
    ['10s', undefined],
    ['m', undefined],
    ['-5m', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('parseGrpcTimeout(%j) = %j', (value, ms) => expect(parseGrpcTimeout(value)).toBe(ms));

  it.each([
    [250, '250m'],
    [0.2, '1m'],
    [-3, '1m'],
    [1234.5, '1235m'],
    [200_000_000, '200000S'],
  ])('formatGrpcTimeout(%j) = %s', (ms, text) => expect(formatGrpcTimeout(ms)).toBe(text));
});

describe('gRPC answers', () => {
  it.each([
    [400, 13],
    [404, 12],
    [413, 8],
    [431, 8],
    [502, 14],
    [503, 14],
    [504, 14],
    [500, 2],
  ])('HTTP %i -> gRPC %i', (status, code) => expect(grpcStatusForHttp(status)).toBe(code));

  it.each([
    ['application/grpc', true],
    ['application/grpc+proto', true],
    ['application/grpc; charset=utf-8', true],
    ['application/grpc-web', false],
    ['application/grpc-web-text+proto', false],
    ['application/json', false],
    [undefined, false],
  ])('isGrpcRequest(%s) = %s', (type, yes) => expect(isGrpcRequest(type === undefined ? {} : { 'content-type': type })).toBe(yes));

  it('percent-encodes grpc-message', () => {
    expect(encodeGrpcMessage('no pod of shop/a: 100% busy\nä')).toBe('no pod of shop/a: 100%25 busy%0A%C3%A4');
  });
});
