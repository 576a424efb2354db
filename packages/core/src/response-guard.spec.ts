import { afterEach, describe, expect, it } from '@jest/globals';
import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CorsHeaderConflict, guardResponseHeaders, releaseResponseHeaders, settleCorsHeaders } from './response-guard.js';

const APP = 'https://app.example.com';
const allowed = { headers: [['access-control-allow-origin', APP], ['access-control-allow-credentials', 'true'], ['access-control-expose-headers', 'x-total']] as [string, string][], vary: ['Origin'] };
const refused = { headers: [] as [string, string][], vary: ['Origin'] };

describe('settleCorsHeaders', () => {
  const read = (values: Record<string, string | string[]>) => (name: string) => values[name];

  it('changes nothing when the response already says what the decision says', () => {
    expect(settleCorsHeaders(allowed, read({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-total', vary: 'Origin' }))).toEqual([]);
  });

  it("replaces the app's Access-Control-Allow-Origin and reports the conflict", () => {
    const changes = settleCorsHeaders(allowed, read({ 'access-control-allow-origin': '*' }));
    expect(changes).toContainEqual({ header: 'access-control-allow-origin', value: APP, conflict: { header: 'access-control-allow-origin', app: '*', sent: APP } });
  });

  it('turns two values into polycors’ one', () => {
    const changes = settleCorsHeaders(allowed, read({ 'access-control-allow-origin': [APP, '*'] }));
    expect(changes.find((change) => change.header === 'access-control-allow-origin')).toMatchObject({ value: APP, conflict: { app: `${APP}, *` } });
  });

  it('removes CORS headers the app set on a refused response', () => {
    const changes = settleCorsHeaders(refused, read({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' }));
    expect(changes.filter((change) => change.conflict).map((change) => [change.header, change.value])).toEqual([
      ['access-control-allow-origin', undefined],
      ['access-control-allow-credentials', undefined],
    ]);
  });

  it('adds missing headers without calling it a conflict', () => {
    const changes = settleCorsHeaders(allowed, read({}));
    expect(changes.every((change) => change.conflict === undefined)).toBe(true);
    expect(changes.map((change) => change.header)).toEqual(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary']);
  });

  it('keeps the app’s exposed headers and Vary tokens beside polycors’', () => {
    const changes = settleCorsHeaders(allowed, read({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-page, X-Total', vary: 'Accept-Encoding' }));
    expect(changes).toEqual([{ header: 'vary', value: 'Accept-Encoding, Origin' }]);
  });
});

describe('guardResponseHeaders on a real Node response', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function respond(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ lines: [string, string][] }> {
    server = createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          const lines: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
          resolve({ lines });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
  const values = (lines: [string, string][], name: string) => lines.filter(([header]) => header === name).map(([, value]) => value);

  it('adds the decision to a raw writeHead(status, headers), as after reply.hijack()', async () => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, allowed);
      res.writeHead(200, { 'Content-Type': 'text/event-stream', Vary: 'Accept' });
      res.end('data: 1\n\n');
    });
    expect(values(lines, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(lines, 'access-control-allow-credentials')).toEqual(['true']);
    expect(values(lines, 'vary')).toEqual(['Accept, Origin']);
    expect(values(lines, 'content-type')).toEqual(['text/event-stream']);
  });

  it('wins over setHeader and writeHead values and reports each conflict', async () => {
    const conflicts: CorsHeaderConflict[] = [];
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, allowed, (conflict) => conflicts.push(conflict));
      res.setHeader('Access-Control-Allow-Origin', ['*', APP]);
      res.writeHead(200, 'OK', { 'Access-Control-Allow-Credentials': 'false' });
      res.end();
    });
    expect(values(lines, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(lines, 'access-control-allow-credentials')).toEqual(['true']);
    expect(conflicts.map((conflict) => conflict.header).sort()).toEqual(['access-control-allow-credentials', 'access-control-allow-origin']);
  });

  it.each([[{ Vary: 'Accept' }], [['Vary', 'Accept']], [{ Vary: 'Accept, Origin' }]])('merges the Vary given to writeHead(%j) with the one set on the response, as Fastify passes its reply headers', async (given) => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, allowed);
      res.setHeader('Vary', 'Cookie');
      res.writeHead(200, given as never);
      res.end();
    });
    expect(values(lines, 'vary')).toEqual(['Cookie, Accept, Origin']);
  });

  it('keeps a raw header array (a proxy passing rawHeaders) with its repeated lines', async () => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, allowed);
      res.writeHead(200, ['Access-Control-Allow-Origin', '*', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']);
      res.end();
    });
    expect(values(lines, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(lines, 'set-cookie')).toEqual(['a=1', 'b=2']);
  });

  it('guards the implicit headers of res.end() and strips CORS headers from a refused response', async () => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, refused);
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('vary', 'Cookie');
      res.end('hi');
    });
    expect(values(lines, 'access-control-allow-origin')).toEqual([]);
    expect(values(lines, 'vary')).toEqual(['Cookie, Origin']);
  });

  it('once released, keeps a writeHead wrapper installed after the guard (on-headers, as compression or express-session)', async () => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, refused);
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        this.setHeader('x-response-time', '1ms');
        return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['writeHead'];
      releaseResponseHeaders(res);
      res.setHeader('access-control-allow-origin', '*');
      res.end();
    });
    expect(values(lines, 'x-response-time')).toEqual(['1ms']);
    expect(values(lines, 'access-control-allow-origin')).toEqual(['*']);
  });

  it('lets the headers go out untouched once released', async () => {
    const { lines } = await respond((_req, res) => {
      guardResponseHeaders(res, allowed);
      releaseResponseHeaders(res);
      res.end();
    });
    expect(values(lines, 'access-control-allow-origin')).toEqual([]);
  });
});
