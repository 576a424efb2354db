/**
 * `polycors <command>`: argument parsing (node:util parseArgs) and exit codes.
 * 0: the browser would allow it / no configuration errors. 1: it would block it / configuration errors.
 * 2: usage error, network error (refused, DNS, TLS, timeout), configuration file that cannot be loaded.
 */
import { parseArgs } from 'node:util';
import { ADAPTERS, type AdapterName } from './adapters.js';
import { ConfigLoadError, runCheck } from './check.js';
import { runDoctor } from './doctor.js';
import { NetworkError } from './http.js';
import { formatCheck, formatDoctor, makeStyle, wantsColour } from './output.js';

export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_ERROR = 2;

export const VERSION = '0.1.0';

export const USAGE = `Usage:
  polycors doctor <url> --origin <page origin> [options]
      Make the requests a browser would make and explain what it would do with the answers.
      --origin <origin>         the page's origin, e.g. http://localhost:5173 (required)
      --method <method>         request method (default GET; written as the page writes it)
      --header 'Name: value'    a request header the page sets (repeatable)
      --credentials             the page uses credentials: 'include' (cookies, HTTP auth)
      --cookie 'name=value'     a cookie the browser holds for the URL, sent on the actual request
                                (implies --credentials; repeatable; never sent on the preflight)
      --read-header <name>      a response header the page reads (repeatable)
      --timeout <ms>            per request (default 10000)
      --insecure                accept self-signed TLS certificates
      --json                    machine-readable report (schemaVersion 1)
  polycors check <config file> [--adapter <name>] [--json]
      Validate CorsOptions from a .json, .js/.mjs/.cjs or .ts/.mts/.cts file
      (default export, or an export named cors or options).
      --adapter fastify|koa|nestjs|express|core
                                whose options the file holds, checked as that adapter reads them
                                (default: the adapter in the nearest package.json, else core)
  polycors --help | --version

Exit codes: 0 allowed / valid, 1 blocked / invalid, 2 usage, network or load error.
Colour on a terminal unless NO_COLOR is set or --no-color is given.
`;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`--header expects 'Name: value', got '${text}'`);
  const name = text.slice(0, colon).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new UsageError(`--header: '${name}' is not a valid header name`);
  return [name, text.slice(colon + 1).trim()];
}

/** `name=value` as a Cookie header pair; a browser sends only what a page could have stored. */
function parseCookie(text: string): string {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--cookie expects 'name=value', got '${text}'`);
  if (/[\u0000-\u001f\u007f;]/.test(text) || /[^\u0020-\u007e]/.test(text)) {
    throw new UsageError(`--cookie '${text}': one cookie per --cookie, printable ASCII without ';'`);
  }
  return `${text.slice(0, eq).trim()}=${text.slice(eq + 1).trim()}`;
}

function parseOrigin(value: string | undefined): string {
  if (!value) throw new UsageError('doctor needs --origin <page origin>, e.g. --origin http://localhost:5173');
  if (value === 'null') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--origin '${value}' is not an origin; write it like http://localhost:5173`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--origin '${value}' is not an origin; write it like http://localhost:5173`);
  }
  return url.origin;
}

function parseUrl(value: string | undefined): string {
  if (!value) throw new UsageError('doctor needs a URL: polycors doctor <url> --origin <page origin>');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`'${value}' is not a URL; write it with its scheme, like http://127.0.0.1:3001/form`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`doctor speaks http and https only, not ${url.protocol}`);
  return url.href;
}

async function doctor(args: string[], io: Io, colour: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      origin: { type: 'string' },
      method: { type: 'string' },
      header: { type: 'string', multiple: true, short: 'H' },
      credentials: { type: 'boolean' },
      cookie: { type: 'string', multiple: true },
      'read-header': { type: 'string', multiple: true },
      timeout: { type: 'string' },
      insecure: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new UsageError(`doctor takes one URL, got ${positionals.length}`);
  const url = parseUrl(positionals[0]);
  const origin = parseOrigin(values.origin);
  const method = values.method ?? 'GET';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new UsageError(`--method '${method}' is not a valid method`);
  if (/^(connect|trace|track)$/i.test(method)) throw new UsageError(`--method ${method}: browsers refuse to send it at all`);
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout expects milliseconds, got '${values.timeout}'`);
  const readHeaders = values['read-header'] ?? [];
  const cookies = (values.cookie ?? []).map(parseCookie);
  const report = await runDoctor({
    url,
    origin,
    method,
    headers: (values.header ?? []).map(parseHeader),
    credentials: (values.credentials ?? false) || cookies.length > 0,
    cookies,
    readHeaders,
    timeoutMs,
    insecure: values.insecure ?? false,
  });
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatDoctor(report, makeStyle(colour && !values['no-color']), readHeaders.map((h) => h.toLowerCase())));
  return report.verdict === 'allowed' ? EXIT_OK : EXIT_BLOCKED;
}

async function check(args: string[], io: Io, colour: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { adapter: { type: 'string' }, json: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('check takes one configuration file: polycors check <file>');
  const adapter = values.adapter;
  if (adapter !== undefined && !(ADAPTERS as readonly string[]).includes(adapter)) {
    throw new UsageError(`--adapter '${adapter}': expected one of ${ADAPTERS.join(', ')}`);
  }
  const report = await runCheck(positionals[0]!, { adapter: adapter as AdapterName | undefined });
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatCheck(report, makeStyle(colour && !values['no-color'])));
  return report.ok ? EXIT_OK : EXIT_BLOCKED;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  const colour = wantsColour(io.stdout, io.env);
  const json = rest.includes('--json');
  try {
    switch (command) {
      case 'doctor':
        return await doctor(rest, io, colour);
      case 'check':
        return await check(rest, io, colour);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return EXIT_OK;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io[command === undefined ? 'stderr' : 'stdout'].write(USAGE);
        return command === undefined ? EXIT_ERROR : EXIT_OK;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    const known = error instanceof UsageError || error instanceof NetworkError || error instanceof ConfigLoadError
      || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) throw error;
    const kind = error instanceof NetworkError ? error.kind : error instanceof ConfigLoadError ? 'load' : 'usage';
    const message = (error as Error).message;
    if (json && kind !== 'usage') {
      io.stdout.write(`${JSON.stringify({ schemaVersion: 1, error: { kind, message } }, null, 2)}\n`);
    } else {
      io.stderr.write(`polycors: ${message}\n`);
      if (kind === 'usage') io.stderr.write(`Run 'polycors --help' for usage.\n`);
    }
    return EXIT_ERROR;
  }
}
