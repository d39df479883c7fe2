import fc from 'fast-check';

import { emptyGroup, emptyRow, updateNode, type RuleGroup } from '../../admin/src/utils/ruleTree';
import {
  COUNTRY_CODES,
  countryName,
  fieldsOf,
  replaceValue,
  sampleFromForm,
  suggestValue,
  valueInputOf,
  valueSets,
  valueWarnings,
  weekdayName,
} from '../../admin/src/utils/ruleValues';

const SETS = valueSets({
  personas: [
    { slug: 'developer', name: 'Developer' },
    { slug: 'marketer', name: 'Marketer' },
  ],
  locales: [
    { code: 'en', name: 'English (en)' },
    { code: 'fr', name: 'French (fr)' },
  ],
});

const tree = (...rows: Array<[field: string, operator: string, value: string]>): RuleGroup => ({
  ...emptyGroup(),
  children: rows.map(([field, operator, value]) => ({ ...emptyRow(field, operator), value })),
});

/** Every fix applied, as the builder's one-click fix does. */
const applyFixes = (group: RuleGroup) =>
  valueWarnings(group, SETS).reduce(
    (current, w) =>
      w.fix
        ? updateNode(current, w.rowId, (node) =>
            node.kind === 'row'
              ? { ...node, value: replaceValue(node.operator, node.value, w.value, w.fix!.value) }
              : node
          )
        : current,
    group
  );

describe('known values of the context', () => {
  it('names countries and ISO weekdays', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('DE', 'fr')).toBe('Allemagne');
    expect(weekdayName(1)).toBe('Monday');
    expect(weekdayName(7)).toBe('Sunday');
    expect(SETS['device.type'].map((d) => d.value)).toEqual(['mobile', 'tablet', 'desktop', 'bot']);
  });

  it('gives each field the input its values need', () => {
    expect(valueInputOf('geo.country', 'string', SETS)).toBe('choice');
    expect(valueInputOf('persona', 'string', SETS)).toBe('choice');
    expect(valueInputOf('traits.subscribed', 'boolean', SETS)).toBe('boolean');
    expect(valueInputOf('traits.lifetimeValue', 'number', SETS)).toBe('number');
    expect(valueInputOf('traits.signedUp', 'datetime', SETS)).toBe('datetime');
    expect(valueInputOf('time.date', 'string', SETS)).toBe('date');
    expect(valueInputOf('utm.source', 'string', SETS)).toBe('text');
  });
});

describe('values that can never match', () => {
  it('flags a device type in the wrong case and a country by name, with the fix', () => {
    const warnings = valueWarnings(
      tree(['device.type', '$eq', 'Mobile'], ['geo.country', '$in', 'Germany, AT, fr']),
      SETS
    );
    expect(warnings.map((w) => [w.field, w.value, w.fix])).toEqual([
      ['device.type', 'Mobile', { value: 'mobile', label: 'Mobile' }],
      ['geo.country', 'Germany', { value: 'DE', label: 'Germany' }],
      ['geo.country', 'fr', { value: 'FR', label: 'France' }],
    ]);
  });

  it('knows weekdays and personas by name, and says when nothing close is known', () => {
    expect(suggestValue('monday', SETS['time.weekday'])).toEqual({ value: '1', label: 'Monday' });
    expect(suggestValue('Developer', SETS.persona)).toEqual({
      value: 'developer',
      label: 'Developer',
    });
    expect(suggestValue('Atlantis', SETS['geo.country'])).toBeNull();
    expect(valueWarnings(tree(['geo.country', '$eq', 'Atlantis']), SETS)[0].fix).toBeNull();
  });

  it('leaves case alone for case-insensitive operators, and partial or ordered comparisons', () => {
    expect(
      valueWarnings(
        tree(
          ['device.type', '$eqi', 'Mobile'],
          ['geo.country', '$containsi', 'germ'],
          ['time.weekday', '$gte', '6'],
          ['utm.source', '$eq', 'Twitter']
        ),
        SETS
      )
    ).toEqual([]);
  });

  it('replaces only the faulty part of a list', () => {
    expect(replaceValue('$in', 'Germany, AT', 'Germany', 'DE')).toBe('DE, AT');
    expect(replaceValue('$eq', 'Mobile', 'Mobile', 'mobile')).toBe('mobile');
  });

  const field = fc.constantFrom(...Object.keys(SETS).filter((f) => SETS[f].length));
  const operator = fc.constantFrom('$eq', '$ne', '$in', '$notIn');

  it('never flags a known value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          field.chain((f) =>
            fc.tuple(
              fc.constant(f),
              operator,
              fc.subarray(SETS[f], { minLength: 1, maxLength: Math.min(3, SETS[f].length) })
            )
          ),
          { minLength: 1, maxLength: 5 }
        ),
        (rows) => {
          const group = tree(
            ...rows.map(
              ([f, op, values]) =>
                [
                  f,
                  op,
                  (op === '$in' || op === '$notIn' ? values : values.slice(0, 1))
                    .map((v) => v.value)
                    .join(', '),
                ] as [string, string, string]
            )
          );
          expect(valueWarnings(group, SETS)).toEqual([]);
        }
      )
    );
  });

  it('fixes a value written by name or in another case, and the fix leaves nothing to flag (property)', () => {
    const written = field.chain((f) =>
      fc.tuple(
        fc.constant(f),
        fc.constantFrom(...SETS[f]),
        fc.constantFrom<'name' | 'upper' | 'lower'>('name', 'upper', 'lower')
      )
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(written, operator), { minLength: 1, maxLength: 5 }), (rows) => {
        const group = tree(
          ...rows.map(
            ([[f, known, how], op]) =>
              [
                f,
                op,
                how === 'name'
                  ? known.label
                  : how === 'upper'
                    ? known.value.toUpperCase()
                    : known.value.toLowerCase(),
              ] as [string, string, string]
          )
        );
        for (const warning of valueWarnings(group, SETS)) expect(warning.fix).not.toBeNull();
        expect(valueWarnings(applyFixes(group), SETS)).toEqual([]);
      })
    );
  });
});

describe('the sample reader form', () => {
  it('lists the fields a rule reads, once each', () => {
    const group = tree(['geo.country', '$in', 'DE'], ['device.type', '$eq', 'mobile']);
    group.children.push({
      ...emptyGroup('$or'),
      children: [{ ...emptyRow('geo.country'), value: 'x' }],
    });
    expect(fieldsOf(group)).toEqual(['geo.country', 'device.type']);
  });

  it('makes the context by the rule’s own field names, typed, with a whole time', () => {
    const now = new Date('2026-03-04T10:30:00Z'); // a Wednesday
    expect(
      sampleFromForm(
        {
          'geo.country': 'DE',
          'device.type': 'mobile',
          'time.weekday': '6',
          'traits.subscribed': 'false',
          'traits.lifetimeValue': '120.5',
          'utm.source': '',
        },
        { 'traits.subscribed': 'boolean', 'traits.lifetimeValue': 'number' },
        now
      )
    ).toEqual({
      geo: { country: 'DE' },
      device: { type: 'mobile' },
      time: { hour: 10, weekday: 6, date: '2026-03-04' },
      traits: { subscribed: false, lifetimeValue: 120.5 },
    });
  });
});
