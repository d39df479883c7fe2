/**
 * Tracking: a batch of behaviour events, already validated at the edge, turned into what is
 * stored and counted. Chunks and assets are looked up (only published ones are known: a draft's
 * slug is answered as no asset's), a chunk event takes its chunk's personas and tags, and
 * conversions are attributed to the experiments the visitor was shown, with consent.
 */
import { errors } from '@strapi/utils';

import type { Conversion } from './experiments';
import type { TrackedEvent } from './profiles';
import type { RecordImpressions } from '../../../contracts/tracking';
import type { CompiledAsset } from '../core/assembly';
import { experimentKeyOf, inHoldout } from '../core/bucketing';
import { getService } from '../utils';

/** One event as the edge validated it; `ts` already in milliseconds. */
export interface EventInput {
  name: string;
  ts: number;
  asset?: string;
  slot?: string;
  chunk?: string;
  variantKey?: string;
  goal?: string;
  value?: number;
  props?: Record<string, string | number | boolean | null>;
}

export interface TrackingResult {
  accepted: number;
  /** Whether the events joined the visitor's profile (an id was sent, with consent). */
  profile: boolean;
  /** Conversions credited to experiments, when the batch held any. */
  attributed?: number;
}

const unknownRef = (index: number, field: string, message: string) =>
  new errors.ValidationError(`events.${index}.${field}: ${message}`, {
    errors: [{ path: ['events', String(index), field], message }],
  });

const refused = (path: Array<string | number>, message: string) =>
  new errors.ValidationError(`${path.join('.')}: ${message}`, {
    errors: [{ path: path.map(String), message }],
  });

interface ExperimentSlot {
  holdout: number;
  variants: Set<string>;
  /** Every weight zero: paused, nobody is bucketed. */
  paused: boolean;
}

/** The experiment slots an asset serves, its nested assets' included, by experiment key. */
function experimentSlots(asset: CompiledAsset, into = new Map<string, ExperimentSlot>()) {
  for (const slot of asset.slots) {
    if (slot.mode === 'experiment') {
      into.set(experimentKeyOf(asset.documentId, slot.key), {
        holdout: slot.holdout ?? 0,
        variants: new Set(slot.candidates.map((c) => c.ref)),
        paused: slot.candidates.every((c) => c.weight === 0),
      });
    }
    for (const candidate of slot.candidates) {
      if (candidate.kind === 'asset' && candidate.asset) experimentSlots(candidate.asset, into);
    }
  }
  return into;
}

export default () => {
  /** The events to store and the conversions to attribute; an unknown chunk or asset refuses all. */
  async function prepare(inputs: EventInput[]) {
    const events: TrackedEvent[] = [];
    const conversions: Conversion[] = [];
    const assets = new Map<string, Promise<string | null>>();
    const assetId = (ref: string) => {
      if (!assets.has(ref)) assets.set(ref, getService('experiments').assetId(ref));
      return assets.get(ref)!;
    };
    for (const [index, { chunk, goal, ...rest }] of inputs.entries()) {
      const event: TrackedEvent = rest;
      if (chunk !== undefined) {
        const topics = await getService('content').chunkTopics(chunk);
        if (!topics) throw unknownRef(index, 'chunk', `no chunk '${chunk}'`);
        Object.assign(event, { chunk }, topics);
      }
      // Every event naming an asset adds to its counters: an unknown one would add rows forever.
      const asset = event.asset === undefined ? undefined : await assetId(event.asset);
      if (asset === null) throw unknownRef(index, 'asset', `no asset '${event.asset}'`);
      if (event.name === 'conversion') conversions.push({ goal, value: event.value, asset });
      events.push(event);
    }
    return { events, conversions };
  }

  return {
    /**
     * Records a batch: checked whole first, then nothing of it is kept for an untracked crawler
     * (`counted: false`); else stored in the visitor's profile when they consented, anonymously
     * counted when not.
     */
    async track(
      inputs: EventInput[],
      visitor: { id: string | null; consent: boolean | undefined },
      counted: boolean,
      now: number
    ): Promise<TrackingResult> {
      const { events, conversions } = await prepare(inputs);
      const result: TrackingResult = { accepted: events.length, profile: false };
      if (!counted) {
        if (conversions.length) result.attributed = 0;
        return result;
      }
      const profiles = getService('profiles');
      const remembered = visitor.id !== null && profiles.consented(visitor.consent);
      result.profile = remembered;
      // Attribution reads the exposures kept under the visitor's HMAC: consent, as for profiles.
      // It comes first: it counts a conversion once however often it is sent, so a batch whose
      // events then fail to be written (a 503) can be sent again without counting anything twice.
      if (conversions.length) {
        result.attributed = remembered
          ? await getService('experiments').convert(visitor.id!, conversions, now)
          : 0;
      }
      await profiles.track(remembered ? visitor.id : null, events, now);
      return result;
    },

    /**
     * Counts the impressions of an answer resolved outside Strapi (a standalone resolver), as a
     * delivery answer's are: each experiment must be one the published asset serves, its variant
     * one of the slot's candidates and its holdout the visitor's; the persona and segments ones
     * the asset knows. Refused whole when anything is not; counted only with consent.
     */
    async impressions(
      report: RecordImpressions.Request['body'],
      visitor: { id: string; consent: boolean | undefined },
      now: number
    ): Promise<number> {
      const content = getService('content');
      const locale = await getService('delivery').resolveLocale(report.locale ?? undefined);
      const asset = await content.asset(report.asset, locale);
      if (!asset) throw refused(['asset'], `no published asset '${report.asset}'`);
      if (report.persona !== null && !(await content.personaSlugs()).has(report.persona)) {
        throw refused(['persona'], `no persona '${report.persona}'`);
      }
      for (const [index, slug] of report.segments.entries()) {
        if (!asset.segments.has(slug)) {
          throw refused(['segments', index], `'${slug}' is no segment '${report.asset}' targets`);
        }
      }
      const slots = experimentSlots(asset);
      for (const [index, e] of report.experiments.entries()) {
        const slot = slots.get(e.key);
        if (!slot || e.key !== experimentKeyOf(e.asset, e.slot)) {
          throw refused(
            ['experiments', index, 'key'],
            `'${report.asset}' runs no experiment '${e.key}'`
          );
        }
        if (!slot.variants.has(e.variant)) {
          throw refused(
            ['experiments', index, 'variant'],
            `'${e.variant}' is no candidate of '${e.key}'`
          );
        }
        if (
          e.bucketed &&
          (slot.paused || e.holdout !== inHoldout(e.key, visitor.id, slot.holdout))
        ) {
          throw refused(
            ['experiments', index, 'holdout'],
            `is not this visitor's bucket in '${e.key}'`
          );
        }
      }
      const bucketed = report.experiments.filter((e) => e.bucketed);
      if (!bucketed.length || !getService('profiles').consented(visitor.consent)) return 0;
      getService('experiments').record(
        visitor.id,
        bucketed,
        { segments: report.segments, persona: report.persona },
        now
      );
      return bucketed.length;
    },
  };
};
