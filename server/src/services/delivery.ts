/**
 * Delivery: resolves an asset or a chunk for one request. Builds the context, loads the compiled
 * content, hands both to the core, and reports what influenced the answer so the HTTP layer can
 * set caching headers that tell the truth.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import {
  resolveAsset,
  type CompiledAsset,
  type ExperimentAssignment,
  type SlotExplain,
} from '../core/assembly';
import { buildContext, type RequestFacts } from '../core/context';
import { deliverAssembly, deliverChunk, type DeliveredChunk } from '../core/delivery';
import { choosePersona, inferPersona, type PersonaSource } from '../core/profile';
import type { Context, Format } from '../core/types';
import type { MosaicConfig } from '../config';
import { getService } from '../utils';

export interface DeliveryRequest {
  slug: string;
  format: Format;
  explain: boolean;
  facts: RequestFacts;
  /** The visitor id the frontend sent, and what it said about consent (undefined: nothing). */
  visitor: { id: string | null; consent: boolean | undefined };
}

export interface DeliveryMeta {
  persona: string | null;
  segments: string[];
  variantKey: string;
  warnings?: string[];
  /** The experiment slots served: experiment key, variant, holdout, and whether it is counted. */
  experiments?: Array<ExperimentAssignment & { counted: boolean }>;
  explain?: {
    persona: { requested: string | null; source: PersonaSource | null; known: boolean | null };
    /** Whether the visitor's stored profile was used (consent given and a visitor id sent). */
    profile: boolean;
    context: Context;
    segments: Array<{ slug: string; matched: boolean }>;
    slots: SlotExplain[];
  };
}

export interface AssetDelivery {
  data: {
    slug: string;
    locale: string | null;
    format: Format;
    slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
  };
  meta: DeliveryMeta;
  /** Request headers that influenced the answer (for `Vary`). */
  varyOn: string[];
  /** Whether the answer is this visitor's own: never publicly cacheable. */
  personal: boolean;
}

/** Where a visitor id and consent come from: an answer that read them is the visitor's own. */
export const VISITOR_HEADERS = ['Cookie', 'X-Mosaic-Visitor', 'X-Mosaic-Consent'];

/** Resolves a compiled asset for a context and renders it: what delivery and the preview share. */
/** `visitorId`: what `experiment` slots bucket on (none: their first eligible candidate). */
function assemble(
  asset: CompiledAsset,
  context: Context,
  format: Format,
  now: number,
  visitorId: string | null = null
) {
  const resolution = resolveAsset(asset, context, now, visitorId);
  const assembly = deliverAssembly(asset, resolution, format, context);
  const data: AssetDelivery['data'] = {
    slug: asset.slug,
    locale: asset.locale,
    format,
    slots: assembly.slots,
  };
  return { resolution, assembly, data };
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;

  async function resolveLocale(requested: string | undefined): Promise<string | null> {
    const { defaultLocale, available } = await getService('content').locales();
    if (requested === undefined) return defaultLocale;
    if (!available.includes(requested)) {
      throw new errors.ValidationError(
        `Unknown locale '${requested}': use one of ${available.join(', ') || '(none configured)'}`
      );
    }
    return requested;
  }

  /**
   * The reader's persona: the query parameter (when allowed), else a trusted `persona` trait,
   * else the one the visitor's affinity points to. Warnings say why a requested one was dropped.
   */
  async function resolvePersona(
    requested: string | undefined,
    context: Context,
    warnings: string[]
  ) {
    const known = await getService('content').personaSlugs();
    let param: string | null = null;
    if (requested !== undefined) {
      if (!getService('settings').current().allowPersonaParam) {
        warnings.push(
          `The persona parameter is disabled on this server; '${requested}' was ignored`
        );
      } else if (!known.has(requested)) {
        warnings.push(`Unknown persona '${requested}': resolved without a persona`);
      } else param = requested;
    }
    const trait = typeof context.traits?.persona === 'string' ? context.traits.persona : null;
    const affinity = context.affinity
      ? inferPersona(context.affinity, config().affinity.personaThreshold)
      : null;
    const chosen = choosePersona({ param, trait, affinity }, known);
    return { ...chosen, known: requested === undefined ? null : known.has(requested) };
  }

  /** Adds the visitor's profile to the context when they sent an id and consented. */
  async function withProfile(context: Context, request: DeliveryRequest): Promise<boolean> {
    const profiles = getService('profiles');
    const { id, consent } = request.visitor;
    if (!id || !profiles.consented(consent)) return false;
    Object.assign(context, await profiles.forResolve(id, request.facts.now.getTime()));
    return true;
  }

  function buildRequestContext(facts: RequestFacts) {
    const geoHeaders = Object.fromEntries(
      Object.entries(getService('settings').current().geoHeaders).map(([k, v]) => [
        k,
        v?.toLowerCase(),
      ])
    );
    return buildContext(facts, geoHeaders);
  }

  return {
    resolveLocale,
    assemble,

    async asset(request: DeliveryRequest): Promise<AssetDelivery> {
      const locale = await resolveLocale(request.facts.query.locale);
      const asset = await getService('content').asset(request.slug, locale);
      if (!asset) throw new errors.NotFoundError(`No published asset with slug '${request.slug}'`);

      const { context, headerSources } = buildRequestContext(request.facts);
      const usedProfile = await withProfile(context, request);
      const warnings: string[] = [];
      const persona = await resolvePersona(request.facts.query.persona, context, warnings);
      if (persona.persona) context.persona = persona.persona;
      if (locale) context.locale = locale;

      const now = request.facts.now.getTime();
      const { resolution, assembly, data } = assemble(
        asset,
        context,
        request.format,
        now,
        request.visitor.id
      );
      // Bucketing needs no storage; counting keeps the visitor's HMAC, so it needs consent.
      const counted =
        request.visitor.id !== null &&
        getService('profiles').consented(request.visitor.consent) &&
        resolution.experiments.some((e) => e.bucketed);
      if (counted) {
        getService('experiments').record(
          request.visitor.id!,
          resolution.experiments,
          { segments: resolution.matchedSegments, persona: persona.persona },
          now
        );
      }

      const varyOn = new Set<string>();
      for (const field of resolution.fieldsRead) {
        for (const header of headerSources[field as keyof Context] ?? []) varyOn.add(header);
      }
      // A bucketed answer is this visitor's own even if nothing else about it is.
      const personal =
        request.visitor.id !== null || resolution.experiments.some((e) => e.bucketed);
      if (personal) for (const header of VISITOR_HEADERS) varyOn.add(header);

      const meta: DeliveryMeta = {
        persona: persona.persona,
        segments: resolution.matchedSegments,
        variantKey: assembly.variantKey,
      };
      if (warnings.length) meta.warnings = warnings;
      if (resolution.experiments.length) {
        meta.experiments = resolution.experiments.map((e) => ({
          ...e,
          counted: counted && e.bucketed,
        }));
      }
      if (request.explain) {
        meta.explain = {
          persona: {
            requested: request.facts.query.persona ?? null,
            source: persona.source,
            known: persona.known,
          },
          profile: usedProfile,
          context,
          segments: resolution.evaluatedSegments,
          slots: resolution.explain,
        };
      }
      return {
        data,
        meta,
        varyOn: [...varyOn],
        personal,
      };
    },

    async chunk(request: DeliveryRequest) {
      const locale = await resolveLocale(request.facts.query.locale);
      const chunk = await getService('content').chunk(request.slug, locale);
      if (!chunk) throw new errors.NotFoundError(`No published chunk with slug '${request.slug}'`);
      const { context } = buildRequestContext(request.facts);
      await withProfile(context, request);
      const warnings: string[] = [];
      const persona = await resolvePersona(request.facts.query.persona, context, warnings);
      if (persona.persona) context.persona = persona.persona;
      if (locale) context.locale = locale;
      const delivered = deliverChunk(chunk, request.format, context);
      return {
        personal: request.visitor.id !== null,
        data: { ...delivered.chunk, format: request.format },
        meta: {
          persona: persona.persona,
          variantKey: delivered.variantKey,
          ...(warnings.length ? { warnings } : {}),
        },
      };
    },
  };
};
