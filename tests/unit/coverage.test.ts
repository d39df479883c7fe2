import fc from 'fast-check';

import type { CompiledChunk, CompiledSlot } from '../../server/src/core/assembly';
import { coverage, satisfiable } from '../../server/src/core/coverage';
import { compileRule } from '../../server/src/core/rules';
import { CONTEXT_FIELDS } from '../../server/src/core/types';
import { chunkSlot, compiledAsset, compiledChunk as chunk, NOW } from './fixtures';

const RULES = new Map<string, unknown>([
  ['twitter', { utm: { source: { $eqi: 'twitter' } } }],
  ['dach', { geo: { country: { $in: ['DE', 'AT', 'CH'] } } }],
  ['marketers-only', { persona: { $eq: 'marketer' } }],
  ['never', { $and: [{ time: { hour: { $gt: 20 } } }, { time: { hour: { $lt: 5 } } }] }],
]);

function asset(slots: Array<Pick<CompiledSlot, 'key' | 'mode'> & { chunks: CompiledChunk[] }>) {
  return compiledAsset(
    slots.map(({ key, mode, chunks }) => chunkSlot(key, mode, chunks)),
    [...RULES].map(([slug, rule]) => ({ slug, rule }))
  );
}

describe('coverage of an asset', () => {
  const home = asset([
    {
      key: 'hero',
      mode: 'first',
      chunks: [
        chunk('hero-dev', { personas: ['developer'] }),
        chunk('hero-twitter', { segments: ['twitter'] }),
        chunk('hero-default'),
      ],
    },
    { key: 'cta', mode: 'first', chunks: [chunk('cta-default')] },
  ]);

  it('shows which persona × segment readers get only the default', () => {
    const report = coverage(home, ['developer', 'marketer'], RULES, NOW);
    expect(report.personas).toEqual([null, 'developer', 'marketer']);
    expect(report.segments).toEqual([null, 'dach', 'marketers-only', 'never', 'twitter']);
    const cell = (persona: string | null, segment: string | null) =>
      report.cells.find((c) => c.persona === persona && c.segment === segment)!;
    expect(cell(null, null)).toEqual({
      persona: null,
      segment: null,
      defaultOnly: true,
      slots: { hero: ['hero-default'], cta: ['cta-default'] },
    });
    expect(cell('developer', null).slots.hero).toEqual(['hero-dev']);
    expect(cell('developer', null).defaultOnly).toBe(false);
    expect(cell('marketer', 'twitter').slots.hero).toEqual(['hero-twitter']);
    expect(cell('marketer', 'dach').defaultOnly).toBe(true);
    expect(report.cells).toHaveLength(3 * 5);
  });

  it('finds candidates no reader can reach, and says why', () => {
    const report = coverage(
      asset([
        {
          key: 'hero',
          mode: 'first',
          chunks: [
            chunk('hero-dev-marketing', { personas: ['developer'], segments: ['marketers-only'] }),
            chunk('hero-night', { segments: ['never'] }),
            chunk('hero-old', { availableUntil: Date.parse('2026-01-01T00:00:00Z') }),
            chunk('hero-dev', { personas: ['developer'] }),
            chunk('hero-dev-twitter', { personas: ['developer'], segments: ['twitter'] }),
            chunk('hero-default'),
            chunk('hero-late'),
          ],
        },
        { key: 'all', mode: 'all', chunks: [chunk('a'), chunk('b')] },
      ]),
      ['developer'],
      RULES,
      NOW
    );
    expect(report.unreachable.map(({ candidate, reason }) => [candidate, reason])).toEqual([
      ['hero-dev-marketing', 'contradiction'],
      ['hero-night', 'contradiction'],
      ['hero-old', 'expired'],
      ['hero-dev-twitter', 'shadowed'],
      ['hero-late', 'shadowed'],
    ]);
    expect(report.unreachable[0].message).toBe(
      "'hero-dev-marketing': segment marketers-only can never match for persona developer"
    );
    expect(report.unreachable[4].message).toContain("untagged 'hero-default'");
  });
});

describe('whether a segment rule can ever hold', () => {
  it('sees contradictions between conditions on one field', () => {
    expect(satisfiable({ geo: { country: { $eq: 'DE', $ne: 'DE' } } })).toBe(false);
    expect(satisfiable({ geo: { country: { $in: ['DE'], $notIn: ['DE', 'FR'] } } })).toBe(false);
    expect(satisfiable({ visitor: { visits: { $between: [5, 2] } } })).toBe(false);
    expect(satisfiable({ time: { hour: { $gte: 24 } } })).toBe(false);
    expect(satisfiable({ geo: { country: { $null: true, $eq: 'DE' } } })).toBe(false);
    expect(satisfiable({ $or: [{ geo: { country: { $in: [] } } }, { time: { hour: 25 } }] })).toBe(
      false
    );
  });

  it('takes what it cannot decide as satisfiable', () => {
    expect(satisfiable({ $not: { geo: { country: 'DE' } } })).toBe(true);
    expect(satisfiable({ $event: { name: 'purchase', $gte: 1 } })).toBe(true);
    expect(satisfiable({ traits: { plan: { $gt: 10, $lt: 9 } } })).toBe(true);
    expect(satisfiable({ geo: { country: { $containsi: 'd', $eq: 'DE' } } })).toBe(true);
  });

  it('never calls unsatisfiable a rule some context matches', () => {
    const value = fc.constantFrom('DE', 'FR', 'US', 1, 5, 12, 23);
    const condition = fc.oneof(
      fc.record({ $eq: value }),
      fc.record({ $ne: value }),
      fc.record({ $in: fc.array(value, { maxLength: 3 }) }),
      fc.record({ $notIn: fc.array(value, { maxLength: 3 }) }),
      fc.record({ $gt: value }),
      fc.record({ $lte: value }),
      fc.record({ $null: fc.boolean() })
    );
    const field = fc.constantFrom('geo.country', 'time.hour', 'traits.plan');
    const leaf = fc.tuple(field, condition).map(([path, cond]) => {
      const [a, b] = path.split('.');
      return { [a]: { [b]: cond } };
    });
    const rule = fc.oneof(
      fc.array(leaf, { minLength: 1, maxLength: 3 }).map((rules) => ({ $and: rules })),
      fc.array(leaf, { minLength: 1, maxLength: 3 }).map((rules) => ({ $or: rules }))
    );
    const context = fc.record(
      {
        geo: fc.record({ country: value }, { requiredKeys: [] }),
        time: fc.record({
          hour: fc.integer({ min: 0, max: 23 }),
          weekday: fc.constant(1),
          date: fc.constant('2026-06-01'),
        }),
        traits: fc.record({ plan: value }, { requiredKeys: [] }),
      },
      { requiredKeys: ['time'] }
    );
    fc.assert(
      fc.property(rule, context, (r, ctx) => {
        const compiled = compileRule(r, undefined, CONTEXT_FIELDS);
        if (compiled.test(ctx as never, NOW)) expect(satisfiable(r)).toBe(true);
      }),
      { numRuns: 2000 }
    );
  });
});
