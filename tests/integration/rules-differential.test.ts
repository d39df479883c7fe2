/**
 * The differential property test of segment rules: for generated rules over generated records,
 * Mosaic's in-memory evaluation (server/src/core/rules.ts) selects exactly the records that
 * Strapi's own query engine selects from the database, on SQLite, PostgreSQL and MariaDB. Records
 * live in the playground's `rule-record` test fixture; a rule goes through Strapi's REST filter
 * conversion (the document service's path, which parses `$null: 'false'`) into
 * `strapi.db.query().findMany({ where })`.
 *
 * Mosaic follows PostgreSQL where the databases disagree. What SQLite and MariaDB do differently
 * is listed once, in DIALECTS, and pinned by the cases under "where the databases disagree".
 *
 * Rules are compared twice: untyped, where the value's type stands in for the column's, and with
 * each field's declared type (as declared traits are read), which adds a datetime column and
 * refuses what the column would refuse: those rules are generated too, and must be refused.
 */
import type { Core } from '@strapi/strapi';
import fc from 'fast-check';

import { parseInstant } from '../../server/src/core/instants';
import {
  compileRule,
  DEFAULT_RULE_LIMITS,
  validateRule,
  type RuleLimits,
} from '../../server/src/core/rules';
import type { Context, FieldTypes } from '../../server/src/core/types';
import { bootStrapi } from './strapi';

const UID = 'api::rule-record.rule-record' as never;
// RULES_DIFFERENTIAL_POOLS=100 hunts longer: 25,000 rules.
const POOLS = Number(process.env.RULES_DIFFERENTIAL_POOLS ?? 20);
const RULES_PER_POOL = 250;
const NOW = Date.UTC(2025, 0, 15, 12);

type Kind = 'text' | 'integer' | 'float' | 'boolean' | 'datetime';
const FIELDS = {
  country: 'text',
  host: 'text',
  campaign: 'text',
  visits: 'integer',
  value: 'float',
  known: 'boolean',
  seen: 'datetime',
} as const satisfies Record<string, Kind>;
type Field = keyof typeof FIELDS;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];
// Untyped, a datetime is text to Mosaic: only the typed rules read the datetime column.
const UNTYPED_FIELD_NAMES = FIELD_NAMES.filter((field) => FIELDS[field] !== 'datetime');
const KINDS: Kind[] = ['text', 'integer', 'float', 'boolean'];
/** The fixture's columns as declared types, the way declared traits are passed to rules. */
const TYPES: FieldTypes = Object.fromEntries(
  FIELD_NAMES.map((field) => [field, FIELDS[field] === 'text' ? 'string' : FIELDS[field]])
);

type Scalar = string | number | boolean;
type RuleRecord = Partial<Record<Field, Scalar | null>>;
type Rule = Record<string, unknown>;

const ORDER_OPERATORS = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte'];
/** Strapi writes these as `column LIKE …`: case-sensitive, and only on text in PostgreSQL. */
const LIKE_OPERATORS: Record<string, string> = {
  $contains: '$containsi',
  $notContains: '$notContainsi',
  $startsWith: '$startsWithi',
  $endsWith: '$endsWithi',
};
/** Strapi writes these as `LOWER(CAST(column AS VARCHAR)) … LOWER(?)`. */
const FOLDING_OPERATORS = ['$eqi', '$nei', ...Object.values(LIKE_OPERATORS)];
const OPERATORS = [
  ...ORDER_OPERATORS,
  ...Object.keys(LIKE_OPERATORS),
  ...FOLDING_OPERATORS,
  '$in',
  '$notIn',
  '$between',
  '$null',
  '$notNull',
];

/* ------------------------------------------------------------------------------------------- */
/* How each database departs from the semantics Mosaic chose                                   */
/* ------------------------------------------------------------------------------------------- */

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);
const foldsAsAscii = (text: string) => [...text].every((c) => isAscii(c) || c.toLowerCase() === c);
const isCondition = (value: unknown): value is Rule =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const conjunction = (parts: Rule[]) => (parts.length === 1 ? parts[0] : { $and: parts });

/**
 * The rule with each case-sensitive LIKE operator replaced by its `i` variant. It is split first
 * into one operator per condition, as Mosaic and Strapi read it (an object of operators is their
 * conjunction, a field-level `$not` the negation of its condition), so that `$contains` beside
 * `$containsi` in one object cannot collide.
 */
function likeAsFolding(rule: Rule): Rule {
  const condition = (field: string, value: unknown): Rule => {
    if (!isCondition(value)) return { [field]: value };
    return conjunction(
      Object.entries(value).map(([op, operand]) =>
        op === '$not'
          ? { $not: condition(field, operand) }
          : { [field]: { [LIKE_OPERATORS[op] ?? op]: operand } }
      )
    );
  };
  return conjunction(
    Object.entries(rule).map(([key, value]) => {
      if (key === '$and' || key === '$or') return { [key]: (value as Rule[]).map(likeAsFolding) };
      if (key === '$not') return { $not: likeAsFolding(value as Rule) };
      return condition(key, value);
    })
  );
}

// MariaDB's utf8mb4_unicode_ci weighs a letter as its lower case, and these marks below the
// digits, in this order: mapped so, ASCII text compares by code point as MariaDB compares it.
const MARIADB_PUNCTUATION = ' _-.\\%';
const mariadbCollation = (text: string) =>
  [...text.toLowerCase()]
    .map((c) => {
      const weight = MARIADB_PUNCTUATION.indexOf(c);
      return weight < 0 ? c : String.fromCharCode(1 + weight);
    })
    .join('');

/** The rule and records with the text of text fields mapped by `collation`, as compared. */
function collated(collation: (text: string) => string, rule: Rule, records: RuleRecord[]) {
  const operand = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(operand);
    if (isCondition(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([op, inner]) => [
          op,
          op === '$null' || op === '$notNull' ? inner : operand(inner),
        ])
      );
    }
    return value === null ? null : collation(String(value));
  };
  const walk = (node: Rule): Rule =>
    Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key === '$and' || key === '$or') return [key, (value as Rule[]).map(walk)];
        if (key === '$not') return [key, walk(value as Rule)];
        return [key, FIELDS[key as Field] === 'text' ? operand(value) : value];
      })
    );
  const record = (values: RuleRecord) =>
    Object.fromEntries(
      Object.entries(values).map(([field, value]) => [
        field,
        FIELDS[field as Field] === 'text' ? operand(value) : value,
      ])
    );
  return { rule: walk(rule), records: records.map(record) };
}

interface Dialect {
  /** Which text the generator draws values and operands from. */
  text: (text: string) => boolean;
  /** Field kinds the LIKE operators and the folding operators are generated on. */
  likeOn: Kind[];
  foldingOn: Kind[];
  /** Whether operands with a fraction are generated against the integer column. */
  fractionsOnIntegers: boolean;
  /** The rule and records whose answer in Mosaic is this database's; as given if absent. */
  read?: (rule: Rule, records: RuleRecord[]) => { rule: Rule; records: RuleRecord[] };
}

const DIALECTS: Record<string, Dialect> = {
  // PostgreSQL is Mosaic's reference. Strapi's queries fail on it where Mosaic still answers:
  // `column LIKE ?` on a number or a boolean ("operator does not exist"), and an operand with a
  // fraction against an integer column ("invalid input syntax for type integer"), so neither is
  // generated. The test database sorts by code point and folds case by Unicode (C.UTF-8).
  postgres: {
    text: () => true,
    likeOn: ['text'],
    foldingOn: KINDS,
    fractionsOnIntegers: false,
  },
  // SQLite's LIKE ignores ASCII case, and its LOWER() folds ASCII only: the expected answer
  // reads the case-sensitive LIKE operators as their `i` variants, and no upper-case non-ASCII
  // letter is generated. A float column stores 2 as 2.0 and a boolean as 1/0, which their text
  // forms show, so text operators are generated on text and integers only. `=` and ordering
  // compare bytes, as PostgreSQL's C collation does.
  sqlite: {
    text: foldsAsAscii,
    likeOn: ['text', 'integer'],
    foldingOn: ['text', 'integer'],
    fractionsOnIntegers: true,
    read: (rule, records) => ({ rule: likeAsFolding(rule), records }),
  },
  // MariaDB compares text under the column's collation (utf8mb4_unicode_ci) in `=`, ordering,
  // IN and LIKE alike: without case, without accents, and padding with spaces so that 'a ' = 'a'.
  // The expected answer compares text through mariadbCollation; the generator keeps to ASCII
  // without trailing spaces, which that mapping models. A boolean is stored as 1/0, so no text
  // operator is generated on it.
  mysql: {
    text: (text) => isAscii(text) && !text.endsWith(' '),
    likeOn: ['text', 'integer', 'float'],
    foldingOn: ['text', 'integer', 'float'],
    fractionsOnIntegers: true,
    read: (rule, records) => collated(mariadbCollation, rule, records),
  },
};

const client = process.env.DATABASE_CLIENT ?? 'sqlite';
const dialect = DIALECTS[client];

/* ------------------------------------------------------------------------------------------- */
/* What is generated                                                                            */
/* ------------------------------------------------------------------------------------------- */

// Small domains, so that rules hit: case and accent variants, numbers as text, LIKE's wildcards
// and escape, leading and trailing spaces, code points either side of U+FFFF, and the letters
// whose lower case Unicode special-cases (Σ, İ).
const WORDS = [
  'DE', 'de', 'De', 'FR', 'fr', 'AT', '', 'example.com', 'Example.COM', 't.co', '10', '9', '010',
  '1e1', 'true', 'TRUE', '100%', '50_50', 'a\\b', 'Déjà', 'DÉJÀ', ' lead', 'trail ', 'Ａ', '😀',
  'ΟΔΟΣ', 'οδος', 'οδοσ', 'İzmir', 'izmir',
]; // prettier-ignore
const LETTERS = [
  'a', 'A', 'b', 'é', 'É', 'e', 'E', 'i', 'İ', 'Σ', 'ς', '%', '_', '\\', ' ', '-', '.', '0', '1', '9',
]; // prettier-ignore

const text = fc
  .oneof(fc.constantFrom(...WORDS), fc.string({ unit: fc.constantFrom(...LETTERS), maxLength: 3 }))
  .filter(dialect.text);

// Instants around one day, each in several spellings: the zone, the fraction and the separator
// change the text but not the instant.
const INSTANTS = [
  '2026-06-14T22:00:00Z',
  '2026-06-15T00:00:00Z',
  '2026-06-15T12:00:00Z',
  '2026-06-16T00:00:00.5Z',
];
const spellings = (instant: string) => {
  const ms = Date.parse(instant);
  const at = (offsetMinutes: number) => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
  return [new Date(ms).toISOString(), at(120), at(-300), instant.replace('T', ' ')];
};
const datetime = fc.constantFrom(...INSTANTS.flatMap(spellings));

const VALUES: Record<Kind, fc.Arbitrary<Scalar>> = {
  text,
  integer: fc.constantFrom(-1, 0, 1, 2, 9, 10, 100),
  float: fc.constantFrom(-1.5, 0, 0.1, 0.5, 1, 2.5, 10, 100),
  boolean: fc.boolean(),
  datetime,
};

/** Operands of the operators Strapi casts to the column's type: only what the cast accepts. */
const CAST_OPERANDS: Record<Kind, fc.Arbitrary<Scalar>> = {
  text: fc.oneof(text, fc.constantFrom(0, 9, 10, 1.5, true, false)),
  integer: fc.oneof(
    VALUES.integer,
    fc.constantFrom('10', '9', ' 2', '1e1', '010', '-1', '0x10'),
    dialect.fractionsOnIntegers ? fc.constantFrom(1.5, -0.5, '2.5') : VALUES.integer
  ),
  float: fc.oneof(VALUES.float, fc.constantFrom(2, 9, 0.3, '0.1', '2.50', ' 1 ', '1e1', '-1.5')),
  boolean: fc.constantFrom(true, false, 'true', 'false', 't', 'f', '1', '0', 1, 0, 'FALSE', '', 2),
  // Dates (midnight), instants in any spelling, and what a datetime column refuses or guesses at.
  datetime: fc.oneof(
    datetime,
    fc.constantFrom('2026-06-15', '2026-06-16', '2026-06-15T12:00', '2026', 'soon', '2026-02-30', 0)
  ),
};

/** Operands of the text operators, which Strapi does not cast. */
const TEXT_OPERANDS: Record<Kind, fc.Arbitrary<Scalar>> = {
  text: fc.oneof(text, fc.constantFrom(0, 1, 10, true)),
  integer: fc.constantFrom('1', '0', '-', '10', '00', 'e', 1, 0),
  float: fc.constantFrom('1', '0', '.', '.5', '-', '10', '0.1', 'e', 1, 0),
  boolean: fc.constantFrom('t', 'T', 'tru', 'TRUE', 'false', 'ALS', '1', '0', 1, true),
  datetime: fc.constantFrom('2026', '-06-15', '12:00', 'T', 'Z'),
};

const NULL_OPERANDS = fc.constantFrom(true, false, 'true', 'false', 't', 'f', '1', '0', 1, 0);

const orNull = (arb: fc.Arbitrary<Scalar>) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: arb });

function operand(op: string, kind: Kind): fc.Arbitrary<unknown> {
  const cast = CAST_OPERANDS[kind];
  if (op === '$eq' || op === '$ne') return orNull(cast);
  if (op === '$eqi' || op === '$nei') return orNull(TEXT_OPERANDS[kind]);
  if (ORDER_OPERATORS.includes(op)) return cast;
  if (op === '$in' || op === '$notIn') return fc.array(orNull(cast), { maxLength: 4 });
  if (op === '$between') return fc.tuple(cast, cast);
  if (op === '$null' || op === '$notNull') return NULL_OPERANDS;
  return TEXT_OPERANDS[kind];
}

/** Untyped, only what each database can run; typed, everything, since Mosaic refuses the rest. */
function operatorsOn(kind: Kind, typed: boolean): string[] {
  return OPERATORS.filter(
    (op) =>
      typed ||
      ((!(op in LIKE_OPERATORS) || dialect.likeOn.includes(kind)) &&
        (!FOLDING_OPERATORS.includes(op) || dialect.foldingOn.includes(kind)))
  );
}

/** A condition on one field: a value, an array, operators, or a field-level `$not`. */
function fieldCondition(kind: Kind, typed: boolean): fc.Arbitrary<unknown> {
  const entry = fc.oneof(
    ...operatorsOn(kind, typed).map((op) => operand(op, kind).map((value) => [op, value] as const))
  );
  const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small' },
      orNull(CAST_OPERANDS[kind]),
      fc.array(CAST_OPERANDS[kind], { maxLength: 3 }),
      fc.array(entry, { minLength: 1, maxLength: 2 }).map((entries) => Object.fromEntries(entries)),
      fc.record({ $not: tie('condition') })
    ),
  }));
  return condition;
}

function ruleArbitrary(fields: Field[], typed: boolean): fc.Arbitrary<Rule> {
  const fieldRule: fc.Arbitrary<Rule> = fc.oneof(
    ...fields.map((field) =>
      fieldCondition(FIELDS[field], typed).map((condition) => ({ [field]: condition }))
    )
  );
  const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      fieldRule,
      fc.tuple(fieldRule, fieldRule).map(([a, b]) => ({ ...a, ...b })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map(($and) => ({ $and })),
      fc.array(tie('rule'), { minLength: 1, maxLength: 3 }).map(($or) => ({ $or })),
      tie('rule').map(($not) => ({ $not }))
    ),
  }));
  return rule;
}

const NO_TYPES: FieldTypes = {};
const untypedRules = ruleArbitrary(UNTYPED_FIELD_NAMES, false);
const typedRules = ruleArbitrary(FIELD_NAMES, true);
const isValid = (rule: Rule, types: FieldTypes) =>
  validateRule(rule, DEFAULT_RULE_LIMITS, undefined, undefined, types).length === 0;

const recordArbitrary: fc.Arbitrary<RuleRecord> = fc.record(
  Object.fromEntries(
    FIELD_NAMES.map((field) => [
      field,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 6, arbitrary: VALUES[FIELDS[field]] }
      ),
    ])
  ) as Record<Field, fc.Arbitrary<Scalar | null>>,
  { requiredKeys: [] }
);
const poolArbitrary = fc.array(recordArbitrary, { minLength: 12, maxLength: 20 });

/* ------------------------------------------------------------------------------------------- */
/* The two answers                                                                              */
/* ------------------------------------------------------------------------------------------- */

let strapi: Core.Strapi;

interface Pool {
  ids: number[];
  records: RuleRecord[];
}

/** Replaces the fixture's rows with `records`, checking that the database keeps them as given. */
async function store(records: RuleRecord[]): Promise<Pool> {
  // better-sqlite3 answers synchronously, so the queries alone never yield to the event loop:
  // let Strapi's deferred work (timers, immediates) run between pools, not after destroy().
  await new Promise(setImmediate);
  const query = strapi.db.query(UID);
  await query.deleteMany({});
  const ids: number[] = [];
  for (const record of records) {
    ids.push((await query.create({ data: { ...record } })).id);
  }
  const rows = await query.findMany({ orderBy: { id: 'asc' } });
  // A datetime column keeps the instant, not its spelling.
  const fieldsOf = (row: RuleRecord) =>
    Object.fromEntries(
      FIELD_NAMES.map((field) => {
        const value = row[field] ?? null;
        return [
          field,
          typeof value === 'string' && FIELDS[field] === 'datetime' ? parseInstant(value) : value,
        ];
      })
    );
  expect(rows.map(fieldsOf)).toEqual(records.map(fieldsOf));
  return { ids, records };
}

/** The ids Strapi selects: REST filters converted as the document service does, then queried. */
async function selectedByStrapi(rule: Rule): Promise<number[]> {
  const { where } = strapi.get('query-params').transform(UID, { filters: rule });
  const rows: { id: number }[] = await strapi.db.query(UID).findMany({ where, select: ['id'] });
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

// Splitting a rule into one operator per condition can deepen it past the limits for segments.
const UNBOUNDED = { maxDepth: 100, maxNodes: 100_000 };

function selectedByMosaic(
  rule: Rule,
  pool: Pool,
  types: FieldTypes,
  limits: RuleLimits = DEFAULT_RULE_LIMITS
): number[] {
  const { test } = compileRule(rule, limits, undefined, undefined, types);
  return pool.ids.filter((_, i) => test(pool.records[i] as Context, NOW));
}

/** Mosaic's answer for the rule as this database reads it: the answer the database must give. */
function expectedOf(rule: Rule, pool: Pool, types: FieldTypes): number[] {
  if (!dialect.read) return selectedByMosaic(rule, pool, types);
  const read = dialect.read(rule, pool.records);
  return selectedByMosaic(read.rule, { ids: pool.ids, records: read.records }, types, UNBOUNDED);
}

function operatorsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((element) => operatorsIn(element, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('$')) found.add(key);
      operatorsIn(value, found);
    }
  }
  return found;
}

/* ------------------------------------------------------------------------------------------- */
/* The tests                                                                                    */
/* ------------------------------------------------------------------------------------------- */

beforeAll(async () => {
  strapi = await bootStrapi('rules-differential');
});

afterAll(async () => {
  await strapi?.destroy();
});

describe(`segment rules select the records Strapi selects, on ${client}`, () => {
  it('runs on a database that behaves as its dialect says', async () => {
    const raw = (sql: string) => strapi.db.connection.raw(sql);
    if (client === 'postgres') {
      const { rows } = await raw(`SELECT 'B' < 'a' AS code_points, lower('É') = 'é' AS unicode`);
      expect(rows).toEqual([{ code_points: true, unicode: true }]);
    } else if (client === 'mysql') {
      const [rows] = await raw(
        `SELECT COLLATION_NAME AS collation FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'rule_records' AND COLUMN_NAME = 'host'`
      );
      expect(rows).toEqual([{ collation: 'utf8mb4_unicode_ci' }]);
    } else {
      expect(client).toBe('sqlite');
    }
  });

  it.each([
    { name: 'untyped', rules: untypedRules, types: NO_TYPES, often: 50 },
    // Text operators are refused on four of the seven declared fields: each is compared less.
    { name: 'with declared types', rules: typedRules, types: TYPES, often: 20 },
  ])(
    `agrees on ${POOLS * RULES_PER_POOL} generated rules over ${POOLS} generated record pools, $name`,
    async ({ rules, types, often }) => {
      const seen = new Map<string, number>();
      let compared = 0;
      let telling = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(poolArbitrary, fc.integer(), async (records, seed) => {
          const pool = await store(records);
          await fc.assert(
            fc.asyncProperty(rules, async (rule) => {
              if (!isValid(rule, types)) {
                refused += 1;
                return;
              }
              const expected = expectedOf(rule, pool, types);
              expect({ rule, ids: await selectedByStrapi(rule) }).toEqual({ rule, ids: expected });
              compared += 1;
              if (expected.length > 0 && expected.length < pool.ids.length) telling += 1;
              for (const op of operatorsIn(rule)) seen.set(op, (seen.get(op) ?? 0) + 1);
            }),
            { numRuns: RULES_PER_POOL, seed }
          );
        }),
        { numRuns: POOLS }
      );
      expect(compared + refused).toBe(POOLS * RULES_PER_POOL);
      // Not vacuous: most rules are compared, about half of those split their pool, and every
      // operator was compared often.
      expect(compared / (compared + refused)).toBeGreaterThan(0.5);
      expect(telling / compared).toBeGreaterThan(0.4);
      const rare = [...OPERATORS, '$and', '$or', '$not'].filter(
        (op) => (seen.get(op) ?? 0) < often
      );
      expect(rare).toEqual([]);
    },
    240_000
  );

  it('refuses, with declared types, every text operator on a number, a boolean or a datetime', () => {
    const notText = FIELD_NAMES.filter((field) => FIELDS[field] !== 'text');
    fc.assert(
      fc.property(
        fc.constantFrom(...notText),
        fc.constantFrom(...FOLDING_OPERATORS, ...Object.keys(LIKE_OPERATORS)),
        fc.constantFrom('1', '0', 'e', '2026', 't'),
        (field, op, operand) => !isValid({ [field]: { [op]: operand } }, TYPES)
      )
    );
  });
});

/**
 * A rule over records, with the records it selects (as indexes) in Mosaic and in each database
 * through Strapi, or the error Strapi's query fails with there.
 */
interface Answers {
  records: RuleRecord[];
  rule: Rule;
  /** Declared types the rule is read with; none when absent. */
  types?: FieldTypes;
  mosaic: number[];
  databases: Record<'postgres' | 'sqlite' | 'mysql', number[] | RegExp>;
}

async function answers({ records, rule, types = NO_TYPES, mosaic, databases }: Answers) {
  const pool = await store(records);
  const ids = (indexes: number[]) => indexes.map((index) => pool.ids[index]);
  expect(selectedByMosaic(rule, pool, types)).toEqual(ids(mosaic));
  const expected = databases[client as keyof Answers['databases']];
  if (expected instanceof RegExp) await expect(selectedByStrapi(rule)).rejects.toThrow(expected);
  else expect(await selectedByStrapi(rule)).toEqual(ids(expected));
}

describe(`where the databases disagree, Mosaic answers as PostgreSQL (on ${client})`, () => {
  it.each<Answers & { name: string }>([
    {
      name: 'LIKE is case-sensitive',
      records: [{ host: 'example.com' }, { host: 'Example.COM' }],
      rule: { host: { $contains: 'COM' } },
      mosaic: [1],
      databases: { postgres: [1], sqlite: [0, 1], mysql: [0, 1] },
    },
    {
      name: '= is case-sensitive',
      records: [{ country: 'DE' }, { country: 'de' }],
      rule: { country: 'de' },
      mosaic: [1],
      databases: { postgres: [1], sqlite: [1], mysql: [0, 1] },
    },
    {
      name: '= tells accented letters apart',
      records: [{ country: 'e' }, { country: 'é' }],
      rule: { country: { $eq: 'e' } },
      mosaic: [0],
      databases: { postgres: [0], sqlite: [0], mysql: [0, 1] },
    },
    {
      name: 'trailing spaces count',
      records: [{ campaign: 'sale' }, { campaign: 'sale ' }],
      rule: { campaign: 'sale' },
      mosaic: [0],
      databases: { postgres: [0], sqlite: [0], mysql: [0, 1] },
    },
    {
      name: 'text sorts by code point, upper case first',
      records: [{ country: 'a' }, { country: 'B' }],
      rule: { country: { $lt: 'a' } },
      mosaic: [1],
      databases: { postgres: [1], sqlite: [1], mysql: [] },
    },
    {
      name: 'the i operators fold non-ASCII letters',
      records: [{ country: 'É' }, { country: 'E' }],
      rule: { country: { $eqi: 'é' } },
      mosaic: [0],
      databases: { postgres: [0], sqlite: [], mysql: [0, 1] },
    },
    {
      name: "a boolean reads as 'true' or 'false' in text operators",
      records: [{ known: true }, { known: false }],
      rule: { known: { $containsi: 'TRU' } },
      mosaic: [0],
      databases: { postgres: [0], sqlite: [], mysql: [] },
    },
    {
      name: 'a float reads as its shortest text in text operators',
      records: [{ value: 2 }, { value: 2.5 }],
      rule: { value: { $endsWithi: '.0' } },
      mosaic: [],
      databases: { postgres: [], sqlite: [0], mysql: [] },
    },
    {
      name: 'LIKE reads a number as text',
      records: [{ visits: 10 }, { visits: 2 }],
      rule: { visits: { $contains: '1' } },
      mosaic: [0],
      databases: {
        postgres: /operator does not exist: integer ~~ unknown/,
        sqlite: [0],
        mysql: [0],
      },
    },
    {
      name: 'an integer compares with a fraction',
      records: [{ visits: 1 }, { visits: 2 }],
      rule: { visits: { $lt: 1.5 } },
      mosaic: [0],
      databases: { postgres: /invalid input syntax for type integer/, sqlite: [0], mysql: [0] },
    },
  ])('$name', answers);
});

describe('counterexamples the differential test found in Mosaic', () => {
  it('a final Σ folds to σ, as LOWER() folds it, not to ς', async () => {
    await answers({
      records: [{}, { campaign: 'οδοσ' }],
      rule: { $not: { campaign: { $endsWithi: 'ΟΔΟΣ' } } },
      mosaic: [],
      databases: { postgres: [], sqlite: [1], mysql: [] },
    });
  });

  it('İ folds to i, as LOWER() folds it, not to i̇', async () => {
    await answers({
      records: [{ host: 'İzmir' }, { host: 'izmir' }],
      rule: { host: { $eqi: 'izmir' } },
      mosaic: [0, 1],
      databases: { postgres: [0, 1], sqlite: [1], mysql: [0, 1] },
    });
  });
});

describe(`declared types: a datetime compares instants (on ${client})`, () => {
  // A date is midnight in the server's time zone, as Strapi reads it (UTC on a UTC server).
  const midnight = new Date(2026, 5, 15).getTime();
  const at = (ms: number) => new Date(ms).toISOString();

  it.each<Answers & { name: string }>([
    {
      name: 'a date is its midnight',
      records: [{ seen: at(midnight) }, { seen: at(midnight + 1) }, { seen: at(midnight - 1) }],
      rule: { seen: { $lte: '2026-06-15' } },
      types: TYPES,
      mosaic: [0, 2],
      databases: { postgres: [0, 2], sqlite: [0, 2], mysql: [0, 2] },
    },
    {
      name: 'two spellings of one instant are equal',
      records: [{ seen: '2026-06-15T12:00:00.000Z' }, { seen: '2026-06-15T14:00:00.000Z' }],
      rule: { seen: { $in: ['2026-06-15T14:00:00+02:00'] } },
      types: TYPES,
      mosaic: [0],
      databases: { postgres: [0], sqlite: [0], mysql: [0] },
    },
    {
      name: 'an instant orders by time, not by its text',
      records: [{ seen: '2026-06-15T12:00:00+02:00' }, { seen: '2026-06-15T12:00:00-02:00' }],
      rule: { seen: { $lt: '2026-06-15T12:00:00Z' } },
      types: TYPES,
      mosaic: [0],
      databases: { postgres: [0], sqlite: [0], mysql: [0] },
    },
    {
      name: 'undeclared, the same field is text, which the databases do not read: declare it',
      records: [{ seen: '2026-06-15T12:00:00.000Z' }],
      rule: { seen: '2026-06-15T14:00:00+02:00' },
      mosaic: [],
      databases: { postgres: [0], sqlite: [0], mysql: [0] },
    },
  ])('$name', answers);
});

/** A rule Mosaic refuses once its field is declared, and what each database does with it. */
interface Refusal {
  name: string;
  records: RuleRecord[];
  rule: Rule;
  path: string;
  databases: Record<'postgres' | 'sqlite' | 'mysql', number[] | RegExp>;
}

describe(`declared types: what a column would refuse or read its own way is refused (on ${client})`, () => {
  it.each<Refusal>([
    {
      name: "'2026' is a datetime to Strapi (its 1 January), a guess Mosaic does not make",
      records: [{ seen: '2025-12-31T12:00:00Z' }, { seen: '2026-06-15T12:00:00Z' }],
      rule: { seen: { $gt: '2026' } },
      path: 'seen.$gt',
      databases: { postgres: [1], sqlite: [1], mysql: [1] },
    },
    {
      name: 'a word against a datetime fails the query',
      records: [{ seen: '2026-06-15T12:00:00Z' }],
      rule: { seen: { $lt: 'soon' } },
      path: 'seen.$lt',
      databases: { postgres: /Invalid format/, sqlite: /Invalid format/, mysql: /Invalid format/ },
    },
    {
      name: 'a word against a float fails the query',
      records: [{ value: 1 }],
      rule: { value: { $gt: 'lots' } },
      path: 'value.$gt',
      databases: {
        postgres: /Expected a valid Number/,
        sqlite: /Expected a valid Number/,
        mysql: /Expected a valid Number/,
      },
    },
    {
      name: "a small float's text is the database's own: 1e-05 (SQLite 1.0e-05, MariaDB 0.00001)",
      records: [{ value: 0.00001 }, { value: 0.5 }],
      rule: { value: { $containsi: 'e-' } },
      path: 'value.$containsi',
      databases: { postgres: [0], sqlite: [0], mysql: [] },
    },
    {
      name: "a large float's text is the database's own: 1e+16 (SQLite 10000000000000000.0, MariaDB 1e16)",
      records: [{ value: 1e16 }, { value: 2.5 }],
      rule: { value: { $containsi: 'e+' } },
      path: 'value.$containsi',
      databases: { postgres: [0], sqlite: [], mysql: [] },
    },
    {
      name: 'a fraction against an integer fails the query on PostgreSQL',
      records: [{ visits: 1 }, { visits: 2 }],
      rule: { visits: { $lt: 1.5 } },
      path: 'visits.$lt',
      databases: { postgres: /invalid input syntax for type integer/, sqlite: [0], mysql: [0] },
    },
  ])('$name', async ({ records, rule, path, databases }) => {
    const issues = validateRule(rule, DEFAULT_RULE_LIMITS, undefined, undefined, TYPES);
    expect(issues.map((issue) => issue.path)).toEqual([path]);
    const pool = await store(records);
    const expected = databases[client as keyof Refusal['databases']];
    if (expected instanceof RegExp) await expect(selectedByStrapi(rule)).rejects.toThrow(expected);
    else expect(await selectedByStrapi(rule)).toEqual(expected.map((index) => pool.ids[index]));
  });
});
