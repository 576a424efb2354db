/**
 * Keeps polycors' headers on a response while the app writes its own: for a CORS request (one with `Origin`),
 * every `Access-Control-*` header the app sets through `res.setHeader`/`res.appendHeader`/`res.writeHead` (and so
 * `res.set`, `res.header`, `res.append`, finalhandler's `err.headers`) is ignored and reported, since polycors
 * sends the only CORS answer; a `Vary` the app sets keeps polycors' tokens (core `appendVary`). The methods are
 * shadowed on the one response object, with functions shared by all responses.
 */
import { appendVary } from '@polycors/core';
import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';

const STATE = Symbol('polycors.express.guard');

export interface GuardState {
  /** Guard Access-Control-* headers (CORS requests only). */
  cors: boolean;
  vary: readonly string[];
  /** The response's methods before the guard: polycors writes through these. */
  setHeader: ServerResponse['setHeader'];
  appendHeader?: ServerResponse['appendHeader'];
  writeHead: ServerResponse['writeHead'];
  req: IncomingMessage;
  /** Called for each Access-Control-* header the app tried to set (shared by all responses: no closure per request). */
  onConflict: ConflictReporter;
}

export type ConflictReporter = (req: IncomingMessage, res: ServerResponse, name: string, value: unknown) => void;

type Guarded = ServerResponse & { [STATE]?: GuardState };

export function guardResponse(req: IncomingMessage, res: ServerResponse, cors: boolean, vary: readonly string[], onConflict: ConflictReporter): GuardState {
  const guarded = res as Guarded;
  const existing = guarded[STATE];
  if (existing) {
    existing.cors = cors;
    existing.vary = vary;
    return existing;
  }
  const full: GuardState = { cors, vary, setHeader: res.setHeader, appendHeader: res.appendHeader, writeHead: res.writeHead, req, onConflict };
  guarded[STATE] = full;
  res.setHeader = guardedSetHeader as ServerResponse['setHeader'];
  if (typeof res.appendHeader === 'function') res.appendHeader = guardedAppendHeader as ServerResponse['appendHeader'];
  res.writeHead = guardedWriteHead as ServerResponse['writeHead'];
  return full;
}

/** The guard's state, for polycors' own writes. */
export function guardOf(res: ServerResponse): GuardState | undefined {
  return (res as Guarded)[STATE];
}

/** undefined: drop the header; otherwise the value to write. */
function filter(state: GuardState, res: ServerResponse, name: string, value: OutgoingHttpHeader | readonly string[]): OutgoingHttpHeader | readonly string[] | undefined {
  const lower = name.toLowerCase();
  if (state.cors && lower.startsWith('access-control-')) {
    state.onConflict(state.req, res, name, value);
    return undefined;
  }
  if (lower === 'vary' && state.vary.length > 0) return appendVary(Array.isArray(value) ? value.join(', ') : String(value), state.vary);
  return value;
}

function guardedSetHeader(this: Guarded, name: string, value: OutgoingHttpHeader | readonly string[]) {
  const state = this[STATE] as GuardState;
  const kept = filter(state, this, name, value);
  return kept === undefined ? this : state.setHeader.call(this, name, kept);
}

function guardedAppendHeader(this: Guarded, name: string, value: string | readonly string[]) {
  const state = this[STATE] as GuardState;
  const lower = name.toLowerCase();
  if (lower === 'vary' && state.vary.length > 0) {
    const current = this.getHeader('vary');
    return state.setHeader.call(this, name, appendVary(appendVary(current === undefined ? undefined : String(current), [].concat(value as never)), state.vary));
  }
  const kept = filter(state, this, name, value);
  return kept === undefined ? this : (state.appendHeader as NonNullable<GuardState['appendHeader']>).call(this, name, kept as string);
}

function guardedWriteHead(this: Guarded, statusCode: number, ...rest: unknown[]) {
  const state = this[STATE] as GuardState;
  const last = rest.length - 1;
  const headers = rest[last];
  if (last >= 0 && headers !== null && typeof headers === 'object') {
    if (Array.isArray(headers)) {
      // [name, value, name, value, ...] or [[name, value], ...]
      const flat = Array.isArray(headers[0]) ? (headers as string[][]).flat() : (headers as string[]);
      const kept: string[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const value = filter(state, this, flat[i], flat[i + 1]);
        if (value !== undefined) kept.push(flat[i], String(value));
      }
      rest[last] = kept;
    } else {
      const kept: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
        if (value === undefined) continue;
        const filtered = filter(state, this, name, value);
        if (filtered !== undefined) kept[name] = filtered as OutgoingHttpHeader;
      }
      rest[last] = kept;
    }
  }
  return (state.writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
}
