/**
 * Endpoints that are not controller routes: `@Cors()` on a provider (a GraphQL resolver, say) or on a controller
 * method that is no route is named at startup, as it never applies; such endpoints are judged by the global policy,
 * which can tell them apart by the request's path in its origin function (what the README shows).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { Controller, Get, Injectable, type LoggerService, Module } from '@nestjs/common';
import { Cors, CorsModule } from '../src/index.js';
import { PLATFORMS, type RunningApp, send, startApp } from './harness.js';

const APP = 'https://app.example.com';
const PLAYGROUND = 'https://playground.example.com';

/** What a GraphQL resolver is to Nest: a provider, whose methods are no HTTP routes. */
@Injectable()
@Cors({ origin: [PLAYGROUND] })
class ItemsResolver {
  @Cors({ origin: [PLAYGROUND] })
  items() {
    return [];
  }
}

@Controller('items')
@Cors({ origin: [APP] })
class ItemsController {
  @Get()
  @Cors({ maxAge: 60 })
  list() {
    return [];
  }

  @Cors({ origin: [PLAYGROUND] })
  helper() {
    return 'not a route';
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: [APP] })], controllers: [ItemsController], providers: [ItemsResolver] })
class ResolverModule {}

@Module({
  imports: [
    CorsModule.forRoot({
      // Endpoints outside Nest's controllers get the global policy: it decides by path.
      origin: (origin: string, req: IncomingMessage) => (req.url?.startsWith('/graphql') ? origin === PLAYGROUND : origin === APP),
      logRefusals: false,
    }),
  ],
  controllers: [ItemsController],
})
class ByPathModule {}

describe.each(PLATFORMS)('endpoints that are not controllers, on %s', (platform) => {
  const running: RunningApp[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close()));
  });

  it('warns at startup for each @Cors() that no HTTP route reads, and for no other', async () => {
    const warnings: string[] = [];
    const logger: LoggerService = { log: () => undefined, error: () => undefined, warn: (message: unknown) => void warnings.push(String(message)) };
    const server = await startApp(platform, ResolverModule, { appOptions: { logger } });
    running.push(server);
    const unrouted = warnings.filter((message) => message.includes('has no effect'));
    expect(unrouted.map((message) => message.match(/^@Cors\(\) on (\S+)/)?.[1]).sort()).toEqual(['ItemsController.helper', 'ItemsResolver', 'ItemsResolver.items']);
    expect(unrouted.find((message) => message.startsWith('@Cors() on ItemsResolver.items'))).toMatch(/not an HTTP controller/);
    expect(unrouted.find((message) => message.startsWith('@Cors() on ItemsController.helper'))).toMatch(/not an HTTP route handler/);
    // The routed controller's policy applies as before.
    const reply = await send(`${server.url}/items`, { headers: { origin: APP } });
    expect(reply.header('access-control-allow-origin')).toBe(APP);
  });

  it("judges a platform route outside Nest's controllers by the global policy, which can decide by path", async () => {
    const server = await startApp(platform, ByPathModule, {
      configure: (app) => {
        const adapter = app.getHttpAdapter();
        if (platform === 'express') adapter.post('/graphql', (_req: unknown, res: { end(body: string): void }) => res.end('{}'));
        else adapter.post('/graphql', (_req: unknown, reply: { send(body: string): void }) => reply.send('{}'));
      },
    });
    running.push(server);
    const graphql = (origin: string) => send(`${server.url}/graphql`, { method: 'POST', headers: { origin }, body: '{}' });
    expect((await graphql(PLAYGROUND)).header('access-control-allow-origin')).toBe(PLAYGROUND);
    expect((await graphql(APP)).header('access-control-allow-origin')).toBeNull();
    expect((await send(`${server.url}/items`, { headers: { origin: APP } })).header('access-control-allow-origin')).toBe(APP);
    expect((await send(`${server.url}/items`, { headers: { origin: PLAYGROUND } })).header('access-control-allow-origin')).toBeNull();
  });
});
