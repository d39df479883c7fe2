/**
 * The compiled-content cache: an LRU of compiled assets, chunks and lookups, bounded in entries
 * and in (approximate) bytes, emptied when any Mosaic content (or the set of locales) changes. A
 * generation counter keeps a load that raced with a change from storing what it read before it.
 * What an emptying drops is kept aside, within the same bounds, and served (flagged) when its
 * load fails because the database is unreachable: stale-if-error.
 */
import type { Core } from '@strapi/strapi';

import { getService } from '../utils';

export interface CacheStats {
  entries: number;
  bytes: number;
  /** Lookups of compiled content (assets, chunks, segments, locales): a miss reads the database. */
  hits: number;
  misses: number;
  /** Lookups of rendered variants and whole answers: a miss renders or serialises, reads nothing. */
  rendered: { hits: number; misses: number };
  evictions: number;
  generation: number;
}

export interface CompiledCache {
  /** Returns the cached value for `key`, or loads, stores and returns it. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** A value already stored under `key` by `put` (synchronous: for the hot path), or undefined. */
  peek<T>(key: string): T | undefined;
  /**
   * What `get(key, …)` would answer if its load has finished, synchronously; undefined (and no
   * miss counted: the `get` that follows counts it) while it loads or when nothing is stored.
   */
  ready<T>(key: string): T | undefined;
  /** Stores a value computed synchronously, `bytes` its approximate size, within the same bounds. */
  put<T>(key: string, value: T, bytes: number): void;
  clear(): void;
  stats(): CacheStats;
}

/** Compiled values are plain data (their bodies dominate): their JSON length is a fair size. */
function sizeOf(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

export default ({ strapi }: { strapi: Core.Strapi }): CompiledCache => {
  const limits = () => ({
    entries: strapi.config.get<number>('plugin::mosaic.cache.maxEntries', 1000),
    bytes: strapi.config.get<number>('plugin::mosaic.cache.maxBytes', 64 * 1024 * 1024),
  });
  /** `value`: a `get`'s load (a promise) or a `put`'s value; `settled` once either is usable. */
  type Entry = { value: unknown; bytes: number; sync?: true; settled?: { value: unknown } };
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let generation = 0;
  let hits = 0;
  let misses = 0;
  const rendered = { hits: 0, misses: 0 };
  let evictions = 0;
  /** Compiled values as they were before the last emptying, for a database outage. */
  const stale = new Map<string, { value: unknown; bytes: number }>();
  let staleBytes = 0;

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  }

  /** Marks `key` as the most recently used: Map order is recency order. */
  function touch(key: string, entry: Entry) {
    entries.delete(key);
    entries.set(key, entry);
  }

  function evict() {
    const { entries: maxEntries, bytes: maxBytes } = limits();
    // Map order is recency order: the first key is the least recently used.
    while (entries.size > maxEntries || (bytes > maxBytes && entries.size > 1)) {
      remove(entries.keys().next().value as string);
      evictions += 1;
    }
  }

  /** Keeps the compiled values being emptied, newest last, within the live bounds. */
  function keepStale() {
    for (const [key, entry] of entries) {
      if (!entry.settled || entry.sync) continue;
      staleBytes -= stale.get(key)?.bytes ?? 0;
      stale.delete(key);
      stale.set(key, { value: entry.settled.value, bytes: entry.bytes });
      staleBytes += entry.bytes;
    }
    const { entries: maxEntries, bytes: maxBytes } = limits();
    while (stale.size > maxEntries || (staleBytes > maxBytes && stale.size > 1)) {
      const oldest = stale.keys().next().value as string;
      staleBytes -= stale.get(oldest)!.bytes;
      stale.delete(oldest);
    }
  }

  const live: CompiledCache = {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const cached = entries.get(key);
      if (cached) {
        hits += 1;
        touch(key, cached);
        return cached.value as Promise<T>;
      }
      misses += 1;
      const started = generation;
      const entry: { value: Promise<unknown>; bytes: number; settled?: { value: unknown } } = {
        value: load(),
        bytes: 0,
      };
      entries.set(key, entry);
      try {
        const value = (await entry.value) as T;
        if (generation !== started || entries.get(key) !== entry) {
          if (entries.get(key) === entry) remove(key);
          return value;
        }
        entry.bytes = sizeOf(value);
        entry.settled = { value };
        bytes += entry.bytes;
        evict();
        return value;
      } catch (error) {
        if (entries.get(key) === entry) remove(key);
        throw error;
      }
    },
    peek<T>(key: string): T | undefined {
      const cached = entries.get(key);
      if (!cached?.sync) {
        rendered.misses += 1;
        return undefined;
      }
      rendered.hits += 1;
      touch(key, cached);
      return cached.value as T;
    },
    ready<T>(key: string): T | undefined {
      const cached = entries.get(key);
      if (!cached?.settled || cached.sync) return undefined;
      hits += 1;
      touch(key, cached);
      return cached.settled.value as T;
    },
    put<T>(key: string, value: T, size: number) {
      remove(key);
      entries.set(key, { value, bytes: size, sync: true });
      bytes += size;
      evict();
    },
    clear() {
      generation += 1;
      keepStale();
      entries.clear();
      bytes = 0;
    },
    stats() {
      return {
        entries: entries.size,
        bytes,
        hits,
        misses,
        rendered: { ...rendered },
        evictions,
        generation,
      };
    },
  };

  return {
    ...live,
    /** `live.get`, but a load the database cannot answer falls back on the value kept aside. */
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const faults = getService('faults', strapi);
      const kept = entries.has(key) ? undefined : stale.get(key);
      // Just after a connection failure, the database is not asked again for what is kept.
      if (kept && faults.down()) {
        faults.markStale();
        return kept.value as T;
      }
      try {
        return await live.get(key, load);
      } catch (error) {
        const fallback = stale.get(key);
        if (!fallback || !faults.failed(error)) throw error;
        faults.markStale();
        return fallback.value as T;
      }
    },
  };
};
