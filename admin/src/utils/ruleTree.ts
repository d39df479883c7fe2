/**
 * The segment rule builder's model: a tree of `$and`/`$or` groups of field / operator / value rows,
 * and its translation to and from a rule in Strapi filter syntax (server/src/core/rules.ts). A rule
 * the tree cannot show (`$not`, `$event`, several operators on one field) stays JSON-only.
 */

export type ValueType = 'string' | 'number' | 'boolean' | 'string[]' | 'datetime';

export interface RuleRow {
  kind: 'row';
  id: string;
  field: string;
  operator: string;
  /** As typed: lists are comma-separated; converted by the field's type when the rule is built. */
  value: string;
}

export interface RuleGroup {
  kind: 'group';
  id: string;
  combinator: '$and' | '$or';
  children: Array<RuleRow | RuleGroup>;
}

export type RuleNode = RuleRow | RuleGroup;

/** Operators whose operand is a list, a pair, or only "true". */
export const LIST_OPERATORS = ['$in', '$notIn'];
export const PAIR_OPERATORS = ['$between'];
export const FLAG_OPERATORS = ['$null', '$notNull'];

let counter = 0;
export const newId = () => `n${(counter += 1)}`;

export const emptyRow = (field = '', operator = '$eq'): RuleRow => ({
  kind: 'row',
  id: newId(),
  field,
  operator,
  value: '',
});

export const emptyGroup = (combinator: '$and' | '$or' = '$and'): RuleGroup => ({
  kind: 'group',
  id: newId(),
  combinator,
  children: [emptyRow()],
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function convert(text: string, type: ValueType | undefined): string | number | boolean {
  const trimmed = text.trim();
  if (type === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) {
    return Number(trimmed);
  }
  if (type === 'boolean' && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  return trimmed;
}

/** A row's operand, typed by the field: `"DE, AT"` → `["DE", "AT"]` for `$in`. */
export function rowOperand(row: RuleRow, type?: ValueType): unknown {
  if (FLAG_OPERATORS.includes(row.operator)) return true;
  if (LIST_OPERATORS.includes(row.operator) || PAIR_OPERATORS.includes(row.operator)) {
    return row.value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => convert(part, type));
  }
  return convert(row.value, type);
}

function rowToRule(row: RuleRow, types: Record<string, ValueType>): Record<string, unknown> {
  const parts = row.field.split('.').filter(Boolean);
  let node: unknown = { [row.operator]: rowOperand(row, types[row.field]) };
  for (let i = parts.length - 1; i >= 0; i -= 1) node = { [parts[i]]: node };
  return node as Record<string, unknown>;
}

/** The rule a tree stands for. A group of one condition is that condition. */
export function treeToRule(
  node: RuleNode,
  types: Record<string, ValueType> = {}
): Record<string, unknown> {
  if (node.kind === 'row') return rowToRule(node, types);
  const children = node.children.map((child) => treeToRule(child, types));
  if (children.length === 1) return children[0];
  return { [node.combinator]: children };
}

const formatOperand = (operand: unknown): string | null => {
  if (Array.isArray(operand)) {
    return operand.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
      ? operand.join(', ')
      : null;
  }
  if (['string', 'number', 'boolean'].includes(typeof operand)) return String(operand);
  return null;
};

/** The rows of one field condition, or null when a part of it has no row form. */
function fieldToRows(value: unknown, path: string[]): RuleRow[] | null {
  const field = path.join('.');
  if (Array.isArray(value)) {
    const text = formatOperand(value);
    return text === null ? null : [{ ...emptyRow(field, '$in'), value: text }];
  }
  if (!isRecord(value)) {
    const text = formatOperand(value);
    return text === null ? null : [{ ...emptyRow(field, '$eq'), value: text }];
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return null;
  const rows: RuleRow[] = [];
  for (const key of keys) {
    if (key === '$and' || key === '$or' || key === '$not') return null;
    if (key.startsWith('$')) {
      const operand = value[key];
      if (FLAG_OPERATORS.includes(key)) {
        if (operand !== true && operand !== 'true') return null;
        rows.push(emptyRow(field, key));
        continue;
      }
      const text = formatOperand(operand);
      if (text === null) return null;
      rows.push({ ...emptyRow(field, key), value: text });
    } else {
      const nested = fieldToRows(value[key], [...path, key]);
      if (!nested) return null;
      rows.push(...nested);
    }
  }
  return rows;
}

/**
 * The tree of a rule, or null when the rule uses what the tree cannot show. Top-level keys side by
 * side are an implicit `$and`, as in Strapi filters.
 */
export function ruleToTree(rule: unknown): RuleGroup | null {
  if (rule === undefined || rule === null) return emptyGroup();
  if (!isRecord(rule)) return null;
  const keys = Object.keys(rule);
  if (keys.length === 0) return emptyGroup();
  if (keys.length === 1 && (keys[0] === '$and' || keys[0] === '$or')) {
    const list = rule[keys[0]];
    if (!Array.isArray(list) || list.length === 0) return null;
    const children: RuleNode[] = [];
    for (const element of list) {
      const child = ruleToTree(element);
      if (!child) return null;
      // An element holding one condition is a row, not a group of one.
      children.push(child.children.length === 1 ? child.children[0] : child);
    }
    return { kind: 'group', id: newId(), combinator: keys[0], children };
  }
  const rows: RuleNode[] = [];
  for (const key of keys) {
    if (key.startsWith('$')) {
      if (key !== '$and' && key !== '$or') return null;
      const group = ruleToTree({ [key]: rule[key] });
      if (!group) return null;
      rows.push(group);
      continue;
    }
    const fieldRows = fieldToRows(rule[key], [key]);
    if (!fieldRows) return null;
    rows.push(...fieldRows);
  }
  return { kind: 'group', id: newId(), combinator: '$and', children: rows };
}

/** Replaces the node with `id` anywhere in the tree (null removes it). */
export function updateNode(
  group: RuleGroup,
  id: string,
  change: (node: RuleNode) => RuleNode | null
): RuleGroup {
  const children: RuleNode[] = [];
  for (const child of group.children) {
    if (child.id === id) {
      const next = change(child);
      if (next) children.push(next);
    } else {
      children.push(child.kind === 'group' ? updateNode(child, id, change) : child);
    }
  }
  return { ...group, children };
}

/** Rows not yet filled in: the rule is built from the complete ones only. */
export function isRowComplete(row: RuleRow): boolean {
  if (row.field === '' || row.operator === '') return false;
  if (FLAG_OPERATORS.includes(row.operator)) return true;
  return row.value.trim() !== '';
}

/** The tree without incomplete rows and emptied groups, or null when nothing is left. */
export function pruneTree(group: RuleGroup): RuleGroup | null {
  const children: RuleNode[] = [];
  for (const child of group.children) {
    if (child.kind === 'row') {
      if (isRowComplete(child)) children.push(child);
    } else {
      const pruned = pruneTree(child);
      if (pruned) children.push(pruned);
    }
  }
  return children.length === 0 ? null : { ...group, children };
}

/** Where in the rule a fault is (`rule.geo.country`), and the message without that prefix. */
export function placeRuleError({ path, message }: { path: string[]; message: string }) {
  const where = (path[0] === 'rule' ? path : ['rule', ...path]).join('.');
  return {
    where,
    message: message.startsWith(where)
      ? message.slice(where.length).replace(/^[:\s]+/, '')
      : message,
  };
}
