/**
 * strapi-mosaic-resolver: resolves Mosaic assets next to the reader (a frontend's middleware, an
 * edge function) from the manifest the server publishes at GET /api/mosaic/manifest. It runs the
 * server's own core (selection, rules, rendering, bucketing, variant keys: compiled in from
 * server/src/core, not copied), so for the same request it answers the same `data` and `meta`.
 * What it cannot know: a visitor's stored profile (traits, affinity, events) — rules over it do not
 * match here — and an app's own rule operators and output formats. Zero dependencies; Web-standard
 * APIs only (`fetch`, `TextEncoder`, `Intl`).
 */
import { VISITOR_COOKIE, VISITOR_HEADER, VISITOR_ID_PATTERN } from '../contracts/wire';
import { resolveAsset, type ExperimentAssignment } from '../server/src/core/assembly';
import { buildContext } from '../server/src/core/context';
import { assemblyVariant, renderAssembly, type DeliveredChunk } from '../server/src/core/delivery';
import { compileManifest, type CompiledManifest, type Manifest } from '../server/src/core/manifest';
import { choosePersona, inferPersona } from '../server/src/core/profile';
import { parseDeliveryQuery } from '../server/src/core/query';
import { FORMATS, type Context, type Format } from '../server/src/core/types';

export type { Manifest } from '../server/src/core/manifest';
export type { Context, Format } from '../server/src/core/types';

export interface ResolveOptions {
  /** `json` (blocks, the default), `html`, `markdown` or `text`. */
  format?: Format;
  /** A configured locale; by default the server's default locale. */
  locale?: string;
  /** The `persona` parameter (by default `context.persona`), when the server allows it. */
  persona?: string;
  /** The visitor id `experiment` slots bucket on; without one they serve their control. */
  visitorId?: string | null;
  /** The instant schedules and time rules are read at (default: now). */
  now?: Date | number;
}

export interface ResolvedAsset {
  /** Frozen, unless it holds the reader's own merge values: shared by every reader of the variant. */
  data: {
    slug: string;
    locale: string | null;
    format: Format;
    slots: Array<{ key: string; chunks: DeliveredChunk[] }>;
    [extra: string]: unknown;
  };
  meta: {
    persona: string | null;
    segments: string[];
    variantKey: string;
    warnings?: string[];
    /** As the server says, but never `counted`: a resolver records no impression. */
    experiments?: Array<ExperimentAssignment & { counted: false }>;
  };
}

/** An HTTP request as the delivery route reads it: its query parameters and headers. */
export interface ResolverRequest {
  query?: Record<string, string | undefined> | URLSearchParams;
  headers?: Record<string, string | undefined> | Headers;
  now?: Date;
}

/** Bad input (an unknown locale or format, a malformed parameter) or an unusable manifest. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly status = 400
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

export interface Resolver {
  /** The manifest version in use. */
  readonly version: string;
  /** The published asset `slug` for `context`, or null when there is none. */
  resolve(slug: string, context?: Context, options?: ResolveOptions): ResolvedAsset | null;
  /** The same for a request, read as GET /api/mosaic/assets/:slug reads it. */
  resolveRequest(slug: string, request: ResolverRequest): ResolvedAsset | null;
  /** Asks the server for a newer manifest (ETag); true if one was taken. */
  refresh(): Promise<boolean>;
  /** Stops polling. */
  close(): void;
}

export interface ResolverSource {
  /** The Strapi server, e.g. `https://cms.example.com`. */
  url: string;
  /** An API token holding the `manifest` permission. */
  token?: string;
  /** How often to ask for a newer manifest, in ms (0: only on `refresh()`). Default 2000. */
  pollMs?: number;
  /** Called when a poll fails; the resolver keeps the manifest it has. */
  onError?: (error: unknown) => void;
  fetch?: typeof fetch;
}

/** Deep-freezes an answer's data: one rendering serves every reader of its variant. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) frozen(inner);
  }
  return value;
}

/** Renderings kept per variant key, at most this many (emptied when full). */
const MAX_RENDERINGS = 1000;

/**
 * Compiles the manifest once; every resolve after that runs in memory. Equal variant keys mean
 * equal bodies, so each variant is rendered once and its (frozen) data served to all its readers,
 * as the server does; a body holding a reader's own merge values is rendered for them alone.
 */
function resolverOf(initial: CompiledManifest) {
  let current = initial;
  const renderings = new Map<string, ResolvedAsset['data']>();

  function resolve(slug: string, context: Context = {}, options: ResolveOptions = {}) {
    const { settings } = current;
    const format = options.format ?? 'json';
    if (!FORMATS.includes(format)) {
      throw new ResolverError(`Unknown format '${format}': use one of ${FORMATS.join(', ')}`);
    }
    let locale = settings.defaultLocale;
    if (options.locale !== undefined) {
      if (!settings.locales.includes(options.locale)) {
        throw new ResolverError(
          `Unknown locale '${options.locale}': use one of ${settings.locales.join(', ') || '(none configured)'}`
        );
      }
      locale = options.locale;
    }
    const asset = current.assets.get(locale ?? '')?.get(slug);
    if (!asset) return null;

    const ctx: Context = { ...context };
    delete ctx.persona;
    // A crawler is served as an anonymous reader, unless the server tracks crawlers.
    const visitorId =
      ctx.device?.type === 'bot' && !settings.botsTracked ? null : (options.visitorId ?? null);
    const warnings: string[] = [];
    const requested = options.persona ?? context.persona;
    let param: string | null = null;
    if (requested !== undefined) {
      if (!settings.allowPersonaParam) {
        warnings.push(
          `The persona parameter is disabled on this server; '${requested}' was ignored`
        );
      } else if (!current.personas.has(requested)) {
        warnings.push(`Unknown persona '${requested}': resolved without a persona`);
      } else param = requested;
    }
    const trait = typeof ctx.traits?.persona === 'string' ? ctx.traits.persona : null;
    const affinity = ctx.affinity ? inferPersona(ctx.affinity, settings.personaThreshold) : null;
    const { persona } = choosePersona({ param, trait, affinity }, current.personas);
    if (persona) ctx.persona = persona;
    if (locale) ctx.locale = locale;

    const now = options.now === undefined ? Date.now() : Number(options.now);
    const resolution = resolveAsset(asset, ctx, now, visitorId, false);
    const { key, readerValues } = assemblyVariant(asset, resolution, format, ctx);
    const meta: ResolvedAsset['meta'] = {
      persona,
      segments: resolution.matchedSegments,
      variantKey: key,
    };
    if (warnings.length) meta.warnings = warnings;
    if (resolution.experiments.length) {
      meta.experiments = resolution.experiments.map((e) => ({ ...e, counted: false }));
    }
    let data = readerValues ? undefined : renderings.get(key);
    if (!data) {
      data = {
        ...asset.extra,
        slug: asset.slug,
        locale: asset.locale,
        format,
        slots: renderAssembly(resolution, format, ctx),
      };
      if (!readerValues) {
        if (renderings.size >= MAX_RENDERINGS) renderings.clear();
        renderings.set(key, frozen(data));
      }
    }
    return { data, meta };
  }

  function resolveRequest(slug: string, request: ResolverRequest) {
    const headers = lowerCased(request.headers);
    const parsed = parseDeliveryQuery(plain(request.query));
    if (!parsed.ok) throw new ResolverError(parsed.issues.map((i) => i.message).join('; '));
    const { format, persona, locale, ...query } = parsed.query;
    const now = request.now ?? new Date();
    const geoHeaders = Object.fromEntries(
      Object.entries(current.settings.geoHeaders).map(([k, v]) => [k, v?.toLowerCase()])
    );
    const { context } = buildContext({ query, headers, now }, geoHeaders);
    return resolve(slug, context, {
      format: format as Format | undefined,
      locale,
      persona,
      visitorId: visitorIdOf(headers),
      now,
    });
  }

  return {
    resolve,
    resolveRequest,
    get version() {
      return current.version;
    },
    replace(next: CompiledManifest) {
      current = next;
      renderings.clear();
    },
  };
}

function plain(query: ResolverRequest['query']): Record<string, string | undefined> {
  if (!query) return {};
  if (typeof URLSearchParams !== 'undefined' && query instanceof URLSearchParams) {
    const out: Record<string, string> = {};
    query.forEach((value, key) => (out[key] = value));
    return out;
  }
  return query as Record<string, string | undefined>;
}

function lowerCased(headers: ResolverRequest['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (!headers) return out;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, key) => (out[key.toLowerCase()] = value));
    return out;
  }
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}

/** The visitor id as the server reads it: the header, else the cookie; a malformed one refused. */
function visitorIdOf(headers: Record<string, string | undefined>): string | null {
  let id = headers[VISITOR_HEADER.toLowerCase()];
  if (!id) {
    for (const part of (headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === VISITOR_COOKIE) id = decodeURIComponent(value.join('='));
    }
  }
  if (!id) return null;
  if (!VISITOR_ID_PATTERN.test(id)) {
    throw new ResolverError(
      'The visitor id must be 8 to 128 characters of A-Z, a-z, 0-9, _ or - (a random id the frontend keeps)'
    );
  }
  return id;
}

function compiled(manifest: Manifest): CompiledManifest {
  try {
    return compileManifest(manifest);
  } catch (error) {
    throw new ResolverError((error as Error).message, 500);
  }
}

/**
 * A resolver over `manifest` (the `data` of GET /api/mosaic/manifest), or, given the server's
 * `url` and a `token`, one that fetches the manifest and keeps it fresh by ETag polling.
 */
export function createResolver(manifest: Manifest): Resolver;
export function createResolver(source: ResolverSource): Promise<Resolver>;
export function createResolver(input: Manifest | ResolverSource): Resolver | Promise<Resolver> {
  if ('schema' in input) {
    const inner = resolverOf(compiled(input));
    return {
      resolve: inner.resolve,
      resolveRequest: inner.resolveRequest,
      get version() {
        return inner.version;
      },
      refresh: async () => false,
      close: () => undefined,
    };
  }
  return connect(input);
}

async function connect(source: ResolverSource): Promise<Resolver> {
  const endpoint = `${source.url.replace(/\/+$/, '')}/api/mosaic/manifest`;
  const fetchManifest = source.fetch ?? fetch;
  let etag: string | null = null;

  async function load(): Promise<Manifest | null> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (source.token) headers.Authorization = `Bearer ${source.token}`;
    if (etag) headers['If-None-Match'] = etag;
    const res = await fetchManifest(endpoint, { headers });
    if (res.status === 304) return null;
    if (!res.ok) {
      throw new ResolverError(
        `GET ${endpoint} answered ${res.status}${res.status === 403 ? ': the token needs the manifest permission' : ''}`,
        res.status
      );
    }
    const body = (await res.json()) as { data: Manifest };
    etag = res.headers.get('etag');
    return body.data;
  }

  const first = await load();
  const inner = resolverOf(compiled(first!));
  let refreshing: Promise<boolean> | null = null;
  const refresh = () =>
    (refreshing ??= load()
      .then((next) => {
        if (next) inner.replace(compiled(next));
        return next !== null;
      })
      .finally(() => (refreshing = null)));

  const pollMs = source.pollMs ?? 2000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          refresh().catch((error) => source.onError?.(error));
        }, pollMs)
      : null;
  // A poll must not keep a Node process alive on its own.
  (timer as { unref?: () => void } | null)?.unref?.();

  return {
    resolve: inner.resolve,
    resolveRequest: inner.resolveRequest,
    get version() {
      return inner.version;
    },
    refresh,
    close: () => {
      if (timer) clearInterval(timer);
    },
  };
}
