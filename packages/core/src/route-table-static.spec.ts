import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CorsRouteTable } from './route-table.js';

// Static paths are looked up in one Map before the trie is walked; these pin that the shortcut never answers
// differently from the walk.
function table(routes: [string, string][], options = {}) {
  const t = new CorsRouteTable<string>(options);
  for (const [method, pattern] of routes) t.add(method, pattern, `${method} ${pattern}`);
  return t;
}

describe('CorsRouteTable static paths', () => {
  it('answers a static route for a method it serves', () => {
    const t = table([['GET', '/resource'], ['PUT', '/resource'], ['GET', '/']]);
    expect(t.match('/resource', 'PUT')).toEqual({ value: 'PUT /resource', pattern: '/resource', methods: ['GET', 'PUT'], methodMatched: true });
    expect(t.match('/', 'GET')?.value).toBe('GET /');
  });

  it('leaves a method the static route does not serve to a parameter route that serves it', () => {
    const t = table([['GET', '/users/me'], ['PUT', '/users/:id']]);
    expect(t.match('/users/me', 'PUT')).toMatchObject({ value: 'PUT /users/:id', methodMatched: true });
    expect(t.match('/users/me', 'DELETE')).toMatchObject({ value: 'GET /users/me', methodMatched: false });
  });

  it('ignores case and a trailing slash by default, and not when told to', () => {
    expect(table([['GET', '/Resource']]).match('/RESOURCE/', 'GET')?.value).toBe('GET /Resource');
    expect(table([['GET', '/Resource']], { caseSensitive: true }).match('/resource', 'GET')).toBeUndefined();
    expect(table([['GET', '/resource']], { ignoreTrailingSlash: false }).match('/resource/', 'GET')).toBeUndefined();
  });

  it('does not let a later static route overtake an earlier parameter route under priority: registration', () => {
    const t = table([['GET', '/users/:id'], ['GET', '/users/me']], { priority: 'registration' });
    expect(t.match('/users/me', 'GET')?.value).toBe('GET /users/:id');
  });

  it('answers from the static map under priority: registration when every route is static, method served or not', () => {
    const t = table([['GET', '/resource'], ['PUT', '/resource'], ['GET', '/other']], { priority: 'registration' });
    expect(t.match('/Resource/', 'PUT')).toEqual({ value: 'PUT /resource', pattern: '/resource', methods: ['GET', 'PUT'], methodMatched: true });
    expect(t.match('/resource', 'DELETE')).toEqual({ value: 'GET /resource', pattern: '/resource', methods: ['GET', 'PUT'], methodMatched: false });
    expect(t.match('/missing', 'GET')).toBeUndefined();
  });

  it('finds the static variants of optional groups', () => {
    expect(table([['GET', '/docs{/intro}']]).match('/docs/intro', 'GET')?.value).toBe('GET /docs{/intro}');
  });

  it('answers exactly like the trie walk alone, for random routes and requests', () => {
    const segment = fc.constantFrom('a', 'B', 'c', ':id', '');
    const path = fc.array(segment, { minLength: 0, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
    const method = fc.constantFrom('GET', 'PUT');
    const requestPath = fc.array(fc.constantFrom('a', 'A', 'b', 'c', ''), { minLength: 0, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(method, path), { minLength: 1, maxLength: 6 }), requestPath, method, fc.boolean(), fc.boolean(), fc.boolean(), (routes, requested, requestMethod, trailing, caseSensitive, byRegistration) => {
        const options = { caseSensitive, priority: byRegistration ? ('registration' as const) : ('specificity' as const) };
        const withShortcut = table(routes, options);
        const walkOnly = table(routes, options);
        // Emptying the static map turns the shortcut off: the walk alone answers, as before the shortcut existed.
        (walkOnly as unknown as { staticPaths: Map<string, unknown> }).staticPaths.clear();
        const request = trailing && requested !== '/' ? `${requested}/` : requested;
        expect(withShortcut.match(request, requestMethod)).toEqual(walkOnly.match(request, requestMethod));
        expect(withShortcut.servedAt(request)).toEqual(walkOnly.servedAt(request));
      }),
      { numRuns: 500 },
    );
  });
});
