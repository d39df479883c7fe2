/**
 * Audience estimates: the part of a segment rule that stored profiles can answer — conditions on
 * `traits` — turned into a filter on the profile model. The filter keeps the rule's own syntax:
 * only the trait names are mapped to the columns that hold them, so Strapi's query engine applies
 * the very semantics the in-memory evaluator mirrors. Conditions on the request (geo, UTM, time…)
 * or on behaviour are unknown ahead of a request: they are dropped in a way that can only widen
 * the audience, so the estimate is an upper bound, and says when it is one.
 */

export interface TraitFilter {
  /** A Strapi `where` over the profile model; null when nothing constrains the audience. */
  where: Record<string, unknown> | null;
  /** False when request or behaviour conditions were dropped: `where` is then an upper bound. */
  exact: boolean;
  /** Traits the rule reads that have no column (not declared in the config). */
  undeclared: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `condition` uses one of `operators` anywhere (the database does not know them). */
function usesOperator(condition: unknown, operators: ReadonlySet<string>): boolean {
  if (Array.isArray(condition)) return condition.some((c) => usesOperator(c, operators));
  if (!isObject(condition)) return false;
  return Object.entries(condition).some(
    ([key, value]) => operators.has(key) || usesOperator(value, operators)
  );
}

/**
 * `columns` maps a declared trait name to the profile attribute that stores it. The rule must
 * already be valid (validateRule). Conditions using `appOperators` (operators an app registered)
 * are dropped like request conditions: the database cannot evaluate them.
 */
export function traitFilter(
  rule: unknown,
  columns: Record<string, string>,
  appOperators: ReadonlySet<string> = new Set()
): TraitFilter {
  const undeclared = new Set<string>();

  function walk(node: Record<string, unknown>): {
    where: Record<string, unknown> | null;
    exact: boolean;
  } {
    const parts: Record<string, unknown>[] = [];
    let exact = true;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const element of value) {
          const sub = walk(element as Record<string, unknown>);
          exact &&= sub.exact;
          if (sub.where) parts.push(sub.where);
        }
      } else if (key === '$or' && Array.isArray(value)) {
        const branches = value.map((element) => walk(element as Record<string, unknown>));
        exact &&= branches.every((b) => b.exact);
        // One unconstrained branch lets everyone through the whole $or.
        if (branches.every((b) => b.where)) parts.push({ $or: branches.map((b) => b.where) });
        else exact = false;
      } else if (key === '$not' && isObject(value)) {
        const sub = walk(value);
        // Negating an upper bound gives no bound at all.
        if (sub.where && sub.exact) parts.push({ $not: sub.where });
        else if (sub.where || !sub.exact) exact = false;
      } else if (key === 'traits' && isObject(value)) {
        for (const [trait, condition] of Object.entries(value)) {
          const column = columns[trait];
          if (usesOperator(condition, appOperators)) exact = false;
          else if (column) parts.push({ [column]: condition });
          else undeclared.add(trait);
        }
      } else {
        exact = false;
      }
    }
    if (!parts.length) return { where: null, exact };
    return { where: parts.length === 1 ? parts[0] : { $and: parts }, exact };
  }

  const { where, exact } = isObject(rule) ? walk(rule) : { where: null, exact: false };
  return { where, exact, undeclared: [...undeclared] };
}
