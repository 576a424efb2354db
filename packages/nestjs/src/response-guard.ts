/**
 * Keeps polycors' decision on the response whatever the application sets after it: `Vary` is merged with the
 * app's (`@Header('Vary', ...)`, `res.setHeader('Vary', ...)`, Fastify's `reply.header('vary', ...)`), and
 * `Access-Control-Allow-Origin` / `-Allow-Credentials` are polycors' (one value, or none when it refused).
 *
 * Both platforms end in Node's `res.writeHead()` (Express implicitly through `res.end()`, Fastify with its reply's
 * headers as the argument, which Node gives precedence over `setHeader()`), so that is the one place where every
 * header the app set, in either way and in either order, is known. The wrapper is one shared function reading the
 * decision from a symbol on the response, so nothing is allocated per request but that small record.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { appendVary } from '@polycors/core';

const kGuard = Symbol('polycors.response-guard');

/** The headers polycors owns on a response: the app may not add, change or remove them. */
const OWNED = ['access-control-allow-origin', 'access-control-allow-credentials'] as const;

export interface ResponseConflict {
  header: string;
  /** What the app set (undefined: it removed polycors' value). */
  appValue: string | undefined;
  /** What polycors keeps (undefined: no such header, the request was refused or is not cross-origin). */
  keptValue: string | undefined;
}

/** Told when the application's own value of an owned header had to be replaced (a long-lived object: no closure per request). */
export interface ConflictReporter<C> {
  responseConflict(context: C, conflict: ResponseConflict): void;
}

interface GuardState {
  vary: readonly string[];
  allowOrigin: string | undefined;
  allowCredentials: string | undefined;
  writeHead: ServerResponse['writeHead'];
  reporter: ConflictReporter<unknown>;
  /** The caller's record of the decision (route, request), handed back to the reporter and to `guardContext()`. */
  context: unknown;
}

type GuardedResponse = ServerResponse & { [kGuard]?: GuardState };

function headerOf(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  for (let i = 0; i < headers.length; i++) if (headers[i][0] === name) return headers[i][1];
  return undefined;
}

/**
 * From now until the headers are sent, `res` keeps `vary` tokens in its Vary and exactly the owned headers of
 * `headers` (polycors' decision). `reporter` is told, with `context`, when the app's own value had to be replaced.
 */
export function guardResponse<C>(
  res: ServerResponse,
  vary: readonly string[],
  headers: readonly (readonly [string, string])[],
  context: C,
  reporter: ConflictReporter<C>,
): void {
  const target = res as GuardedResponse;
  if (target[kGuard] !== undefined || res.headersSent) return;
  target[kGuard] = {
    vary,
    allowOrigin: headerOf(headers, 'access-control-allow-origin'),
    allowCredentials: headerOf(headers, 'access-control-allow-credentials'),
    writeHead: res.writeHead,
    reporter: reporter as ConflictReporter<unknown>,
    context,
  };
  res.writeHead = guardedWriteHead as ServerResponse['writeHead'];
}

/** The `context` a response is guarded with, until its headers are sent. */
export function guardContext<C>(res: ServerResponse): C | undefined {
  return (res as GuardedResponse)[kGuard]?.context as C | undefined;
}

/** Replaces the decision a guarded response keeps (the handler's policy decided again); false once headers are sent. */
export function updateGuard<C>(res: ServerResponse, vary: readonly string[], headers: readonly (readonly [string, string])[], context: C): boolean {
  const state = (res as GuardedResponse)[kGuard];
  if (state === undefined || res.headersSent) return false;
  state.vary = vary;
  state.allowOrigin = headerOf(headers, 'access-control-allow-origin');
  state.allowCredentials = headerOf(headers, 'access-control-allow-credentials');
  state.context = context;
  return true;
}

function guardedWriteHead(this: GuardedResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
  const state = this[kGuard]!;
  this.writeHead = state.writeHead;
  this[kGuard] = undefined;
  try {
    const last = rest.length > 0 ? rest[rest.length - 1] : undefined;
    if (last !== null && typeof last === 'object') rest[rest.length - 1] = withoutGuarded(this, last as OutgoingHttpHeaders | unknown[]);
    enforce(this, state);
  } catch {
    // Never break a response over its headers: Node reports invalid ones itself when they are written.
  }
  return state.writeHead.call(this, statusCode, ...(rest as [])) as ServerResponse;
}

/**
 * The headers given to writeHead() minus Vary and the owned headers, which are moved onto the response with
 * setHeader() (where `enforce` then reads them): writeHead's argument would otherwise win over polycors' values.
 */
function withoutGuarded(res: ServerResponse, headers: OutgoingHttpHeaders | unknown[]): OutgoingHttpHeaders | unknown[] {
  if (Array.isArray(headers)) {
    // The flat [name, value, name, value] form.
    const kept: unknown[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (!moveGuarded(res, String(headers[i]), headers[i + 1] as never)) kept.push(headers[i], headers[i + 1]);
    }
    return kept;
  }
  let copy: OutgoingHttpHeaders | undefined;
  for (const name of Object.keys(headers)) {
    if (moveGuarded(res, name, headers[name])) {
      copy ??= { ...headers };
      delete copy[name];
    }
  }
  return copy ?? headers;
}

function moveGuarded(res: ServerResponse, name: string, value: OutgoingHttpHeaders[string]): boolean {
  const lower = name.toLowerCase();
  if (lower === 'vary') {
    if (value !== undefined) res.setHeader('Vary', appendVary(res.getHeader('Vary') as string | undefined, splitTokens(value)));
    return true;
  }
  if ((OWNED as readonly string[]).includes(lower)) {
    if (value !== undefined) res.setHeader(lower, value as string | string[]);
    return true;
  }
  return false;
}

function splitTokens(value: string | string[] | number): string[] {
  const joined = Array.isArray(value) ? value.join(',') : String(value);
  return joined.split(',').map((token) => token.trim()).filter(Boolean);
}

function enforce(res: ServerResponse, state: GuardState): void {
  if (state.vary.length > 0) {
    const current = res.getHeader('Vary') as string | string[] | undefined;
    const merged = appendVary(current, state.vary);
    if (merged !== (Array.isArray(current) ? current.join(', ') : current)) res.setHeader('Vary', merged);
  }
  enforceOwned(res, state, 'access-control-allow-origin', state.allowOrigin);
  enforceOwned(res, state, 'access-control-allow-credentials', state.allowCredentials);
}

function enforceOwned(res: ServerResponse, state: GuardState, name: string, kept: string | undefined): void {
  const present = res.getHeader(name);
  if (present === undefined && kept === undefined) return;
  const appValue = present === undefined ? undefined : Array.isArray(present) ? present.join(', ') : String(present);
  if (appValue === kept) return;
  if (kept === undefined) res.removeHeader(name);
  else res.setHeader(name, kept);
  state.reporter.responseConflict(state.context, { header: name, appValue, keptValue: kept });
}
