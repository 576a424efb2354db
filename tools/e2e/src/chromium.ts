/**
 * Debian's Chromium under playwright-core. Never downloads a browser: it uses /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Flags that keep Chromium headless, sandbox-free (root in CI) and off the internet. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** The two ways the suite runs Chromium: as shipped, and with the Fetch Standard's rule that `*` does not cover Authorization. */
export interface BrowserMode {
  id: string;
  label: string;
  args: readonly string[];
}

export const BROWSER_MODES: readonly BrowserMode[] = Object.freeze([
  { id: 'default', label: 'Chromium as shipped', args: [] },
  {
    id: 'non-wildcard-request-headers',
    label: 'Chromium with --enable-features=CorsNonWildcardRequestHeadersSupport',
    args: ['--enable-features=CorsNonWildcardRequestHeadersSupport'],
  },
]);

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export type ChromiumAvailability =
  | { available: true; path: string }
  | { available: false; path: string; mustFail: boolean; message: string };

/**
 * Is Chromium there? When it is not: on CI (`CI=true`) the suite must fail; a developer's run skips with a message.
 */
export function chromiumAvailability(env: NodeJS.ProcessEnv = process.env): ChromiumAvailability {
  const path = chromiumPath(env);
  try {
    accessSync(path, constants.X_OK);
    return { available: true, path };
  } catch {
    const mustFail = env.CI === 'true';
    const install = "install Debian's Chromium (apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary";
    return {
      available: false,
      path,
      mustFail,
      message: mustFail
        ? `polycors e2e: Chromium is missing at ${path} and CI=true, so the browser conformance suite fails: ${install}.`
        : `polycors e2e: SKIPPED: Chromium is missing at ${path}; the browser conformance suite did not run. To run it, ${install}. (With CI=true this is a failure.)`,
    };
  }
}

export async function launchChromium(mode: BrowserMode, env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(env), args: [...CHROMIUM_ARGS, ...mode.args], timeout: 60_000 });
}
