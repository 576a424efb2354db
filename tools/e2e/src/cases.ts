/**
 * The browser conformance cases. Every case runs against every demo (NestJS on Express and on Fastify, Fastify,
 * Koa) in both browser modes, from a page on another origin, with its own URLs (`?run=<id>`), so Chromium's
 * preflight cache never carries over between cases. A case asserts what the browser did (allowed or blocked, what
 * the page could read, the console message) and what the server saw (preflight or not, guard runs, cookies).
 *
 * tools/e2e/README.md lists these cases; a test keeps the list and the README in step.
 */
import { expect } from '@jest/globals';
import { chromiumMessage, type BrowserCorsError } from '@polycors/core';
import type { BrowserSession, FetchResult, From, Step } from './session.js';
import type { SeenRequest } from './stats.js';
import type { TargetSpec } from './targets.js';

export interface CaseContext {
  target: TargetSpec;
  /** A URL on the demo tagged with this case's run id (`tag` gives a second id for the same case). */
  url(path: string, tag?: string): string;
  /** What the server saw for this case's URLs (or for the `tag`ged ones). */
  seen(tag?: string): Promise<SeenRequest[]>;
  /** How many times the auth guard (PATCH /form's) ran since the case started. */
  guardRuns(): Promise<number>;
  session: BrowserSession;
  pageOrigin: string;
  foreignOrigin: string;
  token: string;
}

export interface E2ECase {
  id: string;
  /** Reads as a sentence after the demo's name. */
  title: string;
  /** Positive: the browser must allow it. Negative: the browser must block it (or the server must refuse it). */
  polarity: 'positive' | 'negative';
  run(context: CaseContext): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function patchStep(url: string, headers: Record<string, string>): Step {
  return { url, method: 'PATCH', headers: { ...JSON_HEADERS, 'x-app-version': '1.4.2', ...headers }, body: JSON.stringify({ message: 'Edited' }) };
}

function allowed(result: FetchResult): Extract<FetchResult, { outcome: 'allowed' }> {
  if (result.outcome !== 'allowed') throw new Error(`the browser blocked the request (${result.error}); it should have allowed it`);
  return result;
}

function readable(result: FetchResult, name: string): string | undefined {
  return allowed(result).headers.find(([header]) => header === name)?.[1];
}

/** Asserts the browser blocked the request and printed Chromium's message for this error. */
async function expectBlocked(context: CaseContext, from: From, result: FetchResult, url: string, error: BrowserCorsError): Promise<void> {
  expect(result).toEqual({ outcome: 'blocked', error: 'TypeError: Failed to fetch' });
  const origin = from === 'page' ? context.pageOrigin : context.foreignOrigin;
  const message = await context.session.corsMessage(url);
  expect(message).toBe(chromiumMessage(error, { url, origin, initiator: 'fetch' }));
}

/** The methods of the requests of this case that reached the server, in order (OPTIONS for a preflight). */
async function expectServerSaw(context: CaseContext, methods: string[]): Promise<void> {
  expect((await context.seen()).map((request) => request.method)).toEqual(methods);
}

const preflights = (seen: SeenRequest[]) => seen.filter((request) => request.preflight);
const actuals = (seen: SeenRequest[]) => seen.filter((request) => !request.preflight);

export const CASES: readonly E2ECase[] = Object.freeze([
  // --- GET /options: public to any origin, X-List-Version exposed -------------------------------------------------
  {
    id: 'simple-get',
    title: 'lets the page read a simple GET without a preflight',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/options');
      const result = allowed(await context.session.fetch('page', { url }));
      expect(result.status).toBe(200);
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['GET']);
    },
  },
  {
    id: 'public-any-origin',
    title: 'lets a page on any origin read the public GET /options',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/options');
      expect(allowed(await context.session.fetch('foreign', { url })).status).toBe(200);
    },
  },
  {
    id: 'exposed-header',
    title: 'lets the page read the exposed X-List-Version header',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/options');
      const result = await context.session.fetch('page', { url });
      expect(readable(result, 'x-list-version')).toEqual(expect.any(String));
      expect(readable(result, 'content-type')).toMatch(/^application\/json/);
    },
  },
  {
    id: 'unexposed-header',
    title: 'hides a response header that is not exposed (Date) from the page',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/options');
      const direct = await fetch(url);
      expect(direct.headers.get('date')).toEqual(expect.any(String));
      const result = await context.session.fetch('page', { url: context.url('/options', 'browser') });
      expect(readable(result, 'date')).toBeUndefined();
    },
  },
  {
    id: 'wildcard-with-credentials',
    title: 'blocks a credentialed GET /options, which is answered with * (a wildcard never carries credentials)',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/options');
      const result = await context.session.fetch('page', { url, credentials: 'include' });
      await expectBlocked(context, 'page', result, url, { code: 'wildcard-origin-not-allowed', at: 'actual' });
      await expectServerSaw(context, ['GET']);
    },
  },
  // --- POST /form: JSON from the front-end origin --------------------------------------------------------------------
  {
    id: 'json-post-preflight',
    title: 'sends a preflight for a JSON POST, answered without reaching the app, then lets the page read the 201',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/form');
      const result = allowed(
        await context.session.fetch('page', { url, method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: 'Ada', message: 'Hi' }) }),
      );
      expect(result.status).toBe(201);
      const seen = await context.seen();
      expect(seen.map((request) => `${request.method}${request.preflight ? ' (preflight)' : ''}`)).toEqual(['OPTIONS (preflight)', 'POST']);
      expect(seen[0].accessControlRequestMethod).toBe('POST');
      expect(seen[0].accessControlRequestHeaders).toBe('content-type');
      expect(seen[0].status).toBe(204);
    },
  },
  {
    id: 'json-post-foreign',
    title: 'blocks a JSON POST from an origin that is not allowed at the preflight, and never sends the POST',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('foreign', { url, method: 'POST', headers: JSON_HEADERS, body: '{}' });
      await expectBlocked(context, 'foreign', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS']);
      expect(seen[0].status).toBe(403);
    },
  },
  {
    id: 'simple-post-foreign',
    title: 'blocks the response to a simple POST from an origin that is not allowed, although the request reached the app',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('foreign', { url, method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
      await expectBlocked(context, 'foreign', result, url, { code: 'missing-allow-origin-header', at: 'actual' });
      await expectServerSaw(context, ['POST']);
    },
  },
  {
    id: 'unknown-path-404',
    title: 'lets the page read a 404 from a path no route serves (the global policy applies)',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/no-such-route');
      expect(allowed(await context.session.fetch('page', { url })).status).toBe(404);
    },
  },
  // --- Cookies ---------------------------------------------------------------------------------------------------------
  {
    id: 'login-sets-cookie',
    title: 'stores the session cookie set by a credentialed POST /login',
    polarity: 'positive',
    async run(context) {
      await context.session.clearCookies();
      const url = context.url('/login');
      const result = allowed(await context.session.fetch('page', { url, method: 'POST', credentials: 'include' }));
      expect(result.status).toBeLessThan(300);
      expect((await context.session.cookieNames(url)).length).toBe(1);
    },
  },
  {
    id: 'cookie-ignored-without-credentials',
    title: 'ignores the cookie set by a POST /login sent without credentials',
    polarity: 'negative',
    async run(context) {
      await context.session.clearCookies();
      const url = context.url('/login');
      const result = allowed(await context.session.fetch('page', { url, method: 'POST' }));
      expect(result.status).toBeLessThan(300);
      expect(await context.session.cookieNames(url)).toEqual([]);
    },
  },
  {
    id: 'credentialed-post-sends-cookie',
    title: 'sends the cookie with a credentialed JSON POST, but never with its preflight',
    polarity: 'positive',
    async run(context) {
      await context.session.clearCookies();
      await context.session.fetch('page', { url: context.url('/login', 'login'), method: 'POST', credentials: 'include' });
      const url = context.url('/form');
      const result = allowed(await context.session.fetch('page', { url, method: 'POST', headers: JSON_HEADERS, credentials: 'include', body: '{"name":"Ada"}' }));
      expect(result.status).toBe(201);
      const seen = await context.seen();
      expect(preflights(seen).map((request) => request.cookie)).toEqual([false]);
      expect(actuals(seen).map((request) => request.cookie)).toEqual([true]);
    },
  },
  {
    id: 'uncredentialed-post-omits-cookie',
    title: 'does not send the cookie with a JSON POST made without credentials',
    polarity: 'negative',
    async run(context) {
      await context.session.clearCookies();
      await context.session.fetch('page', { url: context.url('/login', 'login'), method: 'POST', credentials: 'include' });
      const url = context.url('/form');
      allowed(await context.session.fetch('page', { url, method: 'POST', headers: JSON_HEADERS, body: '{}' }));
      expect(actuals(await context.seen()).map((request) => request.cookie)).toEqual([false]);
    },
  },
  // --- PATCH /form: bearer token, X-App-Version, preflight cached 300 s -------------------------------------------------
  {
    id: 'patch-with-token',
    title: 'sends a preflight that no guard sees, then the guarded PATCH with its token and X-App-Version',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/form');
      const result = allowed(await context.session.fetch('page', patchStep(url, { authorization: `Bearer ${context.token}` })));
      expect(result.status).toBe(200);
      const seen = await context.seen();
      expect(seen.map((request) => [request.method, request.preflight])).toEqual([
        ['OPTIONS', true],
        ['PATCH', false],
      ]);
      // One guard run for two requests: the PATCH's. Had the preflight reached the guard, it would be two.
      expect(await context.guardRuns()).toBe(1);
      expect(seen[0].accessControlRequestHeaders).toBe('authorization,content-type,x-app-version');
      expect(seen.map((request) => [request.authorization, request.guards])).toEqual([
        [false, []],
        [true, ['global', 'auth']],
      ]);
    },
  },
  {
    id: 'patch-401',
    title: 'lets the page read the guard\'s 401 for a PATCH without a token',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/form');
      const result = allowed(await context.session.fetch('page', patchStep(url, {})));
      expect(result.status).toBe(401);
      await expectServerSaw(context, ['OPTIONS', 'PATCH']);
      expect(await context.guardRuns()).toBe(1);
    },
  },
  {
    id: 'patch-wrong-token-401',
    title: 'lets the page read the 401 for a PATCH with a wrong token',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/form');
      expect(allowed(await context.session.fetch('page', patchStep(url, { authorization: 'Bearer wrong' }))).status).toBe(401);
    },
  },
  {
    id: 'patch-foreign',
    title: 'blocks a PATCH from an origin that is not allowed at the preflight, before any guard runs',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('foreign', patchStep(url, { authorization: `Bearer ${context.token}` }));
      await expectBlocked(context, 'foreign', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      await expectServerSaw(context, ['OPTIONS']);
      expect(await context.guardRuns()).toBe(0);
    },
  },
  {
    id: 'patch-header-not-allowed',
    title: 'blocks a PATCH asking for a request header the route does not allow (X-Debug)',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('page', patchStep(url, { authorization: `Bearer ${context.token}`, 'x-debug': '1' }));
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS']);
      expect(await context.guardRuns()).toBe(0);
      expect(seen[0].status).toBe(403);
    },
  },
  {
    id: 'method-not-allowed',
    title: 'blocks a DELETE /form, a method the route does not serve, at the preflight',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('page', { url, method: 'DELETE' });
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      await expectServerSaw(context, ['OPTIONS']);
    },
  },
  {
    id: 'lowercase-patch',
    title: 'blocks fetch(url, { method: "patch" }), which browsers send in lower case, at the preflight',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/form');
      const result = await context.session.fetch('page', { ...patchStep(url, { authorization: `Bearer ${context.token}` }), method: 'patch' });
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS']);
      expect(seen[0].accessControlRequestMethod).toBe('patch');
    },
  },
  {
    id: 'preflight-cached',
    title: 'caches the PATCH preflight (Access-Control-Max-Age: 300): two PATCHes to one URL, one preflight',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/form');
      const step = patchStep(url, { authorization: `Bearer ${context.token}` });
      expect(allowed(await context.session.fetch('page', step)).status).toBe(200);
      expect(allowed(await context.session.fetch('page', step)).status).toBe(200);
      await expectServerSaw(context, ['OPTIONS', 'PATCH', 'PATCH']);
    },
  },
  // --- PUT /draft (maxAge: 0), GET /internal (CORS off), GET /legacy (strict: false), POST /feedback (headers: *) ----
  {
    id: 'preflight-not-cached-max-age-0',
    title: 'does not cache a preflight answered with Access-Control-Max-Age: 0 (the cache control): two PUTs, two preflights',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/draft');
      const step: Step = { url, method: 'PUT', headers: JSON_HEADERS, body: '{"draft":"x"}' };
      allowed(await context.session.fetch('page', step));
      allowed(await context.session.fetch('page', step));
      await expectServerSaw(context, ['OPTIONS', 'PUT', 'OPTIONS', 'PUT']);
    },
  },
  {
    id: 'cors-disabled-simple',
    title: 'blocks a simple GET to a route with CORS switched off, although the route ran',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/internal');
      const result = await context.session.fetch('page', { url });
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'actual' });
      await expectServerSaw(context, ['GET']);
    },
  },
  {
    id: 'cors-disabled-preflight',
    title: 'refuses the preflight for a route with CORS switched off, so the GET is never sent',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/internal');
      const result = await context.session.fetch('page', { url, headers: { 'x-app-version': '1.4.2' } });
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      await expectServerSaw(context, ['OPTIONS']);
    },
  },
  // Chromium sends `/%69nternal` as written. Routers that decode paths (find-my-way: Fastify, Nest on Fastify) run
  // GET /internal for it, routers that do not answer 404: either way the policy must be that of what answers.
  {
    id: 'encoded-path-cors-disabled-simple',
    title: 'blocks a simple GET to the CORS-off route through a percent-encoded path (/%69nternal) wherever the router serves it there',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/%69nternal');
      const served = (await fetch(context.url('/%69nternal', 'probe'))).status === 200;
      const result = await context.session.fetch('page', { url });
      if (served) await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'actual' });
      else expect(allowed(result).status).toBe(404);
      await expectServerSaw(context, ['GET']);
    },
  },
  {
    id: 'encoded-path-cors-disabled-preflight',
    title: 'refuses the preflight to the CORS-off route through a percent-encoded path (/%69nternal) wherever the router serves it there',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/%69nternal');
      const served = (await fetch(context.url('/%69nternal', 'probe'))).status === 200;
      const result = await context.session.fetch('page', { url, headers: { 'x-app-version': '1.4.2' } });
      if (served) {
        await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
        await expectServerSaw(context, ['OPTIONS']);
      } else if (result.outcome === 'allowed') {
        // No route there: the global policy may answer (the page reads a 404, never the route's body)...
        expect(result.status).toBe(404);
        await expectServerSaw(context, ['OPTIONS', 'GET']);
      } else {
        // ...or an adapter that reads the path as the decoded one judges it by the CORS-off route: refused too.
        await expectServerSaw(context, ['OPTIONS']);
      }
    },
  },
  {
    id: 'misconfigured-credentialed',
    title: 'blocks a credentialed GET to the route built with strict: false from origin * with credentials',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/legacy');
      const result = await context.session.fetch('page', { url, credentials: 'include' });
      await expectBlocked(context, 'page', result, url, { code: 'wildcard-origin-not-allowed', at: 'actual' });
    },
  },
  {
    id: 'misconfigured-foreign-credentialed',
    title: 'blocks a credentialed GET from an origin that is not allowed to the strict: false route (no origin is echoed)',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/legacy');
      const result = await context.session.fetch('foreign', { url, credentials: 'include' });
      await expectBlocked(context, 'foreign', result, url, { code: 'wildcard-origin-not-allowed', at: 'actual' });
    },
  },
  {
    id: 'wildcard-headers-custom',
    title: 'allows any custom request header on the route with allowedHeaders: *',
    polarity: 'positive',
    async run(context) {
      const url = context.url('/feedback');
      const result = allowed(await context.session.fetch('page', { url, method: 'POST', headers: { ...JSON_HEADERS, 'x-anything': 'yes' }, body: '{}' }));
      expect(result.status).toBeLessThan(300);
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS', 'POST']);
      expect(seen[0].accessControlRequestHeaders).toBe('content-type,x-anything');
    },
  },
  {
    id: 'wildcard-headers-credentialed',
    title: 'blocks a credentialed POST to the route that allows no credentials, at the preflight',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/feedback');
      const result = await context.session.fetch('page', { url, method: 'POST', headers: JSON_HEADERS, credentials: 'include', body: '{}' });
      await expectBlocked(context, 'page', result, url, { code: 'invalid-allow-credentials', at: 'preflight', failedParameter: '' });
      await expectServerSaw(context, ['OPTIONS']);
    },
  },
  {
    id: 'wildcard-headers-authorization',
    title: 'blocks Authorization on the route with allowedHeaders: *, as the Fetch Standard says (* does not cover it)',
    polarity: 'negative',
    async run(context) {
      const url = context.url('/feedback');
      const result = await context.session.fetch('page', { url, method: 'POST', headers: { ...JSON_HEADERS, authorization: `Bearer ${context.token}` }, body: '{}' });
      await expectBlocked(context, 'page', result, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      await expectServerSaw(context, ['OPTIONS']);
    },
  },
  // --- /siblings, /siblings-post: one route's cached preflight never carries over to its siblings ------------------
  {
    id: 'sibling-method-not-carried-by-cache',
    title: "never lets a sibling's PATCH or DELETE through on the cached answer to a GET preflight: each is preflighted and refused",
    polarity: 'negative',
    async run(context) {
      const url = context.url('/siblings');
      const headers = { 'x-app-version': '1.4.2' };
      expect(allowed(await context.session.fetch('page', { url, headers })).status).toBe(200);
      const patch = await context.session.fetch('page', { url, method: 'PATCH', headers, body: '{}' });
      await expectBlocked(context, 'page', patch, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      const remove = await context.session.fetch('page', { url, method: 'DELETE', headers });
      expect(remove.outcome).toBe('blocked');
      // Neither handler ran: the server saw the GET and three preflights, the last two refused.
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS', 'GET', 'OPTIONS', 'OPTIONS']);
      expect(seen.slice(2).map((request) => [request.accessControlRequestMethod, request.status])).toEqual([['PATCH', 403], ['DELETE', 403]]);
    },
  },
  {
    id: 'sibling-safelisted-method-not-carried-by-cache',
    title: "never lets a sibling's POST (a safelisted method) carrying X-App-Version through on a GET preflight's answer",
    polarity: 'negative',
    async run(context) {
      const url = context.url('/siblings-post');
      const headers = { 'x-app-version': '1.4.2' };
      expect(allowed(await context.session.fetch('page', { url, headers })).status).toBe(200);
      const post = await context.session.fetch('page', { url, method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: 'hello' });
      await expectBlocked(context, 'page', post, url, { code: 'missing-allow-origin-header', at: 'preflight' });
      const seen = await context.seen();
      expect(seen.map((request) => request.method)).toEqual(['OPTIONS', 'GET', 'OPTIONS']);
      expect([seen[2].accessControlRequestMethod, seen[2].status]).toEqual(['POST', 403]);
    },
  },
]);
