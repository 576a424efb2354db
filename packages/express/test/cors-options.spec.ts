/** Every `cors` 2.8 option, with the meaning it has there (and where polycors is stricter, the safer answer). */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { type ExpressCorsOptions, type ExpressCorsOptionsDelegate, cors } from '../src/index.js';
import { EXPRESS_MAJORS, closeAll, corsHeaders, preflight, problemsOf, recordingLogger, send, start, varyTokens } from './helpers.js';

const APP = 'https://app.example.com';
const OTHER = 'https://other.example';

afterEach(closeAll);

describe.each(EXPRESS_MAJORS)('%s: cors package options', (_name, express) => {
  async function serve(options: ExpressCorsOptions | ExpressCorsOptionsDelegate) {
    const app = express();
    app.use(typeof options === 'function' ? cors(options) : cors({ logger: false, ...options }));
    app.options('/continued', (_req: Request, res: Response) => void res.status(200).send('continued'));
    app.put('/continued', (_req: Request, res: Response) => void res.send('put'));
    app.use((_req: Request, res: Response) => void res.send('ok'));
    return start(app);
  }

  it("has no default origin in strict mode, naming cors' '*' default; strict: false applies it with a warning", async () => {
    expect(problemsOf(() => cors({ logger: false }))).toEqual([expect.objectContaining({ path: 'origin', code: 'origin-missing', message: expect.stringContaining("cors defaults to '*'") })]);
    const logger = recordingLogger();
    const server = await serve({ strict: false, logger });
    expect((await send(server, '/', 'GET', { origin: OTHER })).header('access-control-allow-origin')).toBe('*');
    expect(logger.warnings.join('\n')).toContain('origin-missing');
  });

  it('origin as a string, an anchored RegExp or an array allows exactly those origins', async () => {
    const server = await serve({ origin: [APP, /^https:\/\/[a-z]+\.partner\.example$/] });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/', 'GET', { origin: 'https://shop.partner.example' })).header('access-control-allow-origin')).toBe('https://shop.partner.example');
    const refused = await send(server, '/', 'GET', { origin: OTHER });
    expect(corsHeaders(refused)).toEqual({});
    expect(varyTokens(refused)).toContain('origin');
  });

  it('refuses an unanchored RegExp (cors tests it anywhere in the origin); strict: false keeps it with a warning naming the fix', () => {
    expect(problemsOf(() => cors({ origin: /example\.com/, logger: false })).map((problem) => problem.code)).toContain('origin-regex-unanchored');
    const logger = recordingLogger();
    cors({ origin: /example\.com/, strict: false, logger });
    expect(logger.warnings.join('\n')).toMatch(/origin-regex-unanchored/);
  });

  it('origin(origin, callback), the cors form: true or the origin allows; false, an error or another origin refuses', async () => {
    const server = await serve({
      origin: (origin: string, callback: (error: Error | null, allow?: boolean | string) => void) => {
        if (origin === APP) callback(null, true);
        else if (origin === 'https://fails.example') callback(new Error('lookup failed'));
        else if (origin === 'https://named.example') callback(null, 'https://named.example');
        else callback(null, false);
      },
      logger: recordingLogger(),
    });
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/', 'GET', { origin: 'https://named.example' })).header('access-control-allow-origin')).toBe('https://named.example');
    expect((await send(server, '/', 'GET', { origin: OTHER })).header('access-control-allow-origin')).toBeUndefined();
    const failed = await send(server, '/', 'GET', { origin: 'https://fails.example' });
    expect(failed.status).toBe(200);
    expect(failed.header('access-control-allow-origin')).toBeUndefined();
    expect((await preflight(server, '/', OTHER, 'PUT')).status).toBe(403);
    expect((await preflight(server, '/', APP, 'PUT')).status).toBe(204);
  });

  it("an origin callback's RegExp must match the whole origin, and '*' is answered without credentials, never reflected", async () => {
    const logger = recordingLogger();
    const server = await serve({ origin: (_origin: string, callback: (error: Error | null, allow?: RegExp) => void) => callback(null, /app\.example\.com/), logger });
    // Core's one rule: a RegExp answer must match the whole origin (`cors` tests it unanchored).
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBeUndefined();
    const anchored = await serve({ origin: (_origin: string, callback: (error: Error | null, allow?: RegExp) => void) => callback(null, /^https:\/\/app\.example\.com$/) });
    expect((await send(anchored, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    const star = await serve({ origin: (_origin: string, callback: (error: Error | null, allow?: string) => void) => callback(null, '*'), credentials: true, logger: recordingLogger() });
    // '*' is answered '*', never with credentials and never reflected (browsers refuse it for credentialed reads).
    const starred = await send(star, '/', 'GET', { origin: OTHER });
    expect(starred.header('access-control-allow-origin')).toBe('*');
    expect(starred.header('access-control-allow-credentials')).toBeUndefined();
  });

  it('methods, allowedHeaders, exposedHeaders, credentials and maxAge (a string too) write the same headers as cors', async () => {
    const server = await serve({ origin: APP, methods: 'GET,PUT', allowedHeaders: 'content-type,x-token', exposedHeaders: ['x-total'], credentials: true, maxAge: '600' });
    const allowed = await preflight(server, '/', APP, 'PUT', 'x-token');
    expect(corsHeaders(allowed)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'content-type, x-token',
      'access-control-max-age': '600',
    });
    // cors answers any preflight and lets the browser refuse it; polycors refuses with 403 and a reason.
    expect((await preflight(server, '/', APP, 'DELETE')).status).toBe(403);
    expect((await preflight(server, '/', APP, 'PUT', 'x-other')).status).toBe(403);
    const actual = await send(server, '/', 'GET', { origin: APP });
    expect(actual.header('access-control-expose-headers')).toBe('x-total');
    expect(actual.header('access-control-allow-credentials')).toBe('true');
  });

  it("credentials with cors' '*' is refused at startup (browsers reject it); strict: false answers '*' without credentials", async () => {
    expect(problemsOf(() => cors({ origin: '*', credentials: true, logger: false })).map((problem) => problem.code)).toContain('origin-any-with-credentials');
    const logger = recordingLogger();
    const server = await serve({ origin: '*', credentials: true, strict: false, logger });
    const reply = await send(server, '/', 'GET', { origin: OTHER });
    expect(reply.header('access-control-allow-origin')).toBe('*');
    expect(reply.header('access-control-allow-credentials')).toBeUndefined();
    expect(logger.warnings.join('\n')).toContain('origin-any-with-credentials');
  });

  it('optionsSuccessStatus and preflightContinue', async () => {
    const legacy = await serve({ origin: APP, optionsSuccessStatus: 200 });
    expect((await preflight(legacy, '/', APP, 'PUT')).status).toBe(200);
    const continued = await serve({ origin: APP, preflightContinue: true });
    const reply = await preflight(continued, '/continued', APP, 'PUT');
    expect(reply.body).toBe('continued');
    expect(reply.header('access-control-allow-origin')).toBe(APP);
  });

  it('the options delegate, cors((req, callback) => callback(null, options)), compiled once per distinct options', async () => {
    const allowlist = [APP];
    const delegate: ExpressCorsOptionsDelegate = (req, callback) => callback(null, { origin: allowlist.includes(req.headers.origin ?? '') ? true : false, logger: false });
    const server = await serve(delegate);
    expect((await send(server, '/', 'GET', { origin: APP })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(server, '/', 'GET', { origin: OTHER })).header('access-control-allow-origin')).toBeUndefined();
    expect((await preflight(server, '/', APP, 'PATCH')).status).toBe(204);
    expect((await preflight(server, '/', OTHER, 'PATCH')).status).toBe(403);
    // Invalid options from the delegate fail the request; they are never applied unvalidated.
    const broken = await serve((_req, callback) => callback(null, { origin: 'https://App.example.com/', logger: false }));
    expect((await send(broken, '/', 'GET', { origin: APP })).status).toBe(500);
    const failing = await serve((_req, callback) => callback(new Error('no options')));
    expect((await send(failing, '/', 'GET', { origin: APP })).status).toBe(500);
  });
});
