/**
 * The browser is the judge: every case of src/cases.ts against every demo, in Chromium as shipped and in Chromium
 * with the Fetch Standard's non-wildcard request-header rule.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { CASES, type CaseContext } from '../src/cases.js';
import { BROWSER_MODES, launchChromium } from '../src/chromium.js';
import { startEnvironment, type Environment } from '../src/environment.js';
import { BrowserSession } from '../src/session.js';
import { readStats, seenFor, seenForRunAndTags } from '../src/stats.js';
import { selectedTargets } from '../src/targets.js';
import { withChromium } from './with-chromium.js';

const TARGETS = selectedTargets();

withChromium('runs in Chromium', () => {
  describe('the browser conformance suite', () => {
    let environment: Environment;

    beforeAll(async () => {
      environment = await startEnvironment(TARGETS);
    }, 120_000);

    afterAll(async () => {
      await environment?.stop();
    });

    for (const mode of BROWSER_MODES) {
      describe(mode.label, () => {
        let browser: Browser;
        let session: BrowserSession;

        beforeAll(async () => {
          browser = await launchChromium(mode);
          session = await BrowserSession.open(browser, environment.pageOrigin, environment.foreignOrigin);
        });

        afterAll(async () => {
          await session?.close();
          await browser?.close();
        });

        for (const spec of TARGETS) {
          describe(spec.label, () => {
            for (const testCase of CASES) {
              it(`${testCase.title} [${testCase.id}]`, async () => {
                const target = environment.targets.find((running) => running.spec === spec);
                expect(target).toBeDefined();
                const api = target!.url;
                const run = `${mode.id}.${spec.id}.${testCase.id}`;
                const tagged = (tag?: string) => (tag === undefined ? run : `${run}.${tag}`);
                const guardsBefore = (await readStats(api)).guardRuns.auth;
                const context: CaseContext = {
                  target: spec,
                  url: (path, tag) => `${api}${path}?run=${encodeURIComponent(tagged(tag))}`,
                  seen: (tag) => seenFor(api, tagged(tag)),
                  guardRuns: async () => (await readStats(api)).guardRuns.auth - guardsBefore,
                  session,
                  pageOrigin: environment.pageOrigin,
                  foreignOrigin: environment.foreignOrigin,
                  token: environment.token,
                };
                await testCase.run(context);
                // Whatever the case: no guard (the demo's global check, or the auth guard) ever ran for a preflight.
                const preflights = (await seenForRunAndTags(api, run)).filter((request) => request.preflight);
                expect(preflights.filter((request) => request.guards.length > 0)).toEqual([]);
              });
            }
          });
        }
      });
    }
  });
});
