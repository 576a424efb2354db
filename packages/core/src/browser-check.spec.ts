import { describe, expect, it } from '@jest/globals';
import { browserCheck, checkPreflight, planBrowserRequest, readableResponseHeaders } from './browser-check.js';

const origin = 'http://localhost:5173';
const url = 'http://127.0.0.1:3001/form';
const ok = (headers: Record<string, string | string[]> = {}, status = 200) => ({ status, headers });
const acao = { 'Access-Control-Allow-Origin': origin };

describe('planBrowserRequest', () => {
  it('sends no preflight for a GET without headers', () => {
    const plan = planBrowserRequest({ url, origin });
    expect(plan.preflightNeeded).toBe(false);
    expect(plan.crossOrigin).toBe(true);
  });

  it('sends a preflight for PUT, upper-casing a lower-case put but not a lower-case patch', () => {
    expect(planBrowserRequest({ url, origin, method: 'put' }).method).toBe('PUT');
    const plan = planBrowserRequest({ url, origin, method: 'patch' });
    expect(plan.method).toBe('patch');
    expect(plan.preflightHeaders).toEqual([
      ['origin', origin],
      ['access-control-request-method', 'patch'],
    ]);
  });

  it('lists unsafe header names lower-cased, sorted and comma-joined without spaces', () => {
    const plan = planBrowserRequest({
      url, origin, method: 'POST',
      headers: { 'X-Zeta': '1', 'Content-Type': 'application/json', 'X-Alpha': '2', Accept: 'application/json' },
    });
    expect(plan.preflightNeeded).toBe(true);
    expect(plan.preflightHeaders).toContainEqual(['access-control-request-headers', 'content-type,x-alpha,x-zeta']);
  });

  it.each([
    ['content-type', 'text/plain; charset=utf-8', false],
    ['content-type', 'Multipart/Form-Data; boundary=x', false],
    ['content-type', 'application/x-www-form-urlencoded', false],
    ['content-type', 'text/plain; charset="utf-8"', true],
    ['content-type', 'application/json', true],
    ['accept', 'a'.repeat(128), false],
    ['accept', 'a'.repeat(129), true],
    ['accept', 'text/html{', true],
    ['accept-language', 'en-US,en;q=0.9', false],
    ['accept-language', 'en_US', true],
    ['content-language', 'de', false],
    ['range', 'bytes=0-1', false],
    ['range', 'bytes=0-', false],
    ['range', 'bytes=0-1,3-4', true],
    ['range', 'bytes=5-1', true],
    ['x-requested-with', 'XMLHttpRequest', true],
  ])('treats %s: %s as needing a preflight: %s', (name, value, needed) => {
    expect(planBrowserRequest({ url, origin, headers: { [name]: value } }).preflightNeeded).toBe(needed);
  });

  it('drops forbidden headers the page tried to set', () => {
    const plan = planBrowserRequest({ url, origin, headers: { Cookie: 'a=b', 'Proxy-Foo': '1', 'Sec-Bar': '2' } });
    expect(plan.preflightNeeded).toBe(false);
    expect(plan.droppedHeaders).toEqual(['cookie', 'proxy-foo', 'sec-bar']);
  });

  it('is not CORS at all when the page and the URL share an origin', () => {
    const plan = planBrowserRequest({ url: 'http://localhost:5173/api', origin: 'http://localhost:5173/', method: 'DELETE' });
    expect(plan.crossOrigin).toBe(false);
    expect(plan.preflightNeeded).toBe(false);
  });
});

describe('browserCheck messages', () => {
  const prefix = `Access to fetch at '${url}' from origin '${origin}' has been blocked by CORS policy: `;
  const pre = "Response to preflight request doesn't pass access control check: ";

  it('names a missing Access-Control-Allow-Origin on the preflight', () => {
    const r = browserCheck({ request: { url, origin, method: 'PUT' }, preflight: ok({}, 204) });
    expect(r).toMatchObject({ allowed: false, blockedAt: 'preflight', preflightNeeded: true });
    expect(r.message).toBe(`${prefix}${pre}No 'Access-Control-Allow-Origin' header is present on the requested resource.`);
  });

  it('checks the origin before the status, and the redirect before both', () => {
    const req = { url, origin, method: 'PUT' };
    expect(browserCheck({ request: req, preflight: ok({}, 404) }).error?.code).toBe('missing-allow-origin-header');
    expect(browserCheck({ request: req, preflight: ok(acao, 404) }).message).toBe(`${prefix}${pre}It does not have HTTP ok status.`);
    expect(browserCheck({ request: req, preflight: { status: 301, headers: { Location: '/x' } } }).message).toBe(
      `${prefix}${pre}Redirect is not allowed for a preflight request.`,
    );
  });

  it('reports two header lines as multiple values, joined by a comma and a space', () => {
    const r = browserCheck({ request: { url, origin }, actual: ok({ 'access-control-allow-origin': [origin, '*'] }) });
    expect(r.message).toBe(
      `${prefix}The 'Access-Control-Allow-Origin' header contains multiple values '${origin}, *', but only one is allowed. Have the server send the header with a valid value.`,
    );
  });

  it('tells a trailing slash (mismatch) from garbage (invalid) and from null (mismatch)', () => {
    const check = (value: string) => browserCheck({ request: { url, origin }, actual: ok({ 'Access-Control-Allow-Origin': value }) });
    expect(check(`${origin}/`).error).toEqual({ code: 'allow-origin-mismatch', at: 'actual', failedParameter: `${origin}/` });
    expect(check('foo').error?.code).toBe('invalid-allow-origin-value');
    expect(check('').error?.code).toBe('invalid-allow-origin-value');
    expect(check('null').error?.code).toBe('allow-origin-mismatch');
    expect(check(` ${origin} `).allowed).toBe(true);
  });

  it('refuses * with credentials and demands exactly true for Access-Control-Allow-Credentials', () => {
    const request = { url, origin, credentials: 'include' as const };
    expect(browserCheck({ request, actual: ok({ 'Access-Control-Allow-Origin': '*' }) }).message).toBe(
      `${prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.`,
    );
    expect(browserCheck({ request, actual: ok({ ...acao, 'Access-Control-Allow-Credentials': 'True' }) }).message).toBe(
      `${prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.`,
    );
    expect(browserCheck({ request, actual: ok(acao) }).error?.failedParameter).toBe('');
    expect(browserCheck({ request, actual: ok({ ...acao, 'Access-Control-Allow-Credentials': 'true' }) }).allowed).toBe(true);
    expect(browserCheck({ request: { url, origin }, actual: ok({ 'Access-Control-Allow-Origin': '*' }) }).allowed).toBe(true);
  });

  it('matches methods case-sensitively, and * only without credentials', () => {
    const patch = { url, origin, method: 'patch' };
    expect(browserCheck({ request: patch, preflight: ok({ ...acao, 'Access-Control-Allow-Methods': 'PATCH' }) }).message).toBe(
      `${prefix}Method patch is not allowed by Access-Control-Allow-Methods in preflight response.`,
    );
    expect(checkPreflight({ url, origin, method: 'put' }, ok({ ...acao, 'Access-Control-Allow-Methods': 'PUT' })).ok).toBe(true);
    expect(checkPreflight({ url, origin, method: 'PUT' }, ok({ ...acao, 'Access-Control-Allow-Methods': '*' })).ok).toBe(true);
    const withCredentials = { url, origin, method: 'PUT', credentials: 'include' as const };
    const star = ok({ ...acao, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Methods': '*' });
    expect(checkPreflight(withCredentials, star).error?.code).toBe('method-disallowed-by-preflight-response');
  });

  it('matches headers case-insensitively; * covers neither Authorization nor requests with credentials', () => {
    const req = { url, origin, headers: { 'X-App-Version': '1' } };
    expect(checkPreflight(req, ok({ ...acao, 'Access-Control-Allow-Headers': 'X-APP-VERSION' })).ok).toBe(true);
    expect(browserCheck({ request: req, preflight: ok(acao) }).message).toBe(
      `${prefix}Request header field x-app-version is not allowed by Access-Control-Allow-Headers in preflight response.`,
    );
    expect(checkPreflight(req, ok({ ...acao, 'Access-Control-Allow-Headers': '*' })).ok).toBe(true);
    const auth = { url, origin, headers: { Authorization: 'Bearer t' } };
    expect(checkPreflight(auth, ok({ ...acao, 'Access-Control-Allow-Headers': '*' })).error?.failedParameter).toBe('authorization');
    expect(checkPreflight(auth, ok({ ...acao, 'Access-Control-Allow-Headers': '*, Authorization' })).ok).toBe(true);
    const creds = { ...req, credentials: 'include' as const };
    const starCreds = ok({ ...acao, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': '*' });
    expect(checkPreflight(creds, starCreds).error?.failedParameter).toBe('x-app-version');
  });

  it('refuses lists it cannot parse before judging the method', () => {
    const r = checkPreflight({ url, origin, method: 'PUT', headers: { 'X-A': '1' } }, ok({ ...acao, 'Access-Control-Allow-Headers': 'x-a, "b"' }));
    expect(r.error?.code).toBe('invalid-allow-headers-preflight-response');
    expect(checkPreflight({ url, origin, method: 'PUT' }, ok({ ...acao, 'Access-Control-Allow-Methods': ' PUT ,, DELETE' })).ok).toBe(true);
  });

  it('never sends the actual request after a refused preflight and needs no actual response for it', () => {
    expect(() => browserCheck({ request: { url, origin, method: 'PUT' }, preflight: ok() })).not.toThrow();
    expect(() => browserCheck({ request: { url, origin, method: 'PUT' } })).toThrow(TypeError);
  });

  it('reports the preflight cache time, capped at 7200 seconds', () => {
    const req = { url, origin, method: 'DELETE' };
    const with_ = (maxAge?: string) =>
      checkPreflight(req, ok({ ...acao, 'Access-Control-Allow-Methods': 'DELETE', ...(maxAge ? { 'Access-Control-Max-Age': maxAge } : {}) })).cacheSeconds;
    expect(with_()).toBe(5);
    expect(with_('600')).toBe(600);
    expect(with_('86400')).toBe(7200);
    expect(with_('abc')).toBe(0);
  });
});

describe('readable response headers', () => {
  const headers = {
    'Cache-Control': 'no-store', 'Content-Type': 'text/plain', 'Set-Cookie': 'a=b', 'X-List-Version': '3', 'X-Other': '1',
    'Access-Control-Allow-Origin': origin,
  };

  it('are the safelisted ones plus the exposed ones', () => {
    expect(readableResponseHeaders({ status: 200, headers: { ...headers, 'Access-Control-Expose-Headers': 'x-list-version' } })).toEqual([
      'cache-control', 'content-type', 'x-list-version',
    ]);
  });

  it('are all but Set-Cookie with * and no credentials, and * is only a name with credentials', () => {
    const star = { status: 200, headers: { ...headers, 'Access-Control-Expose-Headers': '*' } };
    expect(readableResponseHeaders(star)).toEqual([
      'access-control-allow-origin', 'access-control-expose-headers', 'cache-control', 'content-type', 'x-list-version', 'x-other',
    ]);
    expect(readableResponseHeaders(star, 'include')).toEqual(['cache-control', 'content-type']);
  });

  it('tells which wanted headers the page cannot read', () => {
    const r = browserCheck({ request: { url, origin, readHeaders: ['X-List-Version', 'Content-Type'] }, actual: { status: 200, headers } });
    expect(r.allowed).toBe(true);
    expect(r.unreadableHeaders).toEqual(['x-list-version']);
  });
});
