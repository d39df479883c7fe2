/**
 * Rule operators an app registers: validated like Strapi's own when a rule is compiled, evaluated
 * under the same three-valued logic, and unable to break evaluation when they throw.
 */
import fc from 'fast-check';

import { compileRule, validateRule, type CustomOperator } from '../../server/src/core/rules';
import { traitFilter } from '../../server/src/core/audience';

const startsWithWord: CustomOperator = {
  validate: (value) => (typeof value === 'string' && value !== '' ? null : 'must be a word'),
  evaluate: (actual, value) => (typeof actual === 'string' ? actual.split(' ')[0] === value : null),
};
const throwing: CustomOperator = {
  validate: () => null,
  evaluate: () => {
    throw new Error('bug');
  },
};
const operators = new Map([
  ['$firstWord', startsWithWord],
  ['$throws', throwing],
]);

describe('an app operator', () => {
  it('matches what its evaluate says, under a field path', () => {
    const rule = compileRule(
      { traits: { company: { $firstWord: 'Acme' } } },
      undefined,
      undefined,
      operators
    );
    expect(rule.test({ traits: { company: 'Acme Corp' } }, 0)).toBe(true);
    expect(rule.test({ traits: { company: 'Initech' } }, 0)).toBe(false);
    // Missing or unreadable: unknown, so neither the rule nor its negation matches.
    const negated = compileRule(
      { $not: { traits: { company: { $firstWord: 'Acme' } } } },
      undefined,
      undefined,
      operators
    );
    expect(rule.test({}, 0)).toBe(false);
    expect(negated.test({}, 0)).toBe(false);
    expect(negated.test({ traits: { company: 'Initech' } }, 0)).toBe(true);
  });

  it('refuses an operand its validate refuses, with the path', () => {
    expect(
      validateRule({ utm: { source: { $firstWord: 3 } } }, undefined, undefined, operators)
    ).toEqual([{ path: 'utm.source.$firstWord', message: 'must be a word' }]);
  });

  it('is unknown where it is not registered, and listed where it is', () => {
    const [issue] = validateRule({ utm: { source: { $firstWord: 'x' } } });
    expect(issue.message).toMatch(/^unknown operator '\$firstWord'/);
    const [listed] = validateRule(
      { utm: { source: { $nope: 'x' } } },
      undefined,
      undefined,
      operators
    );
    expect(listed.message).toContain('$firstWord');
  });

  it('refuses the rule when its validate throws', () => {
    const crashing = new Map([
      [
        '$crash',
        {
          validate: () => {
            throw new Error('oops');
          },
          evaluate: () => true,
        },
      ],
    ]);
    expect(
      validateRule({ utm: { source: { $crash: 1 } } }, undefined, undefined, crashing)
    ).toEqual([
      { path: 'utm.source.$crash', message: 'could not be checked by operator $crash: oops' },
    ]);
  });

  it('never matches and never throws when its evaluate throws, however the rule nests it', () => {
    const leaf = fc.constant({ utm: { source: { $throws: 1 } } });
    const rule = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ $not: tie('node') }),
        fc.record({ $and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ $or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) })
      ),
    })).node;
    const source = fc.option(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { nil: undefined });
    fc.assert(
      fc.property(rule, source, (node, value) => {
        const compiled = compileRule(node, { maxDepth: 20, maxNodes: 500 }, undefined, operators);
        expect(compiled.test({ utm: { source: value as string } }, 0)).toBe(false);
      })
    );
  });
});

describe('audience estimates', () => {
  it('drop trait conditions on an app operator: the database cannot count them', () => {
    const filter = traitFilter(
      { traits: { plan: 'pro', company: { $firstWord: 'Acme' } } },
      { plan: 'traitPlan', company: 'traitCompany' },
      new Set(operators.keys())
    );
    expect(filter).toEqual({ where: { traitPlan: 'pro' }, exact: false, undeclared: [] });
  });
});
