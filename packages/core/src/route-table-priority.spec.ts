import { describe, expect, it } from '@jest/globals';
import { CorsRouteTable } from './route-table.js';

function table(routes: [string, string][]) {
  const t = new CorsRouteTable<string>({ priority: 'registration' });
  for (const [method, pattern] of routes) t.add(method, pattern, `${method} ${pattern}`);
  return t;
}

describe("CorsRouteTable with priority: 'registration'", () => {
  it('picks the first registered of several matching patterns, as Koa’s router runs them', () => {
    const t = table([['GET', '/users/:id'], ['GET', '/users/me'], ['GET', '/files/*path'], ['GET', '/files/:name']]);
    expect(t.match('/users/me', 'GET')?.value).toBe('GET /users/:id');
    expect(t.match('/files/a', 'GET')?.value).toBe('GET /files/*path');
  });

  it('still prefers a route serving the requested method over an earlier one that does not', () => {
    const t = table([['GET', '/users/:id'], ['PATCH', '/users/me']]);
    expect(t.match('/users/me', 'PATCH')).toMatchObject({ value: 'PATCH /users/me', methodMatched: true });
    expect(t.match('/users/me', 'DELETE')).toMatchObject({ value: 'GET /users/:id', methodMatched: false });
  });

  it('keeps the default specificity order when not asked', () => {
    const t = new CorsRouteTable<string>();
    t.add('GET', '/users/:id', 'param');
    t.add('GET', '/users/me', 'static');
    expect(t.match('/users/me', 'GET')?.value).toBe('static');
  });

  it('matches optional groups and returns nothing for unknown paths', () => {
    const t = table([['GET', '/docs{/:page}']]);
    expect(t.match('/docs', 'GET')?.value).toBe('GET /docs{/:page}');
    expect(t.match('/docs/intro', 'GET')?.value).toBe('GET /docs{/:page}');
    expect(t.match('/nope', 'GET')).toBeUndefined();
  });
});
