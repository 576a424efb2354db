/**
 * Configuration rules -> problems. Turns user options into normalised settings, collecting every problem at once
 * (DESIGN.md, "Refused at startup"). Errors throw in strict mode and become warnings with `strict: false`;
 * warnings never throw. Where a rule is broken in non-strict mode the setting keeps the behaviour browsers would
 * show anyway, and never widens access (no `*` or reflected origin with credentials).
 */
import type { ConfigProblemCode, CorsConfigProblem } from './config-error.js';
import type { CorsLogger, CorsOptions, OriginFunction, OriginRule } from './options.js';
import { CORS_DEFAULTS } from './options.js';
import { shapeOf } from './origins/call-origin-function.js';
import { type OriginPattern, isLoopbackHost, parseOriginRule } from './origins/parse-rule.js';
import { isPublicSuffix } from './origins/public-suffix.js';
import { checkBacktracking, findUnescapedDot, isAnchored, unanchoredExample } from './origins/regex-safety.js';
import { MAX_HOST_LABELS, parseRequestOrigin } from './origins/request-origin.js';
import { type ListFormat, formatList } from './list-format.js';
import type { AllowedHeaderSet } from './request-headers.js';
import { FORBIDDEN_METHODS, FORBIDDEN_RESPONSE_HEADERS, NORMALIZED_METHODS, isForbiddenRequestHeader, isToken, toList } from './tokens.js';

export type Severity = 'error' | 'warning';
export interface RatedProblem extends CorsConfigProblem {
  severity: Severity;
}

export interface NormalisedSettings {
  enabled: boolean;
  anyOrigin: boolean;
  reflectAnyOrigin: boolean;
  patterns: OriginPattern[];
  regexps: RegExp[];
  functions: OriginFunction[];
  /** Human-readable origin rules, for refusal messages. */
  originRules: string[];
  anyMethod: boolean;
  methods: string[];
  allowedHeaders: AllowedHeaderSet;
  allowedHeaderNames: string[];
  exposedHeaders: string[];
  credentials: boolean;
  maxAge?: number;
  optionsSuccessStatus: number;
  preflightContinue: boolean;
  privateNetworkAccess: boolean;
  strict: boolean;
  debug: boolean;
  logger: CorsLogger | undefined;
  onRefusal: CorsOptions['onRefusal'];
  /** `identity`: the user's `originCache` object (or one shared token for `true`): policies given the same one share answers. */
  originCache?: { max: number; ttl: number; key?: (origin: string, context: unknown) => string; identity: object };
  /** Longest wait for an origin function, in milliseconds. */
  originTimeout: number;
  /** When to warn about an origin function reflecting every origin under credentials; undefined: never. */
  reflectionWarning?: { origins: number; window: number };
  maxRequestHeadersLength: number;
  /** The list headers' values as sent (see ListFormat). */
  listValues: { methods: string; allowedHeaders: string; exposedHeaders: string };
}

const KNOWN_OPTIONS: ReadonlySet<string> = new Set<keyof CorsOptions>([
  'origin', 'methods', 'allowedHeaders', 'exposedHeaders', 'credentials', 'maxAge', 'optionsSuccessStatus',
  'preflightContinue', 'privateNetworkAccess', 'inherit', 'strict', 'debug', 'logger', 'onRefusal', 'originCache',
  'originTimeout', 'reflectionWarning', 'maxRequestHeadersLength',
]);

export interface ValidateContext {
  /** Methods to allow when `methods` is not configured (an adapter passes the route's own methods). */
  defaultMethods?: readonly string[];
  /** The adapter's own option names accepted where these options were written, listed and suggested for unknown options. */
  adapterOptions?: readonly string[];
  /** How list headers are written (default: `', '`, allowed header names in lower case). */
  listFormat?: ListFormat;
}

export function validateOptions(options: CorsOptions, context: ValidateContext = {}): { settings: NormalisedSettings; problems: RatedProblem[] } {
  const problems: RatedProblem[] = [];
  const report = (severity: Severity, path: string, code: ConfigProblemCode, message: string) => problems.push({ severity, path, code, message });

  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    report('error', '', 'option-type', `options must be an object, got ${describeValue(options)}`);
    options = {};
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) report('error', key, 'option-unknown', `unknown option '${key}'${suggestOption(key, context.adapterOptions ?? [])}`);
  }

  const strict = readBoolean(options, 'strict', CORS_DEFAULTS.strict, report);
  const credentials = readBoolean(options, 'credentials', CORS_DEFAULTS.credentials, report);
  const settings: NormalisedSettings = {
    enabled: true,
    anyOrigin: false,
    reflectAnyOrigin: false,
    patterns: [],
    regexps: [],
    functions: [],
    originRules: [],
    anyMethod: false,
    methods: [],
    allowedHeaders: { mode: 'reflect' },
    allowedHeaderNames: [],
    exposedHeaders: [],
    credentials,
    optionsSuccessStatus: CORS_DEFAULTS.optionsSuccessStatus,
    preflightContinue: readBoolean(options, 'preflightContinue', CORS_DEFAULTS.preflightContinue, report),
    privateNetworkAccess: readBoolean(options, 'privateNetworkAccess', CORS_DEFAULTS.privateNetworkAccess, report),
    strict,
    debug: readBoolean(options, 'debug', CORS_DEFAULTS.debug, report),
    logger: undefined,
    onRefusal: undefined,
    originTimeout: CORS_DEFAULTS.originTimeout,
    reflectionWarning: { ...CORS_DEFAULTS.reflectionWarning },
    maxRequestHeadersLength: CORS_DEFAULTS.maxRequestHeadersLength,
    listValues: { methods: '', allowedHeaders: '', exposedHeaders: '' },
  };

  validateOrigin(options, settings, report);
  validatePrivateNetworkAccess(credentials, settings, report);
  validateMethods(options, settings, context, report);
  validateAllowedHeaders(options, settings, report);
  validateExposedHeaders(options, settings, report);
  validateScalars(options, settings, report);
  validateOriginFunctionOptions(options, settings, report);
  settings.listValues = {
    methods: settings.anyMethod ? '*' : formatList(options.methods, settings.methods, context.listFormat, false),
    allowedHeaders: formatList(options.allowedHeaders, settings.allowedHeaderNames, context.listFormat, true),
    exposedHeaders: formatList(options.exposedHeaders, settings.exposedHeaders, context.listFormat, true),
  };
  return { settings, problems };
}

type Report = (severity: Severity, path: string, code: ConfigProblemCode, message: string) => void;

function validateOrigin(options: CorsOptions, settings: NormalisedSettings, report: Report): void {
  const origin = options.origin;
  if (origin === undefined) {
    report('error', 'origin', 'origin-missing', "no 'origin' configured; list the origins your pages are served from, e.g. origin: ['https://app.example.com'] (use origin: '*' for a public API without credentials)");
    settings.enabled = false;
    return;
  }
  if (origin === false) {
    settings.enabled = false;
    return;
  }
  if (origin === true) {
    if (settings.credentials) {
      report('error', 'origin', 'origin-any-with-credentials', 'origin: true reflects every origin back with credentials, letting any website act as the signed-in user; list the allowed origins instead');
      settings.anyOrigin = true; // non-strict: degrade to '*' without credentials, never reflect with credentials
      settings.credentials = false;
    } else {
      settings.reflectAnyOrigin = true;
    }
    settings.originRules = ['any origin (reflected)'];
    return;
  }
  const rules: readonly unknown[] = Array.isArray(origin) ? origin : [origin];
  if (Array.isArray(origin) && origin.length === 0) {
    report('error', 'origin', 'origin-missing', "origin is an empty list, which allows nothing; list the allowed origins or use origin: false to turn CORS off");
  }
  const summary: string[] = [];
  rules.forEach((rule, index) => {
    const path = Array.isArray(origin) ? `origin[${index}]` : 'origin';
    if (rule === '*') {
      summary.push('*');
      if (settings.credentials) {
        report('error', path, 'origin-any-with-credentials', "origin '*' cannot be used with credentials: true (browsers refuse it, and reflecting every origin instead would let any website act as the signed-in user); list the allowed origins");
      }
      settings.anyOrigin = true;
      return;
    }
    if (typeof rule === 'string') {
      summary.push(rule);
      addStringRule(rule, path, settings, report);
      return;
    }
    if (rule instanceof RegExp) {
      summary.push(String(rule));
      addRegExpRule(rule, path, settings, report);
      return;
    }
    if (typeof rule === 'function') {
      summary.push(`${(rule as OriginRule & { name?: string }).name || 'function'}()`);
      settings.functions.push(rule as OriginFunction);
      return;
    }
    report('error', path, 'option-type', `origin rules are strings, RegExps or functions, got ${describeValue(rule)}`);
  });
  if (settings.anyOrigin && settings.credentials) settings.credentials = false; // never '*' with credentials
  settings.originRules = summary;
}

/**
 * Reports a rule's problems and says whether the rule may still allow anything (`strict: false`): a rule with an
 * error is ignored under credentials, so `strict: false` never lets a mistaken rule answer with credentials.
 */
function reportRule(problems: { severity: Severity; code: ConfigProblemCode; message: string }[], path: string, settings: NormalisedSettings, report: Report): boolean {
  for (const problem of problems) report(problem.severity, path, problem.code, problem.message);
  const broken = problems.some((problem) => problem.severity === 'error');
  if (broken && settings.credentials && !settings.strict) {
    report('warning', path, 'origin-rule-ignored', 'this rule has an error, so with credentials it is ignored and allows nothing (strict: false never allows a mistaken rule with credentials)');
  }
  return !(broken && settings.credentials);
}

function addStringRule(rule: string, path: string, settings: NormalisedSettings, report: Report): void {
  const parsed = parseOriginRule(rule);
  const problems: { severity: Severity; code: ConfigProblemCode; message: string }[] = parsed.problems.map((problem) => ({ severity: 'error', ...problem }));
  const pattern = parsed.pattern;
  if (pattern) {
    const scheme = pattern.kind === 'exact' ? pattern.origin.slice(0, Math.max(pattern.origin.indexOf(':'), 0)) : pattern.scheme;
    const host = pattern.kind === 'exact' ? hostOf(pattern.origin) : pattern.host;
    const secure = scheme === 'https' || (scheme === 'http' && host !== undefined && isLoopbackHost(host));
    if (settings.credentials && !secure && host !== undefined && rule !== 'null') {
      const fix = scheme === 'http' ? `use 'https://${rule.slice(7)}'` : `serve the page over https instead`;
      problems.push({ severity: 'error', code: 'origin-insecure-with-credentials', message: `origin '${rule}' is not https, with credentials: anyone on the network can read or inject its traffic and act as the user (only https, or http on loopback, may send credentials); ${fix}` });
    }
    if (pattern.kind === 'pattern' && pattern.subdomains && isPublicSuffix(pattern.host)) {
      const message = `origin '${rule}' allows every subdomain of the public suffix '${pattern.host}', which strangers can register; name your own domain ('${pattern.scheme}://*.your-app.${pattern.host}')`;
      problems.push({ severity: settings.credentials ? 'error' : 'warning', code: 'origin-public-suffix-wildcard', message });
    }
  }
  // A rule that is not a serialised origin never matches what a browser sends (as with the incumbents, which compare
  // it literally), so it is left out rather than compared: nothing but a serialised origin is ever reflected.
  const serialised = pattern?.kind !== 'exact' || pattern.origin === 'null' || parseRequestOrigin(pattern.origin) !== undefined;
  if (!serialised && problems.length === 0) {
    problems.push({ severity: 'error', code: 'origin-invalid', message: `origin '${rule}' is not an origin a browser can send (a host ending in a number must be a dotted IPv4 address like 192.0.2.1; at most ${MAX_HOST_LABELS} labels)` });
  }
  if (!reportRule(problems, path, settings, report) || !pattern || !serialised) return;
  settings.patterns.push(pattern);
}

function addRegExpRule(rule: RegExp, path: string, settings: NormalisedSettings, report: Report): void {
  const problems: { severity: Severity; code: ConfigProblemCode; message: string }[] = [];
  const error = (code: ConfigProblemCode, message: string) => problems.push({ severity: 'error', code, message });
  const backtracking = checkBacktracking(rule);
  if (!isAnchored(rule.source)) {
    // An example the RegExp really matches; computed only for RegExps that cannot stall the server.
    const example = backtracking.safe ? unanchoredExample(rule) : undefined;
    const consequence = example ? `so '${example}' can match` : 'so origins that merely contain a match are allowed too';
    error('origin-regex-unanchored', `RegExp ${rule} is not anchored, ${consequence}; write it as /^...$/ (one ^ at the start, one $ at the end, no top-level |)`);
  }
  if (!backtracking.safe) {
    error('origin-regex-catastrophic', `RegExp ${rule} is refused: ${backtracking.reason}. Use a pattern such as 'https://*.example.com' (matched without any RegExp), or give each part of the RegExp one way to match`);
  }
  const dot = findUnescapedDot(rule.source);
  if (dot !== -1) {
    const escaped = `${rule.source.slice(0, dot)}\\${rule.source.slice(dot)}`;
    error('origin-regex-unescaped-dot', `RegExp ${rule} has an unescaped '.' (at ${dot}), which matches any character: /^https:\\/\\/app.example.com$/ also matches 'https://appxexample.com'; write /${escaped}/ or use the origin string`);
  }
  if (rule.global || rule.sticky) {
    error('origin-regex-flags', `RegExp ${rule} has the g or y flag, which makes test() remember lastIndex between requests and skip matches; remove the flag`);
  }
  if (rule.multiline) {
    error('origin-regex-flags', `RegExp ${rule} has the m flag, so ^ and $ match at line breaks and an Origin carrying a line break passes the anchors; remove the flag`);
  }
  if (!reportRule(problems, path, settings, report)) return;
  // strict: false keeps an unanchored or dotted RegExp as the incumbents test it, but never one that can stall the server.
  if (!backtracking.safe) return;
  settings.regexps.push(rule.global || rule.sticky || rule.multiline ? new RegExp(rule.source, rule.flags.replace(/[gym]/g, '')) : rule);
}

/** Private Network Access lets public sites reach servers on a private network: answering it for any origin opens that network to the web. */
function validatePrivateNetworkAccess(credentials: boolean, settings: NormalisedSettings, report: Report): void {
  if (!settings.privateNetworkAccess || !(settings.anyOrigin || settings.reflectAnyOrigin)) return;
  const message = `privateNetworkAccess: true with ${settings.anyOrigin ? "origin '*'" : 'origin: true (any origin reflected)'} answers 'Access-Control-Allow-Private-Network: true' to every public website, letting any site reach this server on your private network; list the origins allowed to`;
  if (credentials) {
    report('error', 'privateNetworkAccess', 'private-network-any-origin', message);
    settings.privateNetworkAccess = false; // strict: false never widens: no private-network answers for everyone
  } else {
    report('warning', 'privateNetworkAccess', 'private-network-any-origin', message);
  }
}

function validateMethods(options: CorsOptions, settings: NormalisedSettings, context: ValidateContext, report: Report): void {
  const configured = readList(options, 'methods', report);
  const methods = configured ?? [...(context.defaultMethods ?? CORS_DEFAULTS.methods)];
  const result: string[] = [];
  methods.forEach((method, index) => {
    const path = `methods[${index}]`;
    if (method === '*') {
      if (settings.credentials) {
        report('error', path, 'method-invalid', "methods '*' is taken literally when credentials are allowed (browsers then only accept a method named '*'); list the methods");
      }
      settings.anyMethod = true;
      return;
    }
    if (!isToken(method)) {
      report('error', path, 'method-invalid', `method '${method}' is not a valid HTTP method token`);
      return;
    }
    if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
      report('error', path, 'method-forbidden', `method '${method}' is forbidden by the Fetch Standard: no browser will send it; remove it`);
      return;
    }
    const upper = method.toUpperCase();
    if (method !== upper && NORMALIZED_METHODS.has(upper)) {
      result.push(upper); // fetch() always sends these in upper case
      return;
    }
    if (method !== upper) {
      report('warning', path, 'method-invalid', `method '${method}' matches only pages that write it in lower case: methods are case-sensitive and fetch() does not upper-case ${upper}; did you mean '${upper}'?`);
    }
    if (!result.includes(method)) result.push(method);
  });
  settings.methods = result;
}

function validateAllowedHeaders(options: CorsOptions, settings: NormalisedSettings, report: Report): void {
  const configured = readList(options, 'allowedHeaders', report);
  if (configured === undefined) return;
  const names: string[] = [];
  let wildcard = false;
  configured.forEach((header, index) => {
    const path = `allowedHeaders[${index}]`;
    if (header === '*') {
      wildcard = true;
      if (settings.credentials) {
        report('error', path, 'allowed-headers-wildcard-with-credentials', "allowedHeaders '*' is taken literally when credentials are allowed (browsers then accept only a header named '*'); list the header names");
      }
      return;
    }
    if (!isToken(header)) {
      report('error', path, 'header-invalid', `header name '${header}' is not a valid HTTP token`);
      return;
    }
    const lower = header.toLowerCase();
    if (isForbiddenRequestHeader(lower)) {
      report('warning', path, 'header-forbidden', `header '${header}' is a forbidden request header: browsers set it themselves and never ask to send it; remove it`);
    }
    if (!names.includes(lower)) names.push(lower);
  });
  settings.allowedHeaderNames = wildcard ? ['*', ...names] : names;
  settings.allowedHeaders = wildcard && !settings.credentials
    ? { mode: 'wildcard', authorization: names.includes('authorization') }
    : { mode: 'list', names: new Set(names) };
}

function validateExposedHeaders(options: CorsOptions, settings: NormalisedSettings, report: Report): void {
  const configured = readList(options, 'exposedHeaders', report) ?? [];
  const names: string[] = [];
  configured.forEach((header, index) => {
    const path = `exposedHeaders[${index}]`;
    if (header === '*') {
      if (settings.credentials) {
        report('error', path, 'exposed-headers-wildcard-with-credentials', "exposedHeaders '*' is taken literally when credentials are allowed, exposing nothing; list the header names");
      }
      if (!names.includes('*')) names.push('*');
      return;
    }
    if (!isToken(header)) {
      report('error', path, 'header-invalid', `header name '${header}' is not a valid HTTP token`);
      return;
    }
    if (FORBIDDEN_RESPONSE_HEADERS.has(header.toLowerCase())) {
      report('error', path, 'exposed-headers-set-cookie', `'${header}' can never be read by a page (browsers filter it out whatever CORS says); remove it and read the cookie on the server`);
      return;
    }
    if (!names.some((name) => name.toLowerCase() === header.toLowerCase())) names.push(header);
  });
  settings.exposedHeaders = names;
}

function validateScalars(options: CorsOptions, settings: NormalisedSettings, report: Report): void {
  if (options.maxAge !== undefined) {
    const maxAge = options.maxAge;
    if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86400) {
      report('error', 'maxAge', 'max-age-range', `maxAge must be a whole number of seconds from 0 to 86400 (Firefox's cap; Chromium caps at 7200), got ${describeValue(maxAge)}`);
      if (typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge >= 0) settings.maxAge = Math.floor(maxAge);
    } else {
      settings.maxAge = maxAge;
    }
    if (typeof maxAge === 'number' && maxAge > 7200 && maxAge <= 86400) {
      report('warning', 'maxAge', 'max-age-above-chromium-cap', `maxAge ${maxAge} is above Chromium's cap of 7200 seconds; Chromium-based browsers will cache preflights for 2 hours only`);
    }
  }
  if (options.optionsSuccessStatus !== undefined) {
    const status = options.optionsSuccessStatus;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 299) {
      report('error', 'optionsSuccessStatus', 'options-success-status', `optionsSuccessStatus must be a 2xx status (browsers fail preflights answered otherwise), got ${describeValue(status)}`);
    } else {
      settings.optionsSuccessStatus = status;
    }
  }
  if (options.maxRequestHeadersLength !== undefined) {
    const max = options.maxRequestHeadersLength;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 64 || max > 65536) {
      report('error', 'maxRequestHeadersLength', 'max-request-headers-length', `maxRequestHeadersLength must be a whole number from 64 to 65536, got ${describeValue(max)}`);
    } else {
      settings.maxRequestHeadersLength = max;
    }
  }
  const logger = options.logger;
  if (logger === false) settings.logger = undefined;
  else if (logger === undefined) settings.logger = console;
  else if (typeof logger === 'object' && logger !== null && typeof logger.warn === 'function' && typeof logger.error === 'function') settings.logger = logger;
  else report('error', 'logger', 'option-type', 'logger must have warn(message) and error(message, error) methods, or be false');

  if (options.onRefusal !== undefined) {
    if (typeof options.onRefusal === 'function') settings.onRefusal = options.onRefusal;
    else report('error', 'onRefusal', 'option-type', `onRefusal must be a function, got ${describeValue(options.onRefusal)}`);
  }
}

/** originCache, originTimeout and reflectionWarning: how origin functions are run. */
function validateOriginFunctionOptions(options: CorsOptions, settings: NormalisedSettings, report: Report): void {
  const cache = options.originCache;
  if (cache === true) settings.originCache = { max: CORS_DEFAULTS.originCache.max, ttl: CORS_DEFAULTS.originCache.ttl, identity: CORS_DEFAULTS.originCache };
  else if (typeof cache === 'object' && cache !== null) {
    const max = cache.max ?? CORS_DEFAULTS.originCache.max;
    const ttl = cache.ttl ?? CORS_DEFAULTS.originCache.ttl;
    const key = cache.key;
    if (!Number.isInteger(max) || max < 1 || !Number.isFinite(ttl) || ttl <= 0) {
      report('error', 'originCache', 'origin-cache', 'originCache needs max >= 1 entries and ttl > 0 milliseconds, so the cache stays bounded in size and age');
    } else if (key !== undefined && typeof key !== 'function') {
      report('error', 'originCache.key', 'option-type', `originCache.key must be a function (origin, ctx) => string, got ${describeValue(key)}`);
    } else settings.originCache = { max, ttl, key: key as ((origin: string, context: unknown) => string) | undefined, identity: cache };
  } else if (cache !== undefined && cache !== false) {
    report('error', 'originCache', 'option-type', `originCache must be true, false or { max, ttl, key }, got ${describeValue(cache)}`);
  }
  if (settings.originCache && settings.originCache.key === undefined) {
    // Cached by origin alone, a function that reads the request (a tenant per Host) would hand one tenant's answer to another.
    const readers = settings.functions.filter((fn) => shapeOf(fn).context);
    if (readers.length > 0) {
      const names = readers.map((fn) => (fn.name ? `'${fn.name}'` : '(anonymous)')).join(', ');
      report(
        'error',
        'originCache',
        'origin-cache-key-missing',
        `originCache would remember the answers of origin function ${names} per origin alone, but it takes the request as well (a second parameter), so one request's answer (one tenant's, say) would be served to another. ` +
          "Say what else the answer depends on: originCache: { key: (origin, ctx) => ctx.headers.host }; if the second parameter is only the callback, originCache: { key: () => '' }",
      );
      settings.originCache = undefined; // non-strict: no cache rather than a shared one
    }
  }

  if (options.originTimeout !== undefined) {
    const timeout = options.originTimeout;
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 60_000) {
      report('error', 'originTimeout', 'origin-timeout', `originTimeout must be a whole number of milliseconds from 1 to 60000 (an origin function that does not answer in time refuses the request), got ${describeValue(timeout)}`);
    } else settings.originTimeout = timeout;
  }

  const warning = options.reflectionWarning;
  if (warning === false) settings.reflectionWarning = undefined;
  else if (typeof warning === 'object' && warning !== null) {
    const origins = warning.origins ?? CORS_DEFAULTS.reflectionWarning.origins;
    const window = warning.window ?? CORS_DEFAULTS.reflectionWarning.window;
    if (!Number.isInteger(origins) || origins < 2 || !Number.isFinite(window) || window <= 0) {
      report('error', 'reflectionWarning', 'reflection-warning', 'reflectionWarning needs origins >= 2 (distinct origins before the warning) and window > 0 milliseconds, or false');
    } else settings.reflectionWarning = { origins, window };
  } else if (warning !== undefined) {
    report('error', 'reflectionWarning', 'option-type', `reflectionWarning must be false or { origins, window }, got ${describeValue(warning)}`);
  }
}

function readBoolean(options: CorsOptions, key: keyof CorsOptions, fallback: boolean, report: Report): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  report('error', key, 'option-type', `${key} must be true or false, got ${describeValue(value)}`);
  return fallback;
}

function readList(options: CorsOptions, key: 'methods' | 'allowedHeaders' | 'exposedHeaders', report: Report): string[] | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) return toList(value);
  report('error', key, 'option-type', `${key} must be an array of strings or a comma-separated string, got ${describeValue(value)}`);
  return undefined;
}

function hostOf(origin: string): string | undefined {
  const start = origin.indexOf('://');
  if (start === -1) return undefined;
  const rest = origin.slice(start + 3);
  const closing = rest.lastIndexOf(']');
  const colon = rest.lastIndexOf(':');
  return colon > closing ? rest.slice(0, colon) : rest;
}

function suggestOption(key: string, adapterOptions: readonly string[]): string {
  const lower = key.toLowerCase();
  const aliases: Record<string, string> = {
    allowheaders: 'allowedHeaders', allowedheader: 'allowedHeaders', exposeheaders: 'exposedHeaders', allowmethods: 'methods',
    origins: 'origin', credential: 'credentials', maxage: 'maxAge', allowcredentials: 'credentials',
  };
  const names = [...KNOWN_OPTIONS, ...adapterOptions.filter((name) => !KNOWN_OPTIONS.has(name))];
  const known = names.find((name) => name.toLowerCase() === lower) ?? aliases[lower] ?? closeName(lower, names);
  return known ? `; did you mean '${known}'?` : `; known options: ${names.join(', ')}`;
}

/** A known name one edit away (`orgin`, `credentails`, `maxage` aside), for typos the aliases do not cover. */
function closeName(lower: string, names: readonly string[]): string | undefined {
  return names.find((name) => withinOneEdit(lower, name.toLowerCase()));
}

/** One insertion, deletion, substitution or swap of neighbours turns `a` into `b`. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
