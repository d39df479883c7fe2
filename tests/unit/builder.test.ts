import fc from 'fast-check';

import type { EditorCandidate, EditorSlot } from '../../contracts/admin';
import {
  addCandidates,
  addSlot,
  diffAsset,
  errorsAt,
  freshSlotKey,
  generalErrors,
  isDirty,
  modeForKey,
  move,
  moveCandidate,
  moveDefaultLast,
  personalisedCandidates,
  removeCandidate,
  removeSlot,
  setWeight,
  slotErrors,
  slotLevelErrors,
  suggestSlot,
  toSaveBody,
  updateSlot,
  validationHints,
  withSlotIds,
  type BuilderSlot,
} from '../../admin/src/utils/builder';

const chunk = (slug: string, tags: Partial<EditorCandidate> = {}): EditorCandidate => ({
  type: 'chunk',
  documentId: `doc-${slug}`,
  slug,
  title: slug,
  personas: [],
  segments: [],
  tags: [],
  ...tags,
});

const slot = (
  key: string,
  candidates: EditorCandidate[] = [],
  mode: EditorSlot['mode'] = 'first'
) => ({ key, mode, limit: null, candidates }) as EditorSlot;

describe('reordering candidates', () => {
  it('moves a candidate down and up within its slot', () => {
    const slots = [slot('hero', [chunk('a'), chunk('b'), chunk('c')])];
    const down = moveCandidate(slots, 0, 0, 2);
    expect(down[0].candidates.map((c) => c.slug)).toEqual(['b', 'c', 'a']);
    expect(moveCandidate(down, 0, 2, 0)[0].candidates.map((c) => c.slug)).toEqual(['a', 'b', 'c']);
  });

  it('leaves the slots untouched when a move falls outside the list (a keyboard press at the edge)', () => {
    const slots = [slot('hero', [chunk('a'), chunk('b')])];
    expect(moveCandidate(slots, 0, 0, -1)).toBe(slots);
    expect(moveCandidate(slots, 0, 1, 2)).toBe(slots);
    expect(moveCandidate(slots, 3, 0, 1)).toBe(slots);
  });

  it('keeps every candidate exactly once, whatever the move', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 12 }),
        fc.nat(15),
        fc.nat(15),
        (list, from, to) => {
          const moved = move(list, from, to);
          expect([...moved].sort()).toEqual([...list].sort());
          if (from < list.length && to < list.length) expect(moved[to]).toBe(list[from]);
        }
      )
    );
  });
});

describe('slots', () => {
  it('adds slots with keys not used yet', () => {
    let slots: BuilderSlot[] = [];
    slots = addSlot(addSlot(addSlot(slots)));
    expect(slots.map((s) => s.key)).toEqual(['slot', 'slot-2', 'slot-3']);
    expect(freshSlotKey(removeSlot(slots, 1))).toBe('slot-2');
  });

  it('keeps each slot its own id, whatever the editor does to it or to the others', () => {
    // Cards are keyed by these ids: a slot whose id changed, or took another's, would show the
    // wrong card's state (a lifted candidate, the focus) after a rename or a removal.
    const edit = fc.oneof(
      fc.constant({ op: 'add' as const }),
      fc.record({ op: fc.constant('remove' as const), at: fc.nat(5) }),
      fc.record({ op: fc.constant('rename' as const), at: fc.nat(5), key: fc.string() }),
      fc.record({ op: fc.constant('mode' as const), at: fc.nat(5) }),
      fc.record({ op: fc.constant('candidates' as const), at: fc.nat(5) })
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), (edits) => {
        let slots: BuilderSlot[] = [];
        for (const e of edits) {
          const before = slots.map((s) => s.id);
          if (e.op === 'add') {
            slots = addSlot(slots);
            expect(slots.slice(0, -1).map((s) => s.id)).toEqual(before);
            expect(before).not.toContain(slots[slots.length - 1].id);
            continue;
          }
          if (e.op === 'remove') {
            slots = removeSlot(slots, e.at);
            expect(slots.map((s) => s.id)).toEqual(before.filter((_, i) => i !== e.at));
            continue;
          }
          if (e.op === 'rename') slots = updateSlot(slots, e.at, { key: e.key });
          if (e.op === 'mode') slots = updateSlot(slots, e.at, { mode: 'all', limit: 2 });
          if (e.op === 'candidates') {
            slots = addCandidates(slots, e.at, [chunk('a'), chunk('b')]);
            slots = setWeight(moveCandidate(slots, e.at, 0, 1), e.at, 0, 3);
            slots = removeCandidate(slots, e.at, 1);
          }
          expect(slots.map((s) => s.id)).toEqual(before);
        }
      })
    );
  });

  it('keeps the ids through a save, and never sends them', () => {
    const held = addSlot(addSlot([]), 'hero');
    const answered = toSaveBody('Home', held).slots.map((s) => ({ ...s, candidates: [] }));
    expect(answered.every((s) => !('id' in s))).toBe(true);
    expect(withSlotIds(answered, held).map((s) => s.id)).toEqual(held.map((s) => s.id));
    const loaded = withSlotIds(answered);
    expect(new Set([...loaded, ...held].map((s) => s.id)).size).toBe(4);
  });

  it('drops the limit when a slot leaves the "all" mode', () => {
    const slots = updateSlot([slot('list', [], 'all')], 0, { limit: 3 });
    expect(slots[0].limit).toBe(3);
    expect(updateSlot(slots, 0, { mode: 'first' })[0].limit).toBeNull();
  });

  it('offers a chunk to a slot only once', () => {
    const slots = addCandidates([slot('hero', [chunk('a')])], 0, [
      chunk('a'),
      chunk('b'),
      chunk('b'),
    ]);
    expect(slots[0].candidates.map((c) => c.slug)).toEqual(['a', 'b']);
    expect(removeCandidate(slots, 0, 0)[0].candidates.map((c) => c.slug)).toEqual(['b']);
  });

  it('puts targeted candidates before the untagged defaults, whatever order they were ticked in', () => {
    const dev = chunk('dev', { personas: ['developer'] });
    const twitter = chunk('twitter', { segments: ['from-twitter'] });
    const slots = addCandidates([slot('hero')], 0, [chunk('default'), dev]);
    expect(slots[0].candidates.map((c) => c.slug)).toEqual(['dev', 'default']);
    const more = addCandidates(slots, 0, [chunk('other'), twitter]);
    expect(more[0].candidates.map((c) => c.slug)).toEqual(['dev', 'twitter', 'default', 'other']);
    expect(validationHints(more).filter((h) => h.code === 'shadowed')).toEqual([]);
  });

  it('never leaves a targeted candidate behind a default, for any ticking order (property)', () => {
    const arb = fc.array(fc.record({ id: fc.integer({ min: 0, max: 9 }), tagged: fc.boolean() }), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(arb, arb, (first, second) => {
        const toChunk = ({ id, tagged }: { id: number; tagged: boolean }) =>
          chunk(`c${id}${tagged ? 't' : ''}`, tagged ? { personas: ['developer'] } : {});
        let slots = addCandidates([slot('hero')], 0, first.map(toChunk));
        slots = addCandidates(slots, 0, second.map(toChunk));
        const tagged = slots[0].candidates.map((c) => c.personas.length > 0);
        expect(
          tagged.indexOf(false) < 0 || !tagged.slice(tagged.indexOf(false)).includes(true)
        ).toBe(true);
      })
    );
  });

  it('personalises a slot: one variant per audience, then the default', () => {
    const dev = chunk('dev', { personas: ['developer'] });
    const mkt = chunk('mkt', { personas: ['marketer'] });
    expect(personalisedCandidates(chunk('default'), [dev, mkt, dev]).map((c) => c.slug)).toEqual([
      'dev',
      'mkt',
      'default',
    ]);
    expect(personalisedCandidates(null, [mkt]).map((c) => c.slug)).toEqual(['mkt']);
  });

  it('suggests common slot keys not used yet, with the mode each usually wants', () => {
    expect(suggestSlot([])).toEqual({ key: 'hero', mode: 'first' });
    expect(suggestSlot([slot('hero')])).toEqual({ key: 'body', mode: 'all' });
    const all = ['hero', 'body', 'cta', 'sidebar', 'footer'].map((k) => slot(k));
    expect(suggestSlot(all)).toEqual({ key: 'slot', mode: 'first' });
    expect(modeForKey('sidebar')).toBe('all');
    expect(modeForKey('promo')).toBe('first');
  });

  it('sets an experiment weight on one candidate only', () => {
    const slots = setWeight([slot('test', [chunk('a'), chunk('b')], 'experiment')], 0, 1, 70);
    expect(slots[0].candidates.map((c) => c.weight)).toEqual([undefined, 70]);
    expect(validationHints(slots).map((h) => h.code)).toEqual(['weights-missing']);
    expect(setWeight(slots, 0, 5, 10)).toBe(slots);
  });

  it('sends the server only what it stores: keys, modes, limits, holdouts, candidate references', () => {
    const body = toSaveBody('Home', [
      { key: ' hero ', mode: 'first', limit: 4, holdout: 5, candidates: [chunk('a')] },
      {
        key: 'test',
        mode: 'experiment',
        holdout: 10,
        candidates: [{ ...chunk('b'), weight: 30 }],
      },
    ]);
    expect(body).toEqual({
      title: 'Home',
      slots: [
        {
          key: 'hero',
          mode: 'first',
          limit: null,
          candidates: [{ type: 'chunk', documentId: 'doc-a' }],
        },
        {
          key: 'test',
          mode: 'experiment',
          limit: null,
          holdout: 10,
          candidates: [{ type: 'chunk', documentId: 'doc-b', weight: 30 }],
        },
      ],
    });
  });
});

describe('what changed since the last save', () => {
  const saved = { title: 'Home', slots: [slot('hero', [chunk('a'), chunk('b')]), slot('cta')] };

  it('is clean when nothing changed, even if the server filled display fields', () => {
    const reread = {
      ...saved,
      slots: saved.slots.map((s) => ({
        ...s,
        candidates: s.candidates.map((c) => ({ ...c, title: 'x' })),
      })),
    };
    expect(isDirty(diffAsset(saved, reread))).toBe(false);
  });

  it('names added, removed, changed and reordered slots', () => {
    const current = {
      title: 'Home page',
      slots: [slot('cta'), slot('hero', [chunk('b'), chunk('a')]), slot('footer')],
    };
    const diff = diffAsset(saved, current);
    expect(diff).toEqual({
      titleChanged: true,
      addedSlots: ['footer'],
      removedSlots: [],
      changedSlots: ['hero'],
      reordered: true,
    });
    expect(isDirty(diff)).toBe(true);
  });
});

describe('hints before saving', () => {
  it('blocks empty, malformed and duplicate slot keys', () => {
    const hints = validationHints([slot(''), slot('hero'), slot('hero'), slot('has space')]);
    expect(hints.filter((h) => h.blocking).map((h) => [h.slot, h.code])).toEqual([
      [0, 'key-empty'],
      [2, 'key-duplicate'],
      [3, 'key-invalid'],
    ]);
  });

  it('blocks the slot keys the server refuses, upper-case letters included', () => {
    const keys = ['Hero', 'HERO', 'hero-A', '-hero', '_hero', 'héro', 'hero.main'];
    for (const key of keys) {
      expect(validationHints([slot(key, [chunk('a')])])).toEqual([
        { slot: 0, code: 'key-invalid', blocking: true },
      ]);
    }
    expect(validationHints([slot('hero_2-b', [chunk('a')])])).toEqual([]);
  });

  it('warns that candidates after an untagged default are never served in "first" mode', () => {
    const hints = validationHints([
      slot('hero', [
        chunk('dev', { personas: ['developer'] }),
        chunk('default'),
        chunk('late', { segments: ['x'] }),
      ]),
    ]);
    expect(hints).toEqual([{ slot: 0, candidate: 2, code: 'shadowed', blocking: false }]);
  });

  it('says two shared defaults in "first" mode show only one, not "move the default last"', () => {
    const hints = validationHints([slot('body', [chunk('reuse'), chunk('security')])]);
    expect(hints).toEqual([{ slot: 0, code: 'shared-first', blocking: false }]);
    // The one-click fix: every chunk that fits is shown, and the warning is gone.
    expect(
      validationHints(updateSlot([slot('body', [chunk('a'), chunk('b')])], 0, { mode: 'all' }))
    ).toEqual([]);
  });

  it('keeps "move the default last" for a default above targeted candidates, and fixes it', () => {
    const slots = [slot('hero', [chunk('default'), chunk('dev', { personas: ['developer'] })])];
    expect(validationHints(slots)).toEqual([
      { slot: 0, candidate: 1, code: 'shadowed', blocking: false },
    ]);
    const fixed = moveDefaultLast(slots, 0);
    expect(fixed[0].candidates.map((c) => c.slug)).toEqual(['dev', 'default']);
    expect(validationHints(fixed)).toEqual([]);
  });

  it('does not warn about shadowing in "best" or "all" mode', () => {
    const hints = validationHints([slot('hero', [chunk('default'), chunk('late')], 'best')]);
    expect(hints.filter((h) => h.code === 'shadowed')).toEqual([]);
  });

  it('blocks a limit that is not a positive whole number', () => {
    const hints = validationHints([{ ...slot('list', [chunk('a')], 'all'), limit: 0 }]);
    expect(hints.map((h) => h.code)).toEqual(['limit-invalid']);
  });
});

describe('server errors in the right place', () => {
  const errors = [
    { path: ['slots', '1', 'key'], message: 'must be unique' },
    { path: ['slots', '1', 'candidates', '0'], message: 'does not exist' },
    { path: ['title'], message: 'is required' },
  ];

  it('finds the errors of one field', () => {
    expect(errorsAt(errors, 'slots', 1, 'key')).toEqual(['must be unique']);
    expect(errorsAt(errors, 'slots', 1, 'candidates', 0)).toEqual(['does not exist']);
    expect(errorsAt(errors, 'slots', 0, 'key')).toEqual([]);
  });

  it('keeps the others for the banner', () => {
    expect(generalErrors(errors, 2)).toEqual(['title: is required']);
    expect(generalErrors(errors, 1)).toHaveLength(3);
  });

  it('keeps an error with its slot when the editor removes another slot after the refusal', () => {
    const [hero, steps, cta] = addSlot(addSlot(addSlot([])));
    const sent = [hero.id, steps.id, cta.id];
    const refused = [{ path: ['slots', '1', 'candidates'], message: 'needs two candidates' }];
    const now = removeSlot([hero, steps, cta], 0);
    expect(now.map((slot) => slotErrors(refused, sent, slot.id))).toEqual([
      [{ path: ['candidates'], message: 'needs two candidates' }],
      [],
    ]);
    // A slot added since was not in the refused request.
    const added = addSlot(now);
    expect(slotErrors(refused, sent, added[2].id)).toEqual([]);
  });

  it('shows on the card what no field shows: the slot as a whole, its candidates together', () => {
    const card = [
      { path: ['key'], message: 'must be unique' },
      { path: ['holdout'], message: 'must be a whole percentage' },
      { path: ['candidates', '0', 'weight'], message: 'must be 0 or more' },
      { path: ['candidates'], message: 'an experiment needs at least two candidates' },
      { path: [], message: 'is not allowed' },
    ];
    expect(slotLevelErrors(card)).toEqual([
      'an experiment needs at least two candidates',
      'is not allowed',
    ]);
  });
});
