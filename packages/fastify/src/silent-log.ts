/**
 * Is this logger method one that does nothing? Fastify's `logger: false` gives every request a logger whose
 * methods are empty functions, and pino puts an empty function in place of each disabled level. Refusals are then
 * not logged, so polycors skips building the log line. Judged by the function's source, once per function.
 */
const EMPTY_FUNCTION = /^function\s*[\w$]*\s*\(\s*\)\s*\{\s*\}$/;

let lastMethod: unknown;
let lastSilent = false;

export function isSilentLogMethod(method: unknown): boolean {
  if (method === lastMethod) return lastSilent;
  lastSilent = typeof method === 'function' && EMPTY_FUNCTION.test(Function.prototype.toString.call(method));
  lastMethod = method;
  return lastSilent;
}
