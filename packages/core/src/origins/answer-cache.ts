/**
 * Remembers what an (often async) origin function answered for a cache key (the origin, plus `originCache.key`),
 * bounded in size and age, so a database lookup is made once per key per `ttl` rather than on every request.
 * Only answers are stored (allowed, any origin, refused); errors and timeouts are never cached.
 */
export class OriginAnswerCache<Answer> {
  private readonly answers = new Map<string, { answer: Answer; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttl: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Answer | undefined {
    const entry = this.answers.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.now()) {
      this.answers.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  set(key: string, answer: Answer): void {
    if (this.answers.has(key)) this.answers.delete(key);
    else if (this.answers.size >= this.max) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(key, { answer, expires: this.now() + this.ttl });
  }

  get size(): number {
    return this.answers.size;
  }
}
