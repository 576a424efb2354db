import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_ORIGIN, type RunningServer, startExpressSubAppApp, startFastifyApp, startKoaApp, startNestApp } from '../test-support/adapter-servers.js';
import { runBin } from './run-bin.js';

const ORIGIN = 'http://localhost:5173';

/** Each adapter in debug mode: what its polycors-policy header names for the route's own policy, and the snippet place. */
const APPS: { name: string; start: () => Promise<RunningServer>; framework: string; route: string; place: string; global: string; off: string }[] = [
  { name: 'Fastify', start: () => startFastifyApp(ORIGIN), framework: 'Fastify', route: 'config.cors of route PATCH /admin', place: 'in config: { cors: { ... } } of route PATCH /admin', global: 'the plugin options (the route sets no config.cors)', off: 'config.cors: false on this route' },
  { name: 'Koa', start: () => startKoaApp(ORIGIN), framework: 'Koa', route: 'corsRoute() on PATCH /admin', place: 'in corsRoute({ ... }) on PATCH /admin', global: 'cors()', off: 'corsRoute() on GET /off' },
  { name: 'Nest (express)', start: () => startNestApp('express', ORIGIN), framework: 'NestJS', route: '@Cors() on AdminController.update (PATCH /admin)', place: 'in @Cors({ ... }) on AdminController.update (PATCH /admin)', global: 'CorsModule.forRoot', off: '@Cors() on AdminController.off (GET /off)' },
  { name: 'Nest (fastify)', start: () => startNestApp('fastify', ORIGIN), framework: 'NestJS', route: '@Cors() on AdminController.update (PATCH /admin)', place: 'in @Cors({ ... }) on AdminController.update (PATCH /admin)', global: 'CorsModule.forRoot', off: '@Cors() on AdminController.off (GET /off)' },
];

describe.each(APPS)('polycors doctor against $name in debug mode', (app) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await app.start();
  });
  afterAll(() => server.close());

  it("points a route's refusal at the route's own policy, not at the global configuration (which already lists the origin)", async () => {
    const { code, stdout } = await runBin(['doctor', server.url('/admin'), '--origin', ORIGIN, '--method', 'PATCH']);
    expect(code).toBe(1);
    expect(stdout).toContain('< polycors-reason: origin-not-allowed');
    expect(stdout).toContain(`< polycors-policy: ${app.route}`);
    expect(stdout).toContain(`Fix: polycors refused the origin ${ORIGIN}: add it to origin in ${app.route}. This route has its own policy: the global configuration does not decide it.`);
    expect(stdout).toContain(`  ${app.framework}\n    // ${app.place}: change only these, keep the rest\n    origin: [/* the ones you have, */ '${ORIGIN}'],`);
    // The server named its adapter: the other frameworks' snippets (and their global places) are left out.
    expect(stdout).not.toContain('CorsModule.forRoot({ ... })');
    expect(stdout).not.toContain('fastify.register(polycors');
    expect(stdout).not.toContain('nginx');
  });

  it('the same origin passes the route once it is listed there: the refusal came from the route (the admin origin is allowed)', async () => {
    const { code } = await runBin(['doctor', server.url('/admin'), '--origin', ADMIN_ORIGIN, '--method', 'PATCH']);
    expect(code).toBe(0);
  });

  it('says CORS is switched off for the route, instead of advising to let the CORS layer answer OPTIONS', async () => {
    const { code, stdout } = await runBin(['doctor', server.url('/off'), '--origin', ORIGIN, '--header', 'X-App-Version: 1', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.fix.summary).toContain(`CORS is switched off for this route (${app.off})`);
    expect(report.fix.summary).not.toContain('Let the CORS layer answer OPTIONS');
    expect(report.fix.changes).toEqual([]);
    expect(report.fix.policy).toMatchObject({ source: app.off, route: true });
  });
});

describe('polycors doctor: a refusal by the global policy', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startFastifyApp(ORIGIN);
  });
  afterAll(() => server.close());

  it('points at the plugin options when the route has no config.cors', async () => {
    const { code, stdout } = await runBin(['doctor', server.url('/items'), '--origin', 'https://other.example', '--method', 'PATCH', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.fix.policy).toEqual({ source: 'the plugin options (the route sets no config.cors)', framework: 'fastify', route: false });
    expect(report.fix.summary).toBe("polycors refused the origin https://other.example: add it to origin in the plugin options (the route sets no config.cors).");
    expect(report.fix.fastify).toContain('// in await fastify.register(polycors, { ... }): change only these, keep the rest');
  });
});

describe('polycors doctor: a preflight into an Express sub-app cors() cannot see', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startExpressSubAppApp(ORIGIN);
  });
  afterAll(() => server.close());

  it('names the sub-app as the cause and both fixes, instead of an option change', async () => {
    const { code, stdout } = await runBin(['doctor', server.url('/v1/items'), '--origin', ORIGIN, '--method', 'PUT', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.notes).toContain('The server says why (polycors debug mode): polycors-reason: route-unresolved, by the policy of cors().');
    expect(report.fix.summary).toContain('inside an Express sub-app it cannot see');
    expect(report.fix.summary).toContain('cors({ subApps: [theSubApp] })');
  });

  it("a simple GET into the sub-app still passes: actual requests there get the global policy, which lists the origin", async () => {
    const { code } = await runBin(['doctor', server.url('/v1/items'), '--origin', ORIGIN]);
    expect(code).toBe(0);
  });
});
