import fc from 'fast-check';

import {
  emptyGroup,
  emptyRow,
  pruneTree,
  ruleToTree,
  treeToRule,
  updateNode,
  type RuleGroup,
  type ValueType,
} from '../../admin/src/utils/ruleTree';

const TYPES: Record<string, ValueType> = {
  'geo.country': 'string',
  'device.type': 'string',
  'visitor.visits': 'number',
  'visitor.new': 'boolean',
  'utm.source': 'string',
  'referrer.host': 'string',
};

describe('the rule builder tree', () => {
  it('shows the demo segments as rows and builds them back unchanged', () => {
    const rules = [
      { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
      { device: { type: { $eq: 'mobile' } } },
      { visitor: { visits: { $gte: 2 } } },
      {
        $or: [
          { utm: { source: { $eqi: 'twitter' } } },
          { referrer: { host: { $in: ['twitter.com', 't.co', 'x.com'] } } },
        ],
      },
    ];
    for (const rule of rules) {
      const tree = ruleToTree(rule);
      expect(tree).not.toBeNull();
      expect(treeToRule(tree as RuleGroup, TYPES)).toEqual(rule);
    }
  });

  it('reads the short forms: a value is $eq, an array is $in, side-by-side fields are $and', () => {
    const tree = ruleToTree({ geo: { country: 'DE' }, device: { type: ['mobile', 'tablet'] } });
    expect(treeToRule(tree as RuleGroup, TYPES)).toEqual({
      $and: [
        { geo: { country: { $eq: 'DE' } } },
        { device: { type: { $in: ['mobile', 'tablet'] } } },
      ],
    });
  });

  it('leaves rules it cannot show to the JSON view', () => {
    expect(ruleToTree({ $not: { geo: { country: 'DE' } } })).toBeNull();
    expect(ruleToTree({ $event: { name: 'purchase', $gte: 1 } })).toBeNull();
    expect(ruleToTree({ geo: { country: { $in: [{ nested: true }] } } })).toBeNull();
    expect(ruleToTree('DE')).toBeNull();
  });

  it('types values by the context field: numbers, booleans, lists and flags', () => {
    const group: RuleGroup = {
      ...emptyGroup('$or'),
      children: [
        { ...emptyRow('visitor.visits', '$between'), value: '2, 5' },
        { ...emptyRow('visitor.new', '$eq'), value: 'true' },
        { ...emptyRow('geo.country', '$null'), value: '' },
      ],
    };
    expect(treeToRule(group, TYPES)).toEqual({
      $or: [
        { visitor: { visits: { $between: [2, 5] } } },
        { visitor: { new: { $eq: true } } },
        { geo: { country: { $null: true } } },
      ],
    });
  });

  it('builds the rule from complete rows only, and edits one row by id', () => {
    const row = { ...emptyRow('geo.country', '$eq'), value: 'FR' };
    const group: RuleGroup = { ...emptyGroup(), children: [row, emptyRow()] };
    expect(treeToRule(pruneTree(group) as RuleGroup)).toEqual({ geo: { country: { $eq: 'FR' } } });
    expect(pruneTree({ ...emptyGroup(), children: [emptyRow()] })).toBeNull();
    const edited = updateNode(group, row.id, (node) => ({ ...node, value: 'BE' }) as typeof row);
    expect(treeToRule(pruneTree(edited) as RuleGroup)).toEqual({ geo: { country: { $eq: 'BE' } } });
    expect(updateNode(group, row.id, () => null).children).toHaveLength(1);
  });

  it('round-trips any rule it builds (tree → rule → tree → rule)', () => {
    const fields = Object.keys(TYPES).filter((f) => TYPES[f] === 'string');
    const rowArb = fc.record({
      field: fc.constantFrom(...fields),
      operator: fc.constantFrom('$eq', '$ne', '$containsi', '$in', '$notIn', '$startsWith'),
      value: fc.array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,6}$/), {
        minLength: 1,
        maxLength: 3,
      }),
    });
    const groupArb = fc.record({
      combinator: fc.constantFrom<'$and' | '$or'>('$and', '$or'),
      rows: fc.array(rowArb, { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        fc.array(groupArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<'$and' | '$or'>('$and', '$or'),
        (groups, top) => {
          const tree: RuleGroup = {
            ...emptyGroup(top),
            children: groups.map((g) => ({
              ...emptyGroup(g.combinator),
              children: g.rows.map((r) => ({
                ...emptyRow(r.field, r.operator),
                value: ['$in', '$notIn'].includes(r.operator) ? r.value.join(', ') : r.value[0],
              })),
            })),
          };
          const rule = treeToRule(tree, TYPES);
          const again = ruleToTree(rule);
          expect(again).not.toBeNull();
          expect(treeToRule(again as RuleGroup, TYPES)).toEqual(rule);
        }
      )
    );
  });
});
