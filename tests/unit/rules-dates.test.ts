/**
 * Declared field types in segment rules: datetimes compare as instants, as a datetime column
 * does, and operands a declared column would refuse are refused when the rule is saved.
 */
import { parseISO } from 'date-fns';
import fc from 'fast-check';

import { parseInstant } from '../../server/src/core/instants';
import { compileRule, DEFAULT_RULE_LIMITS, validateRule } from '../../server/src/core/rules';
import { CONTEXT_FIELDS, CONTEXT_FIELD_TYPES, type FieldTypes } from '../../server/src/core/types';

const TYPES: FieldTypes = {
  ...CONTEXT_FIELD_TYPES,
  'traits.signedUp': 'datetime',
  'traits.lifetimeValue': 'float',
  'traits.orders': 'integer',
  'traits.subscribed': 'boolean',
  'traits.plan': 'string',
};
const NOW = Date.UTC(2026, 5, 15, 12);

const issues = (rule: unknown) =>
  validateRule(rule, DEFAULT_RULE_LIMITS, CONTEXT_FIELDS, undefined, TYPES);
const matches = (rule: unknown, traits: Record<string, unknown>) =>
  compileRule(rule, DEFAULT_RULE_LIMITS, CONTEXT_FIELDS, undefined, TYPES).test({ traits }, NOW);

describe('a datetime field compares instants, not spellings', () => {
  it("a date is its midnight in the server's time zone, as Strapi reads it", () => {
    const midnight = new Date(2026, 5, 15).getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    const rule = { traits: { signedUp: { $lte: '2026-06-15' } } };
    expect(matches(rule, { signedUp: at(midnight) })).toBe(true);
    expect(matches(rule, { signedUp: at(midnight + 1) })).toBe(false);
    expect(matches(rule, { signedUp: at(midnight - 1) })).toBe(true);
  });

  it('two spellings of one instant are equal', () => {
    const rule = { traits: { signedUp: '2026-06-15T14:00:00+02:00' } };
    expect(matches(rule, { signedUp: '2026-06-15T12:00:00.000Z' })).toBe(true);
    expect(
      matches(
        { traits: { signedUp: { $in: ['2026-06-15 12:00Z'] } } },
        { signedUp: '2026-06-15T12:00:00.000Z' }
      )
    ).toBe(true);
    expect(
      matches(
        { traits: { signedUp: { $gt: '2026-06-15T13:00:00Z' } } },
        { signedUp: '2026-06-15T14:00:00+02:00' }
      )
    ).toBe(false);
  });

  it("orders instants where their text would not: '+02:00' is earlier than 'Z' at the same hour", () => {
    const rule = { traits: { signedUp: { $lt: '2026-06-15T12:00:00Z' } } };
    // As text, '2026-06-15T12:00:00+02:00' > '2026-06-15T12:00:00Z' is false for another reason;
    // here the instant 10:00Z is before 12:00Z.
    expect(matches(rule, { signedUp: '2026-06-15T12:00:00+02:00' })).toBe(true);
    expect(
      matches(
        { traits: { signedUp: { $between: ['2026-06-15T00:00Z', '2026-06-16T00:00Z'] } } },
        { signedUp: '2026-06-15T23:00:00-05:00' }
      )
    ).toBe(false);
  });

  it('applies to the context’s own datetimes, visitor.firstSeen and lastSeen', () => {
    const rule = { visitor: { firstSeen: { $gte: '2026-06-15T14:00:00+02:00' } } };
    const test = compileRule(rule, DEFAULT_RULE_LIMITS, CONTEXT_FIELDS, undefined, TYPES).test;
    expect(test({ visitor: { firstSeen: '2026-06-15T12:00:00.000Z' } }, NOW)).toBe(true);
    expect(test({ visitor: { firstSeen: '2026-06-15T11:59:59.999Z' } }, NOW)).toBe(false);
  });

  it('a value that is not a date is unknown: neither it nor its negation matches', () => {
    const rule = { traits: { signedUp: { $gt: '2026-01-01' } } };
    expect(matches(rule, { signedUp: 'soon' })).toBe(false);
    expect(matches({ $not: rule }, { signedUp: 'soon' })).toBe(false);
  });
});

describe('operands a declared column would refuse are refused, with their path', () => {
  it.each([
    [{ traits: { signedUp: { $gt: '2026' } } }, 'traits.signedUp.$gt'],
    [{ traits: { signedUp: { $lt: 'yesterday' } } }, 'traits.signedUp.$lt'],
    [{ traits: { signedUp: { $in: ['2026-06-15', '2026-02-30'] } } }, 'traits.signedUp.$in.1'],
    [
      { traits: { signedUp: { $between: ['2026-06-15', 20260616] } } },
      'traits.signedUp.$between.1',
    ],
    [{ visitor: { lastSeen: { $gte: '15/06/2026' } } }, 'visitor.lastSeen.$gte'],
    [{ traits: { lifetimeValue: { $gt: 'lots' } } }, 'traits.lifetimeValue.$gt'],
    [{ traits: { lifetimeValue: true } }, 'traits.lifetimeValue'],
    [{ traits: { orders: { $gte: 1.5 } } }, 'traits.orders.$gte'],
    [{ traits: { orders: { $lt: 1e12 } } }, 'traits.orders.$lt'],
    [{ traits: { subscribed: 'yes' } }, 'traits.subscribed'],
    [{ traits: { lifetimeValue: { $contains: '1e' } } }, 'traits.lifetimeValue.$contains'],
    [{ traits: { orders: { $eqi: '10' } } }, 'traits.orders.$eqi'],
    [{ traits: { signedUp: { $startsWith: '2026' } } }, 'traits.signedUp.$startsWith'],
    [{ traits: { subscribed: { $containsi: 'tru' } } }, 'traits.subscribed.$containsi'],
    [
      { $or: [{ traits: { $not: { orders: { $endsWith: '0' } } } }] },
      '$or.0.traits.$not.orders.$endsWith',
    ],
    [{ traits: { signedUp: { year: 2026 } } }, 'traits.signedUp.year'],
  ])('%j is refused at %s', (rule, path) => {
    expect(issues(rule).map((issue) => issue.path)).toEqual([path]);
  });

  it('what the column accepts is accepted', () => {
    expect(
      issues({
        traits: {
          signedUp: { $gte: '2026-06-15', $lt: '2026-06-15T14:00:00.5+02:00', $ne: null },
          lifetimeValue: { $between: ['0.5', 100] },
          orders: { $in: [1, '2', null] },
          subscribed: { $in: [true, 'f', 0] },
          plan: { $containsi: 'pro', $ne: 42 },
          undeclared: { $contains: 1 },
        },
        visitor: { visits: { $contains: '1' } },
      })
    ).toEqual([]);
  });

  it('says what to write instead', () => {
    const [date] = issues({ traits: { signedUp: { $gt: '2026' } } });
    expect(date.message).toMatch(
      /must be a date like "2026-06-15".*traits\.signedUp is a datetime/
    );
    const [text] = issues({ traits: { lifetimeValue: { $contains: '1' } } });
    expect(text.message).toMatch(/text operator.*float.*\$lt/);
  });

  it('an undeclared field keeps the value’s own type, as before', () => {
    const rule = { traits: { since: { $lte: '2026-06-15' } } };
    const test = compileRule(rule).test;
    expect(test({ traits: { since: '2026-06-15T00:00:00.000Z' } }, NOW)).toBe(false);
  });
});

describe('instants are read as Strapi reads a datetime operand (date-fns parseISO)', () => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const spelling = fc
    .record({
      year: fc.integer({ min: 1, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      time: fc.option(
        fc.record({
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
          second: fc.option(fc.integer({ min: 0, max: 59 })),
          fraction: fc.option(fc.stringMatching(/^\d{1,6}$/)),
          separator: fc.constantFrom('T', ' '),
          zone: fc.option(
            fc.oneof(
              fc.constant('Z'),
              fc
                .tuple(
                  fc.constantFrom('+', '-'),
                  fc.integer({ min: 0, max: 14 }),
                  fc.integer({ min: 0, max: 59 }),
                  fc.constantFrom(':', '')
                )
                .map(([sign, h, m, colon]) => `${sign}${pad(h)}${colon}${pad(m)}`)
            )
          ),
        })
      ),
    })
    .map(({ year, month, day, time }) => {
      const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
      if (!time) return date;
      const seconds =
        time.second === null
          ? ''
          : `:${pad(time.second)}${time.fraction === null ? '' : `.${time.fraction}`}`;
      return `${date}${time.separator}${pad(time.hour)}:${pad(time.minute)}${seconds}${time.zone ?? ''}`;
    });

  it('the same instant for every spelling both read, and null exactly where parseISO fails', () => {
    fc.assert(
      fc.property(spelling, (text) => {
        const strapi = parseISO(text).getTime();
        expect(parseInstant(text)).toBe(Number.isNaN(strapi) ? null : strapi);
      }),
      { numRuns: 2000 }
    );
  });

  it('refuses the forms parseISO guesses at', () => {
    for (const text of [
      '2026',
      '2026-06',
      '2026-W24',
      '2026-166',
      '20260615',
      'June 15, 2026',
      '',
    ]) {
      expect(parseInstant(text)).toBeNull();
    }
  });
});
