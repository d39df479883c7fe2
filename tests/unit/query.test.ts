/**
 * The delivery query is checked by hand on the hot path; the contract's zod schema
 * (contracts/delivery.ts) is the specification, and the two must agree on every query a client
 * can send.
 */
import fc from 'fast-check';

import { deliveryQuerySchema as specification } from '../../contracts/delivery';
import { parseDeliveryQuery, QUERY_LIMITS } from '../../server/src/core/query';

/**
 * What the zod schema said, in the words the delivery API answers with. A parameter that is not a
 * string was repeated or nested: the API says so for every parameter (zod's enum said
 * "must be 'true' or 'false'" to a repeated `explain`).
 */
function specified(query: Record<string, unknown>) {
  const result = specification.safeParse(query);
  if (result.success) return { ok: true as const, query: result.data };
  return {
    ok: false as const,
    issues: result.error.issues.map((issue) => {
      const param = issue.path.join('.');
      const message =
        issue.code === 'invalid_type' || typeof query[param] !== 'string'
          ? `'${param}' must be given once, as a single value`
          : issue.code === 'custom'
            ? issue.message
            : `'${param}' ${issue.message}`;
      return { path: issue.path, message };
    }),
  };
}

const PARAMS = Object.keys(QUERY_LIMITS);

/** Values as a query-string parser hands them over: strings, repeated (arrays), nested (objects). */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'true',
      'false',
      'Europe/Berlin',
      'America/New_York',
      'europe/berlin',
      'Mars/Olympus_Mons',
      'UTC',
      ''
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 2100 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })) }
);

const query = fc.dictionary(
  fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 8 })),
  value,
  { maxKeys: 6 }
);

describe('the delivery query', () => {
  it('accepts and refuses exactly what the zod schema does, with the same messages', () => {
    fc.assert(
      fc.property(query, (input) => {
        expect(parseDeliveryQuery(input)).toEqual(specified(input));
      }),
      { numRuns: 3000 }
    );
  });

  it('says what is wrong with each parameter, in order', () => {
    expect(
      parseDeliveryQuery({
        format: ['html', 'text'],
        explain: 'yes',
        tz: 'Mars/Olympus_Mons',
        persona: 'p'.repeat(101),
        utm_source: 'newsletter',
      })
    ).toEqual({
      ok: false,
      issues: [
        { path: ['format'], message: "'format' must be given once, as a single value" },
        { path: ['persona'], message: "'persona' must be at most 100 characters" },
        { path: ['explain'], message: "'explain' must be 'true' or 'false'" },
        {
          path: ['tz'],
          message: "Unknown time zone 'Mars/Olympus_Mons': use an IANA zone such as Europe/Berlin",
        },
      ],
    });
  });

  it('keeps the known parameters and drops the others', () => {
    expect(
      parseDeliveryQuery({ format: 'html', tz: 'Europe/Berlin', other: 'x', 'persona[$ne]': 'a' })
    ).toEqual({ ok: true, query: { format: 'html', tz: 'Europe/Berlin' } });
    expect(parseDeliveryQuery(undefined)).toEqual({ ok: true, query: {} });
  });
});
