/**
 * Selection: resolves a compiled asset for one context (PRODUCT.md, *Selection*). Decides, per
 * slot, which candidates are eligible and which are chosen, and why. Segment rules are evaluated
 * lazily, at most once per resolution, and only for segments the asset's candidates reference.
 */
import type { CompiledRule } from './rules';
import type { Template } from './render';
import type { BlocksContent, Context } from './types';

export const SLOT_MODES = ['first', 'best', 'all', 'experiment'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];

export interface CompiledSegment {
  slug: string;
  priority: number;
  rule: CompiledRule;
}

export interface CompiledChunk {
  documentId: string;
  slug: string;
  title: string;
  locale: string | null;
  /** Changes whenever the published content changes; part of the variant key. */
  version: string;
  personas: string[];
  segments: string[];
  tags: string[];
  availableFrom: number | null;
  availableUntil: number | null;
  body: BlocksContent;
  /** Fields an app added to the chunk content type, passed through to the delivery API. */
  extra: Record<string, unknown>;
  /** Rendered templates, filled lazily per format and kept with the compiled chunk. */
  templates: Partial<Record<Template['format'], Template>>;
}

export type CompiledCandidate =
  | { kind: 'chunk'; ref: string; chunk: CompiledChunk | null }
  | { kind: 'asset'; ref: string; asset: CompiledAsset | null; refused?: 'cycle' | 'depth' };

export interface CompiledSlot {
  key: string;
  mode: SlotMode;
  limit: number | null;
  candidates: CompiledCandidate[];
}

export interface CompiledAsset {
  documentId: string;
  slug: string;
  locale: string | null;
  version: string;
  slots: CompiledSlot[];
  /** Fields an app added to the asset content type, passed through to the delivery API. */
  extra?: Record<string, unknown>;
  /** Every segment referenced by a chunk in this asset or a nested one, by slug. */
  segments: Map<string, CompiledSegment>;
}

export type SkipReason =
  | 'unpublished'
  | 'outside-schedule'
  | 'persona-mismatch'
  | 'segment-mismatch'
  | 'empty-asset'
  | 'cycle'
  | 'too-deep'
  | 'not-chosen';

export interface CandidateExplain {
  kind: 'chunk' | 'asset';
  documentId: string;
  slug: string | null;
  chosen: boolean;
  reason: SkipReason | 'eligible';
  score?: number;
}

export interface SlotExplain {
  key: string;
  mode: SlotMode;
  candidates: CandidateExplain[];
}

export interface ResolvedSlot {
  key: string;
  chunks: CompiledChunk[];
}

export interface Resolution {
  slots: ResolvedSlot[];
  /** Slugs of the segments that matched, in evaluation order. */
  matchedSegments: string[];
  /** Segments evaluated, matched or not (for explain). */
  evaluatedSegments: Array<{ slug: string; matched: boolean }>;
  /** Top-level context fields any evaluated rule read. */
  fieldsRead: Set<string>;
  explain: SlotExplain[];
}

interface Evaluation {
  ctx: Context;
  now: number;
  segments: Map<string, CompiledSegment>;
  memo: Map<string, boolean>;
  evaluated: Array<{ slug: string; matched: boolean }>;
  fieldsRead: Set<string>;
}

function segmentMatches(ev: Evaluation, slug: string): boolean {
  const known = ev.memo.get(slug);
  if (known !== undefined) return known;
  const segment = ev.segments.get(slug);
  let matched = false;
  if (segment) {
    for (const field of segment.rule.fields) ev.fieldsRead.add(field);
    matched = segment.rule.test(ev.ctx, ev.now);
  }
  ev.memo.set(slug, matched);
  ev.evaluated.push({ slug, matched });
  return matched;
}

function chunkIneligibility(chunk: CompiledChunk, ev: Evaluation): SkipReason | null {
  if (chunk.availableFrom !== null && ev.now < chunk.availableFrom) return 'outside-schedule';
  if (chunk.availableUntil !== null && ev.now > chunk.availableUntil) return 'outside-schedule';
  if (chunk.personas.length && !(ev.ctx.persona && chunk.personas.includes(ev.ctx.persona))) {
    return 'persona-mismatch';
  }
  // Every referenced segment is evaluated (not just up to the first match) so `meta.segments`
  // does not depend on tag order; memoisation keeps it to once per request.
  if (chunk.segments.length) {
    let any = false;
    for (const slug of chunk.segments) any = segmentMatches(ev, slug) || any;
    if (!any) return 'segment-mismatch';
  }
  return null;
}

/** `best` mode: matched segment priority, persona match, then the visitor's affinity. */
function score(chunk: CompiledChunk, ev: Evaluation): number {
  let total = 0;
  for (const slug of chunk.segments) {
    if (ev.memo.get(slug)) total = Math.max(total, ev.segments.get(slug)?.priority ?? 0);
  }
  if (ev.ctx.persona && chunk.personas.includes(ev.ctx.persona)) total += 1;
  const affinity = ev.ctx.affinity;
  if (affinity) {
    for (const p of chunk.personas) total += affinity.personas?.[p] ?? 0;
    for (const t of chunk.tags) total += affinity.tags?.[t] ?? 0;
  }
  return total;
}

interface Eligible {
  index: number;
  chunks: CompiledChunk[];
  score: number;
}

function resolveSlots(
  asset: CompiledAsset,
  ev: Evaluation,
  explain: SlotExplain[] | null
): ResolvedSlot[] {
  return asset.slots.map((slot) => {
    const notes: CandidateExplain[] = [];
    const eligible: Eligible[] = [];
    slot.candidates.forEach((candidate, index) => {
      if (candidate.kind === 'chunk') {
        const { chunk } = candidate;
        const reason = chunk ? chunkIneligibility(chunk, ev) : 'unpublished';
        notes.push({
          kind: 'chunk',
          documentId: candidate.ref,
          slug: chunk?.slug ?? null,
          chosen: false,
          reason: reason ?? 'eligible',
        });
        if (chunk && !reason) eligible.push({ index, chunks: [chunk], score: score(chunk, ev) });
        return;
      }
      const nested = candidate.asset;
      let reason: SkipReason | null = null;
      let chunks: CompiledChunk[] = [];
      if (candidate.refused) reason = candidate.refused === 'cycle' ? 'cycle' : 'too-deep';
      else if (!nested) reason = 'unpublished';
      else {
        chunks = resolveSlots(nested, ev, null).flatMap((s) => s.chunks);
        if (!chunks.length) reason = 'empty-asset';
      }
      notes.push({
        kind: 'asset',
        documentId: candidate.ref,
        slug: nested?.slug ?? null,
        chosen: false,
        reason: reason ?? 'eligible',
      });
      if (!reason) eligible.push({ index, chunks, score: 0 });
    });

    const chosen = choose(slot, eligible);
    for (const pick of chosen) notes[pick.index].chosen = true;
    if (slot.mode === 'best') for (const e of eligible) notes[e.index].score = e.score;
    for (const note of notes)
      if (note.reason === 'eligible' && !note.chosen) note.reason = 'not-chosen';
    explain?.push({ key: slot.key, mode: slot.mode, candidates: notes });
    return { key: slot.key, chunks: chosen.flatMap((e) => e.chunks) };
  });
}

function choose(slot: CompiledSlot, eligible: Eligible[]): Eligible[] {
  switch (slot.mode) {
    case 'all':
      return slot.limit ? eligible.slice(0, slot.limit) : eligible;
    case 'best': {
      let best: Eligible | undefined;
      // Strictly greater keeps ties in editor order.
      for (const e of eligible) if (!best || e.score > best.score) best = e;
      return best ? [best] : [];
    }
    default:
      // `experiment` serves its control (the first eligible candidate) until experiments land.
      return eligible.slice(0, 1);
  }
}

export function resolveAsset(asset: CompiledAsset, ctx: Context, now: number): Resolution {
  const ev: Evaluation = {
    ctx,
    now,
    segments: asset.segments,
    memo: new Map(),
    evaluated: [],
    fieldsRead: new Set(),
  };
  const explain: SlotExplain[] = [];
  const slots = resolveSlots(asset, ev, explain);
  return {
    slots,
    matchedSegments: ev.evaluated.filter((s) => s.matched).map((s) => s.slug),
    evaluatedSegments: ev.evaluated,
    fieldsRead: ev.fieldsRead,
    explain,
  };
}
