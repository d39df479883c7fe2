/**
 * `experiment` slots in the core: who gets which variant, the holdout, visitors without an id,
 * what explain and the variant key say; and the checks an experiment slot must pass on save.
 */
import fc from 'fast-check';

import {
  resolveAsset,
  type CompiledAsset,
  type CompiledCandidate,
} from '../../server/src/core/assembly';
import { deliverAssembly } from '../../server/src/core/delivery';
import { validateExperimentSlots } from '../../server/src/core/slots';
import {
  chunkCandidate as candidate,
  compiledAsset,
  compiledChunk as chunk,
  NOW,
} from './fixtures';

function page(candidates: CompiledCandidate[], holdout = 0): CompiledAsset {
  return compiledAsset(
    [{ key: 'hero', mode: 'experiment', limit: null, holdout, candidates }],
    [{ slug: 'germany', priority: 10, rule: { geo: { country: 'DE' } } }]
  );
}

const served = (asset: CompiledAsset, visitor: string | null, ctx = {}) =>
  resolveAsset(asset, ctx, NOW, visitor);

const a = chunk('offer-a');
const b = chunk('offer-b');
const c = chunk('offer-c');

describe('an experiment slot', () => {
  const ab = page([candidate(a), candidate(b)]);

  it('serves each visitor one variant, the same one every time, and names it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), (visitor) => {
        const first = served(ab, visitor);
        const again = served(ab, visitor);
        const [experiment] = first.experiments;
        return (
          first.slots[0].chunks.length === 1 &&
          experiment.variant === first.slots[0].chunks[0].documentId &&
          again.slots[0].chunks[0].documentId === experiment.variant &&
          experiment.key === 'doc-home:hero' &&
          experiment.bucketed &&
          !experiment.holdout
        );
      })
    );
  });

  it('splits visitors between its variants', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) seen.add(served(ab, `visitor-${i}`).experiments[0].variant);
    expect(seen).toEqual(new Set([a.documentId, b.documentId]));
  });

  it('gives a visitor without an id the first eligible candidate, not bucketed', () => {
    const resolution = served(ab, null);
    expect(resolution.slots[0].chunks.map((x) => x.slug)).toEqual(['offer-a']);
    expect(resolution.experiments).toEqual([
      {
        key: 'doc-home:hero',
        asset: 'doc-home',
        slot: 'hero',
        variant: a.documentId,
        holdout: false,
        bucketed: false,
      },
    ]);
  });

  it('gives the holdout the first eligible candidate and says so', () => {
    const all = page([candidate(a), candidate(b)], 100);
    for (let i = 0; i < 50; i += 1) {
      const [experiment] = served(all, `visitor-${i}`).experiments;
      expect(experiment).toMatchObject({ variant: a.documentId, holdout: true, bucketed: true });
    }
  });

  it('splits only among eligible candidates', () => {
    const tagged = page([
      candidate(chunk('offer-de', { segments: ['germany'] })),
      candidate(b),
      candidate(c),
    ]);
    for (let i = 0; i < 100; i += 1) {
      expect(served(tagged, `visitor-${i}`).experiments[0].variant).not.toBe('doc-offer-de');
    }
  });

  it('serves the control to everyone while every weight is 0 (paused)', () => {
    const paused = page([candidate(a, 0), candidate(b, 0)]);
    expect(served(paused, 'visitor-123').experiments[0]).toMatchObject({
      variant: a.documentId,
      bucketed: false,
    });
  });

  it('explains the experiment on its slot', () => {
    const resolution = served(ab, 'visitor-explained');
    expect(resolution.explain[0].experiment).toEqual(resolution.experiments[0]);
    const chosen = resolution.explain[0].candidates.filter((x) => x.chosen);
    expect(chosen.map((x) => x.documentId)).toEqual([resolution.experiments[0].variant]);
  });

  it('gives a holdout answer a different variant key from the same content in the test', () => {
    const inTest = page([candidate(a), candidate(b)]);
    const held = page([candidate(a), candidate(b)], 100);
    const visitor = Array.from({ length: 100 }, (_, i) => `visitor-${i}`).find(
      (v) => served(inTest, v).experiments[0].variant === a.documentId
    )!;
    const key = (asset: CompiledAsset) =>
      deliverAssembly(asset, served(asset, visitor), 'json', {}).variantKey;
    expect(key(inTest)).not.toBe(key(held));
  });

  it('counts only the experiments inside the nested asset actually served', () => {
    const nested = { ...page([candidate(a), candidate(b)]), documentId: 'doc-nested' };
    const outer: CompiledAsset = {
      ...page([]),
      slots: [
        {
          key: 'body',
          mode: 'first',
          limit: null,
          candidates: [candidate(c), { kind: 'asset', ref: 'doc-nested', asset: nested }],
        },
      ],
    };
    expect(served(outer, 'visitor-1').experiments).toEqual([]);
    outer.slots[0].candidates.reverse();
    expect(served(outer, 'visitor-1').experiments).toMatchObject([{ key: 'doc-nested:hero' }]);
  });
});

describe('saving an experiment slot', () => {
  const ok = {
    key: 'hero',
    mode: 'experiment',
    holdout: 10,
    candidates: [{ weight: 1 }, { weight: 2.5 }],
  };

  it('accepts weights of 0 or more, a holdout from 0 to 100, two candidates or more', () => {
    expect(validateExperimentSlots([ok])).toEqual([]);
    expect(
      validateExperimentSlots([{ ...ok, holdout: null, candidates: [{}, { weight: '0' }] }])
    ).toEqual([]);
  });

  it.each([
    [
      { ...ok, candidates: [{ weight: -1 }, { weight: 1 }] },
      ['slots', '0', 'candidates', '0', 'weight'],
    ],
    [
      { ...ok, candidates: [{ weight: 1 }, { weight: 'heavy' }] },
      ['slots', '0', 'candidates', '1', 'weight'],
    ],
    [{ ...ok, holdout: 101 }, ['slots', '0', 'holdout']],
    [{ ...ok, holdout: -5 }, ['slots', '0', 'holdout']],
    [{ ...ok, holdout: 12.5 }, ['slots', '0', 'holdout']],
    [{ ...ok, candidates: [{ weight: 1 }] }, ['slots', '0', 'candidates']],
  ])('refuses %j with the path of the fault', (slot, path) => {
    const issues = validateExperimentSlots([slot]);
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0].message).toMatch(/slot 'hero'/);
  });

  it('lets a slot in another mode keep a single candidate', () => {
    expect(validateExperimentSlots([{ key: 'cta', mode: 'first', candidates: [{}] }])).toEqual([]);
  });
});
