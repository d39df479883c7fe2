/**
 * Delivery: resolves an asset or a chunk for one request. Builds the context, loads the compiled
 * content, hands both to the core, and reports what influenced the answer so the HTTP layer can
 * set caching headers that tell the truth.
 */
import { createHash } from 'node:crypto';

import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type { ResolveAsset } from '../../../contracts/delivery';
import type { ResolveHookContext } from '../../../contracts/extensions';

import { resolveAsset, type CompiledAsset, type Resolution } from '../core/assembly';
import {
  buildContext,
  requestContext,
  varyHeaders,
  VISITOR_HEADERS,
  type BuiltContext,
  type FieldsRead,
  type RequestFacts,
} from '../core/context';
import {
  assemblyVariant,
  deliverChunk,
  renderAssembly,
  type DeliveredChunk,
  type OutputFormat,
} from '../core/delivery';
import { choosePersona, inferPersona, type PersonaSource } from '../core/profile';
import type { Context, Format } from '../core/types';
import type { MosaicConfig } from '../config';
import type { Locales } from './content';
import type { Enrichment } from './extensions';
import { getService } from '../utils';

export interface DeliveryRequest {
  slug: string;
  /** A built-in format or one an app registered (services/extensions.ts). */
  format: Format | string;
  explain: boolean;
  facts: RequestFacts;
  /** The visitor id the frontend sent, and what it said about consent (undefined: nothing). */
  visitor: { id: string | null; consent: boolean | undefined };
  /** Whether an API token authenticated the request: only then may `explain` show a profile. */
  trusted: boolean;
}

/** What `meta` says of a delivered asset: the contract's (contracts/delivery.ts). */
export type DeliveryMeta = ResolveAsset.Response['meta'];

export interface AssetData {
  slug: string;
  locale: string | null;
  format: Format | string;
  slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
  /** Fields an app adds to the asset content type come through as they are. */
  [extra: string]: unknown;
}

export interface AssetDelivery {
  /** Shared with other requests of the same variant: read it, never change it. */
  data: AssetData;
  /**
   * `data` serialised as UTF-8 JSON, kept with it per variant so that the HTTP layer neither
   * serialises nor encodes it again. Shared too: never write into it.
   */
  dataBytes: Buffer;
  /** Whether `data` is the variant's one rendering, the same for every reader of the variant. */
  shared: boolean;
  meta: DeliveryMeta;
  /** Request headers that influenced the answer (for `Vary`). */
  varyOn: string[];
  /** Whether the answer is this visitor's own: never publicly cacheable. */
  personal: boolean;
}

/**
 * What an answer's caching headers must say (PRODUCT.md, *Privacy and safety*): `Vary` names the
 * request headers behind every context field that shaped its bytes and every header an enricher
 * read; an answer that is a visitor's own (`personal`) also varies on the visitor's headers.
 */
function caching(
  read: FieldsRead,
  headerSources: BuiltContext['headerSources'],
  enrichment: Enrichment,
  personal: boolean
): { varyOn: string[]; personal: boolean } {
  const varyOn = new Set(varyHeaders(read, headerSources));
  for (const header of enrichment.vary) varyOn.add(header);
  if (personal) for (const header of VISITOR_HEADERS) varyOn.add(header);
  return { varyOn: [...varyOn], personal };
}

/**
 * The fields an answer read beyond its rules and merge fields. `meta.persona` is in every answer:
 * unless the query parameter decided it, it came from what a profile holds (a trait, affinity).
 * An experiment slot buckets on the visitor id. An explanation, an app's format (handed the whole
 * context) or a hook that added to `meta` may show anything in the context.
 */
function fieldsReadBy(
  read: Set<string>,
  persona: { source: PersonaSource | null },
  whole: boolean
): FieldsRead {
  if (whole) return 'all';
  if (persona.source !== 'param') read.add('traits').add('affinity');
  return read;
}

const metaPrint = (meta: object) => JSON.stringify(meta);

/** `{"data":…,"meta":…}` around the variant's bytes and this request's meta. */
const OPEN_DATA = Buffer.from('{"data":');
const OPEN_META = Buffer.from(',"meta":');
const CLOSE = Buffer.from('}');

/** A strong validator of these very bytes: answers whose `meta` differs never share one. */
export const etagOf = (body: Buffer) =>
  `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** The digest of a variant's data bytes, computed once per kept rendering. */
const digests = new WeakMap<Buffer, string>();
const digestOf = (bytes: Buffer) => {
  let digest = digests.get(bytes);
  if (digest === undefined) {
    digest = createHash('sha256').update(bytes).digest('base64url');
    digests.set(bytes, digest);
  }
  return digest;
};

/**
 * An asset answer's strong validator: a digest of its data bytes' digest and its meta, the two
 * parts that make its bytes (different bytes, different ETag; equal bytes, equal ETag). A
 * visitor's own answer is assembled per request: its data, shared by the variant's readers, is
 * then hashed once, not on every answer.
 */
const answerEtag = (dataBytes: Buffer, metaJson: string) =>
  `"${createHash('sha256')
    .update(digestOf(dataBytes))
    .update(metaJson)
    .digest('base64url')
    .slice(0, 27)}"`;

/** An asset's `data`: the fields an app added to the asset, then its own and the slots. */
function assetData(asset: CompiledAsset, format: string, slots: AssetData['slots']): AssetData {
  return { ...asset.extra, slug: asset.slug, locale: asset.locale, format, slots };
}

/**
 * An asset answer's `meta` from its resolution: what delivery and the preview both send.
 * `explain`: the context shown and whether a profile was used (none: no explanation); `more`
 * (warnings, experiments…) comes before it, as the explanation closes the answer.
 */
function assetMeta(
  persona: {
    persona: string | null;
    requested: string | null;
    source: PersonaSource | null;
    known: boolean | null;
  },
  resolution: Resolution,
  variantKey: string,
  explain: { profile: boolean; context: Context } | null,
  more: Pick<DeliveryMeta, 'warnings' | 'experiments' | 'contentType'> = {}
): DeliveryMeta {
  const meta: DeliveryMeta = {
    persona: persona.persona,
    segments: resolution.matchedSegments,
    variantKey,
    ...more,
  };
  if (explain) {
    meta.explain = {
      persona: { requested: persona.requested, source: persona.source, known: persona.known },
      profile: explain.profile,
      context: explain.context,
      segments: resolution.evaluatedSegments,
      slots: resolution.explain,
    };
  }
  return meta;
}

const NOT_ENRICHED = { enriched: false, vary: [] as string[] };

/** A request made ready to resolve (see `open` below). */
interface Opening {
  /** The request as served: a crawler's without its visitor id and consent. */
  request: DeliveryRequest;
  /** Whether it is a crawler's, served as an anonymous reader's. */
  bot: boolean;
  context: Context;
  headerSources: BuiltContext['headerSources'];
  /** Whether the visitor's stored profile joined the context. */
  usedProfile: boolean;
  persona: ReturnType<typeof choosePersona> & { known: boolean | null };
  warnings: string[];
  enrichment: Enrichment;
  /** What the hooks were handed: null when none is registered. */
  hook: ResolveHookContext | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * The asset's data for a resolution. Equal variant keys, equal bodies: in a built-in format each
   * variant is rendered and serialised once and kept in the compiled cache (which empties on any
   * content change). An app's format renders every time: it may read more of the context than
   * the merge fields the key covers. A body holding a reader's own merge values is theirs alone:
   * rendered for them, and not kept where it would outlive an erasure of their profile.
   */
  function renderedData(
    asset: CompiledAsset,
    resolution: Resolution,
    output: OutputFormat,
    format: string,
    context: Context,
    variantKey: string,
    keep: boolean
  ): { data: AssetData; bytes: Buffer } {
    const cacheKey = `rendered:${variantKey}`;
    const cached = keep
      ? getService('cache').peek<{ data: AssetData; bytes: Buffer }>(cacheKey)
      : undefined;
    if (cached) return cached;
    const data = assetData(asset, format, renderAssembly(resolution, output, context));
    const rendered = { data, bytes: Buffer.from(JSON.stringify(data)) };
    // The object and its JSON: about three times the JSON's length.
    if (keep) getService('cache').put(cacheKey, rendered, rendered.bytes.length * 3);
    return rendered;
  }

  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;

  /** The locale asked for, checked against the configured ones (none asked: the default). */
  function localeFrom(requested: string | undefined, locales: Locales): string | null {
    const { defaultLocale, available } = locales;
    if (requested === undefined) return defaultLocale;
    if (!available.includes(requested)) {
      throw new errors.ValidationError(
        `Unknown locale '${requested}': use one of ${available.join(', ') || '(none configured)'}`
      );
    }
    return requested;
  }

  async function resolveLocale(requested: string | undefined): Promise<string | null> {
    return localeFrom(requested, await getService('content').locales());
  }

  /**
   * What an asset's resolution reads: its locale, the compiled asset and the known personas. From
   * memory when all of it is there (the hot path then waits on nothing), else loaded.
   */
  async function assetInputs(slug: string, requested: string | undefined) {
    const content = getService('content');
    const locales = content.loaded.locales();
    if (locales) {
      const locale = localeFrom(requested, locales);
      const asset = content.loaded.asset(slug, locale);
      const personas = content.loaded.personaSlugs();
      if (asset !== undefined && personas) return { locale, asset, personas };
    }
    const locale = await resolveLocale(requested);
    const [asset, personas] = await Promise.all([
      content.asset(slug, locale),
      content.personaSlugs(),
    ]);
    return { locale, asset, personas };
  }

  /**
   * The reader's persona: the query parameter (when allowed), else a trusted `persona` trait,
   * else the one the visitor's affinity points to. Warnings say why a requested one was dropped.
   */
  function resolvePersona(
    requested: string | undefined,
    context: Context,
    warnings: string[],
    known: Set<string>
  ) {
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

  /**
   * A crawler (`device.type: bot`) is served as an anonymous reader unless `bots.track`: an
   * experiment's control, no profile, nothing counted, whatever id and consent it sends.
   */
  function unlessBot(request: DeliveryRequest, context: Context): DeliveryRequest {
    if (context.device?.type !== 'bot' || config().bots.track) return request;
    return { ...request, visitor: { id: null, consent: undefined } };
  }

  /** Whether the visitor's profile joins the context: they sent an id and consented. */
  function profileWanted(request: DeliveryRequest): boolean {
    const { id, consent } = request.visitor;
    return id !== null && getService('profiles').consented(consent);
  }

  /**
   * Adds the visitor's profile to the context (when `profileWanted`). While the database is
   * unreachable the resolve goes on without it, as an anonymous one, flagged and warned about.
   */
  async function addProfile(
    context: Context,
    request: DeliveryRequest,
    warnings: string[]
  ): Promise<void> {
    const faults = getService('faults');
    try {
      const profile = await getService('profiles').forResolve(
        request.visitor.id!,
        request.facts.now.getTime()
      );
      Object.assign(context, profile);
    } catch (error) {
      if (!faults.failed(error)) throw error;
      faults.markStale();
      warnings.push(
        'The visitor profile could not be read (database unreachable): resolved without it'
      );
    }
  }

  function enricherInput(kind: 'asset' | 'chunk', request: DeliveryRequest) {
    return { kind, slug: request.slug, headers: request.facts.headers, query: request.facts.query };
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

  /**
   * What both routes do before resolving: the request's context (a crawler's request is served
   * as an anonymous reader's), the visitor's profile, what enrichers add, the persona and the
   * locale, then the beforeResolve hooks. Each step waits only when there is something to wait
   * for: an anonymous request with no enricher or hook registered gets its opening as it is, not
   * a promise, and runs through without a pause.
   */
  function open(
    kind: 'asset' | 'chunk',
    sent: DeliveryRequest,
    locale: string | null,
    personas: Set<string>
  ): Opening | Promise<Opening> {
    const { context, headerSources } = buildRequestContext(sent.facts);
    const request = unlessBot(sent, context);
    const usedProfile = profileWanted(request);
    const start = { request, bot: request !== sent, context, headerSources, usedProfile };
    const extensions = getService('extensions');
    if (!extensions.enriching() && !extensions.hooked()) {
      // A consenting visitor whose profile is in memory goes on without a pause too.
      const profile = usedProfile
        ? getService('profiles').forResolveCached(request.visitor.id!, request.facts.now.getTime())
        : undefined;
      if (!usedProfile || profile) {
        if (profile) Object.assign(context, profile);
        return {
          ...start,
          ...personaAndLocale(start, [], locale, personas),
          enrichment: NOT_ENRICHED,
          hook: null,
        };
      }
    }
    return (async (): Promise<Opening> => {
      const warnings: string[] = [];
      if (usedProfile) await addProfile(context, request, warnings);
      const enrichment = extensions.enriching()
        ? await extensions.enrich(context, enricherInput(kind, request))
        : NOT_ENRICHED;
      const chosen = personaAndLocale(start, warnings, locale, personas);
      const hook = extensions.hooked()
        ? await extensions.beforeResolveHooks(kind, request, locale, context)
        : null;
      return { ...start, ...chosen, enrichment, hook };
    })();
  }

  function personaAndLocale(
    { request, context }: { request: DeliveryRequest; context: Context },
    warnings: string[],
    locale: string | null,
    personas: Set<string>
  ) {
    const persona = resolvePersona(request.facts.query.persona, context, warnings, personas);
    if (persona.persona) context.persona = persona.persona;
    if (locale) context.locale = locale;
    return { persona, warnings };
  }

  return {
    resolveLocale,

    /**
     * `{"data":…,"meta":…}` as bytes, with their ETag. An answer many readers get alike (the
     * variant's shared data, the same small meta, nobody's own) is kept whole in the compiled
     * cache, within its bounds, so that most requests copy nothing; any other is assembled for
     * its request alone.
     */
    answer(delivery: AssetDelivery): { body: Buffer; etag: string } {
      const { dataBytes, meta, shared, personal } = delivery;
      const metaJson = JSON.stringify(meta);
      const keep = shared && !personal && !meta.explain;
      const cache = getService('cache');
      const key = `answer:${meta.variantKey}:${metaJson}`;
      const kept = keep ? cache.peek<{ body: Buffer; etag: string }>(key) : undefined;
      if (kept) return kept;
      const body = Buffer.concat([OPEN_DATA, dataBytes, OPEN_META, Buffer.from(metaJson), CLOSE]);
      const answer = { body, etag: answerEtag(dataBytes, metaJson) };
      if (keep) cache.put(key, answer, body.length + key.length * 2);
      return answer;
    },

    /**
     * The preview's answer for a reader: resolved, rendered and described as delivery does it,
     * drafts included, never kept. `forced` segments count as matched.
     */
    preview(
      asset: CompiledAsset,
      context: Context,
      format: Format,
      now: number,
      persona: string | null
    ): { data: AssetData; meta: DeliveryMeta } {
      const resolution = resolveAsset(asset, context, now, null, true);
      const variant = assemblyVariant(asset, resolution, format, context);
      const { data } = renderedData(asset, resolution, format, format, context, variant.key, false);
      const meta = assetMeta(
        {
          persona,
          requested: persona,
          source: persona ? 'param' : null,
          known: persona ? true : null,
        },
        resolution,
        variant.key,
        { profile: false, context }
      );
      return { data, meta };
    },

    async asset(sent: DeliveryRequest): Promise<AssetDelivery> {
      const extensions = getService('extensions');
      const output = extensions.outputFormat(sent.format);
      const { locale, asset, personas } = await assetInputs(sent.slug, sent.facts.query.locale);
      if (!asset) throw new errors.NotFoundError(`No published asset with slug '${sent.slug}'`);

      const opening = open('asset', sent, locale, personas);
      const {
        request,
        bot,
        context,
        headerSources,
        usedProfile,
        persona,
        warnings,
        enrichment,
        hook,
      } = opening instanceof Promise ? await opening : opening;

      const now = request.facts.now.getTime();
      const resolution = resolveAsset(asset, context, now, request.visitor.id, request.explain);
      const variant = assemblyVariant(asset, resolution, output, context);
      const variantKey = variant.key;
      // The variant's one rendering, kept for all its readers: a built-in format, nobody's own.
      const shared = typeof output === 'string' && !variant.readerValues;
      const rendered = extensions.render(() =>
        renderedData(asset, resolution, output, request.format, context, variantKey, shared)
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

      const more: Parameters<typeof assetMeta>[4] = {};
      if (warnings.length) more.warnings = warnings;
      if (resolution.experiments.length) {
        more.experiments = resolution.experiments.map((e) => ({
          ...e,
          counted: counted && e.bucketed,
        }));
      }
      if (typeof output !== 'string') more.contentType = output.contentType;
      const meta = assetMeta(
        { ...persona, requested: request.facts.query.persona ?? null },
        resolution,
        variantKey,
        request.explain
          ? {
              profile: usedProfile,
              context: request.trusted ? context : requestContext(context),
            }
          : null,
        more
      );
      // Hooks may add to `meta`; `data` is shared by every request of this variant.
      const unhooked = hook ? metaPrint(meta) : '';
      if (hook) await extensions.afterResolveHooks({ data: rendered.data, meta }, hook);

      const read = new Set([...resolution.fieldsRead, ...variant.fieldsRead]);
      if (resolution.experiments.length) read.add('visitor');
      // A crawler's id was ignored because of its user agent.
      if (bot) read.add('device');
      const whole =
        request.explain ||
        typeof output !== 'string' ||
        (hook !== null && metaPrint(meta) !== unhooked);
      return {
        data: rendered.data,
        dataBytes: rendered.bytes,
        shared,
        meta,
        // A bucketed answer is this visitor's own even if nothing else about it is; an enriched
        // context may have read anything about the request.
        ...caching(
          fieldsReadBy(read, persona, whole),
          headerSources,
          enrichment,
          request.visitor.id !== null ||
            resolution.experiments.some((e) => e.bucketed) ||
            enrichment.enriched
        ),
      };
    },

    async chunk(sent: DeliveryRequest) {
      const extensions = getService('extensions');
      const output = extensions.outputFormat(sent.format);
      const locale = await resolveLocale(sent.facts.query.locale);
      const chunk = await getService('content').chunk(sent.slug, locale);
      if (!chunk) throw new errors.NotFoundError(`No published chunk with slug '${sent.slug}'`);
      const known = await getService('content').personaSlugs();
      const opening = open('chunk', sent, locale, known);
      const { request, bot, context, headerSources, persona, warnings, enrichment, hook } =
        opening instanceof Promise ? await opening : opening;
      const delivered = extensions.render(() => deliverChunk(chunk, output, context));
      const data = { ...delivered.chunk, format: request.format };
      const meta: Record<string, unknown> & { persona: string | null; variantKey: string } = {
        persona: persona.persona,
        variantKey: delivered.variantKey,
        ...(warnings.length ? { warnings } : {}),
        ...(typeof output !== 'string' ? { contentType: output.contentType } : {}),
      };
      const unhooked = hook ? metaPrint(meta) : '';
      if (hook) await extensions.afterResolveHooks({ data, meta }, hook);
      const whole = typeof output !== 'string' || (hook !== null && metaPrint(meta) !== unhooked);
      const read = new Set(delivered.fieldsRead);
      // A crawler's id was ignored because of its user agent.
      if (bot) read.add('device');
      return {
        data,
        meta,
        ...caching(
          fieldsReadBy(read, persona, whole),
          headerSources,
          enrichment,
          request.visitor.id !== null || enrichment.enriched
        ),
      };
    },
  };
};
