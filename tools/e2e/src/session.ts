/**
 * One Chromium context with two pages: one on the allowed origin, one on a foreign origin. Requests are made by
 * the playground's own `perform()` (public/fetcher.js) inside the page, exactly as the playground makes them, and
 * Chromium's console messages are collected so a case can check why the browser blocked a request.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface Step {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: 'omit' | 'same-origin' | 'include';
}

export type FetchResult =
  | { outcome: 'allowed'; status: number; headers: [string, string][]; body: string }
  | { outcome: 'blocked'; error: string };

export type From = 'page' | 'foreign';

interface ConsoleEntry {
  from: From;
  type: string;
  text: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class BrowserSession {
  private readonly messages: ConsoleEntry[] = [];

  private constructor(
    readonly context: BrowserContext,
    private readonly pages: Record<From, Page>,
  ) {
    for (const from of ['page', 'foreign'] as const) {
      pages[from].on('console', (message) => this.messages.push({ from, type: message.type(), text: message.text() }));
    }
  }

  static async open(browser: Browser, pageOrigin: string, foreignOrigin: string): Promise<BrowserSession> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign = await context.newPage();
    for (const [target, origin] of [
      [page, pageOrigin],
      [foreign, foreignOrigin],
    ] as const) {
      await target.goto(`${origin}/blank.html`);
      await target.waitForFunction(() => typeof (window as unknown as { polycorsPerform?: unknown }).polycorsPerform === 'function');
    }
    return new BrowserSession(context, { page, foreign });
  }

  /** `fetch()` from the allowed page (`page`) or from the foreign origin (`foreign`). */
  async fetch(from: From, step: Step): Promise<FetchResult> {
    return this.pages[from].evaluate(
      (s) => (window as unknown as { polycorsPerform: (step: unknown) => Promise<FetchResult> }).polycorsPerform(s),
      step,
    );
  }

  /**
   * The CORS error Chromium printed for this URL. It arrives a little after the page sees the rejection, so wait
   * for it (up to `timeoutMs`); undefined if none came.
   */
  async corsMessage(url: string, timeoutMs = 5000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.corsMessages(url);
      if (found.length > 0) return found[0];
      if (Date.now() > deadline) return undefined;
      await sleep(25);
    }
  }

  /** Every CORS console message so far that names this URL. */
  corsMessages(url: string): string[] {
    return this.messages
      .filter((entry) => entry.text.includes('has been blocked by CORS policy') && entry.text.includes(`'${url}'`))
      .map((entry) => entry.text);
  }

  /** Names of the cookies the browser holds for a URL. */
  async cookieNames(url: string): Promise<string[]> {
    return (await this.context.cookies(url)).map((cookie) => cookie.name).sort();
  }

  async clearCookies(): Promise<void> {
    await this.context.clearCookies();
  }

  page(from: From): Page {
    return this.pages[from];
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
