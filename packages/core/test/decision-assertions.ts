/** Reads a CorsDecision the way a browser would read the response it becomes. */
import type { CorsDecision } from '../src/index.js';

export function header(decision: CorsDecision, name: string): string | undefined {
  const values = decision.headers.filter(([key]) => key === name).map(([, value]) => value);
  if (values.length > 1) throw new Error(`header ${name} set ${values.length} times`);
  return values[0];
}

export function listOf(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((item) => item.trim()).filter(Boolean);
}
