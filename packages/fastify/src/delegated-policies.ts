/**
 * The compiled policies of a delegator's answers. A delegator usually builds its answer per request
 * (`() => ({ origin: ... })`), so answers are recognised by content: options with the same keys and values (functions,
 * class instances and other non-plain objects by identity) share one compiled policy set. At most `max` sets are kept,
 * least recently used first out, so a delegator answering with ever new content cannot grow memory without bound.
 */
export const DELEGATED_POLICIES_MAX = 256;

export class DelegatedPolicies<T> {
  /** Same object again: no key to build. */
  private readonly byObject = new WeakMap<object, T>();
  /** Insertion order is recency: a hit moves its entry to the end, the first entry is evicted. */
  private readonly byContent = new Map<string, T>();
  private readonly keys = new ContentKeys();

  constructor(private readonly max = DELEGATED_POLICIES_MAX) {}

  get(answer: object, compile: () => T): T {
    const known = this.byObject.get(answer);
    if (known !== undefined) return known;
    const key = this.keys.of(answer);
    let compiled = this.byContent.get(key);
    if (compiled !== undefined) {
      this.byContent.delete(key);
    } else {
      compiled = compile();
      if (this.byContent.size >= this.max) this.byContent.delete(this.byContent.keys().next().value as string);
    }
    this.byContent.set(key, compiled);
    this.byObject.set(answer, compiled);
    return compiled;
  }
}

/** A string that is equal for two answers exactly when they would compile to the same policy. */
class ContentKeys {
  private readonly ids = new WeakMap<object, number>();
  private readonly symbolIds = new Map<symbol, number>();
  private nextId = 0;

  of(value: unknown): string {
    return this.write(value, new Set());
  }

  private write(value: unknown, path: Set<object>): string {
    if (value === undefined) return 'u';
    if (value === null) return 'n';
    switch (typeof value) {
      case 'string':
        return `s${JSON.stringify(value)}`;
      case 'number':
      case 'boolean':
      case 'bigint':
        return `${typeof value}:${String(value)}`;
      case 'symbol':
      case 'function':
        return this.identity(value as object);
    }
    const object = value as object;
    // lastIndex is state core does not read (it strips g and y), so source and flags say everything.
    if (object instanceof RegExp) return `r${JSON.stringify(String(object))}`;
    if (path.has(object)) return this.identity(object);
    if (Array.isArray(object)) {
      path.add(object);
      const items = object.map((item) => this.write(item, path));
      path.delete(object);
      return `[${items.join(',')}]`;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) return this.identity(object);
    path.add(object);
    const entries = Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${this.write((object as Record<string, unknown>)[key], path)}`);
    path.delete(object);
    return `{${entries.join(',')}}`;
  }

  private identity(value: object | symbol): string {
    // Symbols cannot be WeakMap keys on every supported Node; they are rare in options, so a Map is bounded enough.
    const ids = (typeof value === 'symbol' ? this.symbolIds : this.ids) as Map<object | symbol, number>;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = this.nextId++));
    return `#${id}`;
  }
}
