/**
 * The playground page itself, in Chromium: click every button (every scenario on every demo), check that each shows
 * the expected result, and keep a screenshot of the page as a test artifact (tools/e2e/artifacts/playground.png).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_MODES, launchChromium } from '../src/chromium.js';
import { startEnvironment, type Environment } from '../src/environment.js';
import { selectedTargets } from '../src/targets.js';
import { withChromium } from './with-chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

withChromium('clicks every playground button', () => {
  describe('the playground page in Chromium', () => {
    let environment: Environment;
    let browser: Browser;
    let page: Page;
    const consoleMessages: string[] = [];

    beforeAll(async () => {
      environment = await startEnvironment(selectedTargets());
      browser = await launchChromium(BROWSER_MODES[0]);
      page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.on('console', (message) => consoleMessages.push(message.text()));
      await page.goto(`${environment.pageOrigin}/`);
      await page.waitForSelector('body[data-ready="true"]');
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await environment?.stop();
    });

    it('shows one button per scenario for every demo', async () => {
      const buttons = await page.locator('button[data-scenario]').count();
      expect(buttons).toBe(7 * environment.targets.length);
      const columns = await page.locator('#grid thead th').allTextContents();
      expect(columns.slice(1).map((text) => text.split('http')[0])).toEqual(environment.targets.map((target) => target.spec.label));
    });

    it('shows the expected result for every button, one click at a time', async () => {
      const buttons = page.locator('button[data-scenario]');
      const unexpected: string[] = [];
      for (let index = 0; index < (await buttons.count()); index += 1) {
        const button = buttons.nth(index);
        const scenario = await button.getAttribute('data-scenario');
        const api = await button.getAttribute('data-api');
        const result = page.locator(`tr[data-scenario="${scenario}"] td[data-api="${api}"] .result`);
        await button.click();
        await result.and(page.locator('[data-state="done"]')).waitFor({ timeout: 15_000 });
        if ((await result.getAttribute('data-verdict')) !== 'pass') unexpected.push(`${scenario} on ${api}: ${await result.innerText()}`);
      }
      expect(unexpected).toEqual([]);
    });

    it('reports whether a preflight was sent, from the demo\'s own count', async () => {
      const preflight = (scenario: string, api: string) =>
        page.locator(`tr[data-scenario="${scenario}"] td[data-api="${api}"] [data-field="preflight"]`).innerText();
      for (const target of environment.targets) {
        expect(await preflight('simple-get', target.spec.id)).toBe('preflight sent: no');
        expect(await preflight('patch-token', target.spec.id)).toBe('preflight sent: yes');
      }
    });

    it('shows the exposed header among the headers the page could read', async () => {
      for (const target of environment.targets) {
        const headers = await page.locator(`tr[data-scenario="exposed-header"] td[data-api="${target.spec.id}"] [data-field="headers"]`).innerText();
        expect(headers).toContain('x-list-version: 3');
      }
    });

    it('logs CORS errors only for the requests from the origin that is not allowed', () => {
      const corsErrors = consoleMessages.filter((text) => text.includes('has been blocked by CORS policy'));
      expect(corsErrors).toHaveLength(environment.targets.length);
      for (const text of corsErrors) expect(text).toContain('?run=foreign-origin-');
    });

    it('runs every scenario again with one click, and keeps a screenshot of the result', async () => {
      await page.click('#run-all');
      const total = 7 * environment.targets.length;
      await page.waitForFunction((n) => document.getElementById('summary')?.textContent?.endsWith(`of ${n} as expected`), total, { timeout: 60_000 });
      expect(await page.locator('#summary').innerText()).toBe(`${total} of ${total} as expected`);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}playground.png`, fullPage: true });
    });
  });
});
