import { describe, expect, it, jest } from '@jest/globals';
import { CorsConfigError, type CorsOptions, createCorsPolicy } from './index.js';

function problemsOf(options: CorsOptions): { path: string; code: string; message: string }[] {
  try {
    createCorsPolicy({ logger: false, ...options });
  } catch (error) {
    if (error instanceof CorsConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

function codesOf(options: CorsOptions): string[] {
  return problemsOf(options).map((problem) => problem.code);
}

describe('configuration rules (strict mode)', () => {
  it.each<[string, CorsOptions, string]>([
    ['no origin at all', {}, 'origin-missing'],
    ['an empty origin list', { origin: [] }, 'origin-missing'],
    ["'*' with credentials", { origin: '*', credentials: true }, 'origin-any-with-credentials'],
    ['reflect-any (true) with credentials', { origin: true, credentials: true }, 'origin-any-with-credentials'],
    ["the 'null' origin", { origin: 'null' }, 'origin-null'],
    ['a file:// origin', { origin: 'file://' }, 'origin-file-scheme'],
    ['an origin without scheme', { origin: 'app.example.com' }, 'origin-invalid'],
    ['a trailing slash', { origin: 'https://app.example.com/' }, 'origin-trailing-slash'],
    ['a path', { origin: 'https://app.example.com/app' }, 'origin-path'],
    ['a query', { origin: 'https://app.example.com?x=1' }, 'origin-query'],
    ['user info', { origin: 'https://user@app.example.com' }, 'origin-userinfo'],
    ['upper case', { origin: 'https://App.Example.com' }, 'origin-uppercase'],
    ['a non-ASCII host', { origin: 'https://bücher.example' }, 'origin-non-ascii'],
    ['an explicit default port', { origin: 'https://app.example.com:443' }, 'origin-default-port'],
    ['a wildcard inside a label', { origin: 'https://*example.com' }, 'origin-wildcard-position'],
    ['a wildcard in the middle', { origin: 'https://api.*.example.com' }, 'origin-wildcard-position'],
    ['a wildcard inside a port', { origin: 'http://localhost:30*' }, 'origin-wildcard-position'],
    ['*.com with credentials', { origin: 'https://*.com', credentials: true }, 'origin-public-suffix-wildcard'],
    ['*.github.io with credentials', { origin: 'https://*.github.io', credentials: true }, 'origin-public-suffix-wildcard'],
    ['plain http with credentials', { origin: 'http://app.example.com', credentials: true }, 'origin-insecure-with-credentials'],
    ['an unanchored RegExp', { origin: /example\.com/ }, 'origin-regex-unanchored'],
    ['a RegExp anchored at one end only', { origin: /^https:\/\/example\.com/ }, 'origin-regex-unanchored'],
    ['a RegExp with a top-level alternation', { origin: /^https:\/\/a\.com|https:\/\/b\.com$/ }, 'origin-regex-unanchored'],
    ['a catastrophic RegExp', { origin: /^https:\/\/(a+)+\.example\.com$/ }, 'origin-regex-catastrophic'],
    ['a RegExp with the g flag', { origin: /^https:\/\/a\.example\.com$/g }, 'origin-regex-flags'],
    ['a forbidden method', { origin: 'https://a.com', methods: ['TRACE'] }, 'method-forbidden'],
    ['an invalid method token', { origin: 'https://a.com', methods: ['GE T'] }, 'method-invalid'],
    ['an invalid header name', { origin: 'https://a.com', allowedHeaders: ['x app'] }, 'header-invalid'],
    ["allowedHeaders '*' with credentials", { origin: 'https://a.com', credentials: true, allowedHeaders: '*' }, 'allowed-headers-wildcard-with-credentials'],
    ['set-cookie exposed', { origin: 'https://a.com', exposedHeaders: ['Set-Cookie'] }, 'exposed-headers-set-cookie'],
    ["exposedHeaders '*' with credentials", { origin: 'https://a.com', credentials: true, exposedHeaders: ['*'] }, 'exposed-headers-wildcard-with-credentials'],
    ['a negative maxAge', { origin: 'https://a.com', maxAge: -1 }, 'max-age-range'],
    ['a maxAge beyond a day', { origin: 'https://a.com', maxAge: 86401 }, 'max-age-range'],
    ['a fractional maxAge', { origin: 'https://a.com', maxAge: 1.5 }, 'max-age-range'],
    ['a non-2xx optionsSuccessStatus', { origin: 'https://a.com', optionsSuccessStatus: 304 }, 'options-success-status'],
    ['an unknown option', { origin: 'https://a.com', orgin: 'x' } as CorsOptions, 'option-unknown'],
    ['a wrongly typed option', { origin: 'https://a.com', credentials: 'yes' } as unknown as CorsOptions, 'option-type'],
    ['an origin rule of the wrong type', { origin: [42] } as unknown as CorsOptions, 'option-type'],
    ['an unbounded origin cache', { origin: () => true, originCache: { max: 0 } }, 'origin-cache'],
  ])('refuses %s', (_name, options, code) => {
    expect(codesOf(options)).toContain(code);
  });

  it.each<[string, CorsOptions]>([
    ['loopback http with credentials', { origin: ['http://localhost:3000', 'http://127.0.0.1:5173', 'http://[::1]:8080'], credentials: true }],
    ['a subdomain pattern of an own domain with credentials', { origin: 'https://*.example.com', credentials: true }],
    ['a port wildcard on localhost', { origin: 'http://localhost:*', credentials: true }],
    ['a pattern with both a subdomain and a port wildcard', { origin: 'https://*.example.com:*' }],
    ['non-http schemes used by apps', { origin: ['capacitor://localhost', 'chrome-extension://abcdefghijklmnop'] }],
    ['an IPv6 origin', { origin: 'http://[2001:db8::1]:8080' }],
    ['an anchored RegExp with an inner alternation', { origin: /^https:\/\/(a|b)\.example\.com$/ }],
    ['functions, RegExps and strings mixed', { origin: ['https://a.com', /^https:\/\/b\.com$/, () => false] }],
    ['comma-separated list options', { origin: 'https://a.com', methods: 'GET, POST', allowedHeaders: 'content-type, x-app-version', exposedHeaders: 'x-list-version' }],
    ["'*' for headers and methods without credentials", { origin: '*', allowedHeaders: '*', methods: '*', exposedHeaders: '*' }],
    ['maxAge 0 and 86400', { origin: 'https://a.com', maxAge: 86400 }],
    ['origin: false', { origin: false }],
  ])('accepts %s', (_name, options) => {
    expect(problemsOf(options)).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      origin: ['https://app.example.com/', 'https://Example.com', '*'],
      credentials: true,
      methods: ['CONNECT'],
      exposedHeaders: ['set-cookie'],
      maxAge: 100000,
    });
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(
      expect.arrayContaining([
        'origin[0] origin-trailing-slash',
        'origin[1] origin-uppercase',
        'origin[2] origin-any-with-credentials',
        'methods[0] method-forbidden',
        'exposedHeaders[0] exposed-headers-set-cookie',
        'maxAge max-age-range',
      ]),
    );
  });

  it('says how to fix a trailing slash in the words of the browser', () => {
    const [problem] = problemsOf({ origin: 'https://app.com/' });
    expect(problem.message).toBe("origin 'https://app.com/' has a trailing slash; browsers send 'https://app.com'");
  });

  it('suggests the punycode form of a non-ASCII host', () => {
    const [problem] = problemsOf({ origin: 'https://bücher.example' });
    expect(problem.message).toContain("'https://xn--bcher-kva.example'");
  });

  it('suggests the right name for a misspelt option', () => {
    const [problem] = problemsOf({ origin: 'https://a.com', allowHeaders: ['x'] } as CorsOptions);
    expect(problem.message).toContain("did you mean 'allowedHeaders'?");
  });

  it('suggests a known name one typo away, and lists the adapter options it is told about', () => {
    expect(problemsOf({ orgin: 'https://a.com' } as CorsOptions).find((p) => p.code === 'option-unknown')?.message).toContain("did you mean 'origin'?");
    const unknown = (() => {
      try {
        createCorsPolicy({ origin: 'https://a.com', logger: false, nonsense: 1 } as CorsOptions, { adapterOptions: ['cacheControl'] });
      } catch (error) {
        return (error as CorsConfigError).problems[0].message;
      }
    })();
    expect(unknown).toMatch(/known options: origin, .*, cacheControl$/);
  });

  it.each([/\.example\.com$/, /^https:\/\/app\.example\.com/, /app\.example\.com/, /^https:\/\/[a-z]+\.example\.com/, /^https:\/\/a\.com|^https:\/\/b\.com$/])(
    'gives an example origin that the unanchored %s really matches',
    (regexp) => {
      const problem = problemsOf({ origin: regexp }).find((p) => p.code === 'origin-regex-unanchored') as { message: string };
      const example = /so '([^']+)' can match/.exec(problem.message)?.[1] as string;
      expect(regexp.test(example)).toBe(true);
      expect(new RegExp(`^(?:${regexp.source.replace(/^\^/, '').replace(/\$$/, '')})$`).test(example)).toBe(false);
    },
  );

  it('suggests the fully normalised origin for a trailing slash, a path or user info', () => {
    expect(problemsOf({ origin: 'https://B.Example.com/' }).map((p) => p.message)).toContain("origin 'https://B.Example.com/' has a trailing slash; browsers send 'https://b.example.com'");
    expect(problemsOf({ origin: 'HTTPS://App.example.com:443/x' })[0].message).toContain(": 'https://app.example.com'");
    expect(problemsOf({ origin: 'https://me@App.example.com:8443' })[0].message).toContain(": 'https://app.example.com:8443'");
  });

  it('names where the policy applies in the error message', () => {
    expect(() => createCorsPolicy({ origin: '*', credentials: true }, { where: 'FormController.update (PATCH /form)' })).toThrow(
      /for FormController\.update \(PATCH \/form\)/,
    );
  });

  it('never throws anything but CorsConfigError for nonsense input', () => {
    for (const options of [null, 42, 'https://a.com', [], { origin: Symbol('x') }, { methods: {} }, { logger: 3 }] as unknown[]) {
      try {
        createCorsPolicy(options as CorsOptions);
      } catch (error) {
        expect(error).toBeInstanceOf(CorsConfigError);
      }
    }
  });
});

describe('warnings', () => {
  it('warns, without refusing, about a maxAge above Chromium’s 2-hour cap', () => {
    const logger = { warn: jest.fn(), error: jest.fn() };
    const policy = createCorsPolicy({ origin: 'https://a.com', maxAge: 10000, logger });
    expect(policy.warnings.map((w) => w.code)).toEqual(['max-age-above-chromium-cap']);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('7200'));
  });

  it('warns about a public-suffix wildcard without credentials', () => {
    const policy = createCorsPolicy({ origin: 'https://*.vercel.app', logger: false });
    expect(policy.warnings.map((w) => w.code)).toEqual(['origin-public-suffix-wildcard']);
  });

  it('warns about a forbidden request header in allowedHeaders', () => {
    const policy = createCorsPolicy({ origin: 'https://a.com', allowedHeaders: ['cookie'], logger: false });
    expect(policy.warnings.map((w) => w.code)).toEqual(['header-forbidden']);
  });

  it('upper-cases methods that fetch() normalises, and warns about a lower-case PATCH', async () => {
    const policy = createCorsPolicy({ origin: 'https://a.com', methods: ['put', 'patch'], logger: false });
    expect(policy.settings.methods).toEqual(['PUT', 'patch']);
    expect(policy.warnings.map((w) => w.message).join()).toContain("did you mean 'PATCH'?");
  });
});

describe('strict: false (migration mode)', () => {
  it('turns errors into warnings passed to the logger', () => {
    const logger = { warn: jest.fn(), error: jest.fn() };
    const policy = createCorsPolicy({ origin: ['https://app.com/', 'https://b.com'], strict: false, logger });
    expect(policy.warnings.map((w) => w.code)).toEqual(['origin-trailing-slash']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("keeps a mistyped origin as written, so it never matches (as browsers would refuse it anyway)", async () => {
    const policy = createCorsPolicy({ origin: 'https://app.com/', strict: false, logger: false });
    const decision = await policy.evaluate({ method: 'GET', origin: 'https://app.com' });
    expect(decision.allowed).toBe(false);
  });

  it("answers '*' without credentials instead of ever pairing '*' or a reflected origin with credentials", async () => {
    for (const origin of ['*', true] as const) {
      const policy = createCorsPolicy({ origin, credentials: true, strict: false, logger: false });
      const decision = await policy.evaluate({ method: 'GET', origin: 'https://evil.example' });
      expect(decision.headers).toEqual([['access-control-allow-origin', '*']]);
    }
  });

  it('refuses everything when no origin is configured', async () => {
    const policy = createCorsPolicy({ strict: false, logger: false });
    const decision = await policy.evaluate({ method: 'GET', origin: 'https://a.com' });
    expect(decision.allowed).toBe(false);
    expect(policy.enabled).toBe(false);
  });

  it('drops forbidden methods and set-cookie from the headers it sends', async () => {
    const policy = createCorsPolicy({ origin: 'https://a.com', methods: ['GET', 'TRACE'], exposedHeaders: ['set-cookie', 'x-id'], strict: false, logger: false });
    const preflight = await policy.evaluate({ method: 'OPTIONS', origin: 'https://a.com', requestMethod: 'GET' });
    expect(preflight.headers).toContainEqual(['access-control-allow-methods', 'GET']);
    const actual = await policy.evaluate({ method: 'GET', origin: 'https://a.com' });
    expect(actual.headers).toContainEqual(['access-control-expose-headers', 'x-id']);
  });
});
