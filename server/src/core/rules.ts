/**
 * Segment rules (PRODUCT.md, *Rules*): validates a rule written in Strapi 5 REST `filters` syntax
 * plus `$event`, and compiles it once into closures evaluated against a request Context.
 *
 * Semantics mirror @strapi/database's `where` helper on knex, under SQL three-valued logic: a
 * condition is true, false or unknown (null), `$and`/`$or`/`$not` are Kleene, only true matches.
 * - A missing field is NULL: comparing it is unknown, so `$ne $nei $notIn $notContains(i)` do not
 *   match it. `$null`, `$notNull`, `$eq: null`, `$ne: null` are IS [NOT] NULL and do.
 * - `$in: []` matches nothing and `$notIn: []` everything, missing fields included (knex emits
 *   1 = 0 / 1 = 1). A null inside `$in` makes a non-matching value unknown, as in SQL.
 * - The context value's type stands in for the column type, and operands of `$eq $ne $lt $lte $gt
 *   $gte $in $notIn $between $not` are cast as Strapi casts them for such a column: numeric
 *   strings against numbers; 'true' 't' '1' 1 / 'false' 'f' '0' 0 (else truthiness) against
 *   booleans; anything stringified against strings. A number against a non-numeric operand (an
 *   error in Strapi) is compared as text. Text orders by code point (PostgreSQL, C collation).
 * - Case-sensitive operators follow PostgreSQL; MySQL and SQLite would fold ASCII case in LIKE.
 *   The `i` operators fold each character on its own, as PostgreSQL's LOWER() does (a final Σ is
 *   σ, not ς; İ is i). Other text operators compare text forms (booleans as 'true'/'false',
 *   PostgreSQL's cast); `%`, `_`, `\` are literal, as Strapi escapes them.
 * - `$null`/`$notNull` take booleans or Strapi's REST boolean strings ('true', 'f', '0', ...).
 * - An array in the context matches a field condition when any element does (a join); an empty
 *   one is missing. A `$not` above that field negates the "any", which a SQL join would not.
 * - An object compared with a value is unknown. Context reads use own properties only.
 * - Where the type of a field is declared (`types`: declared traits, the context's datetimes),
 *   the declared type is the column's: a datetime compares instants, whatever their spelling
 *   (core/instants.ts), and operands are checked against the type on validation, since Strapi
 *   refuses them at query time (a word against a number, a fraction against an integer, a
 *   non-date against a datetime). Text operators apply to text only there: a database's text form
 *   of a number or a date (`1e-05`, `2026-06-15 00:00:00+00`) is its own, and LIKE on either
 *   fails on PostgreSQL.
 */
import { instantOf, parseInstant } from './instants';
import type { Context, FieldType, FieldTypes } from './types';

export interface RuleIssue {
  path: string;
  message: string;
}

export interface RuleLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_RULE_LIMITS: RuleLimits = Object.freeze({ maxDepth: 8, maxNodes: 200 });

export interface CompiledRule {
  test(ctx: Context, now: number): boolean;
  fields: string[];
}

/**
 * An operator an app adds (see services/extensions.ts): `validate` answers an error message for a
 * bad operand or null; `evaluate` answers true, false, or null for unknown. Either may throw: a
 * throwing `validate` refuses the rule, a throwing `evaluate` is unknown (no match).
 */
export interface CustomOperator {
  validate(value: unknown): string | null;
  evaluate(actual: unknown, value: unknown): boolean | null;
}

export type CustomOperators = ReadonlyMap<string, CustomOperator>;

const NO_CUSTOM_OPERATORS: CustomOperators = new Map();
const NO_TYPES: FieldTypes = {};

export class RuleError extends Error {
  readonly issues: RuleIssue[];

  constructor(issues: RuleIssue[]) {
    super(formatRuleIssues(issues));
    this.name = 'RuleError';
    this.issues = issues;
  }
}

/**
 * `knownFields`, when given, lists the top-level fields a rule may read: segments pass the
 * context's fields so that a typo (`geoo`) is refused instead of silently never matching.
 */
export function validateRule(
  rule: unknown,
  limits: RuleLimits = DEFAULT_RULE_LIMITS,
  knownFields?: readonly string[],
  operators: CustomOperators = NO_CUSTOM_OPERATORS,
  types: FieldTypes = NO_TYPES
): RuleIssue[] {
  return compile(rule, limits, knownFields, operators, types).issues;
}

export function compileRule(
  rule: unknown,
  limits: RuleLimits = DEFAULT_RULE_LIMITS,
  knownFields?: readonly string[],
  operators: CustomOperators = NO_CUSTOM_OPERATORS,
  types: FieldTypes = NO_TYPES
): CompiledRule {
  const { issues, test, fields } = compile(rule, limits, knownFields, operators, types);
  if (issues.length > 0 || !test) throw new RuleError(issues);
  return { test: (ctx, now) => test(ctx, now) === true, fields };
}

// Messages are predicates ("must be …") read after the path, or statements set off by a colon.
const PREDICATE = /^(must|is|has|needs|cannot) /;

export function formatRuleIssues(issues: RuleIssue[]): string {
  return issues
    .map(({ path, message }) => {
      const subject = path === '' ? 'rule' : `rule.${path}`;
      return PREDICATE.test(message) ? `${subject} ${message}` : `${subject}: ${message}`;
    })
    .join('; ');
}

type Truth = boolean | null;
/** Input is the context at the rule level, or the value at the field's path below it. */
type Test = (input: unknown, now: number) => Truth;
type Path = ReadonlyArray<string | number>;
type Scalar = string | number | boolean;
/** Sign of a value − an operand, or null when SQL would not know. */
type Order = (value: unknown) => number | null;

export const FIELD_OPERATORS = [
  '$eq', '$eqi', '$ne', '$nei', '$lt', '$lte', '$gt', '$gte', '$in', '$notIn', '$contains',
  '$notContains', '$containsi', '$notContainsi', '$null', '$notNull', '$between', '$startsWith',
  '$startsWithi', '$endsWith', '$endsWithi',
]; // prettier-ignore
const FIELD_OPERATOR_SET = new Set(FIELD_OPERATORS);
const RULE_OPERATORS = ['$and', '$or', '$not', '$event'];
const EVENT_COMPARISONS = ['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$between'];
const EVENT_SETTINGS = ['name', 'within', 'aggregate', 'field'];
const AGGREGATES = ['count', 'sum', 'min', 'max', 'avg', 'sinceLast'] as const;
type Aggregate = (typeof AGGREGATES)[number];
const FIELD_AGGREGATES: unknown[] = ['sum', 'min', 'max', 'avg'];

const FIELD_NAME = /^[A-Za-z0-9_-]+$/;
// They pass FIELD_NAME yet name prototype machinery rather than data.
const FORBIDDEN_FIELD_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const DURATION = /^(\d+)([smhdw])$/;
const DURATION_UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
// Strapi's parseType/BooleanField lists, for `$null` operands and boolean columns alike.
const TRUE_INPUTS: unknown[] = [true, 'true', 't', '1', 1];
const FALSE_INPUTS: unknown[] = [false, 'false', 'f', '0', 0];

const MUST_BE_SCALAR = 'must be a string, number or boolean';
const MUST_BE_SCALAR_OR_NULL = 'must be a string, number, boolean or null';

/** Operators of Strapi's filter syntax and of rules; an app's operators may not reuse them. */
export const BUILT_IN_OPERATORS: readonly string[] = [...FIELD_OPERATORS, ...RULE_OPERATORS];

function compile(
  rule: unknown,
  limits: RuleLimits,
  knownFields: readonly string[] | undefined,
  operators: CustomOperators,
  types: FieldTypes
): { issues: RuleIssue[]; test?: Test; fields: string[] } {
  const compiler = new Compiler(limits, knownFields, operators, types);
  let test: Test | undefined;
  if (!isRecord(rule)) {
    compiler.fail([], 'must be an object of conditions, e.g. { "geo": { "country": "DE" } }');
  } else if (exceedsNodes(rule, limits.maxNodes)) {
    compiler.fail([], `has more than ${limits.maxNodes} values; simplify it or split the segment`);
  } else {
    test = compiler.rule(rule, [], 1);
  }
  return { issues: compiler.issues, test, fields: [...compiler.fields] };
}

class Compiler {
  readonly issues: RuleIssue[] = [];
  readonly fields = new Set<string>();

  constructor(
    private readonly limits: RuleLimits,
    private readonly knownFields: readonly string[] | undefined,
    private readonly operators: CustomOperators,
    private readonly types: FieldTypes
  ) {}

  /** The declared type of the field a path is under, if any. */
  typeAt(path: Path): FieldType | undefined {
    const field = fieldOf(path);
    return Object.prototype.hasOwnProperty.call(this.types, field) ? this.types[field] : undefined;
  }

  isFieldOperator(key: string): boolean {
    return FIELD_OPERATOR_SET.has(key) || this.operators.has(key);
  }

  fail(path: Path, message: string): undefined {
    this.issues.push({ path: path.join('.'), message });
    return undefined;
  }

  /** A condition on the whole context: its keys are top-level fields or $and/$or/$not/$event. */
  rule(node: unknown, path: Path, depth: number): Test | undefined {
    if (!this.enterObject(node, path, depth)) return undefined;
    const tests: Test[] = [];
    for (const key of Object.keys(node)) {
      const at = [...path, key];
      const value = node[key];
      let test: Test | undefined;
      if (key === '$and' || key === '$or') {
        test = this.group(key, value, at, (element, p) => this.rule(element, p, depth + 1));
      } else if (key === '$not') {
        test = negate(this.rule(value, at, depth + 1));
      } else if (key === '$event') {
        this.fields.add('events');
        test = this.event(value, at, depth + 1);
      } else if (key.startsWith('$')) {
        this.fail(
          at,
          this.isFieldOperator(key)
            ? `must be inside a field, e.g. { "device": { "type": { "${key}": "mobile" } } }`
            : unknownOperator(key, RULE_OPERATORS)
        );
      } else if (this.knownFields && !this.knownFields.includes(key)) {
        this.fail(at, `unknown context field '${key}'; use one of ${this.knownFields.join(', ')}`);
      } else if (this.fieldName(key, at)) {
        this.fields.add(key);
        test = readField(key, this.field(value, at, depth + 1));
      }
      if (test) tests.push(test);
    }
    return allOf(tests);
  }

  /**
   * A condition on the value at `path`: a value ($eq), an array ($in), an object of operators, or
   * (for nested context objects) an object of sub-fields, optionally grouped with $and/$or/$not.
   */
  field(value: unknown, path: Path, depth: number, allowOperators = true): Test | undefined {
    if (Array.isArray(value)) return this.operator('$in', value, path);
    if (!isRecord(value)) return this.operator('$eq', value, path);
    if (!this.enterObject(value, path, depth)) return undefined;
    const keys = Object.keys(value);
    const hasOperators = keys.some((key) => this.isFieldOperator(key));
    if (hasOperators && !allowOperators) {
      return this.fail(path, 'must name a field; to allow several values of one field use $in');
    }
    const tests: Test[] = [];
    for (const key of keys) {
      const at = [...path, key];
      const operand = value[key];
      let test: Test | undefined;
      if (this.isFieldOperator(key)) {
        test = this.operator(key, operand, at);
      } else if (key === '$not') {
        test = Array.isArray(operand)
          ? this.fail(at, 'must not be an array; use $notIn to exclude several values')
          : negate(this.field(operand, at, depth + 1));
      } else if (key === '$and' || key === '$or') {
        test = hasOperators
          ? this.fail(
              at,
              `cannot sit among a field's operators; put ${key} around whole conditions`
            )
          : this.group(key, operand, at, (element, p) => this.field(element, p, depth + 1, false));
      } else if (key === '$event') {
        this.fail(at, 'must be at the top of the rule or inside $and/$or/$not, not under a field');
      } else if (key.startsWith('$')) {
        const allowed = [
          ...FIELD_OPERATORS,
          ...this.operators.keys(),
          '$not',
          ...(hasOperators ? [] : ['$and', '$or']),
        ];
        this.fail(at, unknownOperator(key, allowed));
      } else if (hasOperators) {
        this.fail(at, 'cannot be mixed with operators in one object; nest it one level down');
      } else if (this.typeAt(path)) {
        this.fail(at, `is not a field: ${fieldOf(path)} is a ${this.typeAt(path)}`);
      } else if (this.fieldName(key, at)) {
        test = readField(key, this.field(operand, at, depth + 1));
      }
      if (test) tests.push(test);
    }
    return allOf(tests);
  }

  group(
    key: '$and' | '$or',
    value: unknown,
    path: Path,
    compileElement: (element: Record<string, unknown>, path: Path) => Test | undefined
  ): Test | undefined {
    if (!Array.isArray(value) || value.length === 0) {
      return this.fail(path, 'must be a non-empty array of conditions, e.g. [{ … }, { … }]');
    }
    const tests: Test[] = [];
    value.forEach((element, index) => {
      const test = isRecord(element)
        ? compileElement(element, [...path, index])
        : this.fail([...path, index], 'must be an object of conditions');
      if (test) tests.push(test);
    });
    return key === '$and' ? allOf(tests) : anyOf(tests);
  }

  operator(op: string, operand: unknown, path: Path): Test | undefined {
    const type = this.typeAt(path);
    if (type && type !== 'string' && op in TEXT_MATCHES) {
      return this.fail(
        path,
        `is a text operator and ${fieldOf(path)} is a ${type}; compare it with $eq, $ne, $lt, $lte, $gt, $gte, $in, $notIn or $between`
      );
    }
    switch (op) {
      case '$eq':
      case '$ne':
      case '$eqi':
      case '$nei': {
        if (operand === null) return op === '$eq' || op === '$eqi' ? isNull : isNotNull;
        if (!isScalar(operand)) return this.fail(path, MUST_BE_SCALAR_OR_NULL);
        if (op === '$eqi' || op === '$nei') return textTest(op, operand);
        const order = this.comparison(operand, type, path);
        return order && ((v) => holds(order(v), ORDERINGS[op]));
      }
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte': {
        if (!isScalar(operand)) return this.fail(path, MUST_BE_SCALAR);
        const order = this.comparison(operand, type, path);
        return order && ((v) => holds(order(v), ORDERINGS[op]));
      }
      case '$in':
      case '$notIn': {
        if (!Array.isArray(operand)) {
          return this.fail(path, 'must be an array of values, e.g. ["DE", "FR"]');
        }
        const orders = operand.map((element, index) => {
          if (element === null) return null;
          if (!isScalar(element))
            return this.fail([...path, index], MUST_BE_SCALAR_OR_NULL) ?? null;
          return this.comparison(element, type, [...path, index]) ?? null;
        });
        if (orders.length === 0) return op === '$in' ? () => false : () => true;
        const isIn: Test = (v) => {
          let unknown = false;
          for (const order of orders) {
            const c = order === null ? null : order(v);
            if (c === 0) return true;
            if (c === null) unknown = true;
          }
          return unknown ? null : false;
        };
        return op === '$in' ? isIn : negate(isIn);
      }
      case '$between': {
        if (!Array.isArray(operand) || operand.length !== 2 || !operand.every(isScalar)) {
          return this.fail(path, 'must be an array of exactly two bounds, e.g. [10, 20]');
        }
        const low = this.comparison(operand[0], type, [...path, 0]);
        const high = this.comparison(operand[1], type, [...path, 1]);
        return (
          low &&
          high &&
          ((v) =>
            and(
              holds(low(v), (c) => c >= 0),
              holds(high(v), (c) => c <= 0)
            ))
        );
      }
      case '$null':
      case '$notNull': {
        const wanted = TRUE_INPUTS.includes(operand);
        if (!wanted && !FALSE_INPUTS.includes(operand)) {
          return this.fail(path, 'must be true or false');
        }
        return wanted === (op === '$null') ? isNull : isNotNull;
      }
      default: {
        const custom = this.operators.get(op);
        if (custom) return this.custom(op, custom, operand, path);
        if (!isScalar(operand)) return this.fail(path, MUST_BE_SCALAR);
        return textTest(op, operand);
      }
    }
  }

  /**
   * How a value compares with `operand` (the sign of value − operand, null when unknown), as
   * Strapi casts the operand for a column of the declared type; the value's own type stands in
   * for an undeclared one. An operand the declared column would refuse is refused here.
   */
  comparison(operand: Scalar, type: FieldType | undefined, path: Path): Order | undefined {
    const declared = `(${fieldOf(path)} is a ${type})`;
    switch (type) {
      case 'datetime': {
        const instant = typeof operand === 'string' ? parseInstant(operand) : null;
        if (instant === null) {
          return this.fail(
            path,
            `must be a date like "2026-06-15" or a date-time like "2026-06-15T12:00:00Z" ${declared}`
          );
        }
        return (value) => {
          const actual = instantOf(value);
          return actual === null ? null : Math.sign(actual - instant);
        };
      }
      case 'integer':
      case 'float': {
        const number = toNumber(operand);
        if (number === null) return this.fail(path, `must be a number ${declared}`);
        if (type === 'integer' && !isInt32(number)) {
          return this.fail(path, `must be a whole number of at most 10 digits ${declared}`);
        }
        break;
      }
      case 'boolean':
        if (!TRUE_INPUTS.includes(operand) && !FALSE_INPUTS.includes(operand)) {
          return this.fail(path, `must be true or false ${declared}`);
        }
        break;
    }
    const cast = castOperand(operand);
    return (value) => compare(value, cast);
  }

  custom(op: string, operator: CustomOperator, operand: unknown, path: Path): Test | undefined {
    let problem: string | null;
    try {
      problem = operator.validate(operand);
    } catch (error) {
      problem = `could not be checked by operator ${op}: ${(error as Error)?.message ?? error}`;
    }
    if (problem) return this.fail(path, problem);
    return (value) => {
      try {
        const result = operator.evaluate(value, operand);
        return typeof result === 'boolean' ? result : null;
      } catch {
        // An app's operator that breaks on some value must not break resolution: unknown.
        return null;
      }
    };
  }

  event(spec: unknown, path: Path, depth: number): Test | undefined {
    if (!isRecord(spec)) {
      return this.fail(
        path,
        'must be an object like { "name": "purchase", "within": "30d", "$gte": 1 }'
      );
    }
    if (!this.enterObject(spec, path, depth)) return undefined;
    const issuesBefore = this.issues.length;
    const { name } = spec;
    if (typeof name !== 'string' || name === '') {
      this.fail([...path, 'name'], 'must be the event name, e.g. "purchase"');
    }
    const within = spec.within === undefined ? Infinity : parseDuration(spec.within);
    if (!within) {
      this.fail([...path, 'within'], 'must be a duration like "30d" (number + s, m, h, d or w)');
    }
    const aggregate = spec.aggregate === undefined ? 'count' : spec.aggregate;
    if (!isAggregate(aggregate)) {
      this.fail([...path, 'aggregate'], `must be one of ${AGGREGATES.join(', ')}`);
    }
    const measuresField = FIELD_AGGREGATES.includes(aggregate);
    const read = measuresField ? this.eventField(spec.field, [...path, 'field']) : undefined;
    if (isAggregate(aggregate) && !measuresField && spec.field !== undefined) {
      this.fail([...path, 'field'], 'is only used by the sum, min, max and avg aggregates');
    }
    for (const key of Object.keys(spec)) {
      if (EVENT_COMPARISONS.includes(key) || EVENT_SETTINGS.includes(key)) continue;
      this.fail(
        [...path, key],
        key.startsWith('$')
          ? unknownOperator(key, EVENT_COMPARISONS)
          : `unknown setting '${key}'; use name, within, aggregate, field and one comparison`
      );
    }
    const check = this.eventComparison(spec, path, aggregate === 'sinceLast');
    if (this.issues.length > issuesBefore || !check || !within || !isAggregate(aggregate)) {
      return undefined;
    }
    const measure = AGGREGATORS[aggregate];
    const readValue = read ?? (() => undefined);
    return (ctx, now) => {
      const events = readOwn(ctx, 'events');
      const matching: TimedEvent[] = [];
      if (Array.isArray(events)) {
        for (const event of events) {
          if (isTimedEvent(event) && event.name === name && now - event.ts <= within) {
            matching.push(event);
          }
        }
      }
      const measured = measure(matching, now, readValue);
      return measured === null ? null : check(measured);
    };
  }

  /** The one comparison of an `$event`; bounds are numbers, or durations for sinceLast. */
  eventComparison(
    spec: Record<string, unknown>,
    path: Path,
    durations: boolean
  ): ((measured: number) => boolean) | undefined {
    const comparisons = Object.keys(spec).filter((key) => EVENT_COMPARISONS.includes(key));
    if (comparisons.length !== 1) {
      return this.fail(
        path,
        comparisons.length === 0
          ? `needs one comparison: ${EVENT_COMPARISONS.join(', ')}`
          : `must have exactly one comparison, found ${comparisons.join(' and ')}; use $between for a range`
      );
    }
    const [op] = comparisons;
    const operand = spec[op];
    const expected = durations ? 'a duration like "24h" or milliseconds' : 'a number';
    const bound = (x: unknown): number | null => {
      if (typeof x === 'number') return Number.isFinite(x) && (!durations || x >= 0) ? x : null;
      return durations ? parseDuration(x) : null;
    };
    if (op !== '$between') {
      const value = bound(operand);
      if (value === null) return this.fail([...path, op], `must be ${expected}`);
      const ordering = ORDERINGS[op];
      return (measured) => ordering(Math.sign(measured - value));
    }
    const [low, high] = Array.isArray(operand) && operand.length === 2 ? operand.map(bound) : [];
    if (low === undefined || low === null || high === undefined || high === null) {
      return this.fail([...path, op], `must be an array of two bounds, each ${expected}`);
    }
    return (measured) => measured >= low && measured <= high;
  }

  eventField(
    field: unknown,
    path: Path
  ): ((event: Record<string, unknown>) => unknown) | undefined {
    if (field === 'value') return (event) => event.value;
    const key = typeof field === 'string' && field.startsWith('props.') ? field.slice(6) : '';
    if (key !== '' && FIELD_NAME.test(key) && !FORBIDDEN_FIELD_NAMES.has(key)) {
      return (event) => readOwn(readOwn(event, 'props'), key);
    }
    return this.fail(path, 'must be "value" or "props.<name>" (letters, digits, _ and -)');
  }

  fieldName(key: string, path: Path): boolean {
    if (FORBIDDEN_FIELD_NAMES.has(key)) {
      this.fail(path, `field name '${key}' is not allowed`);
      return false;
    }
    if (!FIELD_NAME.test(key)) {
      this.fail(path, `field name ${JSON.stringify(key)} may only use letters, digits, _ and -`);
      return false;
    }
    return true;
  }

  enterObject(node: unknown, path: Path, depth: number): node is Record<string, unknown> {
    if (!isRecord(node)) {
      this.fail(path, 'must be an object of conditions');
      return false;
    }
    if (depth > this.limits.maxDepth) {
      this.fail(path, `is nested deeper than ${this.limits.maxDepth} levels; simplify the rule`);
      return false;
    }
    // An empty root is "everyone" (no filters in Strapi); an empty branch is a mistake.
    if (path.length > 0 && Object.keys(node).length === 0) {
      this.fail(path, 'must not be empty; give a value or a condition');
      return false;
    }
    return true;
  }
}

function unknownOperator(key: string, allowed: string[]): string {
  return `unknown operator '${key}'; use one of ${allowed.join(', ')}`;
}

/** The operand in the forms a column of each type would cast it to (Strapi's field toDB). */
interface Cast {
  text: string;
  number: number | null;
  boolean: boolean;
}

function castOperand(operand: Scalar): Cast {
  return {
    text: String(operand),
    number: toNumber(operand),
    boolean: TRUE_INPUTS.includes(operand)
      ? true
      : FALSE_INPUTS.includes(operand)
        ? false
        : Boolean(operand),
  };
}

function toNumber(operand: Scalar): number | null {
  if (typeof operand === 'number') return operand;
  if (typeof operand !== 'string' || operand.trim() === '') return null;
  const parsed = Number(operand.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** Sign of value − operand, or null when SQL would not know (a missing value or an object). */
function compare(value: unknown, operand: Cast): number | null {
  switch (typeof value) {
    case 'string':
      return compareCodePoints(value, operand.text);
    case 'number':
      if (!Number.isFinite(value)) return null;
      return operand.number === null
        ? compareCodePoints(String(value), operand.text)
        : Math.sign(value - operand.number);
    case 'boolean':
      return Number(value) - Number(operand.boolean);
    default:
      return null;
  }
}

// JS `<` compares UTF-16 code units, which misorders astral characters against U+E000–U+FFFF.
function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; ) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return Math.sign(a.length - b.length);
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    return String(value);
  }
  return null;
}

const ORDERINGS: Record<string, (order: number) => boolean> = {
  $eq: (c) => c === 0,
  $ne: (c) => c !== 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
};

// Operators Strapi writes as SQL text matches: no cast, the operand as `${value}`, LIKE escaped.
const TEXT_MATCHES: Record<
  string,
  { fold: boolean; match: (text: string, operand: string) => boolean }
> = {
  $eqi: { fold: true, match: (t, o) => t === o },
  $nei: { fold: true, match: (t, o) => t !== o },
  $contains: { fold: false, match: (t, o) => t.includes(o) },
  $notContains: { fold: false, match: (t, o) => !t.includes(o) },
  $containsi: { fold: true, match: (t, o) => t.includes(o) },
  $notContainsi: { fold: true, match: (t, o) => !t.includes(o) },
  $startsWith: { fold: false, match: (t, o) => t.startsWith(o) },
  $startsWithi: { fold: true, match: (t, o) => t.startsWith(o) },
  $endsWith: { fold: false, match: (t, o) => t.endsWith(o) },
  $endsWithi: { fold: true, match: (t, o) => t.endsWith(o) },
};

// toLowerCase applies Unicode's special casing where LOWER() maps characters one by one: a final
// Σ would become ς and İ would become i̇; they are mapped first, as LOWER() maps them.
const SPECIAL_CASING = /[\u03a3\u0130]/g;
const lowerCase = (text: string) =>
  text.replace(SPECIAL_CASING, (c) => (c === '\u03a3' ? '\u03c3' : 'i')).toLowerCase();

function textTest(op: string, operand: Scalar): Test {
  const { fold, match } = TEXT_MATCHES[op];
  const needle = fold ? lowerCase(String(operand)) : String(operand);
  return (value) => {
    const text = textOf(value);
    if (text === null) return null;
    return match(fold ? lowerCase(text) : text, needle);
  };
}

const holds = (order: number | null, predicate: (order: number) => boolean): Truth =>
  order === null ? null : predicate(order);

// PostgreSQL's integer column, which an operand out of its range makes the query fail on.
const isInt32 = (n: number) => Number.isInteger(n) && n >= -2_147_483_648 && n <= 2_147_483_647;

/** The field a path is under: its names without operators, groups and array indexes. */
function fieldOf(path: Path): string {
  return path.filter((key) => typeof key === 'string' && !key.startsWith('$')).join('.');
}

const isNull: Test = (value) => value === null || value === undefined;
const isNotNull: Test = (value) => value !== null && value !== undefined;

function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function negate(test: Test | undefined): Test | undefined {
  return (
    test &&
    ((input, now) => {
      const result = test(input, now);
      return result === null ? null : !result;
    })
  );
}

/**
 * SQL's three-valued AND (`decisive` false) or OR (`decisive` true): the first test answering
 * `decisive` decides; else unknown if any test was, else the other truth.
 */
function combined(tests: Test[], decisive: boolean): Test {
  if (tests.length === 1) return tests[0];
  return (input, now) => {
    let unknown = false;
    for (const test of tests) {
      const result = test(input, now);
      if (result === decisive) return decisive;
      if (result === null) unknown = true;
    }
    return unknown ? null : !decisive;
  };
}

const allOf = (tests: Test[]): Test => combined(tests, false);
const anyOf = (tests: Test[]): Test => combined(tests, true);

/** Reads `key` and tests it; an array value is a set of joined rows, an empty one no row. */
function readField(key: string, test: Test | undefined): Test | undefined {
  return (
    test &&
    ((input, now) => {
      const value = readOwn(input, key);
      if (!Array.isArray(value)) return test(value, now);
      if (value.length === 0) return test(undefined, now);
      let unknown = false;
      for (const element of value) {
        const result = test(element, now);
        if (result === true) return true;
        if (result === null) unknown = true;
      }
      return unknown ? null : false;
    })
  );
}

function readOwn(value: unknown, key: string): unknown {
  return isRecord(value) && Object.prototype.hasOwnProperty.call(value, key)
    ? value[key]
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Milliseconds for "90d"-style strings; null when it is not one. */
function parseDuration(value: unknown): number | null {
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  if (!match) return null;
  const ms = Number(match[1]) * DURATION_UNITS[match[2]];
  return Number.isSafeInteger(ms) ? ms : null;
}

/** Counted without recursion so that huge or cyclic input cannot exhaust the stack. */
function exceedsNodes(rule: unknown, maxNodes: number): boolean {
  const pending: unknown[] = [rule];
  let seen = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    seen += 1;
    const children = Array.isArray(value)
      ? value
      : isRecord(value)
        ? Object.keys(value).map((key) => value[key])
        : [];
    if (seen + pending.length + children.length > maxNodes) return true;
    pending.push(...children);
  }
  return false;
}

interface TimedEvent extends Record<string, unknown> {
  ts: number;
}

function isTimedEvent(value: unknown): value is TimedEvent {
  return isRecord(value) && typeof value.ts === 'number' && Number.isFinite(value.ts);
}

function isAggregate(value: unknown): value is Aggregate {
  return (AGGREGATES as readonly unknown[]).includes(value);
}

type Measure = (
  events: TimedEvent[],
  now: number,
  read: (event: TimedEvent) => unknown
) => number | null;

function numbersOf(events: TimedEvent[], read: (event: TimedEvent) => unknown): number[] {
  return events.map(read).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}

function sumOf(numbers: number[]): number {
  return numbers.reduce((a, b) => a + b, 0);
}

const AGGREGATORS: Record<Aggregate, Measure> = {
  count: (events) => events.length,
  sum: (events, _now, read) => sumOf(numbersOf(events, read)),
  min: (events, _now, read) => extreme(numbersOf(events, read), Math.min),
  max: (events, _now, read) => extreme(numbersOf(events, read), Math.max),
  avg: (events, _now, read) => {
    const numbers = numbersOf(events, read);
    return numbers.length === 0 ? null : sumOf(numbers) / numbers.length;
  },
  sinceLast: (events, now) => {
    const last = extreme(
      events.map((event) => event.ts),
      Math.max
    );
    return last === null ? null : now - last;
  },
};

function extreme(numbers: number[], pick: (a: number, b: number) => number): number | null {
  return numbers.length === 0 ? null : numbers.reduce((a, b) => pick(a, b));
}
