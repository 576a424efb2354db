/**
 * Parses one configured origin string (`https://app.example.com`, `https://*.example.com`, `http://localhost:*`)
 * into a rule the matcher can compile, listing every way it differs from what browsers send.
 * Startup only: nothing here runs per request.
 */
import { domainToASCII } from 'node:url';
import type { ConfigProblemCode } from '../config-error.js';
import { MAX_HOST_LENGTH, MAX_LABEL_LENGTH } from './request-origin.js';

export type OriginPattern =
  | { kind: 'exact'; origin: string }
  /** `host` is the full host, or the suffix after `*.` when `subdomains` is set; `port` is '' (none), digits or '*'. */
  | { kind: 'pattern'; scheme: string; host: string; subdomains: boolean; port: string };

export interface RuleProblem {
  code: ConfigProblemCode;
  message: string;
}

export interface ParsedOriginRule {
  /** The rule as it will match; undefined when it can never match anything a browser sends. */
  pattern?: OriginPattern;
  problems: RuleProblem[];
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };

export function parseOriginRule(rule: string): ParsedOriginRule {
  const problems: RuleProblem[] = [];
  const quoted = `origin '${rule}'`;
  if (rule === 'null') {
    problems.push({
      code: 'origin-null',
      message: `${quoted} is sent by sandboxed iframes, file:// pages and redirects, which any site can produce; allowing it allows everyone. Remove it`,
    });
    return { pattern: { kind: 'exact', origin: 'null' }, problems };
  }
  if (rule.toLowerCase().startsWith('file:')) {
    problems.push({ code: 'origin-file-scheme', message: `${quoted}: browsers send file:// pages as Origin 'null', which any site can produce. Serve the page over http(s) instead` });
    return { problems };
  }
  const schemeEnd = rule.indexOf('://');
  if (schemeEnd <= 0) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has no scheme; browsers send origins like 'https://${rule.replace(/^\/+/, '')}'` });
    return { problems };
  }
  const rawScheme = rule.slice(0, schemeEnd);
  const scheme = rawScheme.toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has an invalid scheme '${rawScheme}'` });
    return { problems };
  }
  let rest = rule.slice(schemeEnd + 3);
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd !== -1) {
    const tail = rest.slice(authorityEnd);
    rest = rest.slice(0, authorityEnd);
    const suggestion = browserForm(scheme, rest);
    if (tail === '/') {
      problems.push({ code: 'origin-trailing-slash', message: `${quoted} has a trailing slash; browsers send '${suggestion}'` });
    } else if (tail.startsWith('/')) {
      problems.push({ code: 'origin-path', message: `${quoted} has a path ('${tail}'); an origin is only scheme, host and port: '${suggestion}'` });
    } else {
      problems.push({ code: 'origin-query', message: `${quoted} has a query or fragment ('${tail}'); an origin is only scheme, host and port: '${suggestion}'` });
    }
  }
  if (rest.includes('@')) {
    const withoutUser = rest.slice(rest.lastIndexOf('@') + 1);
    problems.push({ code: 'origin-userinfo', message: `${quoted} contains user info; browsers never send it in Origin: '${browserForm(scheme, withoutUser)}'` });
    rest = withoutUser;
  }

  // Split host and port (IPv6 literals keep their colons inside brackets).
  let host = rest;
  let port = '';
  const closingBracket = rest.lastIndexOf(']');
  const portColon = rest.lastIndexOf(':');
  if (portColon > closingBracket) {
    host = rest.slice(0, portColon);
    port = rest.slice(portColon + 1);
  }
  if (host === '' || (port === '' && portColon > closingBracket)) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has no host${port === '' && portColon > closingBracket ? ' or an empty port' : ''}` });
    return { problems };
  }
  if (port !== '' && port !== '*' && !/^[1-9][0-9]{0,4}$/.test(port)) {
    problems.push({ code: port.includes('*') ? 'origin-wildcard-position' : 'origin-invalid', message: `${quoted} has an invalid port '${port}'; use digits without leading zeros, or ':*' for any port` });
    return { problems };
  }
  if (port !== '' && port !== '*' && Number(port) > 65535) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has a port above 65535` });
    return { problems };
  }
  if (port !== '' && DEFAULT_PORTS[scheme] === port) {
    problems.push({ code: 'origin-default-port', message: `${quoted} names the default port; browsers omit it and send '${scheme}://${host}'` });
    port = '';
  }

  let subdomains = false;
  if (host.startsWith('*.')) {
    subdomains = true;
    host = host.slice(2);
  }
  if (host.includes('*')) {
    problems.push({
      code: 'origin-wildcard-position',
      message: `${quoted} has a wildcard inside a host; only a whole leading label ('${scheme}://*.example.com') or the port ('${scheme}://localhost:*') may be '*'`,
    });
    return { problems };
  }
  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = domainToASCII(host.toLowerCase());
    problems.push({ code: 'origin-non-ascii', message: `${quoted} has a non-ASCII host; browsers send the punycode form '${scheme}://${subdomains ? '*.' : ''}${ascii || '(invalid)'}${port ? `:${port}` : ''}'` });
    return { problems };
  }
  const isIpv6 = host.startsWith('[') && host.endsWith(']');
  if (!isIpv6 && !/^[A-Za-z0-9.-]+$/.test(host)) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has characters that cannot appear in a host` });
    return { problems };
  }
  if (!isIpv6 && (host.startsWith('.') || host.endsWith('.') || host.includes('..'))) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has an empty label in its host` });
    return { problems };
  }
  if (!isIpv6 && (host.length > MAX_HOST_LENGTH || host.split('.').some((label) => label.length > MAX_LABEL_LENGTH))) {
    problems.push({ code: 'origin-invalid', message: `${quoted} has a host beyond DNS limits (at most ${MAX_HOST_LENGTH} characters, labels of at most ${MAX_LABEL_LENGTH}); no browser can send it` });
    return { problems };
  }
  if (rawScheme !== scheme || host !== host.toLowerCase()) {
    const lower = `${scheme}://${subdomains ? '*.' : ''}${host.toLowerCase()}${port ? `:${port}` : ''}`;
    problems.push({ code: 'origin-uppercase', message: `${quoted} has upper-case letters; browsers send '${lower}'` });
    host = host.toLowerCase();
  }

  if (!subdomains && port !== '*') {
    const origin = `${scheme}://${host}${port ? `:${port}` : ''}`;
    // A rule that differs from the browser's serialisation never matches (as with the incumbents): keep it as written.
    const matchesAsWritten = problems.length === 0;
    return { pattern: { kind: 'exact', origin: matchesAsWritten ? origin : rule }, problems };
  }
  const pattern: OriginPattern = { kind: 'pattern', scheme, host, subdomains, port };
  return { pattern: problems.length === 0 ? pattern : undefined, problems };
}

/**
 * What a browser would send for this authority (user info dropped, host lower-case and in punycode, no default
 * port), so a suggestion fixes every problem at once rather than only the one it names.
 */
function browserForm(scheme: string, authority: string): string {
  let rest = authority.slice(authority.lastIndexOf('@') + 1);
  const closingBracket = rest.lastIndexOf(']');
  const portColon = rest.lastIndexOf(':');
  let port = '';
  if (portColon > closingBracket) {
    port = rest.slice(portColon + 1);
    rest = rest.slice(0, portColon);
  }
  let host = rest.toLowerCase();
  if (/[^\x00-\x7f]/.test(host)) host = (host.startsWith('*.') ? `*.${domainToASCII(host.slice(2))}` : domainToASCII(host)) || host;
  const keepPort = port !== '' && DEFAULT_PORTS[scheme] !== port;
  return `${scheme}://${host}${keepPort ? `:${port}` : ''}`;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '[::1]']);

/** Hosts whose `http://` traffic never leaves the machine, so credentials over it are not exposed to the network. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
