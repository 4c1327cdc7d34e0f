import { describe, expect, it } from 'vitest';
import { normaliseHost, prefixMatches, RouteTable } from './route-table.ts';
import type { TargetRoute } from './target-route.ts';

const route = (name: string, hosts: string[], pathPrefix = '/'): TargetRoute => ({
  ref: { namespace: 'shop', name },
  key: `shop/${name}`,
  hosts,
  pathPrefix,
  containerConcurrency: 1,
  queueLength: 10,
  queueTimeoutMs: 1000,
});

describe('RouteTable', () => {
  const table = new RouteTable();
  table.set(route('coffee', ['coffee.example.com']));
  table.set(route('coffee-api', ['coffee.example.com'], '/api'));
  table.set(route('tea', ['tea.example.com', 'chai.example.com'], '/brew'));

  it.each([
    ['coffee.example.com', '/', 'shop/coffee'],
    ['COFFEE.example.com:8080', '/menu?x=1', 'shop/coffee'],
    ['coffee.example.com.', '/', 'shop/coffee'],
    ['coffee.example.com', '/api', 'shop/coffee-api'],
    ['coffee.example.com', '/api/orders?id=/x', 'shop/coffee-api'],
    ['coffee.example.com', '/apix', 'shop/coffee'],
    ['chai.example.com', '/brew/green', 'shop/tea'],
    ['chai.example.com', '/', undefined],
    ['tea.example.com', '/brewery', undefined],
    ['evil.example.com', '/', undefined],
    ['example.com', '/', undefined],
    ['', '/', undefined],
  ])('%s %s -> %s', (host, path, expected) => {
    expect(table.match(host, path)?.key).toBe(expected);
  });

  describe('wildcard hosts', () => {
    const w = new RouteTable();
    w.set(route('any', ['*.example.com']));
    w.set(route('any-api', ['*.example.com'], '/api'));
    w.set(route('exact', ['shop.example.com'], '/shop'));
    w.set(route('deep', ['*.eu.example.com']));

    it.each([
      ['a.example.com', '/', 'shop/any'],
      ['A.Example.com:8080', '/api/x', 'shop/any-api'],
      ['shop.example.com', '/shop/cart', 'shop/exact'],
      // The exact host has no route for this path: its wildcard routes are tried next.
      ['shop.example.com', '/', 'shop/any'],
      ['shop.example.com', '/api', 'shop/any-api'],
      ['x.eu.example.com', '/', 'shop/deep'],
      // Exactly one label: neither the bare domain nor two labels.
      ['example.com', '/', undefined],
      ['a.b.example.com', '/', undefined],
      ['a.b.c.eu.example.com', '/', undefined],
      ['.example.com', '/', undefined],
    ])('%s %s -> %s', (host, path, expected) => {
      expect(w.match(host, path)?.key).toBe(expected);
    });

    it('an exact claim wins over a wildcard claim of the same path, whatever the keys', () => {
      const t = new RouteTable();
      t.set(route('a-wild', ['*.example.com']));
      t.set(route('z-exact', ['x.example.com']));
      expect(t.match('x.example.com', '/')?.key).toBe('shop/z-exact');
      expect(t.match('y.example.com', '/')?.key).toBe('shop/a-wild');
      expect(t.shadowed()).toEqual([]);
      t.delete('shop/z-exact');
      expect(t.match('x.example.com', '/')?.key).toBe('shop/a-wild');
    });
  });

  it('forgets a deleted route and lets the next claim win; the same claim goes to the first key', () => {
    const t = new RouteTable();
    t.set(route('b', ['x.example.com']));
    t.set(route('a', ['x.example.com']));
    expect(t.match('x.example.com', '/')?.key).toBe('shop/a');
    expect(t.shadowed().map((r) => r.key)).toEqual(['shop/b']);
    t.delete('shop/a');
    expect(t.match('x.example.com', '/')?.key).toBe('shop/b');
    t.delete('shop/b');
    expect(t.match('x.example.com', '/')).toBeUndefined();
  });

  it('replaces a route when its hosts change', () => {
    const t = new RouteTable();
    t.set(route('a', ['old.example.com']));
    t.set(route('a', ['new.example.com']));
    expect(t.match('old.example.com', '/')).toBeUndefined();
    expect(t.match('new.example.com', '/')?.key).toBe('shop/a');
  });
});

describe('normaliseHost and prefixMatches', () => {
  it.each([
    ['Coffee.Example.COM', 'coffee.example.com'],
    ['coffee.example.com:80', 'coffee.example.com'],
    ['[::1]:8080', '[::1]'],
    [' coffee.example.com. ', 'coffee.example.com'],
  ])('normaliseHost(%s) = %s', (host, expected) => expect(normaliseHost(host)).toBe(expected));

  it.each([
    ['/', '/anything', true],
    ['/api', '/api', true],
    ['/api', '/api/', true],
    ['/api', '/apiv2', false],
    ['/api', '/', false],
  ])('prefixMatches(%s, %s) = %s', (prefix, path, expected) => expect(prefixMatches(prefix, path)).toBe(expected));
});
