/**
 * The per-route policy is a security boundary: whatever form of a path the platform's router accepts (percent-
 * encoding, case, duplicate or trailing slashes, semicolons), the policy applied is that of the handler the platform
 * runs. The oracle is the platform itself: each handler names itself in its body, so the test sees which handler a
 * path form reached and checks the CORS headers against that handler's policy.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Delete, Get, type INestApplication, Module, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import { Cors, CorsModule } from '../src/index.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

@Cors({ origin: [ADMIN], inherit: false })
@Controller('admin')
class AdminController {
  @Get('users')
  list() {
    return { handler: 'admin' };
  }

  @Delete('users/:id')
  remove() {
    return { handler: 'admin' };
  }
}

@Cors(false)
@Controller('closed')
class ClosedController {
  @Get()
  read() {
    return { handler: 'closed' };
  }
}

@Controller('open')
class OpenController {
  @Get()
  read() {
    return { handler: 'open' };
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })],
  controllers: [AdminController, ClosedController, OpenController],
})
class BoundaryModule {}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  handler: string | undefined;
}

/** Sends `path` byte for byte (fetch would normalise it), and reads which handler answered. */
function sendRaw(url: string, method: string, path: string, headers: Record<string, string>): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        let handler: string | undefined;
        try {
          handler = (JSON.parse(body) as { handler?: string }).handler;
        } catch {
          handler = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, handler });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** What each handler's policy answers an actual request from `origin` with. */
function expectedAllowOrigin(handler: string | undefined, origin: string): string | undefined {
  if (handler === 'admin') return origin === ADMIN ? ADMIN : undefined;
  if (handler === 'closed') return undefined;
  // The open handler and no handler at all (a 404): the global policy.
  return origin === APP ? APP : undefined;
}

const ADMIN_FORMS = [
  '/admin/users',
  '/%61dmin/users',
  '/admin/%75sers',
  '/%61%64%6d%69%6e/users',
  '/ADMIN/users',
  '/Admin/Users',
  '//admin/users',
  '/admin//users',
  '/admin/users/',
  '/admin/users;a=1',
  '/admin/users?x=1',
  '/admin%2Fusers',
  'http://localhost/admin/users',
];
const CLOSED_FORMS = ['/closed', '/%63losed', '/CLOSED', '//closed', '/closed/', '/closed;x', '/clos%65d?x=1'];
const DELETE_FORMS = ['/admin/users/7', '/%61dmin/users/7', '/ADMIN/users/7', '//admin/users/7', '/admin/users/7/', '/admin/users/7;v=1', '/admin/users/%37'];

interface Setup {
  name: string;
  create(): Promise<INestApplication>;
  /** Forms this router setup is known to dispatch to the protected handler (so the test proves it reached it). */
  reachesAdmin: string[];
}

const nest = (adapter: ExpressAdapter | FastifyAdapter) => NestFactory.create(BoundaryModule, adapter, { logger: false, abortOnError: false });

const SETUPS: Setup[] = [
  { name: 'express (defaults)', create: () => nest(new ExpressAdapter()), reachesAdmin: ['/admin/users', '/ADMIN/users', '/admin/users/'] },
  {
    name: 'express (strict routing, case sensitive routing, on a pre-built app)',
    create: () => {
      const server = express();
      server.set('strict routing', true);
      server.set('case sensitive routing', true);
      return nest(new ExpressAdapter(server));
    },
    reachesAdmin: ['/admin/users'],
  },
  { name: 'fastify (defaults)', create: () => nest(new FastifyAdapter()), reachesAdmin: ['/%61dmin/users', '/admin/%75sers', '/%61%64%6d%69%6e/users'] },
  {
    name: 'fastify (caseSensitive: false, ignoreTrailingSlash, ignoreDuplicateSlashes, useSemicolonDelimiter)',
    create: () => nest(new FastifyAdapter({ caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, useSemicolonDelimiter: true })),
    reachesAdmin: ['/%61dmin/users', '/ADMIN/users', '//admin/users', '/admin//users', '/admin/users/', '/admin/users;a=1'],
  },
  {
    name: 'fastify (caseSensitive: false, ignoreTrailingSlash, ignoreDuplicateSlashes under routerOptions)',
    create: () => nest(new FastifyAdapter({ routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } })),
    reachesAdmin: ['/Admin/Users', '//admin/users', '/admin/users/', '/%61dmin//users'],
  },
];

describe.each(SETUPS)('the policy is the dispatched handler\'s, on $name', (setup) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await setup.create();
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('reaches the protected handler through the path forms this router accepts', async () => {
    for (const path of setup.reachesAdmin) {
      expect({ path, handler: (await sendRaw(url, 'GET', path, {})).handler }).toEqual({ path, handler: 'admin' });
    }
  });

  it.each([APP, ADMIN])('answers an actual GET from %s by the policy of whichever handler each path form reaches', async (origin) => {
    for (const path of [...ADMIN_FORMS, ...CLOSED_FORMS]) {
      const reply = await sendRaw(url, 'GET', path, { origin });
      const allowOrigin = reply.headers['access-control-allow-origin'];
      expect({ path, handler: reply.handler, allowOrigin }).toEqual({ path, handler: reply.handler, allowOrigin: expectedAllowOrigin(reply.handler, origin) });
      if (allowOrigin === undefined) expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('refuses the preflight of every path form whose DELETE reaches the admin handler, for an origin only the global policy allows', async () => {
    for (const path of DELETE_FORMS) {
      const actual = await sendRaw(url, 'DELETE', path, {});
      const pre = await sendRaw(url, 'OPTIONS', path, { origin: APP, 'access-control-request-method': 'DELETE' });
      // A path form that reaches no handler is judged by the global policy, as any unknown path.
      if (actual.handler === 'admin') expect({ path, status: pre.status }).toEqual({ path, status: 403 });
      const admin = await sendRaw(url, 'OPTIONS', path, { origin: ADMIN, 'access-control-request-method': 'DELETE' });
      if (actual.handler === 'admin') expect({ path, status: admin.status }).toEqual({ path, status: 204 });
    }
  });

  it('refuses preflights of the CORS-off handler in every form it is served at', async () => {
    for (const path of CLOSED_FORMS) {
      const actual = await sendRaw(url, 'GET', path, {});
      const pre = await sendRaw(url, 'OPTIONS', path, { origin: APP, 'access-control-request-method': 'GET' });
      if (actual.handler === 'closed') expect({ path, status: pre.status }).toEqual({ path, status: 403 });
    }
  });

  it('still applies the global policy to the open handler', async () => {
    const reply = await sendRaw(url, 'GET', '/open', { origin: APP });
    expect(reply.handler).toBe('open');
    expect(reply.headers['access-control-allow-origin']).toBe(APP);
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
  });
});

// Header versioning: two handlers on one method and path, told apart by a header no router table sees (on Fastify,
// a route constraint). Before routing polycors can only pick one; Nest's choice corrects it.
@Controller({ path: 'reports', version: '1' })
class ReportsV1Controller {
  @Get()
  list() {
    return { handler: 'reports-v1' };
  }
}

@Cors({ origin: [ADMIN], inherit: false })
@Controller({ path: 'reports', version: '2' })
class ReportsV2Controller {
  @Get()
  list() {
    return { handler: 'reports-v2' };
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })],
  controllers: [ReportsV1Controller, ReportsV2Controller],
})
class VersionedModule {}

describe.each(['express', 'fastify'] as const)('handlers told apart by a version header on %s', (platform) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(VersionedModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    app.enableVersioning({ type: VersioningType.HEADER, header: 'x-api-version' });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('answers each version by the policy of the handler Nest ran', async () => {
    const v1 = await sendRaw(url, 'GET', '/reports', { origin: APP, 'x-api-version': '1' });
    expect(v1.handler).toBe('reports-v1');
    expect(v1.headers['access-control-allow-origin']).toBe(APP);
    const v2 = await sendRaw(url, 'GET', '/reports', { origin: APP, 'x-api-version': '2' });
    expect(v2.handler).toBe('reports-v2');
    expect(v2.headers['access-control-allow-origin']).toBeUndefined();
    expect(v2.headers['access-control-allow-credentials']).toBeUndefined();
    const admin = await sendRaw(url, 'GET', '/reports', { origin: ADMIN, 'x-api-version': '2' });
    expect(admin.handler).toBe('reports-v2');
    expect(admin.headers['access-control-allow-origin']).toBe(ADMIN);
    expect(String(admin.headers.vary).toLowerCase()).toContain('origin');
  });

  // The preflight carries no x-api-version (only its name, in Access-Control-Request-Headers): it must suit both.
  it('refuses a preflight that one of the versions would refuse, whichever was registered first', async () => {
    for (const origin of [APP, ADMIN]) {
      const pre = await sendRaw(url, 'OPTIONS', '/reports', { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-version' });
      expect({ origin, status: pre.status, allowOrigin: pre.headers['access-control-allow-origin'] }).toEqual({ origin, status: 403, allowOrigin: undefined });
    }
  });
});

@Controller({ path: 'stats', version: '1' })
class StatsV1Controller {
  @Get()
  list() {
    return { handler: 'stats-v1' };
  }
}

@Cors({ origin: [APP, ADMIN], inherit: false })
@Controller({ path: 'stats', version: '2' })
class StatsV2Controller {
  @Get()
  list() {
    return { handler: 'stats-v2' };
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, allowedHeaders: ['x-api-version'], logRefusals: false })],
  controllers: [StatsV1Controller, StatsV2Controller],
})
class StatsModule {}

describe.each(['express', 'fastify'] as const)('a preflight to handlers told apart by a version header on %s', (platform) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(StatsModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    app.enableVersioning({ type: VersioningType.HEADER, header: 'x-api-version' });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('is allowed where every version allows it, with credentials only if every version grants them, and never cached', async () => {
    const pre = await sendRaw(url, 'OPTIONS', '/stats', { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-version' });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(APP);
    // v2 grants no credentials: a credentialed request to it must fail its preflight.
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    expect(pre.headers['access-control-max-age']).toBe('0');
    const admin = await sendRaw(url, 'OPTIONS', '/stats', { origin: ADMIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-version' });
    expect(admin.status).toBe(403);
  });
});

// Express runs the first registered route that matches: here the parameter route, registered first, shadows the
// static one (unless Nest sorts routes by specificity). The policy must follow whichever Express runs.
@Controller('items')
class ItemByIdController {
  @Get(':id')
  get() {
    return { handler: 'item-by-id' };
  }
}

@Cors({ origin: [ADMIN], inherit: false })
@Controller('items')
class SpecialItemController {
  @Get('special')
  get() {
    return { handler: 'special' };
  }
}

@Module({
  imports: [CorsModule.forRoot({ origin: [APP], logRefusals: false })],
  controllers: [ItemByIdController, SpecialItemController],
})
class ShadowingModule {}

describe.each([
  ['express, routes in registration order', 'express', undefined, 'item-by-id'],
  ["express, routeResolutionStrategy: 'specificity'", 'express', 'specificity', 'special'],
  ['fastify (most specific route)', 'fastify', undefined, 'special'],
] as const)('a parameter route registered before a static one on %s', (_name, platform, strategy, expected) => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(ShadowingModule, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), {
      logger: false,
      ...(strategy ? { routeResolutionStrategy: strategy } : {}),
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('gets the policy of the handler the platform runs', async () => {
    const reply = await sendRaw(url, 'GET', '/items/special', { origin: APP });
    expect(reply.handler).toBe(expected);
    expect(reply.headers['access-control-allow-origin']).toBe(expected === 'special' ? undefined : APP);
    const pre = await sendRaw(url, 'OPTIONS', '/items/special', { origin: APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-app-version' });
    expect(pre.status).toBe(expected === 'special' ? 403 : 204);
  });
});

// A middleware that rewrites req.url after polycors's hook (an alias path): on Express the router then dispatches
// the rewritten path, so the handler that runs is not the route polycors resolved first. The handler check
// re-decides by the handler Nest runs; without it the alias's (global) policy would grant the admin handler.
@Module({
  imports: [CorsModule.forRoot({ origin: [APP], credentials: true, logRefusals: false })],
  controllers: [AdminController, OpenController],
})
class RewriteModule {}

describe('a middleware after polycors rewrites the URL to a protected route (Nest on Express)', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(RewriteModule, new ExpressAdapter(), { logger: false, abortOnError: false });
    app.use((req: { url: string }, _res: unknown, next: () => void) => {
      if (req.url.startsWith('/people')) req.url = `/admin/users${req.url.slice('/people'.length)}`;
      next();
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('answers by the policy of the handler that ran, not of the path polycors saw first', async () => {
    const viaAlias = await sendRaw(url, 'GET', '/people', { origin: APP });
    expect(viaAlias.handler).toBe('admin');
    expect(viaAlias.headers['access-control-allow-origin']).toBeUndefined();
    expect(viaAlias.headers['access-control-allow-credentials']).toBeUndefined();
    const admin = await sendRaw(url, 'GET', '/people', { origin: ADMIN });
    expect(admin.headers['access-control-allow-origin']).toBe(ADMIN);
  });
});
