/**
 * The compiled-content cache: a bounded LRU of compiled assets, chunks and lookups, emptied when
 * any Mosaic content (or the set of locales) changes. A generation counter keeps a load that raced
 * with a change from storing what it read before the change.
 */
import type { Core } from '@strapi/strapi';

export interface CompiledCache {
  /** Returns the cached value for `key`, or loads, stores and returns it. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
  stats(): { entries: number; hits: number; misses: number; generation: number };
}

export default ({ strapi }: { strapi: Core.Strapi }): CompiledCache => {
  const maxEntries = strapi.config.get<number>('plugin::mosaic.cache.maxEntries', 1000);
  const entries = new Map<string, Promise<unknown>>();
  let generation = 0;
  let hits = 0;
  let misses = 0;

  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const cached = entries.get(key);
      if (cached) {
        hits += 1;
        // Re-insert so that Map order is recency order.
        entries.delete(key);
        entries.set(key, cached);
        return cached as Promise<T>;
      }
      misses += 1;
      const started = generation;
      const pending = load();
      entries.set(key, pending);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      try {
        const value = await pending;
        if (generation !== started && entries.get(key) === pending) entries.delete(key);
        return value;
      } catch (error) {
        if (entries.get(key) === pending) entries.delete(key);
        throw error;
      }
    },
    clear() {
      generation += 1;
      entries.clear();
    },
    stats() {
      return { entries: entries.size, hits, misses, generation };
    },
  };
};
