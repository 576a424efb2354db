/**
 * The compiled policies of a delegator's answers. A delegator usually builds its answer per request
 * (`() => ({ origin: ... })`), so answers are recognised by content: options with the same keys and values (functions,
 * class instances and other non-plain objects by identity) share one compiled policy set. At most `max` sets are kept,
 * least recently used first out, so a delegator answering with ever new content cannot grow memory without bound.
 */
export const DELEGATED_POLICIES_MAX = 256;
/** Options nest three levels at most (`originCache.key`, an origin list of RegExps). */
const MAX_DEPTH = 6;

export class DelegatedPolicies<T> {
  /** Same object again: no key to build. */
  private readonly byObject = new WeakMap<object, T>();
  /** Insertion order is recency: a hit moves its entry to the end, the first entry is evicted. */
  private readonly byContent = new Map<string, T>();
  private readonly keys = new ContentKeys();
  /** The last answer seen by content: a constant whose content was first returned as a literal. */
  private lastAnswer: object | undefined;
  private lastCompiled: T | undefined;

  constructor(private readonly max = DELEGATED_POLICIES_MAX) {}

  get(answer: object, compile: () => T): T {
    if (answer === this.lastAnswer) return this.lastCompiled as T;
    const known = this.byObject.get(answer);
    if (known !== undefined) return known;
    const key = this.keys.of(answer);
    let compiled = this.byContent.get(key);
    if (compiled !== undefined) {
      // Not remembered in the WeakMap: a fresh literal per request would fill it (and the collector's work).
      this.byContent.delete(key);
      this.lastAnswer = answer;
      this.lastCompiled = compiled;
    } else {
      compiled = compile();
      if (this.byContent.size >= this.max) this.byContent.delete(this.byContent.keys().next().value as string);
      this.byObject.set(answer, compiled);
    }
    this.byContent.set(key, compiled);
    return compiled;
  }
}

/** A string that is equal for two answers exactly when they would compile to the same policy. */
class ContentKeys {
  private readonly ids = new WeakMap<object, number>();
  private readonly symbolIds = new Map<symbol, number>();
  private nextId = 0;

  of(value: unknown): string {
    return this.write(value, 0);
  }

  /**
   * Keys in the object's own order: literals written by the same code list them alike, and two orders of one content
   * only cost a second compile. Nesting deeper than options go is keyed by identity (which also ends cycles).
   */
  private write(value: unknown, depth: number): string {
    if (value === undefined) return 'u';
    if (value === null) return 'n';
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value);
      case 'number':
      case 'boolean':
      case 'bigint':
        return `${(typeof value)[0]}${String(value)}`;
      case 'symbol':
      case 'function':
        return this.identity(value as object);
    }
    const object = value as object;
    // lastIndex is state core does not read (it strips g and y), so source and flags say everything.
    if (object instanceof RegExp) return `r${JSON.stringify(String(object))}`;
    if (depth >= MAX_DEPTH) return this.identity(object);
    let key: string;
    if (Array.isArray(object)) {
      key = '[';
      for (let i = 0; i < object.length; i++) key += `${this.write(object[i], depth + 1)},`;
      return `${key}]`;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) return this.identity(object);
    key = '{';
    for (const name in object) {
      if (Object.hasOwn(object, name)) key += `${JSON.stringify(name)}:${this.write((object as Record<string, unknown>)[name], depth + 1)},`;
    }
    return `${key}}`;
  }

  private identity(value: object | symbol): string {
    // Symbols cannot be WeakMap keys on every supported Node; they are rare in options, so a Map is bounded enough.
    const ids = (typeof value === 'symbol' ? this.symbolIds : this.ids) as Map<object | symbol, number>;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = this.nextId++));
    return `#${id}`;
  }
}
