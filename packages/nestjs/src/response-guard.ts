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

interface GuardState {
  vary: readonly string[];
  owned: (string | undefined)[];
  writeHead: ServerResponse['writeHead'];
  onConflict: (conflict: ResponseConflict) => void;
}

type GuardedResponse = ServerResponse & { [kGuard]?: GuardState };

/**
 * From now until the headers are sent, `res` keeps `vary` tokens in its Vary and exactly the owned headers of
 * `headers` (polycors' decision). `onConflict` is told when the app's own value had to be replaced.
 */
export function guardResponse(res: ServerResponse, vary: readonly string[], headers: readonly (readonly [string, string])[], onConflict: (conflict: ResponseConflict) => void): void {
  const target = res as GuardedResponse;
  if (target[kGuard] !== undefined || res.headersSent) return;
  const owned = OWNED.map((name) => headers.find(([header]) => header === name)?.[1]);
  target[kGuard] = { vary, owned, writeHead: res.writeHead, onConflict };
  res.writeHead = guardedWriteHead as ServerResponse['writeHead'];
}

/** Replaces the decision a guarded response keeps (the handler's policy decided again); false once headers are sent. */
export function updateGuard(res: ServerResponse, vary: readonly string[], headers: readonly (readonly [string, string])[]): boolean {
  const state = (res as GuardedResponse)[kGuard];
  if (state === undefined || res.headersSent) return false;
  state.vary = vary;
  state.owned = OWNED.map((name) => headers.find(([header]) => header === name)?.[1]);
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
  for (let i = 0; i < OWNED.length; i++) {
    const name = OWNED[i];
    const kept = state.owned[i];
    const present = res.getHeader(name);
    const appValue = present === undefined ? undefined : Array.isArray(present) ? present.join(', ') : String(present);
    if (appValue === kept) continue;
    if (kept === undefined) res.removeHeader(name);
    else res.setHeader(name, kept);
    state.onConflict({ header: name, appValue, keptValue: kept });
  }
}
