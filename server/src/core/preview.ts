/**
 * Preview as a simulated reader: the context a reader described in the admin stands for, segments
 * forced as matched, and which slots differ between readers seen side by side.
 */
import { READER_CONTEXT_FIELDS, type ReaderContext } from '../../../contracts/admin';
import type { CompiledAsset, CompiledSegment } from './assembly';
import { buildContext } from './context';
import type { Context } from './types';

/**
 * The context a delivery request from this reader would produce, built by the delivery code's own
 * `buildContext` (UTM, referrer, time in `tz`), with what a request carries in headers (location,
 * device) and a profile (returning visits) filled in directly.
 */
export function readerContext(reader: ReaderContext, now: Date, persona?: string): Context {
  const { context } = buildContext(
    {
      query: {
        tz: reader.tz,
        ref: reader.referrer,
        utm_source: reader.utm?.source,
        utm_medium: reader.utm?.medium,
        utm_campaign: reader.utm?.campaign,
        utm_term: reader.utm?.term,
        utm_content: reader.utm?.content,
      },
      headers: {},
      now,
    },
    {}
  );
  const geo = Object.fromEntries(
    Object.entries({
      country: reader.country?.trim().toUpperCase(),
      region: reader.region?.trim(),
      city: reader.city?.trim(),
    }).filter(([, value]) => value)
  );
  if (Object.keys(geo).length) context.geo = geo;
  if (reader.device) context.device = { type: reader.device };
  if (reader.returning !== undefined) {
    context.visitor = {
      known: true,
      visits: reader.returning ? 2 : 1,
      new: !reader.returning,
    };
  }
  if (persona) context.persona = persona;
  return context;
}

/** The fields a reader is described by, as the preview's schema lists them. */
const READER_FIELDS: ReadonlySet<string> = new Set(READER_CONTEXT_FIELDS);

/**
 * A rule test's sample context. Reader-shaped fields (a referrer URL, a device name) are built as
 * a request would build them; the others (a referrer or device object, traits, events…) are taken
 * as they are.
 */
export function sampleContext(sample: Record<string, unknown>, now: Date): Context {
  const reader: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(sample)) {
    const asReader = READER_FIELDS.has(field) && typeof value !== 'object';
    (asReader || field === 'utm' ? reader : raw)[field] = value;
  }
  return { ...readerContext(reader as ReaderContext, now), ...raw };
}

const ALWAYS = { test: () => true, fields: [] };
const NEVER = { test: () => false, fields: [] };

/**
 * The asset with its segments decided in advance: `forced` ones match without their rules being
 * evaluated; with `exclusive`, every other segment fails too (a coverage cell), else the others are
 * evaluated as usual. Nested assets read the top asset's segments, so one map covers them all.
 */
export function withSegments(
  asset: CompiledAsset,
  forced: readonly string[],
  exclusive = false
): CompiledAsset {
  const segments = new Map<string, CompiledSegment>();
  for (const [slug, segment] of asset.segments) {
    const rule = forced.includes(slug) ? ALWAYS : exclusive ? NEVER : segment.rule;
    segments.set(slug, { ...segment, rule });
  }
  return { ...asset, segments };
}

/** Slot keys whose chosen chunks (by documentId, in order) are not the same for every answer. */
export function differingSlots(
  answers: ReadonlyArray<{ slots: ReadonlyArray<{ key: string; chunks: ReadonlyArray<unknown> }> }>
): string[] {
  const picks = new Map<string, Set<string>>();
  for (const answer of answers) {
    for (const slot of answer.slots) {
      const ids = slot.chunks.map((c) => (c as { documentId?: string }).documentId ?? '');
      const seen = picks.get(slot.key) ?? new Set<string>();
      seen.add(JSON.stringify(ids));
      picks.set(slot.key, seen);
    }
  }
  return [...picks].filter(([, seen]) => seen.size > 1).map(([key]) => key);
}
