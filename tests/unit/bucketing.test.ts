/**
 * Experiment bucketing: the documented hash, the split by weight, stickiness, and how few
 * visitors move when variants are added or weights change (weighted rendezvous hashing).
 */
import fc from 'fast-check';

import {
  chooseVariant,
  experimentKeyOf,
  inHoldout,
  murmur3,
  unitInterval,
  type Variant,
} from '../../server/src/core/bucketing';

const VISITORS = 100_000;
const visitors = Array.from({ length: VISITORS }, (_, i) => `visitor-${i}-${(i * 7919) % 104729}`);
const KEY = experimentKeyOf('asset-doc-id', 'hero');

const computed = new Map<string, Array<string | null>>();
function assignments(variants: Variant[]) {
  const key = JSON.stringify(variants);
  if (!computed.has(key)) {
    computed.set(
      key,
      visitors.map((v) => {
        const index = chooseVariant(KEY, v, variants);
        return index === null ? null : variants[index].id;
      })
    );
  }
  return computed.get(key)!;
}

function shares(assigned: Array<string | null>) {
  const counts = new Map<string, number>();
  for (const id of assigned) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  return Object.fromEntries([...counts].map(([id, n]) => [id, n / assigned.length]));
}

describe('the hash', () => {
  // MurmurHash3 x86 32-bit verification values of the reference implementation (SMHasher), as
  // collected in https://stackoverflow.com/questions/14747343/murmurhash3-test-vectors
  it.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ])('murmur3(%j, seed %d) is the published value', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('maps every hash strictly inside (0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (h) => {
        const u = unitInterval(h);
        return u > 0 && u < 1 && Math.log(u) < 0;
      })
    );
    expect(unitInterval(0)).toBeGreaterThan(0);
    expect(unitInterval(0xffffffff)).toBeLessThan(1);
  });
});

describe('splitting visitors by weight', () => {
  it('splits 100,000 visitors within 1% of equal weights', () => {
    const split = shares(
      assignments([
        { id: 'a', weight: null },
        { id: 'b', weight: null },
      ])
    );
    expect(Math.abs(split.a - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(split.b - 0.5)).toBeLessThan(0.01);
  });

  it('splits 100,000 visitors within 1% of uneven weights', () => {
    const split = shares(
      assignments([
        { id: 'a', weight: 1 },
        { id: 'b', weight: 2 },
        { id: 'c', weight: 5 },
      ])
    );
    expect(Math.abs(split.a - 1 / 8)).toBeLessThan(0.01);
    expect(Math.abs(split.b - 2 / 8)).toBeLessThan(0.01);
    expect(Math.abs(split.c - 5 / 8)).toBeLessThan(0.01);
  });

  it('never gives a visitor a paused (weight 0) variant, and pauses all when all are 0', () => {
    expect(
      new Set(
        assignments([
          { id: 'a', weight: 0 },
          { id: 'b', weight: 1 },
        ])
      )
    ).toEqual(new Set(['b']));
    expect(chooseVariant(KEY, 'someone', [{ id: 'a', weight: 0 }])).toBeNull();
  });

  it('gives the same visitor the same variant, whatever the order the variants are listed in', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (key, visitor, ids, weights) => {
          const variants = ids.map((id, i) => ({ id, weight: weights[i] }));
          const first = chooseVariant(key, visitor, variants)!;
          const again = chooseVariant(key, visitor, variants)!;
          const reversed = [...variants].reverse();
          const fromReversed = chooseVariant(key, visitor, reversed)!;
          return first === again && variants[first].id === reversed[fromReversed].id;
        }
      )
    );
  });

  it('buckets independently per experiment', () => {
    const variants = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ];
    const other = experimentKeyOf('asset-doc-id', 'cta');
    let same = 0;
    for (const v of visitors.slice(0, 20000)) {
      if (chooseVariant(KEY, v, variants) === chooseVariant(other, v, variants)) same += 1;
    }
    expect(Math.abs(same / 20000 - 0.5)).toBeLessThan(0.02);
  });
});

describe('moving as few visitors as possible', () => {
  it('keeps the visitors of the first two variants where they were when a third is added', () => {
    const before = assignments([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ]);
    const after = assignments([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ]);
    let stayed = 0;
    let swapped = 0;
    before.forEach((was, i) => {
      if (after[i] === was) stayed += 1;
      else if (after[i] !== 'c') swapped += 1;
    });
    // Only the new variant's third moves; no one moves between the first two.
    expect(swapped).toBe(0);
    expect(stayed / VISITORS).toBeGreaterThan(0.6);
    expect(Math.abs(stayed / VISITORS - 2 / 3)).toBeLessThan(0.01);
  });

  it('moves only the minimal share when a weight changes, and only towards that variant', () => {
    // 50/50 to 25/75: at least a quarter of the visitors must move; no more should.
    const before = assignments([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ]);
    const after = assignments([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 3 },
    ]);
    let moved = 0;
    let movedAway = 0;
    before.forEach((was, i) => {
      if (after[i] === was) return;
      moved += 1;
      if (after[i] !== 'b') movedAway += 1;
    });
    expect(movedAway).toBe(0);
    expect(Math.abs(moved / VISITORS - 0.25)).toBeLessThan(0.01);
  });
});

describe('the holdout', () => {
  it('keeps out the configured share of visitors, the same ones every time', () => {
    const held = visitors.filter((v) => inHoldout(KEY, v, 10));
    expect(Math.abs(held.length / VISITORS - 0.1)).toBeLessThan(0.01);
    expect(visitors.filter((v) => inHoldout(KEY, v, 10))).toEqual(held);
    expect(visitors.some((v) => inHoldout(KEY, v, 0))).toBe(false);
    expect(visitors.every((v) => inHoldout(KEY, v, 100))).toBe(true);
  });

  it('is decided apart from the variant: the holdout takes evenly from every variant', () => {
    const variants = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ];
    const held = visitors.filter((v) => inHoldout(KEY, v, 20));
    const split = shares(held.map((v) => variants[chooseVariant(KEY, v, variants)!].id));
    expect(Math.abs(split.a - 0.5)).toBeLessThan(0.02);
  });

  it('grows by keeping its earlier members when the percentage grows', () => {
    const left = visitors.filter((v) => inHoldout(KEY, v, 5) && !inHoldout(KEY, v, 15));
    expect(left).toEqual([]);
  });
});
