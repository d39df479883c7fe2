/**
 * The assembly builder's state, as pure functions over slots: add, rename, remove, reorder, what
 * changed since the last save, and the hints shown before the server is asked. No React here, so
 * the rules an editor meets are unit-tested on their own (tests/unit/builder.test.ts).
 */
import type {
  EditorAsset,
  EditorCandidate,
  EditorSlot,
  LibraryItem,
  SaveAsset,
} from '../../../contracts/admin';
import { SLOT_KEY_PATTERN } from '../../../contracts/wire';

/**
 * A slot as the builder holds it. `id` is the page's own name for the slot, never saved: React keys
 * its card by it, so renaming a slot keeps the card (and the focus in its key field) and removing
 * one takes its own card away, not the last one.
 */
export type BuilderSlot = EditorSlot & { id: string };

// Unique within the page is enough: a counter, which needs no secure context as crypto would.
let lastSlotId = 0;
const newSlotId = () => `slot-${(lastSlotId += 1)}`;

/**
 * Gives slots from the server their ids. After a save the server answers the slots it was sent, in
 * the same order: they keep the ids they had (`previous`), so no card is rebuilt by saving.
 */
export function withSlotIds(slots: EditorSlot[], previous: BuilderSlot[] = []): BuilderSlot[] {
  const kept = slots.length === previous.length ? previous : [];
  return slots.map((slot, i) => ({ ...slot, id: kept[i]?.id ?? newSlotId() }));
}

/** A candidate with no persona and no segment: a default, eligible for every reader. */
export const isUntagged = (c: EditorCandidate) =>
  (c.personas?.length ?? 0) === 0 && (c.segments?.length ?? 0) === 0;

const sameCandidate = (a: EditorCandidate, b: EditorCandidate) =>
  a.type === b.type && a.documentId === b.documentId;

const replaceAt = <T>(list: T[], index: number, value: T): T[] =>
  list.map((item, i) => (i === index ? value : item));

/** Moves one element; indexes out of range leave the list as it was. */
export function move<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const next = list.slice();
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/** A key not used yet: `slot`, `slot-2`, `slot-3`… */
export function freshSlotKey(slots: EditorSlot[], base = 'slot'): string {
  const used = new Set(slots.map((slot) => slot.key));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

export function addSlot(
  slots: BuilderSlot[],
  key = freshSlotKey(slots),
  mode: EditorSlot['mode'] = 'first'
): BuilderSlot[] {
  return [...slots, { id: newSlotId(), key, mode, limit: null, candidates: [] }];
}

/**
 * The keys pages usually have, each with the mode it usually wants: a hero or a call to action
 * shows one chunk (the first that fits the reader), a body or a sidebar shows every chunk that fits.
 */
export const SLOT_SUGGESTIONS: ReadonlyArray<{ key: string; mode: EditorSlot['mode'] }> = [
  { key: 'hero', mode: 'first' },
  { key: 'body', mode: 'all' },
  { key: 'cta', mode: 'first' },
  { key: 'sidebar', mode: 'all' },
  { key: 'footer', mode: 'first' },
];

/** What a new slot is called unless the editor says otherwise: the first common key not used. */
export function suggestSlot(slots: EditorSlot[]): { key: string; mode: EditorSlot['mode'] } {
  const used = new Set(slots.map((slot) => slot.key));
  return (
    SLOT_SUGGESTIONS.find((s) => !used.has(s.key)) ?? { key: freshSlotKey(slots), mode: 'first' }
  );
}

/** The mode a suggested key usually wants, `first` for any other key. */
export const modeForKey = (key: string): EditorSlot['mode'] =>
  SLOT_SUGGESTIONS.find((s) => s.key === key.trim())?.mode ?? 'first';

export function removeSlot<S extends EditorSlot>(slots: S[], index: number): S[] {
  return slots.filter((_, i) => i !== index);
}

export function updateSlot<S extends EditorSlot>(
  slots: S[],
  index: number,
  change: Partial<Omit<EditorSlot, 'candidates'>>
): S[] {
  const slot = slots[index];
  if (!slot) return slots;
  const next = { ...slot, ...change };
  // A limit only means something when a slot serves several candidates.
  if (next.mode !== 'all') next.limit = null;
  return replaceAt(slots, index, next);
}

export function candidateFromItem(item: LibraryItem): EditorCandidate {
  return {
    type: item.type,
    documentId: item.documentId,
    slug: item.slug,
    title: item.title,
    personas: item.personas,
    segments: item.segments,
    tags: item.tags,
  };
}

/**
 * Adds candidates to a slot, skipping any already offered to it (a slot serves a chunk once).
 * Untagged defaults go last; targeted candidates (a persona or a segment) go before the slot's
 * first untagged default, so that in `first` mode the default does not hide them.
 */
export function addCandidates<S extends EditorSlot>(
  slots: S[],
  index: number,
  candidates: EditorCandidate[]
): S[] {
  const slot = slots[index];
  if (!slot) return slots;
  const added: EditorCandidate[] = [];
  for (const candidate of candidates) {
    if ([...slot.candidates, ...added].some((c) => sameCandidate(c, candidate))) continue;
    added.push(candidate);
  }
  const next = slot.candidates.slice();
  const targeted = added.filter((c) => !isUntagged(c));
  const firstDefault = next.findIndex(isUntagged);
  next.splice(firstDefault < 0 ? next.length : firstDefault, 0, ...targeted);
  next.push(...added.filter(isUntagged));
  return replaceAt(slots, index, { ...slot, candidates: next });
}

/**
 * A personalised slot's candidates: one variant per audience, in the editor's order, then the
 * default everyone else gets. In `first` mode this is the order that serves each its own.
 */
export function personalisedCandidates(
  fallback: EditorCandidate | null,
  variants: EditorCandidate[]
): EditorCandidate[] {
  const out: EditorCandidate[] = [];
  for (const candidate of [...variants, ...(fallback ? [fallback] : [])]) {
    if (!out.some((c) => sameCandidate(c, candidate))) out.push(candidate);
  }
  return out;
}

/** Moves a slot's one untagged default to the end: the fix when it hides targeted candidates. */
export function moveDefaultLast<S extends EditorSlot>(slots: S[], index: number): S[] {
  const slot = slots[index];
  if (!slot) return slots;
  const at = slot.candidates.findIndex(isUntagged);
  return at < 0 ? slots : moveCandidate(slots, index, at, slot.candidates.length - 1);
}

export function removeCandidate<S extends EditorSlot>(
  slots: S[],
  index: number,
  candidate: number
): S[] {
  const slot = slots[index];
  if (!slot) return slots;
  return replaceAt(slots, index, {
    ...slot,
    candidates: slot.candidates.filter((_, i) => i !== candidate),
  });
}

export function moveCandidate<S extends EditorSlot>(
  slots: S[],
  index: number,
  from: number,
  to: number
): S[] {
  const slot = slots[index];
  if (!slot) return slots;
  const candidates = move(slot.candidates, from, to);
  return candidates === slot.candidates ? slots : replaceAt(slots, index, { ...slot, candidates });
}

export function setWeight<S extends EditorSlot>(
  slots: S[],
  index: number,
  candidate: number,
  weight: number | null
): S[] {
  const slot = slots[index];
  if (!slot?.candidates[candidate]) return slots;
  return replaceAt(slots, index, {
    ...slot,
    candidates: replaceAt(slot.candidates, candidate, { ...slot.candidates[candidate], weight }),
  });
}

/** What PUT /mosaic/assets/:id takes: the fields the server fills on read are left out. */
export function toSaveBody(title: string, slots: EditorSlot[]): SaveAsset.Request['body'] {
  return {
    title,
    slots: slots.map((slot) => ({
      key: slot.key.trim(),
      mode: slot.mode,
      limit: slot.mode === 'all' ? (slot.limit ?? null) : null,
      ...(slot.mode === 'experiment' ? { holdout: slot.holdout ?? null } : {}),
      candidates: slot.candidates.map((c) => ({
        type: c.type,
        documentId: c.documentId,
        ...(slot.mode === 'experiment' ? { weight: c.weight ?? null } : {}),
      })),
    })),
  };
}

export interface AssetDiff {
  titleChanged: boolean;
  addedSlots: string[];
  removedSlots: string[];
  /** Slots present before and after whose mode, limit or candidates changed. */
  changedSlots: string[];
  /** True when the slots are the same but in another order. */
  reordered: boolean;
}

/** What an editor changed since the last save; slots are matched by position, then key. */
export function diffAsset(
  saved: Pick<EditorAsset, 'title' | 'slots'>,
  current: Pick<EditorAsset, 'title' | 'slots'>
): AssetDiff {
  const before = toSaveBody(saved.title, saved.slots).slots;
  const after = toSaveBody(current.title, current.slots).slots;
  const beforeKeys = before.map((s) => s.key);
  const afterKeys = after.map((s) => s.key);
  const addedSlots = afterKeys.filter((key) => !beforeKeys.includes(key));
  const removedSlots = beforeKeys.filter((key) => !afterKeys.includes(key));
  const changedSlots = after
    .filter((slot) => {
      const old = before.find((s) => s.key === slot.key);
      return old !== undefined && JSON.stringify(old) !== JSON.stringify(slot);
    })
    .map((slot) => slot.key);
  const common = afterKeys.filter((key) => beforeKeys.includes(key));
  const reordered =
    JSON.stringify(common) !== JSON.stringify(beforeKeys.filter((key) => afterKeys.includes(key)));
  return {
    titleChanged: saved.title !== current.title,
    addedSlots,
    removedSlots,
    changedSlots,
    reordered,
  };
}

export function isDirty(diff: AssetDiff): boolean {
  return (
    diff.titleChanged ||
    diff.reordered ||
    diff.addedSlots.length + diff.removedSlots.length + diff.changedSlots.length > 0
  );
}

export type HintCode =
  | 'key-empty'
  | 'key-invalid'
  | 'key-duplicate'
  | 'limit-invalid'
  | 'slot-empty'
  | 'shadowed'
  | 'shared-first'
  | 'weights-missing';

export interface Hint {
  slot: number;
  /** The candidate the hint is about, when it is about one. */
  candidate?: number;
  code: HintCode;
  /** Blocking hints stop a save; the others are advice. */
  blocking: boolean;
}

/** Problems visible before saving. The server validates again; these only save a round trip. */
export function validationHints(slots: EditorSlot[]): Hint[] {
  const hints: Hint[] = [];
  const seen = new Map<string, number>();
  slots.forEach((slot, index) => {
    const key = slot.key.trim();
    if (key === '') hints.push({ slot: index, code: 'key-empty', blocking: true });
    else if (!SLOT_KEY_PATTERN.test(key))
      hints.push({ slot: index, code: 'key-invalid', blocking: true });
    else if (seen.has(key)) hints.push({ slot: index, code: 'key-duplicate', blocking: true });
    seen.set(key, index);
    if (
      slot.mode === 'all' &&
      slot.limit !== null &&
      slot.limit !== undefined &&
      (!Number.isInteger(slot.limit) || slot.limit < 1)
    ) {
      hints.push({ slot: index, code: 'limit-invalid', blocking: true });
    }
    if (slot.candidates.length === 0)
      hints.push({ slot: index, code: 'slot-empty', blocking: false });
    if (slot.mode === 'first') {
      // In `first` mode an untagged candidate is always eligible: nothing after it is ever served.
      // A targeted one after it is a default in the wrong place (move the default last); a second
      // default means the editor wanted several shown (show all that fit).
      const fallback = slot.candidates.findIndex(isUntagged);
      if (fallback >= 0) {
        for (let i = fallback + 1; i < slot.candidates.length; i += 1) {
          if (!isUntagged(slot.candidates[i]))
            hints.push({ slot: index, candidate: i, code: 'shadowed', blocking: false });
        }
        if (slot.candidates.filter(isUntagged).length > 1)
          hints.push({ slot: index, code: 'shared-first', blocking: false });
      }
    }
    if (
      slot.mode === 'experiment' &&
      slot.candidates.some((c) => c.weight === undefined || c.weight === null)
    ) {
      hints.push({ slot: index, code: 'weights-missing', blocking: false });
    }
  });
  return hints;
}

export const hasBlockingHints = (hints: Hint[]) => hints.some((hint) => hint.blocking);

/**
 * Server validation errors are addressed by path (`['slots', 1, 'key']`): the builder shows each
 * next to the field it is about, and the rest at the top.
 */
export function errorsAt(
  errors: Array<{ path: string[]; message: string }>,
  ...path: Array<string | number>
): string[] {
  const wanted = path.map(String);
  return errors
    .filter((e) => e.path.length === wanted.length && e.path.every((part, i) => part === wanted[i]))
    .map((e) => e.message);
}

/** Errors not about any one field of a slot or candidate: shown in the page's banner. */
export function generalErrors(
  errors: Array<{ path: string[]; message: string }>,
  slotCount: number
): string[] {
  return errors
    .filter((e) => {
      if (e.path[0] !== 'slots') return true;
      const index = Number(e.path[1]);
      return !Number.isInteger(index) || index < 0 || index >= slotCount;
    })
    .map((e) => (e.path.length > 0 ? `${e.path.join('.')}: ${e.message}` : e.message));
}

/**
 * Errors about one slot or anything in it, for the slot's card, their paths relative to the slot
 * (`['key']`, `['candidates', '1', 'weight']`). The server numbered the slots it was sent (`sent`:
 * their ids, in order); the editor may have removed or added slots since, and an error stays with
 * the slot it is about.
 */
export function slotErrors(
  errors: Array<{ path: string[]; message: string }>,
  sent: string[],
  id: string
): Array<{ path: string[]; message: string }> {
  const at = sent.indexOf(id);
  return errors
    .filter((e) => at >= 0 && e.path[0] === 'slots' && e.path[1] === String(at))
    .map((e) => ({ path: e.path.slice(2), message: e.message }));
}

/**
 * A slot's errors that no field of its card shows (the slot's fields and each candidate show their
 * own): about the slot as a whole, or about its candidates together (an experiment with one).
 */
export function slotLevelErrors(errors: Array<{ path: string[]; message: string }>): string[] {
  const inField = ({ path }: { path: string[] }) =>
    (path.length === 1 && ['key', 'limit', 'holdout'].includes(path[0])) ||
    (path[0] === 'candidates' && path.length > 1);
  return errors.filter((e) => !inField(e)).map((e) => e.message);
}
