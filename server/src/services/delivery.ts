/**
 * Delivery: resolves an asset or a chunk for one request. Builds the context, loads the compiled
 * content, hands both to the core, and reports what influenced the answer so the HTTP layer can
 * set caching headers that tell the truth.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { resolveAsset, type SlotExplain } from '../core/assembly';
import { buildContext, type RequestFacts } from '../core/context';
import { deliverAssembly, deliverChunk, type DeliveredChunk } from '../core/delivery';
import type { Context, Format } from '../core/types';
import type { MosaicConfig } from '../config';
import { getService } from '../utils';

export interface DeliveryRequest {
  slug: string;
  format: Format;
  explain: boolean;
  facts: RequestFacts;
}

export type PersonaSource = 'param' | null;

export interface DeliveryMeta {
  persona: string | null;
  segments: string[];
  variantKey: string;
  warnings?: string[];
  explain?: {
    persona: { requested: string | null; source: PersonaSource; known: boolean | null };
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

  /** The persona from the query, when allowed and known; warnings say why one was dropped. */
  async function resolvePersona(requested: string | undefined, warnings: string[]) {
    if (requested === undefined) return { persona: null, known: null };
    if (!config().allowPersonaParam) {
      warnings.push(`The persona parameter is disabled on this server; '${requested}' was ignored`);
      return { persona: null, known: null };
    }
    const known = (await getService('content').personaSlugs()).has(requested);
    if (!known) warnings.push(`Unknown persona '${requested}': resolved without a persona`);
    return { persona: known ? requested : null, known };
  }

  function buildRequestContext(facts: RequestFacts) {
    const geoHeaders = Object.fromEntries(
      Object.entries(config().geoHeaders ?? {}).map(([k, v]) => [k, v?.toLowerCase()])
    );
    return buildContext(facts, geoHeaders);
  }

  return {
    async asset(request: DeliveryRequest): Promise<AssetDelivery> {
      const locale = await resolveLocale(request.facts.query.locale);
      const warnings: string[] = [];
      const persona = await resolvePersona(request.facts.query.persona, warnings);
      const asset = await getService('content').asset(request.slug, locale);
      if (!asset) throw new errors.NotFoundError(`No published asset with slug '${request.slug}'`);

      const { context, headerSources } = buildRequestContext(request.facts);
      if (persona.persona) context.persona = persona.persona;
      if (locale) context.locale = locale;

      const resolution = resolveAsset(asset, context, request.facts.now.getTime());
      const assembly = deliverAssembly(asset, resolution, request.format, context);

      const varyOn = new Set<string>();
      for (const field of resolution.fieldsRead) {
        for (const header of headerSources[field as keyof Context] ?? []) varyOn.add(header);
      }

      const meta: DeliveryMeta = {
        persona: persona.persona,
        segments: resolution.matchedSegments,
        variantKey: assembly.variantKey,
      };
      if (warnings.length) meta.warnings = warnings;
      if (request.explain) {
        meta.explain = {
          persona: {
            requested: request.facts.query.persona ?? null,
            source: persona.persona ? 'param' : null,
            known: persona.known,
          },
          context,
          segments: resolution.evaluatedSegments,
          slots: resolution.explain,
        };
      }
      return {
        data: {
          slug: asset.slug,
          locale: asset.locale,
          format: request.format,
          slots: assembly.slots,
        },
        meta,
        varyOn: [...varyOn],
      };
    },

    async chunk(request: DeliveryRequest) {
      const locale = await resolveLocale(request.facts.query.locale);
      const warnings: string[] = [];
      const persona = await resolvePersona(request.facts.query.persona, warnings);
      const chunk = await getService('content').chunk(request.slug, locale);
      if (!chunk) throw new errors.NotFoundError(`No published chunk with slug '${request.slug}'`);
      const { context } = buildRequestContext(request.facts);
      if (persona.persona) context.persona = persona.persona;
      if (locale) context.locale = locale;
      const delivered = deliverChunk(chunk, request.format, context);
      return {
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
