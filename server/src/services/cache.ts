/**
 * The compiled-content cache: an LRU of compiled assets, chunks and lookups, bounded in entries
 * and in (approximate) bytes, emptied when any Mosaic content (or the set of locales) changes. A
 * generation counter keeps a load that raced with a change from storing what it read before it.
 * Lookups that found nothing (a `null`, such as an unknown slug's) are remembered apart, in a
 * small map of their own: anyone can ask for endless unknown slugs, and they must not cost real
 * content its place. Loads in flight are kept apart too, for the same reason. What an emptying
 * drops is kept aside, within the same bounds, and served (flagged) when its load fails because
 * the database is unreachable: stale-if-error.
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
  /**
   * Returns the cached value for `key`, or loads, stores and returns it; concurrent calls share
   * one load. `null` means nothing there: it is remembered, but never at real content's expense.
   */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** A value already stored under `key` by `put` (synchronous: for the hot path), or undefined. */
  peek<T>(key: string): T | undefined;
  /**
   * What `get(key, …)` would answer if its load has finished, synchronously; undefined (and no
   * miss counted: the `get` that follows counts it) while it loads or when nothing is stored
   * (a remembered `null` included: the `get` that follows answers it without a read).
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
  type Entry = { value: unknown; bytes: number };
  /**
   * Two recency orders (Map order: the first key is the least recently used) under one bound:
   * what `get` loaded (a database read to get back) and what `put` stored (rendered without one).
   * A request chooses how many renderings it causes (`?utm_campaign=…` into a merge field), so
   * renderings are evicted first and can never push compiled content out.
   */
  const compiled = new Map<string, Entry>();
  const renders = new Map<string, Entry>();
  /** Loads in flight, by key: shared by concurrent `get`s, stored once settled. */
  const loading = new Map<string, Promise<unknown>>();
  /** Keys whose load found nothing, oldest first; bounded on its own. */
  const absent = new Set<string>();
  const MAX_ABSENT = 256;
  let bytes = 0;
  let generation = 0;
  let hits = 0;
  let misses = 0;
  const rendered = { hits: 0, misses: 0 };
  let evictions = 0;
  /** Compiled values as they were before the last emptying, for a database outage. */
  const stale = new Map<string, Entry>();
  let staleBytes = 0;

  function remove(map: Map<string, Entry>, key: string) {
    const entry = map.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    map.delete(key);
  }

  function store(map: Map<string, Entry>, key: string, entry: Entry) {
    remove(compiled, key);
    remove(renders, key);
    absent.delete(key);
    map.set(key, entry);
    bytes += entry.bytes;
    evict();
  }

  /** Marks `key` as the most recently used of its map. */
  function touch(map: Map<string, Entry>, key: string, entry: Entry) {
    map.delete(key);
    map.set(key, entry);
  }

  function evict() {
    const { entries: maxEntries, bytes: maxBytes } = limits();
    const size = () => compiled.size + renders.size;
    while (size() > maxEntries || (bytes > maxBytes && size() > 1)) {
      const map = renders.size ? renders : compiled;
      remove(map, map.keys().next().value as string);
      evictions += 1;
    }
  }

  /** Keeps the compiled values being emptied, newest last, within the live bounds. */
  function keepStale() {
    for (const [key, entry] of compiled) {
      staleBytes -= stale.get(key)?.bytes ?? 0;
      stale.delete(key);
      stale.set(key, entry);
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
      const cached = compiled.get(key);
      if (cached) {
        hits += 1;
        touch(compiled, key, cached);
        return cached.value as T;
      }
      if (absent.has(key)) {
        hits += 1;
        return null as T;
      }
      const inFlight = loading.get(key);
      if (inFlight) {
        hits += 1;
        return inFlight as Promise<T>;
      }
      misses += 1;
      const started = generation;
      const promise = load();
      loading.set(key, promise);
      try {
        const value = await promise;
        if (loading.get(key) !== promise || generation !== started) return value;
        if (value === null) {
          absent.add(key);
          if (absent.size > MAX_ABSENT) absent.delete(absent.values().next().value as string);
        } else {
          store(compiled, key, { value, bytes: sizeOf(value) });
        }
        return value;
      } finally {
        if (loading.get(key) === promise) loading.delete(key);
      }
    },
    peek<T>(key: string): T | undefined {
      const cached = renders.get(key);
      if (!cached) {
        rendered.misses += 1;
        return undefined;
      }
      rendered.hits += 1;
      touch(renders, key, cached);
      return cached.value as T;
    },
    ready<T>(key: string): T | undefined {
      const cached = compiled.get(key);
      if (!cached) return undefined;
      hits += 1;
      touch(compiled, key, cached);
      return cached.value as T;
    },
    put<T>(key: string, value: T, size: number) {
      store(renders, key, { value, bytes: size });
    },
    clear() {
      generation += 1;
      keepStale();
      compiled.clear();
      renders.clear();
      loading.clear();
      absent.clear();
      bytes = 0;
    },
    stats() {
      return {
        entries: compiled.size + renders.size,
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
      const kept = compiled.has(key) ? undefined : stale.get(key);
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
