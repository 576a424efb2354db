/**
 * Notices an origin function that is `origin: true` in disguise: `(ctx) => ctx.get('Origin')` under credentials
 * cannot be told from an allowlist lookup before it runs, but it allows every origin it is asked about. Counts the
 * distinct origins a function allowed (with credentials) within a window; past the threshold it reports once.
 * Memory is bounded by the threshold, and after the report it stops counting.
 */
export class ReflectionWatch {
  private readonly seen = new Set<string>();
  private windowStart: number;
  private done = false;

  constructor(
    private readonly threshold: number,
    private readonly window: number,
    private readonly report: (distinct: number, latest: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.windowStart = now();
  }

  allowed(origin: string): void {
    if (this.done || this.seen.has(origin)) return;
    const now = this.now();
    if (now - this.windowStart > this.window) {
      this.seen.clear();
      this.windowStart = now;
    }
    this.seen.add(origin);
    if (this.seen.size > this.threshold) {
      this.done = true;
      this.seen.clear();
      this.report(this.threshold + 1, origin);
    }
  }
}
