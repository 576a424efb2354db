// @ts-check
/**
 * The story, one scenario per button: what the page sends and what it expects the browser to let it see.
 * The demo APIs (apps/nest-demo, apps/fastify-demo, apps/koa-demo) all serve the same contact-form API:
 *   GET /options    public to any origin, exposes X-List-Version
 *   POST /login     sets the session cookie (credentialed)
 *   POST /form      JSON from the front-end origin, with credentials
 *   PATCH /form     Authorization: Bearer <token> and X-App-Version; preflights cached 300 s
 *   GET /__stats    what the server saw (DEMO_STATS=1), so the page can tell whether a preflight was sent
 */

/**
 * @typedef {import('./fetcher.js').Step} Step
 * @typedef {{ api: string, run: string, token: string }} ScenarioContext
 * @typedef {{ outcome: 'allowed' | 'blocked', status?: number, preflight: boolean, readable?: string,
 *   cookie?: boolean, actualSent?: boolean }} Expectation
 * @typedef {{ id: string, title: string, story: string, foreign?: boolean, expect: Expectation,
 *   steps: (context: ScenarioContext) => Step[] }} Scenario
 */

const json = { 'content-type': 'application/json' };

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    id: 'simple-get',
    title: 'Simple GET',
    story: 'GET /options: a simple request, so no preflight; the API answers any origin with *.',
    expect: { outcome: 'allowed', status: 200, preflight: false },
    steps: ({ api, run }) => [{ url: `${api}/options?run=${run}` }],
  },
  {
    id: 'json-post',
    title: 'JSON POST',
    story: 'POST /form with Content-Type: application/json, which is not a simple request: the browser asks first.',
    expect: { outcome: 'allowed', status: 201, preflight: true },
    steps: ({ api, run }) => [
      { url: `${api}/form?run=${run}`, method: 'POST', headers: json, body: JSON.stringify({ name: 'Ada', message: 'Hello' }) },
    ],
  },
  {
    id: 'credentialed',
    title: 'Cookie (credentials)',
    story: 'POST /login sets a session cookie, then POST /form with credentials: "include" sends it back.',
    expect: { outcome: 'allowed', status: 201, preflight: true, cookie: true },
    steps: ({ api, run }) => [
      { url: `${api}/login?run=${run}-login`, method: 'POST', credentials: 'include' },
      {
        url: `${api}/form?run=${run}`,
        method: 'POST',
        headers: json,
        credentials: 'include',
        body: JSON.stringify({ name: 'Ada', message: 'With my cookie' }),
      },
    ],
  },
  {
    id: 'exposed-header',
    title: 'Read an exposed header',
    story: 'GET /options and read X-List-Version, which the API lists in Access-Control-Expose-Headers.',
    expect: { outcome: 'allowed', status: 200, preflight: false, readable: 'x-list-version' },
    steps: ({ api, run }) => [{ url: `${api}/options?run=${run}` }],
  },
  {
    id: 'patch-token',
    title: 'PATCH with token',
    story: 'PATCH /form with Authorization: Bearer <token> and X-App-Version: a preflight, then the guarded update.',
    expect: { outcome: 'allowed', status: 200, preflight: true },
    steps: ({ api, run, token }) => [
      {
        url: `${api}/form?run=${run}`,
        method: 'PATCH',
        headers: { ...json, authorization: `Bearer ${token}`, 'x-app-version': '1.4.2' },
        body: JSON.stringify({ message: 'Edited' }),
      },
    ],
  },
  {
    id: 'foreign-origin',
    title: 'Origin not allowed',
    story: 'The same PATCH from another origin (a frame on the untrusted port): the preflight is refused, the PATCH is never sent.',
    foreign: true,
    expect: { outcome: 'blocked', preflight: true, actualSent: false },
    steps: ({ api, run, token }) => [
      {
        url: `${api}/form?run=${run}`,
        method: 'PATCH',
        headers: { ...json, authorization: `Bearer ${token}`, 'x-app-version': '1.4.2' },
        body: JSON.stringify({ message: 'Edited' }),
      },
    ],
  },
  {
    id: 'unauthorized',
    title: '401 without token',
    story: 'PATCH /form without Authorization: the guard answers 401, and the 401 carries CORS headers, so the page sees it.',
    expect: { outcome: 'allowed', status: 401, preflight: true },
    steps: ({ api, run }) => [
      { url: `${api}/form?run=${run}`, method: 'PATCH', headers: { ...json, 'x-app-version': '1.4.2' }, body: '{}' },
    ],
  },
];

/**
 * What the server saw for one run, from its `/__stats` endpoint (the format of apps/demo-kit, shared by the demos).
 * @typedef {{ method: string, url: string, preflight: boolean, cookie: boolean, authorization: boolean, guards: string[], status?: number }} SeenRequest
 */

/**
 * @param {Scenario} scenario
 * @param {import('./fetcher.js').StepResult} result the last step's result
 * @param {SeenRequest[] | undefined} seen the requests the server saw for this run, or undefined if unknown
 * @returns {{ pass: boolean, notes: string[], preflight: boolean | undefined }}
 */
export function judge(scenario, result, seen) {
  const notes = [];
  const expect = scenario.expect;
  if (result.outcome !== expect.outcome) notes.push(`expected the browser to report ${expect.outcome}, got ${result.outcome}`);
  if (result.outcome === 'allowed' && expect.status !== undefined && result.status !== expect.status) {
    notes.push(`expected status ${expect.status}, got ${result.status}`);
  }
  if (expect.readable !== undefined) {
    const readable = result.outcome === 'allowed' && result.headers.some(([name]) => name === expect.readable);
    if (!readable) notes.push(`expected the page to read ${expect.readable}`);
  }
  let preflight;
  if (seen !== undefined) {
    preflight = seen.some((request) => request.preflight);
    if (preflight !== expect.preflight) notes.push(preflight ? 'a preflight was sent, none expected' : 'no preflight was sent, one expected');
    if (seen.some((request) => request.preflight && request.guards.length > 0)) notes.push('a guard ran for the preflight');
    const actual = seen.filter((request) => !request.preflight);
    if (expect.actualSent === false && actual.length > 0) notes.push(`the browser sent the ${actual[0].method} although the preflight failed`);
    if (expect.cookie !== undefined) {
      const cookie = actual.some((request) => request.cookie === true);
      if (cookie !== expect.cookie) notes.push(expect.cookie ? 'the server did not receive the cookie' : 'the server received the cookie');
    }
  }
  return { pass: notes.length === 0, notes, preflight };
}
