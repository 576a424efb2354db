import { describe, expect, it } from '@jest/globals';
import { CorsRouteTable } from './route-table.js';

function table(routes: [string, string][], options = {}) {
  const t = new CorsRouteTable<string>(options);
  for (const [method, pattern] of routes) t.add(method, pattern, `${method} ${pattern}`);
  return t;
}

describe('CorsRouteTable', () => {
  const t = table([
    ['POST', '/form'],
    ['PATCH', '/form'],
    ['GET', '/users/:id'],
    ['GET', '/users/me'],
    ['GET', '/files/*path'],
    ['GET', '/docs{/:page}'],
    ['GET', '/assets/:name.:ext'],
    ['DELETE', '/v1/items/:id'],
  ]);

  it('finds the route for the requested method', () => {
    expect(t.match('/form', 'PATCH')).toMatchObject({ value: 'PATCH /form', methods: ['POST', 'PATCH'], methodMatched: true });
  });

  it('falls back to the path’s first route when the method is not served, saying so', () => {
    expect(t.match('/form', 'DELETE')).toMatchObject({ value: 'POST /form', methodMatched: false });
  });

  it('prefers static segments over parameters', () => {
    expect(t.match('/users/me', 'GET')?.value).toBe('GET /users/me');
    expect(t.match('/users/42', 'GET')?.value).toBe('GET /users/:id');
  });

  it('matches wildcards, optional groups and mixed segments', () => {
    expect(t.match('/files/a/b/c.txt', 'GET')?.value).toBe('GET /files/*path');
    expect(t.match('/files', 'GET')).toBeUndefined();
    expect(t.match('/docs', 'GET')?.value).toBe('GET /docs{/:page}');
    expect(t.match('/docs/intro', 'GET')?.value).toBe('GET /docs{/:page}');
    expect(t.match('/assets/logo.png', 'GET')?.value).toBe('GET /assets/:name.:ext');
  });

  it('ignores a trailing slash and case by default, like Express and Koa’s router', () => {
    expect(t.match('/Form/', 'POST')?.value).toBe('POST /form');
  });

  it('can be strict about trailing slashes and case', () => {
    const strict = table([['GET', '/Form']], { ignoreTrailingSlash: false, caseSensitive: true });
    expect(strict.match('/Form', 'GET')).toBeDefined();
    expect(strict.match('/form', 'GET')).toBeUndefined();
    expect(strict.match('/Form/', 'GET')).toBeUndefined();
  });

  it('returns nothing for unknown paths and empty parameters', () => {
    expect(t.match('/nope', 'GET')).toBeUndefined();
    expect(t.match('/users/', 'GET')).toBeUndefined();
    expect(t.match('not-a-path', 'GET')).toBeUndefined();
  });

  it('accepts older syntax: bare *, (.*) and :param?', () => {
    const old = table([['GET', '/a/*'], ['GET', '/b/(.*)'], ['GET', '/c/:id?']]);
    expect(old.match('/a/x/y', 'GET')).toBeDefined();
    expect(old.match('/b/x', 'GET')).toBeDefined();
    expect(old.match('/c', 'GET')).toBeDefined();
    expect(old.match('/c/1', 'GET')).toBeDefined();
  });

  it('lists the methods registered on a pattern', () => {
    expect(t.methodsOf('/form')).toEqual(['POST', 'PATCH']);
  });

  it('keeps the first value registered for a (pattern, method) pair', () => {
    const dup = new CorsRouteTable<number>();
    dup.add('GET', '/x', 1);
    dup.add('GET', '/x', 2);
    expect(dup.match('/x', 'GET')?.value).toBe(1);
  });
});

describe('CorsRouteTable.servedAt', () => {
  it('lists every method served at a URL with the entry that serves it, across overlapping patterns', () => {
    const table = new CorsRouteTable<string>();
    table.add('GET', '/form/new', 'new-form');
    table.add('DELETE', '/form/:id', 'delete-one');
    table.add('GET', '/form/:id', 'get-one');
    expect(table.servedAt('/form/new').sort()).toEqual([['DELETE', 'delete-one'], ['GET', 'new-form']]);
    expect(table.servedAt('/form/7').sort()).toEqual([['DELETE', 'delete-one'], ['GET', 'get-one']]);
    expect(table.servedAt('/nothing')).toEqual([]);
  });
});
