import fc from 'fast-check';
import {
  compileRule,
  DEFAULT_RULE_LIMITS,
  formatRuleIssues,
  RuleError,
  validateRule,
} from '../../server/src/core/rules';
import { CONTEXT_FIELDS, type BehaviourEvent, type Context } from '../../server/src/core/types';

const NOW = Date.UTC(2025, 0, 15, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const matches = (rule: unknown, ctx: Context, now = NOW) => compileRule(rule).test(ctx, now);

/** SQL's answer for a rule: a rule that is unknown matches neither itself nor its negation. */
function truth(rule: object, ctx: Context): 'true' | 'false' | 'unknown' {
  if (matches(rule, ctx)) return 'true';
  return matches({ $not: rule }, ctx) ? 'false' : 'unknown';
}

const germanMobileVisitor: Context = {
  geo: { country: 'DE', city: 'Berlin' },
  device: { type: 'mobile' },
  visitor: { known: true, visits: 3 },
};
const euVisitors = { geo: { country: { $in: ['DE', 'FR'] } } };

describe('segment rules, in the product’s words', () => {
  it('a visitor from Germany matches the eu-visitors segment', () => {
    expect(matches(euVisitors, germanMobileVisitor)).toBe(true);
    expect(matches(euVisitors, { geo: { country: 'US' } })).toBe(false);
  });

  it('a visitor whose country is unknown matches neither eu-visitors nor "not eu-visitors"', () => {
    expect(truth(euVisitors, {})).toBe('unknown');
    expect(truth(euVisitors, { geo: {} })).toBe('unknown');
  });

  it('a mobile visitor matches the shorthand device rule, a desktop one does not', () => {
    expect(matches({ device: { type: 'mobile' } }, germanMobileVisitor)).toBe(true);
    expect(matches({ device: { type: 'mobile' } }, { device: { type: 'desktop' } })).toBe(false);
    expect(matches({ device: { type: ['mobile', 'tablet'] } }, germanMobileVisitor)).toBe(true);
  });

  it('a returning German visitor matches an $and of place and visit count', () => {
    const rule = { $and: [{ geo: { country: 'DE' } }, { visitor: { visits: { $gt: 2 } } }] };
    expect(matches(rule, germanMobileVisitor)).toBe(true);
    expect(matches(rule, { ...germanMobileVisitor, visitor: { visits: 1 } })).toBe(false);
  });

  it('reports the top-level context fields a segment reads, for the Vary header', () => {
    const rule = {
      geo: { country: 'DE' },
      $or: [{ device: { type: 'mobile' } }, { $event: { name: 'purchase', $gte: 1 } }],
      $not: { geo: { city: 'Paris' } },
    };
    expect(compileRule(rule).fields).toEqual(['geo', 'device', 'events']);
  });

  it('an empty rule is the everyone segment', () => {
    expect(matches({}, {})).toBe(true);
  });
});

describe('behaviour: $event', () => {
  const events: BehaviourEvent[] = [
    { name: 'purchase', ts: NOW - 100 * DAY, value: 1000 },
    { name: 'purchase', ts: NOW - 10 * DAY, value: 300 },
    { name: 'purchase', ts: NOW - 2 * DAY, value: 250, props: { items: 2 } },
    { name: 'purchase', ts: NOW - 1 * DAY, props: { items: 'many' } },
    { name: 'add_to_cart', ts: NOW - 30 * HOUR },
  ];
  const visitor: Context = { events };
  const purchases = (rest: object) => ({ $event: { name: 'purchase', ...rest } });

  it('a big spender bought for more than 500 in the last 90 days (non-numbers are ignored)', () => {
    const rule = purchases({ within: '90d', aggregate: 'sum', field: 'value', $gt: 500 });
    expect(matches(rule, visitor)).toBe(true);
    expect(matches(rule, visitor, NOW + 81 * DAY)).toBe(false);
  });

  it.each([
    [{ within: '7d', $eq: 2 }, true],
    [{ $eq: 4 }, true],
    [{ within: '1w', aggregate: 'count', $between: [1, 2] }, true],
    [{ aggregate: 'min', field: 'value', $eq: 250 }, true],
    [{ aggregate: 'max', field: 'value', $gte: 1000 }, true],
    [{ aggregate: 'avg', field: 'value', within: '30d', $eq: 275 }, true],
    [{ aggregate: 'sum', field: 'props.items', $eq: 2 }, true],
    [{ aggregate: 'sum', field: 'props.missing', $eq: 0 }, true],
  ])('purchases %j → %s', (spec, expected) => {
    expect(matches(purchases(spec), visitor)).toBe(expected);
  });

  it('counts and sums of nothing are 0; min, max, avg and sinceLast of nothing are unknown', () => {
    const never = (spec: object) => ({ $event: { name: 'signup', ...spec } });
    expect(matches(never({ $eq: 0 }), visitor)).toBe(true);
    expect(matches(never({ aggregate: 'sum', field: 'value', $eq: 0 }), {})).toBe(true);
    for (const aggregate of ['min', 'max', 'avg']) {
      expect(truth(never({ aggregate, field: 'value', $gte: 0 }), visitor)).toBe('unknown');
    }
    expect(truth(never({ aggregate: 'sinceLast', $gt: '1d' }), visitor)).toBe('unknown');
  });

  it('sinceLast compares the time since the latest event, in durations or milliseconds', () => {
    const cart = (spec: object) => ({
      $event: { name: 'add_to_cart', aggregate: 'sinceLast', ...spec },
    });
    expect(matches(cart({ $gt: '24h' }), visitor)).toBe(true);
    expect(matches(cart({ $lt: DAY }), visitor)).toBe(false);
    expect(matches(cart({ $between: ['1d', '2d'] }), visitor)).toBe(true);
  });

  it('a cart abandoner added to the cart this week but bought nothing since', () => {
    const rule = {
      $and: [
        { $event: { name: 'add_to_cart', within: '7d', $gte: 1 } },
        { $not: { $event: { name: 'purchase', within: '1d', $gte: 1 } } },
      ],
    };
    expect(matches(rule, { events: events.slice(0, 3).concat(events[4]) })).toBe(true);
    expect(matches(rule, visitor)).toBe(false);
  });
});

describe('operators follow Strapi’s database filtering', () => {
  const MISSING = Symbol('missing');
  it.each([
    ['$eq', 'DE', 'DE', 'true'],
    ['$eq', 'DE', 'de', 'false'],
    ['$eq', 'DE', MISSING, 'unknown'],
    ['$eq', null, MISSING, 'true'],
    ['$eq', null, 'DE', 'false'],
    ['$eq', '3', 3, 'true'],
    ['$eq', 3, '03', 'false'],
    ['$eq', 'true', true, 'true'],
    ['$eq', 't', true, 'true'],
    ['$eq', 0, false, 'true'],
    ['$eqi', 'de', 'DE', 'true'],
    ['$eqi', 'TRUE', true, 'true'],
    ['$eqi', 'οδοσ', 'ΟΔΟΣ', 'true'],
    ['$eqi', 'i', 'İ', 'true'],
    ['$eqi', null, MISSING, 'true'],
    ['$ne', 'DE', 'FR', 'true'],
    ['$ne', 'DE', MISSING, 'unknown'],
    ['$ne', null, 'DE', 'true'],
    ['$ne', null, MISSING, 'false'],
    ['$nei', 'de', 'DE', 'false'],
    ['$nei', 'de', MISSING, 'unknown'],
    ['$lt', 5, 3, 'true'],
    ['$lt', 5, 5, 'false'],
    ['$lte', 5, 5, 'true'],
    ['$gt', '10', 9, 'false'],
    ['$gt', '10', '9', 'true'],
    ['$gte', 10, MISSING, 'unknown'],
    ['$lt', '\u{1F600}', '\uFFFD', 'true'],
    ['$in', ['DE', 'FR'], 'FR', 'true'],
    ['$in', ['DE', 'FR'], 'IT', 'false'],
    ['$in', ['DE', 'FR'], MISSING, 'unknown'],
    ['$in', ['DE', null], 'IT', 'unknown'],
    ['$in', [], 'DE', 'false'],
    ['$in', [], MISSING, 'false'],
    ['$notIn', ['DE'], 'FR', 'true'],
    ['$notIn', ['DE'], 'DE', 'false'],
    ['$notIn', ['DE'], MISSING, 'unknown'],
    ['$notIn', [], MISSING, 'true'],
    ['$contains', 'erl', 'Berlin', 'true'],
    ['$contains', 'ERL', 'Berlin', 'false'],
    ['$contains', '%', 'Berlin', 'false'],
    ['$contains', '%', '100%', 'true'],
    ['$contains', 'a_c', 'abc', 'false'],
    ['$contains', 2, 2024, 'true'],
    ['$notContains', 'x', 'Berlin', 'true'],
    ['$notContains', 'x', MISSING, 'unknown'],
    ['$containsi', 'ERL', 'Berlin', 'true'],
    ['$notContainsi', 'ERL', 'Berlin', 'false'],
    ['$notContainsi', 'ERL', MISSING, 'unknown'],
    ['$startsWith', 'Ber', 'Berlin', 'true'],
    ['$startsWith', 'ber', 'Berlin', 'false'],
    ['$startsWithi', 'ber', 'Berlin', 'true'],
    ['$endsWith', 'lin', 'Berlin', 'true'],
    ['$endsWithi', 'LIN', 'Berlin', 'true'],
    ['$endsWithi', 'ΟΔΟΣ', 'οδοσ', 'true'],
    ['$null', true, MISSING, 'true'],
    ['$null', true, 'x', 'false'],
    ['$null', 'false', MISSING, 'false'],
    ['$null', 'f', 'x', 'true'],
    ['$notNull', true, 'x', 'true'],
    ['$notNull', false, MISSING, 'true'],
    ['$between', [1, 5], 1, 'true'],
    ['$between', [1, 5], 5, 'true'],
    ['$between', [1, 5], 6, 'false'],
    ['$between', [5, 1], 3, 'false'],
    ['$between', ['a', 'c'], 'b', 'true'],
    ['$between', [1, 5], MISSING, 'unknown'],
    ['$eq', 'a', ['b', 'a'], 'true'],
    ['$eq', 'c', ['b', 'a'], 'false'],
    ['$eq', 'a', [], 'unknown'],
    ['$null', true, [], 'true'],
    ['$eq', 'a', { nested: 'a' }, 'unknown'],
  ])('%s %j against %p is %s', (op, operand, value, expected) => {
    const ctx: Context = value === MISSING ? { traits: {} } : { traits: { x: value } };
    expect(truth({ traits: { x: { [op]: operand } } }, ctx)).toBe(expected);
  });

  it.each([
    [{ $not: 'DE' }, 'FR', 'true'],
    [{ $not: 'DE' }, undefined, 'unknown'],
    [{ $not: null }, undefined, 'false'],
    [{ $not: { $eq: 'DE' } }, 'DE', 'false'],
    [{ $not: { $in: [] } }, undefined, 'true'],
  ])('a field-level $not %j against %p is %s', (condition, country, expected) => {
    expect(truth({ geo: { country: condition } }, { geo: { country } })).toBe(expected);
  });

  it('combines unknowns with Kleene logic', () => {
    const known = { geo: { country: 'DE' } };
    const unknown = { device: { type: 'mobile' } };
    expect(truth({ $or: [known, unknown] }, known)).toBe('true');
    expect(truth({ $and: [known, unknown] }, known)).toBe('unknown');
    expect(truth({ $and: [{ geo: { country: 'FR' } }, unknown] }, known)).toBe('false');
  });

  it('reads own properties only', () => {
    expect(matches({ traits: { toString: { $notNull: true } } }, { traits: {} })).toBe(false);
  });
});

describe('validation', () => {
  const issueFor = (rule: unknown) => formatRuleIssues(validateRule(rule));

  it.each([
    ['not an object', [], 'rule must be an object'],
    [
      'unknown operator',
      { x: { $foo: 1 } },
      "rule.x.$foo: unknown operator '$foo'; use one of $eq",
    ],
    ['$in without array', { geo: { country: { $in: 'DE' } } }, 'rule.geo.country.$in must be an'],
    ['$in with an object', { x: { $in: [{}] } }, 'rule.x.$in.0 must be a string, number'],
    ['$between with one bound', { x: { $between: [1] } }, 'rule.x.$between must be an array of'],
    ['$or empty', { $or: [] }, 'rule.$or must be a non-empty array'],
    ['$and element not an object', { $and: ['x'] }, 'rule.$and.0 must be an object'],
    ['$null not boolean', { geo: { $null: 'maybe' } }, 'rule.geo.$null must be true or false'],
    ['object operand', { $or: [{}, { x: { y: { $eq: {} } } }] }, 'rule.$or.1.x.y.$eq must be a'],
    ['empty branch', { $or: [{}, { x: 1 }] }, 'rule.$or.0 must not be empty'],
    ['operator at the top', { $eq: 'x' }, 'rule.$eq must be inside a field'],
    ['operators mixed with fields', { x: { $eq: 'DE', y: 'x' } }, 'rule.x.y cannot be mixed'],
    ['$not with an array', { x: { $not: ['DE'] } }, 'rule.x.$not must not be an array; use $notIn'],
    ['$or of operators', { x: { $or: [{ $eq: 'DE' }] } }, 'rule.x.$or.0 must name a field'],
    ['prototype key', JSON.parse('{"__proto__": {"a": 1}}'), "field name '__proto__' is not"],
    ['constructor key', { constructor: 'x' }, "field name 'constructor' is not allowed"],
    ['dotted key', { 'geo.country': 'DE' }, 'may only use letters, digits, _ and -'],
    ['$event without name', { $event: { $gte: 1 } }, 'rule.$event.name must be the event name'],
    ['unknown aggregate', { $event: { name: 'a', aggregate: 'p90', $gt: 1 } }, 'must be one of'],
    ['bad duration', { $event: { name: 'a', within: '7 days', $gt: 1 } }, '.within must be a'],
    ['no comparison', { $event: { name: 'a' } }, 'rule.$event needs one comparison'],
    ['two comparisons', { $event: { name: 'a', $gt: 1, $lt: 5 } }, 'use $between for a range'],
    ['sum without field', { $event: { name: 'a', aggregate: 'sum', $gt: 1 } }, '.field must be'],
    [
      'sinceLast with a word',
      { $event: { name: 'a', aggregate: 'sinceLast', $gt: 'soon' } },
      '$gt must be a duration',
    ],
    ['$event under a field', { geo: { $event: { name: 'a', $gt: 1 } } }, 'rule.geo.$event must be'],
  ])('%s', (_name, rule, expected) => {
    expect(issueFor(rule)).toContain(expected);
  });

  it('reports every fault, joined into one readable message', () => {
    const rule = { geo: { country: { $in: 'DE' } }, x: { $foo: 1 } };
    expect(validateRule(rule).map((issue) => issue.path)).toEqual(['geo.country.$in', 'x.$foo']);
    expect(() => compileRule(rule)).toThrow(RuleError);
    expect(() => compileRule(rule)).toThrow(/must be an array.*; rule\.x\.\$foo: unknown operator/);
  });

  it('refuses rules deeper or bigger than the limits', () => {
    let deep: object = { device: { type: 'mobile' } };
    for (let i = 0; i < DEFAULT_RULE_LIMITS.maxDepth; i += 1) deep = { $not: deep };
    expect(issueFor(deep)).toContain('is nested deeper than 8 levels');
    const big = { $or: Array.from({ length: 100 }, (_, i) => ({ traits: { n: i } })) };
    expect(issueFor(big)).toBe('rule has more than 200 values; simplify it or split the segment');
    expect(validateRule(big, { maxDepth: 8, maxNodes: 1000 })).toEqual([]);
  });

  it('survives cyclic input', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.geo = cyclic;
    expect(validateRule(cyclic)).not.toEqual([]);
  });
});

describe('properties', () => {
  // Generated rules may nest past the default limits; the limits have their own test.
  const LOOSE = { maxDepth: 64, maxNodes: 100_000 };
  const holds = (r: object, ctx: Context) => compileRule(r, LOOSE).test(ctx, NOW);
  const FIELDS = ['a', 'b', 'c'];
  const scalar = fc.oneof(
    fc.constantFrom('DE', 'de', 'Berlin', 'ber', '10', '9', '', 'true'),
    fc.integer({ min: -2, max: 12 }),
    fc.boolean(),
    fc.string({ maxLength: 4 })
  );
  const presentContext = fc
    .record({ a: scalar, b: scalar, c: scalar })
    .map((traits): Context => ({ traits }));
  const OPERATORS = ['$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$contains',
    '$notContains', '$containsi', '$notContainsi', '$startsWith', '$startsWithi', '$endsWith',
    '$endsWithi']; // prettier-ignore
  const condition = fc.oneof(
    fc.tuple(fc.constantFrom(...OPERATORS), scalar),
    fc.tuple(fc.constantFrom('$in', '$notIn'), fc.array(scalar, { maxLength: 3 })),
    fc.tuple(fc.constant('$between'), fc.tuple(scalar, scalar)),
    fc.tuple(fc.constantFrom('$null', '$notNull'), fc.boolean())
  );
  const leaf = fc
    .tuple(fc.constantFrom(...FIELDS), condition)
    .map(([field, [op, operand]]) => ({ traits: { [field]: { [op]: operand } } }));
  const { rule } = fc.letrec<{ rule: object }>((tie) => ({
    rule: fc.oneof(
      { maxDepth: 4, withCrossShrink: true },
      leaf,
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map(($and) => ({ $and })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map(($or) => ({ $or })),
      tie('rule').map(($not) => ({ $not }))
    ),
  }));

  it('$not of a rule over present fields is its negation', () => {
    fc.assert(
      fc.property(rule, presentContext, (r, ctx) => holds({ $not: r }, ctx) === !holds(r, ctx))
    );
  });

  it('$or and $and over present fields are || and &&', () => {
    fc.assert(
      fc.property(rule, rule, presentContext, (a, b, ctx) => {
        const [x, y] = [holds(a, ctx), holds(b, ctx)];
        return (
          holds({ $or: [a, b] }, ctx) === (x || y) && holds({ $and: [a, b] }, ctx) === (x && y)
        );
      })
    );
  });

  it('$in: [x] is $eq: x, missing and odd values included', () => {
    const value = fc.oneof(scalar, fc.constant(undefined), fc.constant(null), fc.array(scalar));
    fc.assert(
      fc.property(scalar, value, (x, v) => {
        const ctx: Context = { traits: { a: v } };
        return (
          truth({ traits: { a: { $in: [x] } } }, ctx) === truth({ traits: { a: { $eq: x } } }, ctx)
        );
      })
    );
  });

  const { node: ruleish } = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom('$and', '$or', '$not', '$eq', '$in', '$between', '$null', '$event', '$x',
          'geo', 'country', 'traits', 'name', 'within', 'aggregate', 'field', '$gt', '__proto__'), // prettier-ignore
        tie('node'),
        { maxKeys: 3 }
      )
    ),
  }));

  it('validateRule never throws, and compileRule throws exactly when there are issues', () => {
    fc.assert(
      fc.property(ruleish, (input) => {
        const issues = validateRule(input);
        let threw = false;
        try {
          compileRule(input);
        } catch (error) {
          threw = error instanceof RuleError && error.issues.length > 0;
        }
        return threw === issues.length > 0;
      }),
      { numRuns: 500 }
    );
  });

  it('a compiled rule never throws, whatever the context holds', () => {
    const event = fc.record(
      {
        name: fc.constantFrom('purchase', 'x'),
        ts: fc.oneof(fc.double(), fc.anything()),
        value: fc.anything(),
        props: fc.oneof(fc.anything(), fc.record({ x: fc.anything() })),
      },
      { requiredKeys: [] }
    );
    const context = fc.oneof(
      fc.anything(),
      fc.record({
        traits: fc.dictionary(fc.constantFrom(...FIELDS), fc.anything()),
        events: fc.array(event),
      })
    ) as fc.Arbitrary<Context>;
    const eventRule = fc
      .tuple(fc.constantFrom('count', 'sum', 'avg', 'sinceLast'), fc.nat())
      .map(([aggregate, n]) => {
        const field = aggregate === 'sum' || aggregate === 'avg' ? { field: 'props.x' } : {};
        return { $event: { name: 'purchase', aggregate, $gte: n, ...field } };
      });
    fc.assert(
      fc.property(fc.oneof(rule, eventRule), context, fc.double(), (r, ctx, now) => {
        return typeof compileRule(r, LOOSE).test(ctx, now) === 'boolean';
      })
    );
  });
});

describe('segment rules over the context', () => {
  it('refuses a field the context does not have, naming the ones it has', () => {
    const issues = validateRule({ geoo: { country: 'DE' } }, DEFAULT_RULE_LIMITS, CONTEXT_FIELDS);
    expect(issues).toEqual([
      {
        path: 'geoo',
        message: expect.stringMatching(
          /^unknown context field 'geoo'; use one of persona, locale, utm/
        ),
      },
    ]);
    expect(validateRule({ geo: { country: 'DE' } }, DEFAULT_RULE_LIMITS, CONTEXT_FIELDS)).toEqual(
      []
    );
  });
});
