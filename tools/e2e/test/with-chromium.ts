/**
 * Runs a browser suite when Debian's Chromium is there. Without it: one failing test on CI (CI=true), where the
 * browser is required, and one skipped test naming what is missing for a developer.
 */
import { it } from '@jest/globals';
import { chromiumAvailability } from '../src/chromium.js';

export function withChromium(what: string, suite: () => void): void {
  const chromium = chromiumAvailability();
  if (chromium.available) {
    suite();
  } else if (chromium.mustFail) {
    it('finds Chromium (required on CI)', () => {
      throw new Error(chromium.message);
    });
  } else {
    console.warn(chromium.message);
    it.skip(`${what} (skipped: Chromium is missing at ${chromium.path})`, () => {});
  }
}
