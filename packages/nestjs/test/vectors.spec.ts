/** The project's request vectors (packages/core/test/vectors), through real HTTP on both adapters: one handler per vector, with its options. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { All, Controller, Module } from '@nestjs/common';
import { Cors, CorsModule } from '../src/index.js';
import { loadRequestVectors } from '../../core/test/vectors.js';
import { PLATFORMS, type Reply, type RunningApp, send, startApp, varyTokens } from './harness.js';

const vectors = loadRequestVectors();

const controllers = vectors.map((vector, index) => {
  class VectorController {
    handle() {
      return { reached: true };
    }
  }
  Object.defineProperty(VectorController, 'name', { value: `Vector${index}Controller` });
  const descriptor = Object.getOwnPropertyDescriptor(VectorController.prototype, 'handle') as PropertyDescriptor;
  All()(VectorController.prototype, 'handle', descriptor);
  Cors({ ...vector.options, inherit: false, logger: false })(VectorController.prototype, 'handle', descriptor);
  Controller(`vector/${index}`)(VectorController);
  return VectorController;
});

@Module({ imports: [CorsModule.forRoot({ origin: 'https://global.example', logRefusals: false })], controllers })
class VectorsModule {}

function list(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

describe.each(PLATFORMS)('request vectors over HTTP on %s', (platform) => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await startApp(platform, VectorsModule);
  });
  afterAll(() => server.close());

  it.each(vectors.map((vector, index) => [vector.name, vector, index] as const))('%s', async (_name, vector, index) => {
    const { request, expect: want } = vector;
    const headers: Record<string, string> = {};
    if (request.origin !== undefined) headers.origin = request.origin;
    if (request.requestMethod !== undefined) headers['access-control-request-method'] = request.requestMethod;
    if (request.requestHeaders !== undefined) headers['access-control-request-headers'] = request.requestHeaders;
    if (request.requestPrivateNetwork !== undefined) headers['access-control-request-private-network'] = request.requestPrivateNetwork;
    const reply: Reply = await send(`${server.url}/vector/${index}`, { method: request.method, headers });
    const reached = reply.body.includes('"reached":true');
    const acao = reply.header('access-control-allow-origin');
    if (want.kind === 'preflight') expect(reached).toBe(false);
    if (want.kind === 'actual' || want.kind === 'not-cors') expect(reached).toBe(true);
    if (want.allowed !== undefined) {
      expect(acao !== null).toBe(want.allowed);
      if (want.kind === 'preflight') expect(reply.status).toBe(want.allowed ? 204 : 403);
    }
    if (want.acao !== undefined) expect(acao).toBe(want.acao);
    if (want.acac !== undefined) expect(reply.header('access-control-allow-credentials') === 'true').toBe(want.acac);
    if (want.varyOrigin !== undefined) expect(varyTokens(reply).includes('origin')).toBe(want.varyOrigin);
    if (want.acamIncludes !== undefined) expect(list(reply.header('access-control-allow-methods'))).toContain(want.acamIncludes);
    if (want.acahIncludes !== undefined) {
      const allowed = list(reply.header('access-control-allow-headers')).map((name) => name.toLowerCase());
      for (const name of want.acahIncludes) expect(allowed).toContain(name.toLowerCase());
    }
  });
});
