// What a browser would see from each running server: one allowed and one refused preflight, and an allowed actual
// request. Returns a list of problems.
import { ALLOWED_ORIGIN, REFUSED_ORIGIN, SERVED_PATH } from './apps.mjs';

async function send(url, method, headers) {
  const response = await fetch(url, { method, headers, signal: AbortSignal.timeout(10000) });
  return { status: response.status, allowOrigin: response.headers.get('access-control-allow-origin'), body: await response.text() };
}

/** `routeOrigin`: an origin only the route's own policy allows; its preflight must be allowed too. */
export async function corsProblems(server, baseUrl, routeOrigin) {
  const url = `${baseUrl}${SERVED_PATH}`;
  const problems = [];
  const expect = (what, actual, expected) => {
    if (actual !== expected) problems.push(`${server}: ${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };

  const allowed = await send(url, 'OPTIONS', { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'GET' });
  expect('allowed preflight status', allowed.status, 204);
  expect('allowed preflight Access-Control-Allow-Origin', allowed.allowOrigin, ALLOWED_ORIGIN);

  const refused = await send(url, 'OPTIONS', { origin: REFUSED_ORIGIN, 'access-control-request-method': 'GET' });
  expect('refused preflight status', refused.status, 403);
  expect('refused preflight Access-Control-Allow-Origin', refused.allowOrigin, null);

  const actual = await send(url, 'GET', { origin: ALLOWED_ORIGIN });
  expect('allowed GET status', actual.status, 200);
  expect('allowed GET body', actual.body, 'ok');
  expect('allowed GET Access-Control-Allow-Origin', actual.allowOrigin, ALLOWED_ORIGIN);

  if (routeOrigin) {
    const routeOnly = await send(url, 'OPTIONS', { origin: routeOrigin, 'access-control-request-method': 'GET' });
    expect(`preflight from ${routeOrigin} (allowed by the route's policy only) status`, routeOnly.status, 204);
    expect(`preflight from ${routeOrigin} Access-Control-Allow-Origin`, routeOnly.allowOrigin, routeOrigin);
  }
  return problems;
}
