/**
 * The last word on a response's CORS headers. After polycors decided, the app can still write CORS headers and Vary
 * (a handler's `reply.header('vary', ...)`, `ctx.append('Access-Control-Allow-Origin', '*')`, an `onSend` hook), or
 * write the response itself (`reply.hijack()` then `res.writeHead(200, {...})` for SSE or a proxy). The guard applies
 * the decision when the status line and headers go out, so whoever wrote last, the response carries:
 * - `Access-Control-Allow-Origin`, `-Allow-Credentials`, `-Allow-Methods`, `-Allow-Headers`, `-Max-Age` and
 *   `-Allow-Private-Network`: polycors' value, or none where polycors sends none (a refusal). A different value from
 *   the app is a conflict: replaced, and reported so the adapter can log it.
 * - `Access-Control-Expose-Headers`: the app's names kept beside polycors' (exposing a header to an origin polycors
 *   allowed does not widen who may read the response; without an allowed origin the header is inert).
 * - `Vary`: polycors' tokens merged into the app's value (a shared cache must key origin-dependent answers on Origin).
 */
import type { CorsDecision } from './options.js';
import { appendVary } from './vary.js';

/** The CORS headers whose value is polycors' alone on a response it decided. */
export const POLYCORS_OWNED_HEADERS: readonly string[] = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-allow-private-network',
];
const EXPOSE = 'access-control-expose-headers';
const VARY = 'vary';
/** The headers the guard reads, each with its slot: the owned ones first, in order, then Expose and Vary. */
const WATCHED: readonly string[] = [...POLYCORS_OWNED_HEADERS, EXPOSE, VARY];
const SLOT: ReadonlyMap<string, number> = new Map(WATCHED.map((name, slot) => [name, slot]));
const EXPOSE_SLOT = POLYCORS_OWNED_HEADERS.length;
const VARY_SLOT = EXPOSE_SLOT + 1;
/** Watched header values found in writeHead's argument, by slot. */
type Slots = ResponseHeaderValue[];

export type ResponseHeaderValue = string | number | readonly string[] | undefined;

/** A header the app set differently from polycors' decision; polycors' value (or none) was sent. */
export interface CorsHeaderConflict {
  /** Lower-case header name. */
  header: string;
  /** What the app had set (list values joined with ', '). */
  app: string;
  /** What polycors sent instead; undefined: the header was removed. */
  sent: string | undefined;
}

/** One header to change so that the response says what the decision says: a value to send, or undefined to remove. */
export interface CorsHeaderChange {
  header: string;
  value: string | undefined;
  conflict?: CorsHeaderConflict;
}

type DecisionHeaders = Pick<CorsDecision, 'headers' | 'vary'>;

/**
 * The changes that make a response's headers (as `read` reports them, by lower-case name) agree with `decision`.
 * Empty when they already do.
 */
export function settleCorsHeaders(decision: DecisionHeaders, read: (header: string) => ResponseHeaderValue): CorsHeaderChange[] {
  return settleWith(decision, callReader, read, undefined);
}

type Reader<A, B> = (header: string, slot: number, a: A, b: B) => ResponseHeaderValue;
const callReader: Reader<(header: string) => ResponseHeaderValue, undefined> = (header, _slot, read) => read(header);
/** The guard's reader: writeHead's argument first, then the response (passed only when it has headers). */
const readGuarded: Reader<Slots | undefined, GuardableResponse | undefined> = (header, slot, given, res) => {
  const value = given === undefined ? undefined : given[slot];
  if (value !== undefined) return value;
  return res === undefined ? undefined : res.getHeader(header);
};

/** settleCorsHeaders with the reader and its two arguments passed in: the guard makes no closure per response. */
function settleWith<A, B>(decision: DecisionHeaders, reader: Reader<A, B>, a: A, b: B): CorsHeaderChange[] {
  const changes: CorsHeaderChange[] = [];
  for (let slot = 0; slot < POLYCORS_OWNED_HEADERS.length; slot++) {
    const header = POLYCORS_OWNED_HEADERS[slot];
    const current = joined(reader(header, slot, a, b));
    const wanted = decidedValue(decision, header);
    if (current === wanted) continue;
    changes.push(current === undefined ? { header, value: wanted } : { header, value: wanted, conflict: { header, app: current, sent: wanted } });
  }
  const exposed = decidedValue(decision, EXPOSE);
  if (exposed !== undefined) {
    const current = joined(reader(EXPOSE, EXPOSE_SLOT, a, b));
    const value = current === undefined || current.trim() === '' ? exposed : unionTokens(current, exposed);
    if (value !== current) changes.push({ header: EXPOSE, value });
  }
  if (decision.vary.length > 0) {
    const current = reader(VARY, VARY_SLOT, a, b);
    const value = appendVary(current, decision.vary);
    if (value !== joined(current)) changes.push({ header: VARY, value });
  }
  return changes;
}

/** The decision's value for a header (decisions carry lower-case names, a handful of them). */
function decidedValue(decision: DecisionHeaders, header: string): string | undefined {
  const headers = decision.headers;
  for (let i = 0; i < headers.length; i++) if (headers[i][0] === header) return headers[i][1];
  return undefined;
}

/** The members of a Node `ServerResponse` (or `Http2ServerResponse`) the guard uses. */
export interface GuardableResponse {
  writeHead(...args: never[]): unknown;
  getHeader(name: string): ResponseHeaderValue;
  removeHeader(name: string): void;
  /** Node's and HTTP/2's responses have it: no names means no header to read back. */
  getHeaderNames?(): string[];
  readonly headersSent?: boolean;
}

interface GuardState {
  /** undefined: released while another writeHead wrapper sat above the guard, which now only passes through. */
  decision: DecisionHeaders | undefined;
  onConflict?: (conflict: CorsHeaderConflict) => void;
  writeHead: (...args: unknown[]) => unknown;
}

const kGuard = Symbol('polycors.response-guard');
type Guarded = GuardableResponse & { [kGuard]?: GuardState; writeHead: (...args: unknown[]) => unknown };

/**
 * Applies `decision` to `res` when its headers are written (`writeHead`, or the first `write`/`end`, which call it),
 * over whatever was set in between. Calling it again on the same response replaces the decision.
 */
export function guardResponseHeaders(res: GuardableResponse, decision: DecisionHeaders, onConflict?: (conflict: CorsHeaderConflict) => void): void {
  const target = res as Guarded;
  const state = target[kGuard];
  if (state) {
    state.decision = decision;
    state.onConflict = onConflict;
    return;
  }
  target[kGuard] = { decision, onConflict, writeHead: target.writeHead };
  target.writeHead = guardedWriteHead;
}

/** Stops guarding `res`: its headers go out as the app leaves them (Koa's `keepHeadersOnError: false`). */
export function releaseResponseHeaders(res: GuardableResponse): void {
  const target = res as Guarded;
  const state = target[kGuard];
  if (!state) return;
  // A wrapper installed after the guard (on-headers: compression, express-session, response-time) must keep running.
  if (target.writeHead !== guardedWriteHead) {
    state.decision = undefined;
    return;
  }
  target.writeHead = state.writeHead;
  target[kGuard] = undefined;
}

type HeadersArgument = Record<string, unknown> | unknown[] | undefined;

function guardedWriteHead(this: Guarded, statusCode: unknown, second?: unknown, third?: unknown): unknown {
  const state = this[kGuard] as GuardState;
  this.writeHead = state.writeHead;
  this[kGuard] = undefined;
  // `arguments` passed straight to apply: the call keeps its arity (on-headers and others read it), with no copy.
  // eslint-disable-next-line prefer-rest-params
  if (this.headersSent || !state.decision) return state.writeHead.apply(this, arguments as unknown as unknown[]);
  const hasMessage = typeof second === 'string';
  const given = (hasMessage ? third : second) as HeadersArgument;
  const headers = settle(this, given, state);
  return hasMessage ? state.writeHead.call(this, statusCode, second, headers) : state.writeHead.call(this, statusCode, headers);
}

/** The headers argument to pass on: the given one with the watched headers replaced by the decision's. */
function settle(res: Guarded, given: HeadersArgument, state: GuardState): HeadersArgument {
  // writeHead's own headers win over setHeader's, as in Node; except Vary, where both are cache keys the response
  // needs (Fastify passes its reply's Vary while a middleware set another on the Node response): merged.
  const fromArgument = watchedIn(given);
  // Fastify passes every header in writeHead's argument: with none set on the response, none need reading from it.
  const ownHeaders = !hasNoHeaders(res);
  const ownVary = ownHeaders && fromArgument !== undefined && fromArgument[VARY_SLOT] !== undefined ? res.getHeader(VARY) : undefined;
  if (ownVary !== undefined && fromArgument !== undefined) fromArgument[VARY_SLOT] = appendVary(ownVary, toList(fromArgument[VARY_SLOT]).flatMap(splitTokens));
  const changes = settleWith(state.decision as DecisionHeaders, readGuarded, fromArgument, ownHeaders ? res : undefined);
  if (ownVary !== undefined) {
    res.removeHeader(VARY);
    if (!changes.some((change) => change.header === VARY)) changes.push({ header: VARY, value: joined(fromArgument?.[VARY_SLOT]) });
  }
  if (changes.length === 0) return given;
  const changed = new Set(changes.map((change) => change.header));
  let headers: HeadersArgument;
  if (Array.isArray(given)) {
    headers = withoutHeaders(given, changed);
    const nested = given.length > 0 && Array.isArray(given[0]);
    for (const { header, value } of changes) if (value !== undefined) (headers as unknown[]).push(...(nested ? [[header, value]] : [header, value]));
  } else {
    headers = {};
    for (const key of given ? Object.keys(given) : []) if (!changed.has(key.toLowerCase())) headers[key] = (given as Record<string, unknown>)[key];
    for (const { header, value } of changes) if (value !== undefined) headers[header] = value;
  }
  for (const change of changes) {
    if (change.value === undefined) res.removeHeader(change.header);
    if (change.conflict) state.onConflict?.(change.conflict);
  }
  return headers;
}

/** True when the response is known to carry no headers set with setHeader (Node's and HTTP/2's responses tell). */
function hasNoHeaders(res: Guarded): boolean {
  return typeof res.getHeaderNames === 'function' && res.getHeaderNames().length === 0;
}

/** The watched headers in writeHead's argument, by slot; undefined when there are none. */
function watchedIn(given: HeadersArgument): Slots | undefined {
  if (!given) return undefined;
  let found: Slots | undefined;
  if (Array.isArray(given)) {
    if (given.length > 0 && Array.isArray(given[0])) for (const pair of given as unknown[][]) found = addWatched(found, pair[0], pair[1]);
    else for (let i = 0; i + 1 < given.length; i += 2) found = addWatched(found, given[i], given[i + 1]);
  } else {
    // for-in over own keys: Object.keys' names in its order, read through V8's enum cache.
    for (const key in given) {
      if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
      const value = given[key];
      if (value !== undefined) found = addWatched(found, key, value);
    }
  }
  return found;
}

function addWatched(found: Slots | undefined, name: unknown, value: unknown): Slots | undefined {
  let slot: number | undefined;
  if (typeof name === 'string') {
    // Every watched name starts with 'a' or 'v': other headers (content-type, content-length) are passed over unread.
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 0x61 && first !== 0x76) return found;
    slot = SLOT.get(name) ?? SLOT.get(name.toLowerCase());
  } else {
    slot = SLOT.get(String(name).toLowerCase());
  }
  if (slot === undefined) return found;
  found ??= [undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]; // one per WATCHED
  const previous = found[slot];
  const next = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value : String(value);
  found[slot] = previous === undefined ? next : [...toList(previous), ...toList(next)];
  return found;
}

function withoutHeaders(given: unknown[], names: ReadonlySet<string>): unknown[] {
  if (given.length > 0 && Array.isArray(given[0])) return (given as unknown[][]).filter((pair) => !names.has(String(pair[0]).toLowerCase()));
  const kept: unknown[] = [];
  for (let i = 0; i + 1 < given.length; i += 2) if (!names.has(String(given[i]).toLowerCase())) kept.push(given[i], given[i + 1]);
  return kept;
}

function splitTokens(value: string): string[] {
  return value.split(',').map((token) => token.trim()).filter(Boolean);
}

function toList(value: ResponseHeaderValue): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
}

function joined(value: ResponseHeaderValue): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function unionTokens(current: string, added: string): string {
  const present = new Set(current.split(',').map((token) => token.trim().toLowerCase()).filter(Boolean));
  let value = current.trim();
  for (const token of added.split(',').map((item) => item.trim()).filter(Boolean)) {
    if (present.has(token.toLowerCase())) continue;
    present.add(token.toLowerCase());
    value = `${value}, ${token}`;
  }
  return value;
}


/** The log line for a conflict, naming where it happened ('route GET /events', 'PATCH /form'). */
export function describeHeaderConflict(where: string, conflict: CorsHeaderConflict): string {
  const app = conflict.app.length > 200 ? `${conflict.app.slice(0, 200)}...` : conflict.app;
  const sent = conflict.sent === undefined ? 'sent none, as polycors decided (the request is refused, or this header does not apply to it)' : `sent polycors' ${conflict.sent}`;
  return `polycors: ${where}: the app set ${conflict.header}: ${app}; ${sent}. Configure CORS through polycors (its options or the route's policy) instead of setting CORS headers [cors-header-conflict]`;
}
