/**
 * A bounded cache with least-recently-used eviction by generations: entries
 * live in a current Map; when it is full it becomes the previous generation
 * and a new one starts, and a hit in the previous generation moves the entry
 * forward. Holds between `max` and `2 * max` entries; a hit in the current
 * generation is one Map lookup, whatever the size (a delete-and-set LRU slows
 * down as its Map grows).
 */
export class LruCache<K, V> {
  readonly #max: number;
  #current = new Map<K, V>();
  #previous = new Map<K, V>();

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`LRU size must be >= 1, got ${max}`);
    this.#max = max;
  }

  /** Entries held (at most `2 * max`). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined) return value;
    const old = this.#previous.get(key);
    if (old === undefined) return undefined;
    this.#previous.delete(key);
    this.#store(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.#current.has(key)) this.#current.set(key, value);
    else {
      this.#previous.delete(key);
      this.#store(key, value);
    }
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }

  #store(key: K, value: V): void {
    if (this.#current.size >= this.#max) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }
}
