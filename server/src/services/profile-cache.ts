/**
 * The profile cache: what a resolve reads of a consenting visitor (their profile row and the
 * newest events of their log), kept in memory per instance, keyed by the visitor's HMAC, so that a
 * returning visitor's resolve reads nothing from the database. Bounded in entries and in
 * (approximate) bytes, least recently used first out, and every entry expires after `ttlMs`
 * whatever happens (a write that bypassed Mosaic's services is seen within that time).
 *
 * It is never ahead of or behind the store as this instance writes it:
 *
 * - a write (a group commit of visits and events, traits, an erasure) announces the visitors it
 *   concerns before it starts (`beginWrite`) and settles them once committed (`endWrite`): an
 *   entry present is changed in place exactly as the SQL changed the row (the caller's `apply`),
 *   or dropped;
 * - a load that was under way when a write of its visitor began, or began while one was under
 *   way, is served to its own request but never stored: it may have read the row before the
 *   commit. A stored entry was therefore read after every write of its visitor that had ended and
 *   before any that has begun;
 * - another instance's writes arrive as `drop` (Redis pub/sub, services/redis.ts), and while they
 *   cannot arrive the owner turns the cache off (`enabled`).
 *
 * Pure: no Strapi, no database; the profiles service wires it.
 */

export interface ProfileCacheLimits {
  /** 0 turns the cache off. */
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

export interface ProfileCacheStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  /** Loads served but not stored because a write of their visitor began meanwhile. */
  discarded: number;
  dropped: number;
}

interface Entry<T> {
  value: T;
  bytes: number;
  storedAt: number;
}

/** A load in flight: shared by the requests for the same visitor while it may still be stored. */
interface Load<T> {
  promise: Promise<T>;
}

export class ProfileCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly loads = new Map<string, Load<T>>();
  /** Visitors with a write under way, and how many. */
  private readonly writing = new Map<string, number>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private discarded = 0;
  private dropped = 0;

  /**
   * `sizeOf`: a value's approximate size in bytes, when stored; `grown(next)`, the size of a
   * value changed in place, which may be cheaper (default: `sizeOf`).
   */
  constructor(
    private readonly limits: () => ProfileCacheLimits,
    private readonly enabled: () => boolean = () => true,
    private readonly sizeOf: (value: T) => number = (value) => JSON.stringify(value).length,
    private readonly clock: () => number = Date.now,
    private readonly grown: (value: T) => number = sizeOf
  ) {}

  /**
   * The visitor's cached value, or `load()`'s, stored when nothing may have changed the row
   * meanwhile (see above). Concurrent calls for one visitor share one load.
   */
  async get(hash: string, load: () => Promise<T>): Promise<T> {
    if (!this.on()) return load();
    const hit = this.fresh(hash);
    if (hit) return hit.value;
    if (this.entries.has(hash)) this.remove(hash);
    const inFlight = this.loads.get(hash);
    if (inFlight) {
      this.hits += 1;
      return inFlight.promise;
    }
    this.misses += 1;
    const promise = load();
    // A write under way: its commit may land before or after this read.
    if (this.writing.has(hash)) {
      this.discarded += 1;
      return promise;
    }
    const mine: Load<T> = { promise };
    this.loads.set(hash, mine);
    try {
      const value = await promise;
      if (this.loads.get(hash) === mine && this.on()) this.store(hash, value);
      else this.discarded += 1;
      return value;
    } finally {
      if (this.loads.get(hash) === mine) this.loads.delete(hash);
    }
  }

  /** The visitor's value when a fresh one is kept (a hit), else undefined: nothing is loaded. */
  peek(hash: string): T | undefined {
    return this.on() ? this.fresh(hash)?.value : undefined;
  }

  /** A write of these visitors begins: loads under way or begun until it ends are not kept. */
  beginWrite(hashes: Iterable<string>) {
    for (const hash of hashes) {
      this.writing.set(hash, (this.writing.get(hash) ?? 0) + 1);
      this.loads.delete(hash);
    }
  }

  /**
   * The write begun by `beginWrite(hashes)` ended: with `apply`, committed, and each entry
   * present becomes `apply(hash, value)` (undefined drops it); without, every entry is dropped
   * (failed, or a change not worth mirroring).
   */
  endWrite(hashes: Iterable<string>, apply?: (hash: string, value: T) => T | undefined) {
    for (const hash of hashes) {
      const count = (this.writing.get(hash) ?? 1) - 1;
      if (count > 0) this.writing.set(hash, count);
      else this.writing.delete(hash);
      const entry = this.entries.get(hash);
      if (!entry) continue;
      const next = apply ? apply(hash, entry.value) : undefined;
      if (next === undefined) {
        this.remove(hash);
        this.dropped += 1;
      } else {
        // Changed in place: it keeps its age, so the TTL still bounds how long ago it was read,
        // and its size, unless it grew (a row's visit moves a few digits, appended events count).
        const bytes = next === entry.value ? entry.bytes : Math.max(entry.bytes, this.grown(next));
        this.remove(hash);
        this.entries.set(hash, { value: next, bytes, storedAt: entry.storedAt });
        this.bytes += bytes;
        this.evict();
      }
    }
  }

  /** Drops these visitors' entries (or every entry), and keeps loads under way from storing. */
  drop(hashes: Iterable<string> | 'all') {
    if (hashes === 'all') {
      this.dropped += this.entries.size;
      this.entries.clear();
      this.loads.clear();
      this.bytes = 0;
      return;
    }
    for (const hash of hashes) {
      this.loads.delete(hash);
      if (this.entries.has(hash)) {
        this.remove(hash);
        this.dropped += 1;
      }
    }
  }

  /** Whether the visitor has an entry (for tests and stats: never serves it). */
  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  stats(): ProfileCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      hits: this.hits,
      misses: this.misses,
      discarded: this.discarded,
      dropped: this.dropped,
    };
  }

  private on(): boolean {
    if (this.limits().maxEntries > 0 && this.enabled()) return true;
    if (this.entries.size || this.loads.size) this.drop('all');
    return false;
  }

  /** The entry if it is younger than the TTL, counted as a hit and made the most recent. */
  private fresh(hash: string): Entry<T> | undefined {
    const entry = this.entries.get(hash);
    if (!entry || this.clock() - entry.storedAt >= this.limits().ttlMs) return undefined;
    this.hits += 1;
    this.entries.delete(hash);
    this.entries.set(hash, entry);
    return entry;
  }

  private store(hash: string, value: T) {
    this.remove(hash);
    const bytes = this.sizeOf(value);
    this.entries.set(hash, { value, bytes, storedAt: this.clock() });
    this.bytes += bytes;
    this.evict();
  }

  private remove(hash: string) {
    const entry = this.entries.get(hash);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(hash);
  }

  private evict() {
    const { maxEntries, maxBytes } = this.limits();
    while (this.entries.size > maxEntries || (this.bytes > maxBytes && this.entries.size > 0)) {
      this.remove(this.entries.keys().next().value as string);
    }
  }
}
