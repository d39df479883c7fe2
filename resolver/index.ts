/**
 * strapi-mosaic-resolver: resolves Mosaic assets next to the reader (a frontend's middleware, an
 * edge function) from the manifest the server publishes at GET /api/mosaic/manifest. It runs the
 * server's own core (selection, rules, rendering, bucketing, variant keys: compiled in from
 * server/src/core, not copied), so for the same request it answers the same `data` and `meta`.
 * What it cannot know: a visitor's stored profile (traits, affinity, events) — rules over it do not
 * match here — and an app's own rule operators and output formats. Zero dependencies; Web-standard
 * APIs only (`fetch`, `TextEncoder`, `Intl`).
 */
import {
  CONSENT_COOKIE,
  CONSENT_HEADER,
  VISITOR_COOKIE,
  VISITOR_HEADER,
  VISITOR_ID_PATTERN,
} from '../contracts/wire';
import { resolveAsset, type CompiledAsset } from '../server/src/core/assembly';
import { buildContext } from '../server/src/core/context';
import { assemblyVariant, renderAssembly } from '../server/src/core/delivery';
import { compileManifest, type CompiledManifest } from '../server/src/core/manifest';
import { choosePersona, inferPersona } from '../server/src/core/profile';
import { parseDeliveryQuery } from '../server/src/core/query';
import {
  readsProfile,
  summaryKey,
  verifySummary as verifyToken,
  SUMMARY_COOKIE as SUMMARY_COOKIE_NAME,
  SUMMARY_HEADER as SUMMARY_HEADER_NAME,
  type SummaryKey,
} from '../server/src/core/summary';
import { FORMATS } from '../server/src/core/types';
import type {
  Context,
  DeliveredChunk,
  ExperimentAssignment,
  Format,
  Manifest,
  ProfileSummary,
  SummaryRejection,
} from './wire-types';

// The public types are written out without zod (wire-types.ts), held equal to the contracts.
export type * from './wire-types';

/** Where a frontend hands a profile summary to the resolver: this header, else this cookie. */
export const SUMMARY_HEADER: 'X-Mosaic-Summary' = SUMMARY_HEADER_NAME;
export const SUMMARY_COOKIE: 'mosaic_summary' = SUMMARY_COOKIE_NAME;

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
  /**
   * A verified profile summary (`verifySummary` / `readSummary`): its persona, affinities and
   * profile segments stand in for the stored profile. Anything else is refused.
   */
  summary?: ProfileSummary | null;
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
  /** A verified profile summary for this reader (see `ResolveOptions.summary`). */
  summary?: ProfileSummary | null;
}

/** A summary checked, or why it was not taken. */
export type SummaryVerdict =
  | { ok: true; summary: ProfileSummary }
  | { ok: false; reason: SummaryRejection | 'no-key' };

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
  /**
   * Verifies a profile summary token (GET /api/mosaic/profile/summary) for the reader with this
   * visitor id and consent: signature, expiry, the visitor it was issued to, consent.
   */
  verifySummary(
    token: string,
    reader: { visitorId: string | null; consent?: boolean; now?: Date | number }
  ): Promise<SummaryVerdict>;
  /**
   * The request's summary (the X-Mosaic-Summary header, else the mosaic_summary cookie) verified
   * against its visitor id and consent: null when it carries none.
   */
  readSummary(request: ResolverRequest): Promise<SummaryVerdict | null>;
  /** `resolveRequest` with the request's summary when it carries a valid one (else without). */
  resolveWithSummary(
    slug: string,
    request: ResolverRequest
  ): Promise<(ResolvedAsset & { summary: SummaryVerdict | null }) | null>;
  /** Asks the server for a newer manifest (ETag); true if one was taken. */
  refresh(): Promise<boolean>;
  /** Stops polling. */
  close(): void;
}

export interface ResolverOptions {
  /**
   * The secret(s) the server signs profile summaries with (its `profileSummary.secret`; several
   * while rotating). Without one, no summary is taken: profile rules are decided without a profile.
   */
  summaryKey?: string | string[];
}

const secretsOf = (key: string | string[] | undefined) =>
  key === undefined ? [] : Array.isArray(key) ? key : [key];

export interface ResolverSource {
  /** The Strapi server, e.g. `https://cms.example.com`. */
  url: string;
  /** An API token holding the `manifest` permission. */
  token?: string;
  /** How often to ask for a newer manifest, in ms (0: only on `refresh()`). Default 2000. */
  pollMs?: number;
  /** The secret(s) the server signs profile summaries with (its `profileSummary.secret`). */
  summaryKey?: string | string[];
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
function resolverOf(initial: CompiledManifest, secrets: string[]) {
  let current = decidedBySummary(initial);
  const renderings = new Map<string, ResolvedAsset['data']>();
  /** Only summaries this resolver verified are taken: a plain object with the shape is not. */
  const verified = new WeakSet<ProfileSummary>();
  let keys: Promise<SummaryKey[]> | null = null;

  async function verifySummary(
    token: string,
    reader: { visitorId: string | null; consent?: boolean; now?: Date | number }
  ): Promise<SummaryVerdict> {
    if (!secrets.length) return { ok: false, reason: 'no-key' };
    keys ??= Promise.all(secrets.map(summaryKey));
    const now = reader.now === undefined ? Date.now() : Number(reader.now);
    const verdict = await verifyToken(token, await keys, {
      visitorId: reader.visitorId,
      consent: reader.consent,
      now: Math.floor(now / 1000),
      // An erasure on the server revokes every summary issued before it (the manifest says when).
      notBefore: current.settings.summaryNotBefore ?? null,
    });
    if (verdict.ok) verified.add(verdict.summary);
    return verdict;
  }

  async function readSummary(request: ResolverRequest): Promise<SummaryVerdict | null> {
    const headers = lowerCased(request.headers);
    const token = headers[SUMMARY_HEADER.toLowerCase()] || cookieOf(headers, SUMMARY_COOKIE);
    if (!token) return null;
    return verifySummary(token, {
      visitorId: visitorIdOf(headers),
      consent: consentOf(headers),
      now: request.now,
    });
  }

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

    const summary = options.summary ?? null;
    if (summary && !verified.has(summary)) {
      throw new ResolverError(
        'A profile summary must come from this resolver’s verifySummary() or readSummary()'
      );
    }
    const ctx: Context = { ...context };
    delete ctx.persona;
    if (summary) {
      // The server's conclusions stand in for the stored profile, which is not here.
      delete ctx.traits;
      delete ctx.events;
      delete ctx.visitor;
      ctx.affinity = summary.affinity;
    }
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
    const trait = summary
      ? summary.persona
      : typeof ctx.traits?.persona === 'string'
        ? ctx.traits.persona
        : null;
    const affinity =
      !summary && ctx.affinity ? inferPersona(ctx.affinity, settings.personaThreshold) : null;
    const { persona } = choosePersona({ param, trait, affinity }, current.personas);
    if (persona) ctx.persona = persona;
    if (locale) ctx.locale = locale;

    const now = options.now === undefined ? Date.now() : Number(options.now);
    deciding = summary ? new Set(summary.segments) : null;
    let resolution;
    try {
      resolution = resolveAsset(asset, ctx, now, visitorId, false);
    } finally {
      deciding = null;
    }
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

  function resolveRequest(slug: string, request: ResolverRequest): ResolvedAsset | null {
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
      summary: request.summary,
    });
  }

  async function resolveWithSummary(slug: string, request: ResolverRequest) {
    const verdict = await readSummary(request);
    const summary = verdict?.ok ? verdict.summary : null;
    const answer = resolveRequest(slug, { ...request, summary });
    return answer && { ...answer, summary: verdict };
  }

  return {
    resolve,
    resolveRequest,
    verifySummary,
    readSummary,
    resolveWithSummary,
    get version() {
      return current.version;
    },
    replace(next: CompiledManifest) {
      current = decidedBySummary(next);
      renderings.clear();
    },
  };
}

/**
 * The profile segments a summary decides while a resolve runs (resolves are synchronous, so one
 * slot serves every resolver); null: no summary, the rules read the context as given.
 */
let deciding: Set<string> | null = null;

/**
 * Makes every segment whose rule reads the profile (the visitor, traits, affinity, events) answer
 * from the summary being used, when there is one: the server decided it with the profile.
 */
function decidedBySummary(manifest: CompiledManifest): CompiledManifest {
  const done = new Set<unknown>();
  const visit = (asset: CompiledAsset) => {
    if (!done.has(asset.segments)) {
      done.add(asset.segments);
      for (const [slug, segment] of asset.segments) {
        if (!readsProfile(segment.rule)) continue;
        const { test, fields } = segment.rule;
        asset.segments.set(slug, {
          ...segment,
          rule: { fields, test: (ctx, now) => (deciding ? deciding.has(slug) : test(ctx, now)) },
        });
      }
    }
    for (const slot of asset.slots) {
      for (const c of slot.candidates) if (c.kind === 'asset' && c.asset) visit(c.asset);
    }
  };
  for (const bySlug of manifest.assets.values()) for (const asset of bySlug.values()) visit(asset);
  return manifest;
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

function cookieOf(headers: Record<string, string | undefined>, cookie: string) {
  let found: string | undefined;
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) {
      try {
        found = decodeURIComponent(value.join('='));
      } catch {
        found = value.join('=');
      }
    }
  }
  return found;
}

/** The consent signal as the server reads it (undefined: none, or one it would refuse). */
function consentOf(headers: Record<string, string | undefined>): boolean | undefined {
  const value = (headers[CONSENT_HEADER.toLowerCase()] || cookieOf(headers, CONSENT_COOKIE) || '')
    .trim()
    .toLowerCase();
  if (['granted', 'true', '1', 'yes'].includes(value)) return true;
  if (['denied', 'false', '0', 'no'].includes(value)) return false;
  return undefined;
}

/** The visitor id as the server reads it: the header, else the cookie; a malformed one refused. */
function visitorIdOf(headers: Record<string, string | undefined>): string | null {
  const id = headers[VISITOR_HEADER.toLowerCase()] || cookieOf(headers, VISITOR_COOKIE);
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
export function createResolver(manifest: Manifest, options?: ResolverOptions): Resolver;
export function createResolver(source: ResolverSource): Promise<Resolver>;
export function createResolver(
  input: Manifest | ResolverSource,
  options: ResolverOptions = {}
): Resolver | Promise<Resolver> {
  if ('schema' in input) {
    const inner = resolverOf(compiled(input), secretsOf(options.summaryKey));
    return {
      resolve: inner.resolve,
      resolveRequest: inner.resolveRequest,
      verifySummary: inner.verifySummary,
      readSummary: inner.readSummary,
      resolveWithSummary: inner.resolveWithSummary,
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
  const inner = resolverOf(compiled(first!), secretsOf(source.summaryKey));
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
    verifySummary: inner.verifySummary,
    readSummary: inner.readSummary,
    resolveWithSummary: inner.resolveWithSummary,
    get version() {
      return inner.version;
    },
    refresh,
    close: () => {
      if (timer) clearInterval(timer);
    },
  };
}
