import { describe, expect, it } from '@jest/globals';
import { WarningDeduper } from './index.js';

describe('WarningDeduper', () => {
  it('logs a warning repeated under another route once, and every error', () => {
    const warnings: string[] = [];
    const errors: string[] = [];
    const base = { warn: (message: string) => warnings.push(message), error: (message: string) => errors.push(message) };
    const deduper = new WarningDeduper();
    const a = deduper.wrap(base, 'GET /a');
    const b = deduper.wrap(base, 'GET /b');
    a.warn('polycors: GET /a: maxAge: above 7200 [max-age-capped]');
    b.warn('polycors: GET /b: maxAge: above 7200 [max-age-capped]');
    b.warn('polycors: GET /b: origin: other [origin-insecure]');
    a.error('boom');
    a.error('boom');
    expect(warnings).toEqual(['polycors: GET /a: maxAge: above 7200 [max-age-capped]', 'polycors: GET /b: origin: other [origin-insecure]']);
    expect(errors).toEqual(['boom', 'boom']);
  });
});
