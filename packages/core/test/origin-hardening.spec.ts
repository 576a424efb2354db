/**
 * Issue 11: no accepted configuration can be slowed down, widened or fooled by a hostile origin.
 * (Timing lives in tools/bench; these tests assert what a browser would see and what startup reports.)
 */
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { type CorsDecision, CorsConfigError, type CorsOptions, createCorsPolicy } from '../src/index.js';
import { header } from './decision-assertions.js';

function problemsOf(options: CorsOptions): { code: string; message: string }[] {
  try {
    createCorsPolicy({ ...options, logger: false });
  } catch (error) {
    if (error instanceof CorsConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

async function get(options: CorsOptions, origin: string): Promise<CorsDecision> {
  return createCorsPolicy({ ...options, logger: false }).evaluate({ method: 'GET', origin });
}

describe('RegExp rules: catastrophic backtracking is a startup error (11.1)', () => {
  it.each([
    [/^https:\/\/([a-z0-9]?[a-z0-9-])+\.example\.com$/],
    [/^https:\/\/[a-z0-9-]+[a-z0-9-]+[a-z0-9-]+\.example\.com$/],
  ])('refuses %s with the reason and the pattern alternative', (regexp) => {
    const problem = problemsOf({ origin: regexp }).find((p) => p.code === 'origin-regex-catastrophic');
    expect(problem?.message).toContain("'https://*.example.com'");
    expect(problem?.message).toMatch(/more than one way|too complex/);
  });

  it('with strict: false, warns and lets the RegExp allow nothing rather than stall the server', async () => {
    const options = { origin: /^https:\/\/([a-z0-9]?[a-z0-9-])+\.example\.com$/, strict: false };
    const policy = createCorsPolicy({ ...options, logger: false });
    expect(policy.warnings.map((w) => w.code)).toContain('origin-regex-catastrophic');
    expect((await get(options, 'https://api.example.com')).allowed).toBe(false);
  });
});

describe('RegExp rules only ever see serialised origins within DNS limits (11.1, 11.11)', () => {
  it.each([
    ['a non-canonical port', 'https://a.example.com:0443'],
    ['the default port', 'https://a.example.com:443'],
    ['a port above 65535', 'https://a.example.com:70000'],
    ['upper case', 'https://A.example.com'],
    ['a line break', 'https://a.example.com\r\nx: y'],
    ['a path', 'https://a.example.com/'],
    ['a 64-character label', `https://${'a'.repeat(64)}.example.com`],
    ['more than 32 labels', `https://${'a.'.repeat(40)}example.com`],
    ['null', 'null'],
  ])('never runs a RegExp on an origin with %s', async (_what, origin) => {
    const regexp = /^https:\/\/[a-z]+\.example\.com$/;
    const test = jest.spyOn(regexp, 'test');
    const decision = await get({ origin: regexp }, origin);
    expect(decision.allowed).toBe(false);
    expect(test).not.toHaveBeenCalled();
  });
});

describe('many-label origins (11.2)', () => {
  it('refuses a 2 KB origin of 1,000 labels against a *. pattern', async () => {
    const origin = `https://${'a.'.repeat(1000)}example.com`;
    expect(origin.length).toBeLessThan(2048);
    const decision = await get({ origin: 'https://*.example.com' }, origin);
    expect(decision.allowed).toBe(false);
    expect(header(decision, 'access-control-allow-origin')).toBeUndefined();
  });

  it('still matches deep subdomains within the cap, on the right scheme and port only', async () => {
    const rules = { origin: ['https://*.example.com', 'https://*.b.test:8443', 'http://*.c.test:*'] };
    const deep = `https://${'a.'.repeat(30)}example.com`;
    expect(header(await get(rules, deep), 'access-control-allow-origin')).toBe(deep);
    expect((await get(rules, 'https://x.b.test:8443')).allowed).toBe(true);
    expect((await get(rules, 'https://x.b.test')).allowed).toBe(false);
    expect((await get(rules, 'http://x.c.test:3000')).allowed).toBe(true);
    expect((await get(rules, 'http://x.c.test')).allowed).toBe(true);
    expect((await get(rules, 'http://example.com')).allowed).toBe(false);
    expect((await get(rules, 'https://xexample.com')).allowed).toBe(false);
  });
});

describe('many *. rules', () => {
  it('finds each rule by its own suffix only, whatever the number of rules', async () => {
    const origin = Array.from({ length: 100 }, (_, i) => `https://*.tenant-${i}.example.com`);
    const policy = createCorsPolicy({ origin: [...origin, 'https://*.b.example.com:8443'], logger: false });
    const allowed = async (o: string) => (await policy.evaluate({ method: 'GET', origin: o })).allowed;
    expect(await allowed('https://eu.app.tenant-57.example.com')).toBe(true);
    expect(await allowed('https://a.tenant-99.example.com')).toBe(true);
    expect(await allowed('https://a.tenant-100.example.com')).toBe(false);
    expect(await allowed('https://tenant-5.example.com')).toBe(false);
    expect(await allowed('https://a.xtenant-5.example.com')).toBe(false);
    expect(await allowed('https://a.b.example.com:8443')).toBe(true);
    expect(await allowed('https://a.b.example.com')).toBe(false);
  });
});

describe('strict: false never widens (11.4)', () => {
  it('says that a broken rule is ignored under credentials', () => {
    const policy = createCorsPolicy({ origin: ['https://*.github.io'], credentials: true, strict: false, logger: false });
    expect(policy.warnings.map((w) => w.code)).toEqual(['origin-public-suffix-wildcard', 'origin-rule-ignored']);
  });

  it('keeps a mistyped origin as the incumbents do: it matches nothing a browser sends', async () => {
    const decision = await get({ origin: ['https://App.example.com'], strict: false }, 'https://app.example.com');
    expect(decision.allowed).toBe(false);
  });
});

describe('the full Public Suffix List (11.6)', () => {
  it.each(['co.il', 'com.ar', 'azureedge.net', 'myshopify.com', 'r2.dev', 'ondigitalocean.app', 'blob.core.windows.net', 'github.io', 'com'])(
    'refuses https://*.%s with credentials',
    (suffix) => {
      expect(problemsOf({ origin: `https://*.${suffix}`, credentials: true }).map((p) => p.code)).toEqual(['origin-public-suffix-wildcard']);
    },
  );

  it('accepts a wildcard under a registrable domain of a multi-label suffix', () => {
    expect(problemsOf({ origin: ['https://*.shop.co.il', 'https://*.team.github.io'], credentials: true })).toEqual([]);
  });
});

describe('with credentials, RegExp and function answers get the checks string rules get (11.7)', () => {
  const anything = () => true;

  it.each([
    ['null', 'null'],
    ['plain http', 'http://app.example.com'],
    ['another scheme', 'connector://app.example.com'],
    ['a site directly under a shared-hosting suffix', 'https://attacker.github.io'],
  ])('refuses %s even though the origin function allowed it', async (_what, origin) => {
    for (const origins of [anything, async () => true]) {
      const decision = await get({ origin: origins, credentials: true }, origin);
      expect(decision).toMatchObject({ allowed: false, headers: [] });
      expect(decision.reason?.code).toBe('credentials-origin-unsafe');
    }
  });

  it.each(['https://app.example.com', 'http://localhost:3000', 'http://127.0.0.1:8080', 'https://a.b.github.io'])('still allows %s from an origin function', async (origin) => {
    const decision = await get({ origin: anything, credentials: true }, origin);
    expect(header(decision, 'access-control-allow-origin')).toBe(origin);
    expect(header(decision, 'access-control-allow-credentials')).toBe('true');
  });

  it('refuses a RegExp that would let any registrable domain under the suffix in, naming what else it matches', async () => {
    const decision = await get({ origin: /^https:\/\/[a-z0-9-]+\.github\.io$/, credentials: true }, 'https://attacker.github.io');
    expect(decision.reason?.code).toBe('credentials-origin-unsafe');
    expect(decision.reason?.message).toContain("'buubdlfs.github.io'");
  });

  it('applies no such check without credentials', async () => {
    expect((await get({ origin: anything }, 'http://app.example.com')).allowed).toBe(true);
    expect((await get({ origin: /^https:\/\/[a-z0-9-]+\.github\.io$/ }, 'https://attacker.github.io')).allowed).toBe(true);
  });

  it('refuses an unescaped dot in a RegExp host at startup, showing the escaped form', () => {
    const problem = problemsOf({ origin: /^https:\/\/app.example\.com$/ }).find((p) => p.code === 'origin-regex-unescaped-dot');
    expect(problem?.message).toContain('appxexample.com');
    expect(problem?.message).toContain(String.raw`/^https:\/\/app\.example\.com$/`);
  });

  it.each(['connector://example.com', 'ws://example.com', 'chrome-extension://abcdefghijklmnop'])('refuses the non-https string rule %s with credentials', (rule) => {
    expect(problemsOf({ origin: rule, credentials: true }).map((p) => p.code)).toEqual(['origin-insecure-with-credentials']);
  });
});

describe('ports and serialisation (11.11)', () => {
  it('refuses a RegExp with the m flag; with strict: false drops the flag, so a line break never passes the anchors', async () => {
    const regexp = /^https:\/\/app\.example\.com$/m;
    expect(problemsOf({ origin: regexp }).map((p) => p.code)).toEqual(['origin-regex-flags']);
    const decision = await get({ origin: regexp, strict: false }, 'https://evil.com\nhttps://app.example.com');
    expect(decision).toMatchObject({ allowed: false, headers: [] });
  });

  it.each([
    ['an origin function', { origin: () => true }],
    ['origin: true', { origin: true }],
  ])('never puts a non-serialised origin into Access-Control-Allow-Origin from %s', async (_what, options) => {
    for (const origin of ['https://a.example.com\r\nset-cookie: a=b', 'https://a.example.com/path', 'javascript:alert(1)', 'https://a.example.com:443']) {
      const policy = createCorsPolicy({ ...(options as CorsOptions), logger: false });
      const actual = await policy.evaluate({ method: 'GET', origin });
      const preflight = await policy.evaluate({ method: 'OPTIONS', origin, requestMethod: 'GET' });
      expect([origin, actual.allowed, header(actual, 'access-control-allow-origin')]).toEqual([origin, false, undefined]);
      expect([origin, preflight.allowed, preflight.status]).toEqual([origin, false, 403]);
    }
  });
});

describe('Private Network Access for any origin (11.12)', () => {
  it.each([
    ["origin '*'", { origin: '*' }],
    ['origin: true', { origin: true }],
  ])('warns at startup for %s', (_what, options) => {
    const warn = jest.fn();
    const policy = createCorsPolicy({ ...(options as CorsOptions), privateNetworkAccess: true, logger: { warn, error: jest.fn() } });
    expect(policy.warnings.map((w) => w.code)).toEqual(['private-network-any-origin']);
    expect(String(warn.mock.calls[0]?.[0])).toContain('every public website');
  });

  it('is an error with credentials', () => {
    expect(problemsOf({ origin: true, credentials: true, privateNetworkAccess: true }).map((p) => p.code)).toContain('private-network-any-origin');
  });

  it('says nothing for listed origins', () => {
    expect(createCorsPolicy({ origin: 'https://app.example.com', privateNetworkAccess: true, logger: false }).warnings).toEqual([]);
  });
});

describe('Access-Control-Allow-Origin is always a serialised origin, * or null (11.11, property)', () => {
  const junk = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.constantFrom('https://a.example.com', 'http://localhost'), fc.constantFrom('\r\n', '\n', '/', ':0', ':80', ':443', ':99999', ' ', '.'), fc.string()).map((parts) => parts.join('')),
  );
  const policies: CorsOptions[] = [
    { origin: true },
    { origin: () => true },
    { origin: async () => true },
    { origin: /^https?:\/\/[a-z.]+(:\d+)?$/ },
    { origin: ['https://*.example.com:*', 'http://localhost:*'] },
    { origin: /^https:\/\/[a-z]+\.example\.com$/m, strict: false },
  ];

  it('holds for any Origin a client or adapter passes in', async () => {
    const compiled = policies.map((options) => createCorsPolicy({ ...options, logger: false }));
    await fc.assert(
      fc.asyncProperty(junk, async (origin) => {
        for (const policy of compiled) {
          for (const request of [{ method: 'GET', origin }, { method: 'OPTIONS', origin, requestMethod: 'GET' }]) {
            const acao = header(await policy.evaluate(request), 'access-control-allow-origin');
            if (acao === undefined || acao === '*' || acao === 'null') continue;
            expect(acao).toMatch(/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:[1-9][0-9]{0,4})?$/);
            expect(acao).toBe(new URL(acao).origin);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('exact origins a browser cannot send are startup errors', () => {
  it.each(['https://a.example.com.0', 'http://0x7f.0.0.1', 'http://127.0.0.01', `https://${'a.'.repeat(40)}example.com`])('refuses %s', (rule) => {
    expect(problemsOf({ origin: rule }).map((p) => p.code)).toEqual(['origin-invalid']);
  });

  it('accepts a dotted IPv4 origin', () => {
    expect(problemsOf({ origin: ['http://192.0.2.1:8080', 'https://10.0.0.1'] })).toEqual([]);
  });
});
