/**
 * Selection: resolves a compiled asset for one context (PRODUCT.md, *Selection*). Decides, per
 * slot, which candidates are eligible and which are chosen, and why. Segment rules are evaluated
 * lazily, at most once per resolution, and only for segments the asset's candidates reference.
 */
import { chooseVariant, experimentKeyOf, inHoldout } from './bucketing';
import type { CompiledRule } from './rules';
import type { Template } from './render';
import type { BlocksContent, Context } from './types';

import type { ExperimentAssignment, Explain, SkipReason } from '../../../contracts/delivery';
import type { SlotMode } from '../../../contracts/wire';
export { SLOT_MODES, type SlotMode } from '../../../contracts/wire';
export type { ExperimentAssignment, SkipReason } from '../../../contracts/delivery';

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

/** `weight`: the candidate's share in an `experiment` slot (null: equal shares). */
export type CompiledCandidate = { weight?: number | null } & (
  | { kind: 'chunk'; ref: string; chunk: CompiledChunk | null }
  | { kind: 'asset'; ref: string; asset: CompiledAsset | null; refused?: 'cycle' | 'depth' }
);

export interface CompiledSlot {
  key: string;
  mode: SlotMode;
  limit: number | null;
  /** Percentage of visitors an `experiment` slot keeps out of the test, on the control. */
  holdout?: number;
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

/** Why a candidate was or was not served, as `meta.explain` says it. */
export type SlotExplain = Explain['slots'][number];
export type CandidateExplain = SlotExplain['candidates'][number];

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
  /** Top-level context fields any evaluated rule, or `best` scoring, read. */
  fieldsRead: Set<string>;
  explain: SlotExplain[];
  /** The `experiment` slots whose content was served, with the variant each served. */
  experiments: ExperimentAssignment[];
}

interface Evaluation {
  ctx: Context;
  visitorId: string | null;
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
  ev.fieldsRead.add('affinity');
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
  /** Experiments inside a nested asset: they count only if this candidate is served. */
  experiments: ExperimentAssignment[];
}

/** A chunk candidate brings no experiment of its own (shared: only ever read). */
const NO_EXPERIMENTS: ExperimentAssignment[] = [];

function resolveSlots(
  asset: CompiledAsset,
  ev: Evaluation,
  explain: SlotExplain[] | null,
  experiments: ExperimentAssignment[]
): ResolvedSlot[] {
  return asset.slots.map((slot) => {
    // Why each candidate was or was not served: only worth building when it is asked for.
    const notes: CandidateExplain[] | null = explain ? [] : null;
    const eligible: Eligible[] = [];
    slot.candidates.forEach((candidate, index) => {
      if (candidate.kind === 'chunk') {
        const { chunk } = candidate;
        const reason = chunk ? chunkIneligibility(chunk, ev) : 'unpublished';
        notes?.push({
          kind: 'chunk',
          documentId: candidate.ref,
          slug: chunk?.slug ?? null,
          chosen: false,
          reason: reason ?? 'eligible',
        });
        if (chunk && !reason) {
          // Only `best` ranks its candidates.
          const rank = slot.mode === 'best' ? score(chunk, ev) : 0;
          eligible.push({ index, chunks: [chunk], score: rank, experiments: NO_EXPERIMENTS });
        }
        return;
      }
      const nested = candidate.asset;
      let reason: SkipReason | null = null;
      let chunks: CompiledChunk[] = [];
      const nestedExperiments: ExperimentAssignment[] = [];
      if (candidate.refused) reason = candidate.refused === 'cycle' ? 'cycle' : 'too-deep';
      else if (!nested) reason = 'unpublished';
      else {
        chunks = resolveSlots(nested, ev, null, nestedExperiments).flatMap((s) => s.chunks);
        if (!chunks.length) reason = 'empty-asset';
      }
      notes?.push({
        kind: 'asset',
        documentId: candidate.ref,
        slug: nested?.slug ?? null,
        chosen: false,
        reason: reason ?? 'eligible',
      });
      if (!reason) eligible.push({ index, chunks, score: 0, experiments: nestedExperiments });
    });

    const assignment =
      slot.mode === 'experiment' && eligible.length ? assign(asset, slot, eligible, ev) : null;
    const chosen = assignment ? [eligible[assignment.pick]] : choose(slot, eligible);
    for (const pick of chosen) experiments.push(...pick.experiments);
    if (assignment) experiments.push(assignment.experiment);
    if (notes) {
      for (const pick of chosen) notes[pick.index].chosen = true;
      if (slot.mode === 'best') for (const e of eligible) notes[e.index].score = e.score;
      for (const note of notes) {
        if (note.reason === 'eligible' && !note.chosen) note.reason = 'not-chosen';
      }
      explain?.push({
        key: slot.key,
        mode: slot.mode,
        candidates: notes,
        ...(assignment ? { experiment: assignment.experiment } : {}),
      });
    }
    return { key: slot.key, chunks: chosen.flatMap((e) => e.chunks) };
  });
}

/**
 * `experiment` mode: the visitor's bucket among the eligible candidates, by weight (see
 * bucketing.ts); the holdout, and a visitor without an id, get the first eligible candidate.
 */
function assign(asset: CompiledAsset, slot: CompiledSlot, eligible: Eligible[], ev: Evaluation) {
  const key = experimentKeyOf(asset.documentId, slot.key);
  let pick = 0;
  let holdout = false;
  let bucketed = false;
  if (ev.visitorId) {
    bucketed = true;
    if (inHoldout(key, ev.visitorId, slot.holdout ?? 0)) holdout = true;
    else {
      const variants = eligible.map((e) => ({
        id: slot.candidates[e.index].ref,
        weight: slot.candidates[e.index].weight ?? null,
      }));
      const index = chooseVariant(key, ev.visitorId, variants);
      // Every weight zero: the experiment is paused and serves its control to everyone.
      if (index === null) bucketed = false;
      else pick = index;
    }
  }
  const experiment: ExperimentAssignment = {
    key,
    asset: asset.documentId,
    slot: slot.key,
    variant: slot.candidates[eligible[pick].index].ref,
    holdout,
    bucketed,
  };
  return { pick, experiment };
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
      return eligible.slice(0, 1);
  }
}

/**
 * `visitorId`: the id `experiment` slots bucket on; without one they serve their control.
 * `explain`: whether to say why each candidate was or was not served (`Resolution.explain`, left
 * empty otherwise: delivery asks for it only when the request does).
 */
export function resolveAsset(
  asset: CompiledAsset,
  ctx: Context,
  now: number,
  visitorId: string | null = null,
  explain = true
): Resolution {
  const ev: Evaluation = {
    ctx,
    visitorId,
    now,
    segments: asset.segments,
    memo: new Map(),
    evaluated: [],
    fieldsRead: new Set(),
  };
  const explained: SlotExplain[] = [];
  const experiments: ExperimentAssignment[] = [];
  const slots = resolveSlots(asset, ev, explain ? explained : null, experiments);
  return {
    experiments,
    slots,
    matchedSegments: ev.evaluated.filter((s) => s.matched).map((s) => s.slug),
    evaluatedSegments: ev.evaluated,
    fieldsRead: ev.fieldsRead,
    explain: explained,
  };
}
