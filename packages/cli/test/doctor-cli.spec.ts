import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BEHAVIOURS, type BehaviourServer, startBehaviourServer } from '../test-support/behaviours.js';
import { type PolicyServer, startPolicyServer } from '../test-support/polycors-server.js';
import { runBin } from './run-bin.js';

const ORIGIN = 'http://localhost:5173';

/** Chromium 156's words, written out here independently of @polycors/core (checked against the browser by chromium-agreement.spec.ts). */
const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";
const VALID = ' Have the server send the header with a valid value.';
const CHROMIUM_SAYS: Record<string, string> = {
  'missing-acao': "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  'acao-trailing-slash': `The 'Access-Control-Allow-Origin' header has a value '${ORIGIN}/' that is not equal to the supplied origin.${VALID}`,
  'acao-two-lines': `The 'Access-Control-Allow-Origin' header contains multiple values '${ORIGIN}, ${ORIGIN}', but only one is allowed.${VALID}`,
  'acao-invalid': `The 'Access-Control-Allow-Origin' header contains the invalid value 'localhost'.${VALID}`,
  'star-with-credentials': "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
  'credentials-acac-missing': "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
  'preflight-missing-acao': `${PREFLIGHT}No 'Access-Control-Allow-Origin' header is present on the requested resource.`,
  'preflight-404-with-cors': `${PREFLIGHT}It does not have HTTP ok status.`,
  'preflight-redirect': `${PREFLIGHT}Redirect is not allowed for a preflight request.`,
  'preflight-acac-missing': `${PREFLIGHT}The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.`,
  'method-not-allowed': 'Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.',
  'method-case': 'Method patch is not allowed by Access-Control-Allow-Methods in preflight response.',
  'header-not-allowed': 'Request header field x-app-version is not allowed by Access-Control-Allow-Headers in preflight response.',
  'authorization-under-star': 'Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.',
  'methods-unparsable': 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
  'headers-unparsable': 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
};

function argsFor(name: string, url: string, extra: string[] = []): string[] {
  const b = BEHAVIOURS.find((x) => x.name === name)!;
  const args = ['doctor', url, '--origin', ORIGIN];
  if (b.request.method) args.push('--method', b.request.method);
  for (const [k, v] of Object.entries(b.request.headers ?? {})) args.push('--header', `${k}: ${v}`);
  if (b.request.credentials === 'include') args.push('--credentials');
  for (const h of b.request.readHeaders ?? []) args.push('--read-header', h);
  return [...args, ...extra];
}

describe('polycors doctor against hand-written broken servers', () => {
  let server: BehaviourServer;
  beforeAll(async () => {
    server = await startBehaviourServer();
  });
  afterAll(() => server.close());

  it.each(Object.entries(CHROMIUM_SAYS))('%s: prints the browser message and exits 1', async (name, body) => {
    const url = server.url(name);
    const { code, stdout } = await runBin(argsFor(name, url));
    expect(code).toBe(1);
    expect(stdout).toContain('BLOCKED');
    expect(stdout).toContain(`Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: ${body}`);
    expect(stdout).toContain('Cause:');
    expect(stdout).toContain('Fix:');
    for (const framework of ['polycors', 'NestJS', 'Fastify', 'Koa', 'Express', 'nginx']) expect(stdout).toContain(framework);
  });

  it('never sends the actual request after a refused preflight, as the browser does', async () => {
    const url = server.url('method-not-allowed', '?only-preflight');
    const { code, stdout } = await runBin(argsFor('method-not-allowed', url));
    expect(code).toBe(1);
    expect(server.log.filter((e) => e.url.endsWith('?only-preflight')).map((e) => e.method)).toEqual(['OPTIONS']);
    expect(stdout).toContain('not sent: a browser never sends the request after a refused preflight');
  });

  it('sends the preflight a browser sends: Access-Control-Request-Headers lower-cased, sorted, comma-joined', async () => {
    const url = server.url('header-not-allowed', '?acrh');
    await runBin(['doctor', url, '--origin', ORIGIN, '--method', 'put', '-H', 'X-Zeta: 1', '-H', 'Content-Type: application/json', '-H', 'Accept: text/plain']);
    expect(server.log.find((e) => e.url.endsWith('?acrh'))).toMatchObject({
      method: 'OPTIONS', origin: ORIGIN, requestMethod: 'PUT', requestHeaders: 'content-type,x-zeta',
    });
  });

  it('sends no preflight for a simple request and exits 0 when allowed', async () => {
    const url = server.url('simple-form-post', '?simple');
    const { code, stdout } = await runBin(argsFor('simple-form-post', url));
    expect(code).toBe(0);
    expect(stdout).toContain('ALLOWED');
    expect(stdout).toContain('No preflight');
    expect(server.log.filter((e) => e.url.endsWith('?simple')).map((e) => e.method)).toEqual(['POST']);
  });

  it('says which wanted response headers the page cannot read, and how to expose them', async () => {
    const { code, stdout } = await runBin(argsFor('header-not-exposed', server.url('header-not-exposed')));
    expect(code).toBe(0);
    expect(stdout).toContain('Not readable: x-list-version');
    expect(stdout).toContain("exposedHeaders: ['x-list-version']");
  });

  it('writes a stable JSON report with --json', async () => {
    const url = server.url('preflight-404-with-cors');
    const { code, stdout } = await runBin(argsFor('preflight-404-with-cors', url, ['--json']));
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      schemaVersion: 1,
      url,
      origin: ORIGIN,
      method: 'PUT',
      credentials: 'same-origin',
      crossOrigin: true,
      verdict: 'blocked',
      blockedAt: 'preflight',
      error: { code: 'preflight-invalid-status', at: 'preflight' },
      message: `Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: ${CHROMIUM_SAYS['preflight-404-with-cors']}`,
      preflight: { needed: true, step: { response: { status: 404 }, ok: false } },
      readableHeaders: [],
    });
    expect(report.actual).toBeUndefined();
    expect(Object.keys(report.fix).sort()).toEqual(['express', 'fastify', 'koa', 'nestjs', 'nginx', 'polycors', 'summary']);
    expect(report.fix.express).toContain("import { cors } from '@polycors/express'");
    expect(report.preflight.step.request.headers).toContainEqual(['access-control-request-method', 'PUT']);
  });

  it('prints no colour codes when piped', async () => {
    const { stdout } = await runBin(argsFor('missing-acao', server.url('missing-acao')));
    expect(stdout).not.toMatch(/\u001b\[/);
  });
});

describe('polycors doctor against a polycors-configured server', () => {
  let refusing: PolicyServer;
  let fixed: PolicyServer;
  beforeAll(async () => {
    const base = { origin: [ORIGIN], methods: ['GET', 'POST', 'PUT'] };
    refusing = await startPolicyServer({ ...base, allowedHeaders: ['content-type'], debug: true });
    fixed = await startPolicyServer({ ...base, allowedHeaders: ['content-type', 'x-app-version'], exposedHeaders: ['x-list-version'] });
  });
  afterAll(async () => {
    await refusing.close();
    await fixed.close();
  });
  const page = ['--method', 'PUT', '--header', 'Content-Type: application/json', '--header', 'X-App-Version: 1.4.2', '--read-header', 'X-List-Version'];

  it('explains the refused preflight (403, no CORS headers) and shows the server\'s own reason', async () => {
    const url = refusing.url('/form');
    const { code, stdout } = await runBin(['doctor', url, '--origin', ORIGIN, ...page]);
    expect(code).toBe(1);
    expect(stdout).toContain(`Access to fetch at '${url}' from origin '${ORIGIN}' has been blocked by CORS policy: ${PREFLIGHT}No 'Access-Control-Allow-Origin' header is present on the requested resource.`);
    expect(stdout).toContain('< 403 Forbidden');
    expect(stdout).toContain('polycors-reason: header-not-allowed');
    expect(stdout).toContain("allowedHeaders: ['content-type', 'x-app-version']");
  });

  it('passes once the header is allowed and exposed: exit 0, and the page reads X-List-Version', async () => {
    const { code, stdout } = await runBin(['doctor', fixed.url('/form'), '--origin', ORIGIN, ...page, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe('allowed');
    expect(report.preflight.step.ok).toBe(true);
    expect(report.actual.response.status).toBe(200);
    expect(report.readableHeaders).toContain('x-list-version');
    expect(report.unreadableHeaders).toEqual([]);
  });

  it('blocks an origin the policy does not list', async () => {
    const { code, stdout } = await runBin(['doctor', fixed.url('/form'), '--origin', 'https://evil.example', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toEqual({ code: 'missing-allow-origin-header', at: 'actual' });
  });
});

describe('polycors doctor errors (exit 2)', () => {
  it('reports a refused connection', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const { code, stderr } = await runBin(['doctor', `http://127.0.0.1:${port}/`, '--origin', ORIGIN]);
    expect(code).toBe(2);
    expect(stderr).toContain(`Connection refused by 127.0.0.1:${port}`);
  });

  it('reports a host that does not resolve', async () => {
    const { code, stderr } = await runBin(['doctor', 'http://no-such-host.invalid/', '--origin', ORIGIN]);
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot resolve no-such-host.invalid');
  });

  it('reports a timeout, and as JSON with --json', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    try {
      const text = await runBin(['doctor', url, '--origin', ORIGIN, '--timeout', '300']);
      expect(text.code).toBe(2);
      expect(text.stderr).toContain('No answer from');
      const json = await runBin(['doctor', url, '--origin', ORIGIN, '--timeout', '300', '--json']);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toEqual({ schemaVersion: 1, error: { kind: 'timeout', message: expect.stringContaining('300 ms') } });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reports a TLS failure (https to a plain-http port)', async () => {
    const plain = await startBehaviourServer();
    try {
      const { code, stderr } = await runBin(['doctor', `https://127.0.0.1:${plain.port}/missing-acao`, '--origin', ORIGIN]);
      expect(code).toBe(2);
      expect(stderr).toContain('TLS handshake with');
    } finally {
      await plain.close();
    }
  });

  it.each([
    [['doctor', 'http://127.0.0.1:1/'], '--origin'],
    [['doctor', '--origin', ORIGIN], 'needs a URL'],
    [['doctor', 'not a url', '--origin', ORIGIN], 'is not a URL'],
    [['doctor', 'http://127.0.0.1:1/', '--origin', 'localhost:5173/x y'], 'is not an origin'],
    [['doctor', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--header', 'no colon'], "expects 'Name: value'"],
    [['doctor', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('rejects %j with a usage message', async (args, text) => {
    const { code, stderr } = await runBin(args);
    expect(code).toBe(2);
    expect(stderr).toContain(text);
  });

  it('prints its help and version', async () => {
    expect((await runBin(['--help'])).stdout).toContain('polycors doctor <url> --origin <page origin>');
    expect((await runBin(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
