/**
 * The profile cache's invariant (server/src/services/profile-cache.ts), over any interleaving of
 * loads (each reading the store at some moment and answering later), serialised group commits
 * applied in place, and overlapping writes that drop (traits, erasure): whatever it holds is
 * what the store holds.
 */
import fc from 'fast-check';

import { ProfileCache } from '../../server/src/services/profile-cache';

type Step =
  | { kind: 'load'; h: number }
  | { kind: 'read'; i: number }
  | { kind: 'finish'; i: number }
  | { kind: 'commit'; h: number }
  | { kind: 'beginDropWrite'; h: number }
  | { kind: 'endDropWrite'; i: number }
  | { kind: 'drop'; h: number };

const HASHES = 3;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('load' as const), h: fc.nat(HASHES - 1) }),
  fc.record({ kind: fc.constant('read' as const), i: fc.nat(20) }),
  fc.record({ kind: fc.constant('finish' as const), i: fc.nat(20) }),
  fc.record({ kind: fc.constant('commit' as const), h: fc.nat(HASHES - 1) }),
  fc.record({ kind: fc.constant('beginDropWrite' as const), h: fc.nat(HASHES - 1) }),
  fc.record({ kind: fc.constant('endDropWrite' as const), i: fc.nat(20) }),
  fc.record({ kind: fc.constant('drop' as const), h: fc.nat(HASHES - 1) })
);

const flush = () => new Promise((resolve) => setImmediate(resolve));

interface PendingLoad {
  h: string;
  read: number | null;
  resolve: (value: number) => void;
}

it('holds only what the store holds, whatever the interleaving', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
      const limits = () => ({ maxEntries: 100, maxBytes: 1 << 20, ttlMs: 60000 });
      const cache = new ProfileCache<number>(limits);
      const store = new Map<string, number>();
      const loads: PendingLoad[] = [];
      const dropWrites: string[] = [];
      const key = (h: number) => `h${h}`;

      for (const s of steps) {
        switch (s.kind) {
          case 'load': {
            const h = key(s.h);
            void cache.get(
              h,
              () => new Promise<number>((resolve) => loads.push({ h, read: null, resolve }))
            );
            break;
          }
          case 'read': {
            const unread = loads.filter((l) => l.read === null);
            const load = unread[s.i % Math.max(1, unread.length)];
            if (load) load.read = store.get(load.h) ?? 0;
            break;
          }
          case 'finish': {
            const read = loads.filter((l) => l.read !== null);
            const load = read[s.i % Math.max(1, read.length)];
            if (load) {
              loads.splice(loads.indexOf(load), 1);
              load.resolve(load.read!);
            }
            break;
          }
          case 'commit': {
            // A group commit: begun, written, applied in place; one at a time, as the queue runs.
            const h = key(s.h);
            cache.beginWrite([h]);
            await flush();
            store.set(h, (store.get(h) ?? 0) + 1);
            cache.endWrite([h], (_hash, value) => value + 1);
            break;
          }
          case 'beginDropWrite': {
            const h = key(s.h);
            cache.beginWrite([h]);
            dropWrites.push(h);
            store.set(h, (store.get(h) ?? 0) + 10);
            break;
          }
          case 'endDropWrite': {
            const [h] = dropWrites.splice(s.i % Math.max(1, dropWrites.length), 1);
            if (h) cache.endWrite([h]);
            break;
          }
          case 'drop':
            cache.drop([key(s.h)]);
            break;
        }
        await flush();
        for (let h = 0; h < HASHES; h++) {
          // Peeking (the resolve's path without a pause) never loads and serves only what is held.
          if (!cache.has(key(h))) {
            expect([key(h), cache.peek(key(h))]).toEqual([key(h), undefined]);
            continue;
          }
          // An open drop write may have changed the store already: nothing is promised until it ends.
          if (dropWrites.includes(key(h))) continue;
          const held = await cache.get(key(h), () => Promise.reject(new Error('not cached')));
          expect([key(h), held]).toEqual([key(h), store.get(key(h)) ?? 0]);
          expect([key(h), cache.peek(key(h))]).toEqual([key(h), held]);
        }
      }
    }),
    { numRuns: 300 }
  );
});
