/**
 * Tracking: a batch of behaviour events, already validated at the edge, turned into what is
 * stored and counted. Chunks and assets are looked up (only published ones are known: a draft's
 * slug is answered as no asset's), a chunk event takes its chunk's personas and tags, and
 * conversions are attributed to the experiments the visitor was shown, with consent.
 */
import { errors } from '@strapi/utils';

import type { Conversion } from './experiments';
import type { TrackedEvent } from './profiles';
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
  };
};
