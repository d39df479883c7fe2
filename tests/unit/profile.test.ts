import fc from 'fast-check';

import {
  affinityFrom,
  choosePersona,
  inferPersona,
  type ProfileEvent,
} from '../../server/src/core/profile';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const options = { halfLifeMs: 14 * DAY, saturation: 2 };

const view = (personas: string[], tags: string[], daysAgo = 0): ProfileEvent => ({
  name: 'view',
  ts: NOW - daysAgo * DAY,
  personas,
  tags,
});

describe('affinity', () => {
  it('grows with views and clicks of a persona’s chunks and ignores other events', () => {
    const affinity = affinityFrom(
      [
        view(['developer'], ['security']),
        { name: 'click', ts: NOW, personas: ['developer'], tags: ['api'] },
        { name: 'purchase', ts: NOW, value: 100, personas: ['executive'] },
      ],
      NOW,
      options
    );
    // 1 view + 1 click (weight 2) = 3; 3 / (3 + 2) = 0.6
    expect(affinity.personas).toEqual({ developer: 0.6 });
    expect(affinity.tags).toEqual({ security: 0.333, api: 0.5 });
  });

  it('halves an interaction’s weight every half-life', () => {
    const fresh = affinityFrom([view(['marketer'], [])], NOW, options).personas!.marketer;
    const old = affinityFrom([view(['marketer'], [], 14)], NOW, options).personas!.marketer;
    expect(fresh).toBe(0.333); // 1 / (1 + 2)
    expect(old).toBe(0.2); // 0.5 / (0.5 + 2)
  });

  it('stays between 0 and 1 and never rises as events age', () => {
    const events = fc.array(
      fc.record({
        name: fc.constantFrom('view', 'click', 'scroll'),
        ts: fc.integer({ min: NOW - 400 * DAY, max: NOW }),
        personas: fc.subarray(['developer', 'marketer', 'executive']),
        tags: fc.subarray(['api', 'security']),
      }),
      { maxLength: 50 }
    );
    fc.assert(
      fc.property(events, fc.integer({ min: 0, max: 100 * DAY }), (log, later) => {
        const now = affinityFrom(log, NOW, options);
        const then = affinityFrom(log, NOW + later, options);
        for (const [persona, score] of Object.entries(now.personas!)) {
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          expect(then.personas![persona]).toBeLessThanOrEqual(score);
        }
      })
    );
  });
});

describe('persona inference', () => {
  it('names the leading persona once it is clear enough, and nobody on a tie', () => {
    expect(inferPersona({ personas: { developer: 0.6, marketer: 0.2 } }, 0.5)).toBe('developer');
    expect(inferPersona({ personas: { developer: 0.4 } }, 0.5)).toBeNull();
    expect(inferPersona({ personas: { developer: 0.6, marketer: 0.6 } }, 0.5)).toBeNull();
    expect(inferPersona({}, 0.5)).toBeNull();
  });

  it('prefers an explicit parameter, then a trusted trait, then behaviour, among known personas', () => {
    const known = new Set(['developer', 'marketer', 'executive']);
    expect(
      choosePersona({ param: 'marketer', trait: 'executive', affinity: 'developer' }, known)
    ).toEqual({
      persona: 'marketer',
      source: 'param',
    });
    expect(choosePersona({ trait: 'executive', affinity: 'developer' }, known)).toEqual({
      persona: 'executive',
      source: 'trait',
    });
    expect(choosePersona({ trait: 'astronaut', affinity: 'developer' }, known)).toEqual({
      persona: 'developer',
      source: 'affinity',
    });
    expect(choosePersona({}, known)).toEqual({ persona: null, source: null });
  });
});
