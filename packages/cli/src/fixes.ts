/**
 * The fix for a blocked request: the change to make to the CORS configuration (never a whole new one), written for
 * polycors and for the usual neighbours, plus what to change when configuration alone cannot help (status,
 * redirect, duplicated headers, an origin function that throws). Values the server already sends (its allowed
 * methods and headers, exposed headers, credentials) are kept: a list that grows shows them, and options the change
 * does not touch are left as they are.
 */
import type { BrowserCorsError } from '@polycors/core';

export interface FixInput {
  origin: string;
  /** The method as the browser sends it. */
  method: string;
  /** Request header names the preflight asks for (lower-case). */
  requestHeaders: string[];
  credentials: boolean;
  /** Response headers the page wants to read but cannot. */
  exposeHeaders: string[];
  /** The response the browser refused (or, with no error, the one whose headers stay hidden): its header lines. */
  shown?: [string, string][];
  /** polycors debug mode: the `polycors-reason` code. */
  reason?: string;
  /** polycors debug mode: the `polycors-policy` value, which policy refused and where its options were written. */
  policy?: string;
}

export type FixOption = 'origin' | 'methods' | 'allowedHeaders' | 'exposedHeaders' | 'credentials';

/** One option to change. */
export interface FixChange {
  option: FixOption;
  /** Values to add to the list (`credentials`: `[true]`). */
  add: (string | true)[];
  /** Values the server already sends for this option: kept. Undefined when the answer does not show them. */
  keep?: string[];
  /** Values the server sends that are wrong (`'*'` with credentials, an origin with a trailing slash): take them out. */
  remove?: string[];
}

/** Where the options that decided the request were written, read from the `polycors-policy` debug header. */
export interface FixPolicy {
  /** As the server names it: `@Cors() on ItemsController.update (PATCH /items)`. */
  source: string;
  framework?: 'nestjs' | 'fastify' | 'koa';
  /** A route's own options (`@Cors()`, `config.cors`, `corsRoute()`), not the global configuration. */
  route: boolean;
}

export interface Fix {
  /** What to change, in one or two sentences. */
  summary: string;
  /** The options to change; empty when no option fixes it (the summary says what does). */
  changes: FixChange[];
  /** polycors debug mode: the policy that refused. */
  policy?: FixPolicy;
  /** The change, per framework (with no `changes`: a comment saying so, which the text output leaves out). */
  polycors: string;
  nestjs: string;
  fastify: string;
  koa: string;
  express: string;
  nginx: string;
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);

function shownValue(shown: [string, string][] | undefined, name: string): string | undefined {
  if (!shown) return undefined;
  const lines = shown.filter(([n]) => n.toLowerCase() === name);
  return lines.length === 0 ? undefined : lines.map(([, v]) => v).join(', ');
}

/**
 * The list the server sends for an option. Absent from an answer that allows the origin, the list is empty; absent
 * from a refusal (no Access-Control-Allow-Origin), it is unknown.
 */
function shownList(shown: [string, string][] | undefined, name: string): string[] | undefined {
  const value = shownValue(shown, name);
  if (value === undefined) return shownValue(shown, 'access-control-allow-origin') === undefined ? undefined : [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function readPolicy(source: string | undefined): FixPolicy | undefined {
  if (!source) return undefined;
  if (source.startsWith('@Cors() on ')) return { source, framework: 'nestjs', route: true };
  if (source.startsWith('CorsModule.forRoot')) return { source, framework: 'nestjs', route: false };
  if (source.startsWith('config.cors')) return { source, framework: 'fastify', route: true };
  if (source.startsWith('the plugin options') || source.startsWith('the options from the delegator')) return { source, framework: 'fastify', route: false };
  if (source.startsWith('corsRoute() on ')) return { source, framework: 'koa', route: true };
  if (source.startsWith('cors()')) return { source, framework: 'koa', route: false };
  return { source, route: false };
}

/** The list change: add what is missing from what the server shows (or from what it has, when it shows nothing). */
function listChange(option: FixOption, wanted: string[], keep: string[] | undefined, sameName = false): FixChange | undefined {
  const has = (v: string) => keep?.some((k) => (sameName ? k.toLowerCase() === v.toLowerCase() : k === v)) ?? false;
  const add = wanted.filter((v) => !has(v));
  if (add.length === 0) return undefined;
  return keep === undefined ? { option, add } : { option, add, keep };
}

function credentialsChange(input: FixInput): FixChange[] {
  return input.credentials && shownValue(input.shown, 'access-control-allow-credentials') !== 'true' ? [{ option: 'credentials', add: [true] }] : [];
}

/** The changes that let exactly this request through, from what the browser refused and what the server said. */
function changesFor(error: BrowserCorsError | undefined, input: FixInput): FixChange[] {
  const shown = input.shown;
  const compact = (list: (FixChange | undefined)[]) => list.filter((c): c is FixChange => c !== undefined);
  if (!error) return compact([listChange('exposedHeaders', input.exposeHeaders, shownList(shown, 'access-control-expose-headers'), true)]);
  const p = error.failedParameter ?? '';
  const method = p !== '' && error.code === 'method-disallowed-by-preflight-response' ? p.toUpperCase() : input.method;
  switch (error.code) {
    case 'missing-allow-origin-header':
      return refusalChanges(error, input);
    case 'invalid-allow-origin-value':
    case 'allow-origin-mismatch': {
      const sent = shownValue(shown, 'access-control-allow-origin');
      return [{ option: 'origin', add: [input.origin], ...(sent ? { remove: [sent] } : {}) }];
    }
    case 'wildcard-origin-not-allowed':
      return [{ option: 'origin', add: [input.origin], remove: ['*'] }, ...credentialsChange(input)];
    case 'invalid-allow-credentials':
      return [{ option: 'credentials', add: [true] }];
    case 'method-disallowed-by-preflight-response':
      return compact([listChange('methods', [method], shownList(shown, 'access-control-allow-methods'))]);
    case 'header-disallowed-by-preflight-response': {
      const wanted = p === 'authorization' ? ['authorization'] : input.requestHeaders;
      return compact([listChange('allowedHeaders', wanted, shownList(shown, 'access-control-allow-headers'), true)]);
    }
    default:
      return [];
  }
}

/** No Access-Control-Allow-Origin: from polycors' own reason when it gives one, else everything the request needs. */
function refusalChanges(error: BrowserCorsError, input: FixInput): FixChange[] {
  switch (input.reason) {
    case 'origin-not-allowed':
      // The refusal does not show whether the policy grants credentials; a page that sends them needs it to.
      return [{ option: 'origin', add: [input.origin] }, ...credentialsChange(input)];
    case 'method-not-allowed':
      return [{ option: 'methods', add: [input.method] }];
    case 'header-not-allowed':
      return [{ option: 'allowedHeaders', add: input.requestHeaders }];
    case 'header-authorization-not-covered-by-wildcard':
      return [{ option: 'allowedHeaders', add: ['authorization'], keep: ['*'] }];
    case undefined:
      break;
    default:
      // cors-disabled, origin-function-error, method-case-mismatch, malformed input: no option to add.
      return [];
  }
  const changes: FixChange[] = [{ option: 'origin', add: [input.origin] }];
  if (error.at === 'preflight' && !SIMPLE_METHODS.has(input.method)) changes.push({ option: 'methods', add: [input.method] });
  if (error.at === 'preflight' && input.requestHeaders.length > 0) changes.push({ option: 'allowedHeaders', add: input.requestHeaders });
  return [...changes, ...credentialsChange(input)];
}

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

/** `allowedHeaders: ['content-type', 'x-app-version'],`: what the server has plus what to add. */
function optionLine(change: FixChange): string {
  if (change.option === 'credentials') return 'credentials: true,';
  const add = change.add as string[];
  if (change.keep !== undefined) {
    const kept = change.keep.filter((v) => !change.remove?.includes(v));
    return `${change.option}: ${literal([...kept, ...add])},  // adds ${add.map(literal).join(', ')}`;
  }
  const without = change.remove ? `, without ${change.remove.map(literal).join(', ')}` : '';
  return `${change.option}: [/* the ones you have${without}, */ ${add.map(literal).join(', ')}],`;
}

function options(changes: FixChange[], where: string): string {
  return [`// ${where}: change only these, keep the rest`, ...changes.map(optionLine)].join('\n');
}

const NGINX_HEADERS: Record<Exclude<FixOption, 'origin' | 'credentials'>, string> = {
  methods: 'Access-Control-Allow-Methods',
  allowedHeaders: 'Access-Control-Allow-Headers',
  exposedHeaders: 'Access-Control-Expose-Headers',
};

function nginx(changes: FixChange[]): string {
  const lines = ['# in the location serving this URL (and its OPTIONS answer): set these, keep your other add_header lines'];
  for (const change of changes) {
    if (change.option === 'origin') {
      lines.push(`if ($http_origin = "${change.add[0]}") { set $cors_origin $http_origin; }`);
      lines.push('add_header Access-Control-Allow-Origin $cors_origin always;', 'add_header Vary Origin always;');
    } else if (change.option === 'credentials') {
      lines.push('add_header Access-Control-Allow-Credentials true always;');
    } else {
      const values = [...(change.keep ?? ['<the ones you have>']), ...(change.add as string[])];
      lines.push(`add_header ${NGINX_HEADERS[change.option]} "${values.join(', ')}" always;`);
    }
  }
  return lines.join('\n');
}

/** Where each framework keeps the options that decided this request. */
function places(policy: FixPolicy | undefined): Record<'polycors' | 'nestjs' | 'fastify' | 'koa' | 'express', string> {
  const route = policy?.route ? policy : undefined;
  return {
    polycors: 'in createCorsPolicy({ ... })',
    nestjs: route?.framework === 'nestjs' ? `in ${route.source.replace(/^@Cors\(\)/, '@Cors({ ... })')}` : 'in CorsModule.forRoot({ ... }) (AppModule imports)',
    fastify: route?.framework === 'fastify' ? `in config: { cors: { ... } } of ${route.source.replace(/^config\.cors of /, '')}` : 'in await fastify.register(polycors, { ... })',
    koa: route?.framework === 'koa' ? `in ${route.source.replace(/^corsRoute\(\)/, 'corsRoute({ ... })')}` : 'in app.use(cors({ ... }))',
    express: 'in app.use(cors({ ... })) (@polycors/express), mounted before any auth middleware, or in corsRoute({ ... }) on the route',
  };
}

/** How each adapter writes "CORS off". */
const OFF: Record<string, string> = {
  nestjs: '@Cors(false), or origin: false',
  fastify: 'config: { cors: false }, or origin: false',
  koa: 'corsRoute(false), or origin: false',
};

/** The words for a polycors refusal, from its reason code; `policy` names where its options are. */
function refusalSummary(reason: string, input: FixInput, policy: FixPolicy | undefined): string | undefined {
  const there = policy ? ` in ${policy.source}` : '';
  const scope = policy?.route ? ` This route has its own policy: the global configuration does not decide it.` : '';
  switch (reason) {
    case 'origin-not-allowed':
      return `polycors refused the origin ${input.origin}: add it to origin${there}.${scope}`;
    case 'method-not-allowed':
      return `polycors refused the method ${input.method}: add it to methods${there}.${scope}`;
    case 'method-case-mismatch':
      return `polycors refused the method because of its case${there}: methods are case-sensitive; write it in upper case in the page.`;
    case 'header-not-allowed':
      return `polycors refused a request header: add ${input.requestHeaders.join(', ')} to allowedHeaders${there}.${scope}`;
    case 'header-authorization-not-covered-by-wildcard':
      return `polycors refused Authorization: '*' does not cover it; list it in allowedHeaders${there}.${scope}`;
    case 'cors-disabled':
      return `CORS is switched off for this ${policy?.route ? 'route' : 'server'}${policy ? ` (${policy.source})` : ''}: ${OFF[policy?.framework ?? ''] ?? 'cors: false, @Cors(false), corsRoute(false) or origin: false'}. polycors sends no CORS headers there and refuses every preflight, whatever the origin. Turn CORS on for this route if pages on other origins must call it; otherwise the refusal is intended.`;
    case 'origin-function-error':
      return `The origin function${there} threw or rejected for ${input.origin}, so polycors refused the request (it fails closed). The server log has the error ("the origin function failed for '${input.origin}'"): fix the function; no option change helps.`;
    case 'origin-malformed':
    case 'origin-too-long':
      return `polycors refused the Origin header itself (${reason}): a browser never sends such an origin; check the page's origin.`;
    case 'headers-malformed':
    case 'headers-too-long':
      return `polycors refused Access-Control-Request-Headers itself (${reason}): send fewer or shorter request headers.`;
    case 'route-unresolved':
      return `polycors refused the preflight because the route it is for is inside an Express sub-app it cannot see (app.use(path, express())), so it cannot judge it by that route's policy (it fails closed). List the sub-app in cors({ subApps: [theSubApp] }), or give the sub-app its own cors() and mount it before the parent's cors().`;
    case 'private-network-not-allowed':
      return `polycors refused a Private Network Access preflight: set privateNetworkAccess: true${there} if public pages may call this private address.`;
    default:
      return undefined;
  }
}

function summary(error: BrowserCorsError | undefined, input: FixInput, policy: FixPolicy | undefined): string {
  if (!error) {
    return `Expose ${input.exposeHeaders.join(', ')} so the page can read ${input.exposeHeaders.length === 1 ? 'it' : 'them'}.`;
  }
  if (error.code === 'missing-allow-origin-header' && input.reason) {
    const refused = refusalSummary(input.reason, input, policy);
    if (refused) return refused;
  }
  const p = error.failedParameter ?? '';
  switch (error.code) {
    case 'missing-allow-origin-header':
      return error.at === 'preflight'
        ? `Let the CORS layer answer OPTIONS preflights for this path (before authentication, routing and error handlers), allowing ${input.origin}.`
        : `Allow ${input.origin} for this route, and make sure the CORS layer also runs for error responses.`;
    case 'multiple-allow-origin-values':
      return 'Set CORS headers in exactly one place: remove them from the proxy (nginx add_header) or from the app, and never join several origins into one value.';
    case 'invalid-allow-origin-value':
    case 'allow-origin-mismatch':
      return `Answer with the page's origin exactly as the browser sends it: '${input.origin}' (scheme, host and port, no trailing slash, lower case).`;
    case 'wildcard-origin-not-allowed':
      return `Requests with credentials need the exact origin, not *: allow '${input.origin}' and credentials.`;
    case 'invalid-allow-credentials':
      return `Send Access-Control-Allow-Credentials: true (exactly, lower case) on every response for ${input.origin}, preflights included.`;
    case 'preflight-invalid-status':
      return 'Answer preflights with 204 from the CORS layer, before authentication, routing or error handlers see them (a preflight never carries cookies or Authorization).';
    case 'preflight-disallowed-redirect':
      return 'Call the final URL directly (https, the trailing slash the server expects), or exempt OPTIONS from the redirect. No CORS header fixes a redirected preflight.';
    case 'invalid-allow-methods-preflight-response':
      return 'Access-Control-Allow-Methods must be a plain comma-separated list of method names, without quotes: let the CORS layer write it.';
    case 'invalid-allow-headers-preflight-response':
      return 'Access-Control-Allow-Headers must be a plain comma-separated list of header names, without quotes: let the CORS layer write it.';
    case 'method-disallowed-by-preflight-response':
      return p !== p.toUpperCase()
        ? `The page sends the method as '${p}' and methods are case-sensitive: write '${p.toUpperCase()}' in the page, or allow '${p}' as written.`
        : `Allow the ${p} method.`;
    case 'header-disallowed-by-preflight-response':
      return p === 'authorization'
        ? "List Authorization explicitly in the allowed headers: '*' never covers it."
        : `Allow the request header${input.requestHeaders.length > 1 ? 's' : ''} ${input.requestHeaders.join(', ')}.`;
  }
}

export function fixFor(error: BrowserCorsError | undefined, input: FixInput): Fix {
  const policy = readPolicy(input.policy);
  const changes = changesFor(error, input);
  const fix = { summary: summary(error, input, policy), changes, ...(policy ? { policy } : {}) };
  if (changes.length === 0) {
    const none = '// no option change fixes this: see the summary';
    return { ...fix, polycors: none, nestjs: none, fastify: none, koa: none, express: none, nginx: none.replace('//', '#') };
  }
  const at = places(policy);
  return {
    ...fix,
    polycors: options(changes, at.polycors),
    nestjs: options(changes, at.nestjs),
    fastify: options(changes, at.fastify),
    koa: options(changes, at.koa),
    express: options(changes, at.express),
    nginx: nginx(changes),
  };
}
