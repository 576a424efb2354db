/** The bytes of a preflight answer: a 204 carries no Content-Length (RFC 9110, 8.6), other statuses say 0. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, Post } from '@nestjs/common';
import { request } from 'node:http';
import { CorsModule } from '../src/index.js';
import { PLATFORMS, type Platform, type RunningApp, startApp } from './harness.js';

const APP = 'https://app.example.com';

@Controller('items')
class ItemsController {
  @Post()
  create() {
    return { ok: true };
  }
}

@Module({ imports: [CorsModule.forRoot({ origin: [APP], logRefusals: false })], controllers: [ItemsController] })
class NoContentModule {}

@Module({ imports: [CorsModule.forRoot({ origin: [APP], optionsSuccessStatus: 200, logRefusals: false })], controllers: [ItemsController] })
class OkModule {}

/** The raw header lines of a preflight (fetch would hide a repeated or framing header). */
function rawPreflight(url: string): Promise<{ status: number; lines: [string, string][]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/items`, { method: 'OPTIONS', agent: false, headers: { origin: APP, 'access-control-request-method': 'POST' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
        resolve({ status: res.statusCode ?? 0, lines, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(PLATFORMS)('the preflight answer on %s', (platform: Platform) => {
  let noContent: RunningApp;
  let ok: RunningApp;
  beforeAll(async () => {
    noContent = await startApp(platform, NoContentModule);
    ok = await startApp(platform, OkModule);
  });
  afterAll(async () => {
    await noContent.close();
    await ok.close();
  });

  it('is a 204 without Content-Length or Transfer-Encoding', async () => {
    const answer = await rawPreflight(noContent.url);
    expect(answer.status).toBe(204);
    expect(answer.lines).toContainEqual(['access-control-allow-origin', APP]);
    expect(answer.lines.filter(([name]) => name === 'content-length' || name === 'transfer-encoding')).toEqual([]);
    expect(answer.body).toBe('');
  });

  it('says Content-Length: 0 once with optionsSuccessStatus: 200', async () => {
    const answer = await rawPreflight(ok.url);
    expect(answer.status).toBe(200);
    expect(answer.lines.filter(([name]) => name === 'content-length')).toEqual([['content-length', '0']]);
    expect(answer.body).toBe('');
  });
});
