/**
 * Coverage of an asset: which persona × segment readers get only untagged (default) content, and
 * which candidates no reader can ever reach — a segment rule that cannot hold (with the candidate's
 * personas), an earlier candidate that always wins in `first` mode, an expired schedule, a missing
 * version. Rule analysis is conservative: a candidate is called unreachable only when it surely is.
 */
import { resolveAsset, type CompiledAsset, type CompiledChunk } from './assembly';
import { withSegments } from './preview';

export interface CoverageCell {
  persona: string | null;
  segment: string | null;
  defaultOnly: boolean;
  slots: Record<string, string[]>;
}

export type UnreachableReason = 'contradiction' | 'shadowed' | 'expired' | 'unpublished';

export interface Unreachable {
  slot: string;
  candidate: string;
  reason: UnreachableReason;
  message: string;
}

export interface CoverageReport {
  personas: Array<string | null>;
  segments: Array<string | null>;
  cells: CoverageCell[];
  unreachable: Unreachable[];
}

const isDefault = (chunk: CompiledChunk) => !chunk.personas.length && !chunk.segments.length;
/** Segments that failed to compile carry a marker slug no rule matches; they are no column. */
const isRealSegment = (slug: string) => !slug.startsWith('\u0000');

/**
 * `personas` are every persona a reader may have; the segments are those the asset's candidates
 * reference. `rules` holds each segment's rule as written, for the contradiction check.
 */
export function coverage(
  asset: CompiledAsset,
  personas: readonly string[],
  rules: ReadonlyMap<string, unknown>,
  now: number
): CoverageReport {
  const segmentSlugs = [...asset.segments.keys()].filter(isRealSegment).sort();
  const personaAxis: Array<string | null> = [null, ...personas];
  const segmentAxis: Array<string | null> = [null, ...segmentSlugs];
  const cells: CoverageCell[] = [];
  for (const persona of personaAxis) {
    for (const segment of segmentAxis) {
      const decided = withSegments(asset, segment ? [segment] : [], true);
      const resolution = resolveAsset(decided, persona ? { persona } : {}, now);
      const slots: Record<string, string[]> = {};
      let defaultOnly = true;
      for (const slot of resolution.slots) {
        slots[slot.key] = slot.chunks.map((c) => c.slug);
        if (!slot.chunks.every(isDefault)) defaultOnly = false;
      }
      cells.push({ persona, segment, defaultOnly, slots });
    }
  }
  return {
    personas: personaAxis,
    segments: segmentAxis,
    cells,
    unreachable: unreachableCandidates(asset, rules, now),
  };
}

function unreachableCandidates(
  asset: CompiledAsset,
  rules: ReadonlyMap<string, unknown>,
  now: number
): Unreachable[] {
  const found: Unreachable[] = [];
  for (const slot of asset.slots) {
    slot.candidates.forEach((candidate, index) => {
      const note = (reason: UnreachableReason, name: string, message: string) =>
        found.push({ slot: slot.key, candidate: name, reason, message });
      if (candidate.kind === 'asset') {
        if (!candidate.asset && !candidate.refused) {
          note('unpublished', candidate.ref, `asset ${candidate.ref} has no version to serve`);
        }
        return;
      }
      const { chunk } = candidate;
      if (!chunk) {
        note('unpublished', candidate.ref, `chunk ${candidate.ref} has no version to serve`);
        return;
      }
      const name = chunk.slug;
      if (chunk.availableUntil !== null && chunk.availableUntil < now) {
        const until = new Date(chunk.availableUntil).toISOString();
        note('expired', name, `'${name}' was available until ${until}`);
        return;
      }
      if (chunk.segments.length && chunk.segments.every((s) => !canHold(rules, s, chunk))) {
        const who = chunk.personas.length ? ` for persona ${chunk.personas.join(', ')}` : '';
        const which = chunk.segments.filter(isRealSegment).join(', ') || 'invalid rules';
        note('contradiction', name, `'${name}': segment ${which} can never match${who}`);
        return;
      }
      if (slot.mode !== 'first') return;
      for (const earlier of slot.candidates.slice(0, index)) {
        if (earlier.kind !== 'chunk' || !earlier.chunk || !alwaysWinsOver(earlier.chunk, chunk)) {
          continue;
        }
        const by = earlier.chunk.slug;
        note(
          'shadowed',
          name,
          isDefault(earlier.chunk)
            ? `'${name}' comes after the untagged '${by}', which every reader gets first`
            : `'${name}' comes after '${by}', which every reader of '${name}' also gets first`
        );
        return;
      }
    });
  }
  return found;
}

/** Whether `earlier` is eligible for every reader `later` is eligible for (no schedule of its own). */
function alwaysWinsOver(earlier: CompiledChunk, later: CompiledChunk): boolean {
  if (earlier.availableFrom !== null || earlier.availableUntil !== null) return false;
  const personasCovered =
    !earlier.personas.length ||
    (later.personas.length > 0 && later.personas.every((p) => earlier.personas.includes(p)));
  const segmentsCovered =
    !earlier.segments.length ||
    (later.segments.length > 0 && later.segments.every((s) => earlier.segments.includes(s)));
  return personasCovered && segmentsCovered;
}

function canHold(rules: ReadonlyMap<string, unknown>, segment: string, chunk: CompiledChunk) {
  if (!isRealSegment(segment)) return false;
  if (!rules.has(segment)) return true;
  const persona: Atom[] = chunk.personas.length
    ? [{ path: 'persona', op: '$in', value: chunk.personas }]
    : [];
  return satisfiable(rules.get(segment), persona);
}

// ---------------------------------------------------------------------------------------------
// Satisfiability: the rule in disjunctive normal form over field conditions; a conjunction fails
// when its conditions on one field cannot all hold. Whatever is not understood ($not, $event, text
// operators) is taken as satisfiable, so "unsatisfiable" is only ever said when it is certain.

export interface Atom {
  path: string;
  op: string;
  value: unknown;
}

/** Beyond this many conjunctions the rule is taken as satisfiable rather than expanded. */
const MAX_CONJUNCTIONS = 256;
/** Numeric context fields, with the range the context itself guarantees. */
const DOMAINS: Record<string, [number, number]> = {
  'time.hour': [0, 23],
  'time.weekday': [1, 7],
  'visitor.visits': [0, Number.MAX_SAFE_INTEGER],
};

type Dnf = Atom[][] | null; // null: too large or not understood as a whole

const TRUE_DNF: Atom[][] = [[]];

function and(parts: Dnf[]): Dnf {
  let result: Atom[][] = TRUE_DNF;
  for (const part of parts) {
    if (part === null) return null;
    const next: Atom[][] = [];
    for (const left of result) for (const right of part) next.push([...left, ...right]);
    if (next.length > MAX_CONJUNCTIONS) return null;
    result = next;
  }
  return result;
}

function or(parts: Dnf[]): Dnf {
  const result: Atom[][] = [];
  for (const part of parts) {
    if (part === null) return null;
    result.push(...part);
  }
  return result.length > MAX_CONJUNCTIONS ? null : result;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function ruleDnf(node: unknown, path: string[]): Dnf {
  if (!isRecord(node)) {
    if (path.length === 0) return TRUE_DNF;
    return Array.isArray(node)
      ? [[{ path: path.join('.'), op: '$in', value: node }]]
      : [[{ path: path.join('.'), op: '$eq', value: node }]];
  }
  const parts: Dnf[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$and')
      parts.push(Array.isArray(value) ? and(value.map((v) => ruleDnf(v, path))) : TRUE_DNF);
    else if (key === '$or')
      parts.push(Array.isArray(value) ? or(value.map((v) => ruleDnf(v, path))) : TRUE_DNF);
    else if (key === '$not' || key === '$event') parts.push(TRUE_DNF);
    else if (key.startsWith('$')) parts.push([[{ path: path.join('.'), op: key, value }]]);
    else parts.push(ruleDnf(value, [...path, key]));
  }
  return and(parts);
}

const keyOf = (value: unknown) => String(value);

interface FieldState {
  allowed: Map<string, unknown> | null;
  excluded: Set<string>;
  mustBeNull: boolean;
  mustNotBeNull: boolean;
  low: { value: number; strict: boolean } | null;
  high: { value: number; strict: boolean } | null;
}

function raiseLow(state: FieldState, value: unknown, strict: boolean) {
  if (typeof value !== 'number') return;
  if (!state.low || value > state.low.value || (value === state.low.value && strict)) {
    state.low = { value, strict };
  }
}

function lowerHigh(state: FieldState, value: unknown, strict: boolean) {
  if (typeof value !== 'number') return;
  if (!state.high || value < state.high.value || (value === state.high.value && strict)) {
    state.high = { value, strict };
  }
}

function restrict(state: FieldState, values: unknown[]) {
  const next = new Map(values.filter((v) => v !== null).map((v) => [keyOf(v), v]));
  if (state.allowed)
    for (const key of [...next.keys()]) if (!state.allowed.has(key)) next.delete(key);
  state.allowed = next;
}

function apply(state: FieldState, { op, value }: Atom) {
  const truthy =
    value === true || value === 'true' || value === 't' || value === '1' || value === 1;
  switch (op) {
    case '$null':
      if (truthy) state.mustBeNull = true;
      else state.mustNotBeNull = true;
      return;
    case '$notNull':
      if (truthy) state.mustNotBeNull = true;
      else state.mustBeNull = true;
      return;
    case '$eq':
      if (value === null) state.mustBeNull = true;
      else if (!isRecord(value) && !Array.isArray(value)) {
        state.mustNotBeNull = true;
        restrict(state, [value]);
      }
      return;
    case '$ne':
      if (value === null) state.mustNotBeNull = true;
      else if (!isRecord(value) && !Array.isArray(value)) {
        state.mustNotBeNull = true;
        state.excluded.add(keyOf(value));
      }
      return;
    case '$in':
      if (!Array.isArray(value)) return;
      state.mustNotBeNull = true;
      restrict(state, value);
      return;
    case '$notIn':
      if (!Array.isArray(value) || !value.length) return;
      state.mustNotBeNull = true;
      for (const v of value) if (v !== null) state.excluded.add(keyOf(v));
      return;
    case '$gt':
    case '$gte':
      state.mustNotBeNull = true;
      raiseLow(state, value, op === '$gt');
      return;
    case '$lt':
    case '$lte':
      state.mustNotBeNull = true;
      lowerHigh(state, value, op === '$lt');
      return;
    case '$between':
      state.mustNotBeNull = true;
      if (Array.isArray(value) && value.length === 2) {
        raiseLow(state, value[0], false);
        lowerHigh(state, value[1], false);
      }
      return;
    default:
      // Text and case-insensitive operators: the value is compared, so it is present.
      state.mustNotBeNull = true;
  }
}

function fieldHolds(path: string, atoms: Atom[]): boolean {
  const state: FieldState = {
    allowed: null,
    excluded: new Set(),
    mustBeNull: false,
    mustNotBeNull: false,
    low: null,
    high: null,
  };
  const domain = DOMAINS[path];
  if (domain) {
    raiseLow(state, domain[0], false);
    lowerHigh(state, domain[1], false);
  }
  for (const atom of atoms) apply(state, atom);
  if (state.mustBeNull && state.mustNotBeNull) return false;
  const { low, high } = state;
  const inRange = (v: unknown) =>
    typeof v !== 'number' ||
    ((!low || v > low.value || (v === low.value && !low.strict)) &&
      (!high || v < high.value || (v === high.value && !high.strict)));
  if (
    low &&
    high &&
    (low.value > high.value || (low.value === high.value && (low.strict || high.strict)))
  ) {
    // Crossed bounds are certain only on a number: text orders '10' before '9'.
    const numeric =
      state.allowed && [...state.allowed.values()].every((v) => typeof v === 'number');
    if (domain || numeric) {
      return false;
    }
  }
  if (state.allowed) {
    const left = [...state.allowed].filter(([key, v]) => !state.excluded.has(key) && inRange(v));
    if (!left.length) return false;
  }
  return true;
}

/** Whether some context can satisfy `rule` together with the `extra` conditions. */
export function satisfiable(rule: unknown, extra: Atom[] = []): boolean {
  const dnf = ruleDnf(rule, []);
  if (dnf === null) return true;
  return dnf.some((conjunction) => {
    const byPath = new Map<string, Atom[]>();
    for (const atom of [...conjunction, ...extra]) {
      byPath.set(atom.path, [...(byPath.get(atom.path) ?? []), atom]);
    }
    return [...byPath].every(([path, atoms]) => fieldHolds(path, atoms));
  });
}
