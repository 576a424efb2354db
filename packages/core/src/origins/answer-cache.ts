/**
 * Remembers what an (often async) origin function answered for an origin, bounded in size and age, so a database
 * lookup is made once per origin per `ttl` rather than on every request. Errors are never cached.
 */
export class OriginAnswerCache {
  private readonly answers = new Map<string, { allowed: boolean; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttl: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(origin: string): boolean | undefined {
    const entry = this.answers.get(origin);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.now()) {
      this.answers.delete(origin);
      return undefined;
    }
    return entry.allowed;
  }

  set(origin: string, allowed: boolean): void {
    if (this.answers.has(origin)) this.answers.delete(origin);
    else if (this.answers.size >= this.max) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(origin, { allowed, expires: this.now() + this.ttl });
  }

  get size(): number {
    return this.answers.size;
  }
}
