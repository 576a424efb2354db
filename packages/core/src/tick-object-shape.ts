/**
 * Keeps the hidden class of Node's `process.nextTick` task objects alive for the life of the process (issue 16).
 *
 * Node builds each task as an object literal with two symbol keys (`{ [async_id]: …, [trigger_id]: …, callback,
 * args }`). V8 holds the hidden classes ("maps") of such short-lived objects weakly: a full GC that runs while no
 * task is queued frees the chain, the next task builds a new one, and the inline caches of `nextTick` (inlined into
 * Node's stream and HTTP code) see one more map each time. After a few, they go megamorphic and every property of
 * every task is defined through the V8 runtime: about 1,300 instructions each, 30 per HTTP request (measured with
 * callgrind: a Fastify preflight at 145,500 instructions in that state, 111,500 with this module). Whether a process falls into that state
 * depends on when its startup's mark-compact lands, so it struck some processes and not others (the "identical
 * processes 35% apart" of BENCHMARKS.md). Holding one task object keeps its map, and with it the chain, alive.
 */
import { executionAsyncResource } from 'node:async_hooks';

let held: object | undefined;
let scheduled = false;

/** Idempotent and cheap: the first call schedules one tick that keeps its own task object; later calls do nothing. */
export function keepTickObjectShape(): void {
  if (scheduled || typeof process === 'undefined' || typeof process.nextTick !== 'function') return;
  scheduled = true;
  process.nextTick(holdCurrentTask);
}

function holdCurrentTask(): void {
  const task = executionAsyncResource();
  // Only a real task object (its `callback` is this function): anything else would hold nothing useful.
  if (task !== null && typeof task === 'object' && (task as { callback?: unknown }).callback === holdCurrentTask) held = task;
}

/** For tests: the task object held, once the first tick has run. */
export function heldTickObject(): object | undefined {
  return held;
}
