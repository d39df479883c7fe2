import fc from 'fast-check';

import {
  resolveAsset,
  type CompiledAsset,
  type CompiledChunk,
} from '../../server/src/core/assembly';
import { deliverAssembly } from '../../server/src/core/delivery';
import type { Context } from '../../server/src/core/types';
import {
  chunkSlot as slot,
  compiledAsset,
  compiledChunk,
  NOW,
  paragraph,
  type SegmentFixture,
} from './fixtures';

/** Chunks greet the reader by name, so that merge values change what is delivered. */
const chunk = (slug: string, fields: Partial<CompiledChunk> = {}) =>
  compiledChunk(slug, {
    body: paragraph(`Hello from ${slug}, {{traits.firstName|friend}}`),
    ...fields,
  });

const SEGMENTS: SegmentFixture[] = [
  { slug: 'from-twitter', priority: 20, rule: { utm: { source: 'twitter' } } },
  { slug: 'germany', priority: 10, rule: { geo: { country: 'DE' } } },
];

const asset = (slots: CompiledAsset['slots']) => compiledAsset(slots, SEGMENTS);

const hero = [
  chunk('hero-developer', { personas: ['developer'] }),
  chunk('hero-twitter', { segments: ['from-twitter'] }),
  chunk('hero-germany', { segments: ['germany'] }),
  chunk('hero-default'),
];

const chosen = (a: CompiledAsset, ctx: Context) =>
  resolveAsset(a, ctx, NOW).slots.map((s) => s.chunks.map((c) => c.slug));

describe('selection', () => {
  const home = asset([slot('hero', 'first', hero)]);

  it('gives the first eligible candidate in editor order in first mode', () => {
    expect(chosen(home, {})).toEqual([['hero-default']]);
    expect(chosen(home, { persona: 'developer', utm: { source: 'twitter' } })).toEqual([
      ['hero-developer'],
    ]);
    expect(chosen(home, { utm: { source: 'twitter' }, geo: { country: 'DE' } })).toEqual([
      ['hero-twitter'],
    ]);
    expect(chosen(home, { geo: { country: 'DE' } })).toEqual([['hero-germany']]);
  });

  it('gives every eligible candidate up to the limit in all mode', () => {
    const all = asset([slot('features', 'all', hero, 2)]);
    expect(chosen(all, { geo: { country: 'DE' } })).toEqual([['hero-germany', 'hero-default']]);
    expect(chosen(all, { geo: { country: 'DE' }, utm: { source: 'twitter' } })).toEqual([
      ['hero-twitter', 'hero-germany'],
    ]);
  });

  it('prefers the higher segment priority in best mode, ties to editor order', () => {
    const best = asset([slot('hero', 'best', [hero[2], hero[1], hero[3]])]);
    expect(chosen(best, { geo: { country: 'DE' }, utm: { source: 'twitter' } })).toEqual([
      ['hero-twitter'],
    ]);
    expect(chosen(best, {})).toEqual([['hero-default']]);
  });

  it('lets the visitor’s affinity decide between equally ranked candidates in best mode', () => {
    const best = asset([
      slot('feature', 'best', [
        chunk('feature-campaigns', { personas: [], tags: ['campaigns'] }),
        chunk('feature-api', { personas: [], tags: ['api'] }),
      ]),
    ]);
    expect(chosen(best, {})).toEqual([['feature-campaigns']]);
    expect(chosen(best, { affinity: { tags: { api: 0.6, campaigns: 0.1 } } })).toEqual([
      ['feature-api'],
    ]);
  });

  it('skips chunks outside their schedule window', () => {
    const scheduled = asset([
      slot('hero', 'first', [
        chunk('launch', { availableFrom: NOW + 1000 }),
        chunk('expired', { availableUntil: NOW - 1 }),
        chunk('now'),
      ]),
    ]);
    expect(chosen(scheduled, {})).toEqual([['now']]);
  });

  it('returns an empty slot, not an error, when nothing is eligible', () => {
    const only = asset([slot('hero', 'first', [hero[0]])]);
    expect(chosen(only, {})).toEqual([[]]);
  });

  it('resolves a nested asset into the slot and refuses a cycle', () => {
    const footer = asset([slot('signature', 'first', [chunk('signature')])]);
    const page = asset([
      {
        key: 'footer',
        mode: 'first',
        limit: null,
        candidates: [
          { kind: 'asset', ref: 'doc-self', asset: null, refused: 'cycle' },
          { kind: 'asset', ref: 'doc-footer', asset: footer },
        ],
      },
    ]);
    const resolution = resolveAsset(page, {}, NOW);
    expect(resolution.slots[0].chunks.map((c) => c.slug)).toEqual(['signature']);
    expect(resolution.explain[0].candidates.map((c) => c.reason)).toEqual(['cycle', 'eligible']);
  });

  it('evaluates only the segments the candidates reference, once each', () => {
    const resolution = resolveAsset(
      asset([slot('a', 'all', hero), slot('b', 'all', hero)]),
      {},
      NOW
    );
    expect(resolution.evaluatedSegments).toEqual([
      { slug: 'from-twitter', matched: false },
      { slug: 'germany', matched: false },
    ]);
    expect([...resolution.fieldsRead].sort()).toEqual(['geo', 'utm']);
  });
});

const contexts = fc.record(
  {
    persona: fc.constantFrom('developer', 'marketer'),
    utm: fc.record({ source: fc.constantFrom('twitter', 'newsletter') }),
    geo: fc.record({ country: fc.constantFrom('DE', 'US', 'FR') }),
    traits: fc.record({ firstName: fc.string() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] }
);

describe('variant keys', () => {
  const home = asset([slot('hero', 'first', hero), slot('rest', 'all', hero, 3)]);
  const key = (ctx: Context, format: 'json' | 'html' = 'html') =>
    deliverAssembly(home, resolveAsset(home, ctx, NOW), format, ctx);

  it('are the same for the same context, every time', () => {
    fc.assert(
      fc.property(contexts, (ctx) => {
        expect(key(structuredClone(ctx)).variantKey).toBe(key(structuredClone(ctx)).variantKey);
      })
    );
  });

  it('are equal only when the delivered bodies are equal', () => {
    fc.assert(
      fc.property(
        contexts,
        contexts,
        fc.constantFrom('json', 'html') as fc.Arbitrary<'json' | 'html'>,
        (a, b, format) => {
          const x = key(a, format);
          const y = key(b, format);
          if (x.variantKey === y.variantKey) expect(x.slots).toEqual(y.slots);
          else expect(x.slots).not.toEqual(y.slots);
        }
      )
    );
  });
});
