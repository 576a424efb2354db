/**
 * The truth test: every behaviour of the catalogue goes through (1) `runDoctor` (node's HTTP client, then
 * @polycors/core's browserCheck) and (2) real Chromium, and the two must agree on the verdict, on where it was
 * blocked, on the console message word for word, on the preflight the server received and on the response headers
 * the page can read.
 *
 * Chromium runs with CorsNonWildcardRequestHeadersSupport, the Fetch Standard's rule that `*` in
 * Access-Control-Allow-Headers never covers Authorization (Firefox and Safari enforce it; Chromium without the
 * flag still allows it and prints a deprecation warning).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BEHAVIOURS, type Behaviour, type BehaviourServer, startBehaviourServer } from '../test-support/behaviours.js';
import { runDoctor } from '../src/doctor.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === 'true';

interface BrowserOutcome {
  ok: boolean;
  headerNames: string[];
  message?: string;
}

if (!haveChromium && onCi) {
  describe('Chromium agreement', () => {
    it('needs Chromium on CI', () => {
      throw new Error(`${CHROMIUM} is missing and CI=true: install Debian's chromium (apt-get install -y chromium).`);
    });
  });
} else if (!haveChromium) {
  describe('Chromium agreement', () => {
    it.skip(`skipped: ${CHROMIUM} is missing (apt-get install -y chromium); on CI (CI=true) this fails instead`, () => {});
  });
  console.warn(`polycors cli: Chromium agreement test skipped: ${CHROMIUM} is missing. Install it with apt-get install -y chromium.`);
} else {
  describe('doctor agrees with Chromium', () => {
    let server: BehaviourServer;
    let pageServer: http.Server;
    let pageOrigin: string;
    // playwright-core types are loaded lazily so that the skip path needs nothing.
    let browser: { close(): Promise<void> };
    let page: {
      evaluate<R, A>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
      on(event: 'console', fn: (m: { text(): string }) => void): void;
    };
    const consoleMessages: string[] = [];
    let run = 0;

    beforeAll(async () => {
      server = await startBehaviourServer();
      pageServer = http.createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><title>polycors page</title>');
      });
      await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
      pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
      const { chromium } = await import('playwright-core');
      const launched = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--enable-features=CorsNonWildcardRequestHeadersSupport',
        ],
      });
      browser = launched;
      const p = await launched.newPage();
      p.on('console', (m) => consoleMessages.push(m.text()));
      await p.goto(`${pageOrigin}/`);
      page = p as unknown as typeof page;
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      pageServer?.closeAllConnections();
      await new Promise((resolve) => pageServer?.close(resolve));
    });

    async function inChromium(b: Behaviour, url: string): Promise<BrowserOutcome> {
      const init = { method: b.request.method ?? 'GET', headers: b.request.headers ?? {}, credentials: b.request.credentials ?? 'same-origin' };
      const result = await page.evaluate(
        async ([u, i]: [string, RequestInit]) => {
          try {
            const r = await fetch(u, i);
            await r.text();
            return { ok: true, headerNames: [...r.headers.keys()] };
          } catch {
            return { ok: false, headerNames: [] as string[] };
          }
        },
        [url, init] as [string, RequestInit],
      );
      if (result.ok) return result;
      // The console message arrives a little after the rejection.
      const deadline = Date.now() + 5000;
      for (;;) {
        const message = consoleMessages.find((m) => m.includes(`'${url}'`) && m.includes('blocked by CORS policy'));
        if (message || Date.now() > deadline) return { ...result, ...(message ? { message } : {}) };
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    it.each(BEHAVIOURS.map((b) => [b.name, b] as const))('%s', async (_name, b) => {
      run += 1;
      // A fresh URL per client: Chromium caches preflights for 5 s.
      const browserUrl = server.url(b.name, `?client=chromium&run=${run}`);
      const doctorUrl = server.url(b.name, `?client=doctor&run=${run}`);

      const browser = await inChromium(b, browserUrl);
      const report = await runDoctor({
        url: doctorUrl,
        origin: pageOrigin,
        method: b.request.method ?? 'GET',
        headers: Object.entries(b.request.headers ?? {}),
        credentials: b.request.credentials === 'include',
        readHeaders: b.request.readHeaders ?? [],
      });

      // The verdict, both ways, and as the catalogue says.
      expect(browser.ok).toBe(b.expect.allowed);
      expect(report.verdict).toBe(browser.ok ? 'allowed' : 'blocked');
      expect(report.blockedAt).toBe(b.expect.blockedAt);
      expect(report.error?.code).toBe(b.expect.error);

      // The message, word for word (with the URL each client used).
      if (!browser.ok) {
        expect(browser.message).toBeDefined();
        const chromiumSaid = browser.message!.replace(browserUrl, doctorUrl);
        const candidates = (b.expect.failedParameterOneOf ?? [report.error?.failedParameter]).map((p) =>
          report.message!.replace(`field ${report.error?.failedParameter} is`, `field ${p} is`),
        );
        expect(candidates).toContain(chromiumSaid);
      } else {
        expect(report.message).toBeUndefined();
      }

      // The server saw the same requests from both: same preflight (or none), and no actual request after a refused preflight.
      const seen = (client: string) =>
        server.log
          .filter((entry) => entry.url.includes(`client=${client}&run=${run}`))
          .map(({ method, requestMethod, requestHeaders }) => ({ method, requestMethod, requestHeaders }));
      expect(seen('doctor').length).toBeGreaterThan(0);
      expect(seen('doctor')).toEqual(seen('chromium'));
      if (b.expect.blockedAt === 'preflight') expect(seen('doctor').map((e) => e.method)).toEqual(['OPTIONS']);

      // What the page can read.
      if (browser.ok) {
        expect(report.readableHeaders).toEqual(browser.headerNames);
        if (b.expect.readableHeaders) expect(report.readableHeaders).toEqual(b.expect.readableHeaders);
      }
    });

    it('covers at least 30 behaviours, blocked and allowed, at the preflight and the actual request', () => {
      expect(BEHAVIOURS.length).toBeGreaterThanOrEqual(30);
      expect(new Set(BEHAVIOURS.map((b) => b.name)).size).toBe(BEHAVIOURS.length);
      expect(BEHAVIOURS.some((b) => b.expect.blockedAt === 'preflight')).toBe(true);
      expect(BEHAVIOURS.some((b) => b.expect.blockedAt === 'actual')).toBe(true);
      expect(BEHAVIOURS.some((b) => b.expect.allowed)).toBe(true);
    });
  });
}
