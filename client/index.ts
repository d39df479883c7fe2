/**
 * A typed client for frontends of Mosaic's delivery API (the `strapi-mosaic-client` package, also
 * re-exported as `strapi-plugin-mosaic/client`): resolve assets and chunks, track behaviour, and
 * keep the visitor id and consent in first-party cookies. Web-standard APIs only (fetch,
 * URLSearchParams, crypto.getRandomValues) and no runtime imports: browsers, Node 20+ and edge
 * runtimes, zero dependencies.
 */
import {
  CONSENT_COOKIE,
  CONSENT_HEADER,
  CONSENT_VALUES,
  VISITOR_COOKIE,
  VISITOR_HEADER,
  VISITOR_ID_PATTERN,
  type Consent,
} from '../contracts/wire.js';
import type {
  AnyFormat,
  BehaviourEvent,
  DeliveryQuery,
  EraseProfile,
  ExportProfile,
  GetChunk,
  Identify,
  ResolveAsset,
  TrackEvents,
} from './wire-types.js';

export type {
  AnyFormat,
  ApiError,
  BehaviourEvent,
  Consent,
  Context,
  DeliveredChunk,
  DeliveryQuery,
  EraseProfile,
  Explain,
  ExportProfile,
  Format,
  GetChunk,
  Identify,
  ResolveAsset,
  StoredEvent,
  TrackEvents,
} from './wire-types.js';

/** Where the visitor id and consent are kept: document.cookie in a browser, by default. */
export interface CookieStore {
  get(name: string): string | undefined;
  /** `maxAgeSeconds` 0 deletes the cookie. */
  set(name: string, value: string, maxAgeSeconds: number): void;
}

export interface MosaicClientOptions {
  /** The Strapi server, e.g. `https://cms.example.com`. */
  baseUrl: string;
  /** The content API prefix (Strapi's `api.rest.prefix`). Default `/api`. */
  apiPrefix?: string;
  /** An API token, for server-side frontends (trusted traits, identify). */
  token?: string;
  fetch?: typeof fetch;
  /** Default: document.cookie in a browser, else an in-memory store. */
  cookies?: CookieStore;
  /** Name of the first-party cookie that keeps the visitor id. Default `mosaic_vid`. */
  visitorCookie?: string;
  /** Name of the cookie that keeps the visitor's consent. Default `mosaic_consent`. */
  consentCookie?: string;
  /** Lifetime of both cookies, in days. Default 365. */
  cookieDays?: number;
  /**
   * Mosaic's `consent` setting on the server. With `required` (the default) no visitor id is
   * created or sent before `setConsent('granted')`; `denied` forgets it.
   */
  consent?: 'required' | 'implied';
  /**
   * How long `queue` collects events before sending them as one batch, in ms. Default 500.
   * One request for many events: the events endpoint takes several times more events a second
   * in batches than one at a time (bench/RESULTS.md).
   */
  batchDelayMs?: number;
  /** The most events `queue` sends in one batch: the server's `eventLog.maxBatch`. Default 100. */
  maxBatch?: number;
}

/** Context parameters a resolve accepts besides format, locale, persona and explain. */
export type DeliveryContext = Omit<DeliveryQuery, 'format' | 'locale' | 'persona' | 'explain'>;

export interface ResolveOptions {
  /** A built-in format (`json`, `html`, `markdown`, `text`) or one the server registered. */
  format?: AnyFormat;
  locale?: string;
  persona?: string;
  explain?: boolean;
  context?: DeliveryContext;
  signal?: AbortSignal;
}

/** A `{ data: null, error }` answer, or a failure to reach the server. */
export class MosaicError extends Error {
  constructor(
    readonly status: number,
    readonly name: string,
    message: string,
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
  }
}

function memoryCookies(): CookieStore {
  const values = new Map<string, string>();
  return {
    get: (name) => values.get(name),
    set: (name, value, maxAge) => (maxAge > 0 ? values.set(name, value) : values.delete(name)),
  };
}

function documentCookies(doc: { cookie: string }): CookieStore {
  return {
    get(name) {
      for (const pair of doc.cookie.split(';')) {
        const [key, ...value] = pair.trim().split('=');
        if (key === name) return decodeURIComponent(value.join('='));
      }
      return undefined;
    },
    set(name, value, maxAge) {
      doc.cookie = `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; SameSite=Lax`;
    },
  };
}

/** A random id of 24 characters (144 bits) from [A-Za-z0-9_-], as the server expects. */
function newVisitorId(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from(bytes, (b) => alphabet[b & 63]).join('');
}

function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createMosaicClient(options: MosaicClientOptions) {
  const fetcher = options.fetch ?? globalThis.fetch;
  if (!fetcher) throw new Error('No fetch available: pass options.fetch');
  const root = `${options.baseUrl.replace(/\/+$/, '')}${options.apiPrefix ?? '/api'}/mosaic`;
  const doc = (globalThis as { document?: { cookie: string } }).document;
  const cookies = options.cookies ?? (doc ? documentCookies(doc) : memoryCookies());
  const visitorCookie = options.visitorCookie ?? VISITOR_COOKIE;
  const consentCookie = options.consentCookie ?? CONSENT_COOKIE;
  const maxAge = Math.round((options.cookieDays ?? 365) * 86400);
  const consentRequired = (options.consent ?? 'required') === 'required';

  function consent(): Consent | undefined {
    const value = cookies.get(consentCookie);
    return (CONSENT_VALUES as readonly string[]).includes(value ?? '')
      ? (value as Consent)
      : undefined;
  }

  /** The visitor id, created on first use once consent allows one; null otherwise. */
  function visitorId(): string | null {
    const current = consent();
    if (current === 'denied' || (consentRequired && current !== 'granted')) return null;
    const known = cookies.get(visitorCookie);
    if (known && VISITOR_ID_PATTERN.test(known)) return known;
    const id = newVisitorId();
    cookies.set(visitorCookie, id, maxAge);
    return id;
  }

  function headers(extra: Record<string, string> = {}): Record<string, string> {
    const out: Record<string, string> = { Accept: 'application/json', ...extra };
    if (options.token) out.Authorization = `Bearer ${options.token}`;
    const id = visitorId();
    if (id) out[VISITOR_HEADER] = id;
    const given = consent();
    if (given) out[CONSENT_HEADER] = given;
    return out;
  }

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetcher(`${root}${path}`, {
      ...init,
      headers: headers(init.body ? { 'Content-Type': 'application/json' } : {}),
    });
    const body = (await response.json().catch(() => null)) as {
      error?: { status: number; name: string; message: string; details?: Record<string, unknown> };
    } | null;
    if (!response.ok) {
      const error = body?.error;
      throw new MosaicError(
        error?.status ?? response.status,
        error?.name ?? 'HttpError',
        error?.message ?? `${response.status} ${response.statusText}`,
        error?.details
      );
    }
    return body as T;
  }

  function deliveryQuery(opts: ResolveOptions) {
    return queryString({
      ...opts.context,
      format: opts.format,
      locale: opts.locale,
      persona: opts.persona,
      explain: opts.explain === undefined ? undefined : String(opts.explain),
    });
  }

  function track(events: BehaviourEvent | BehaviourEvent[]): Promise<TrackEvents.Response> {
    const body: TrackEvents.Request['body'] = {
      events: Array.isArray(events) ? events : [events],
    };
    return call('/events', { method: 'POST', body: JSON.stringify(body) });
  }

  interface Queued {
    event: BehaviourEvent;
    sent(response: TrackEvents.Response): void;
    failed(error: unknown): void;
  }
  const batchDelayMs = options.batchDelayMs ?? 500;
  const maxBatch = options.maxBatch ?? 100;
  const queued: Queued[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** Sends everything queued, `maxBatch` events a request; settles when every batch has. */
  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const sending: Promise<unknown>[] = [];
    while (queued.length) {
      const batch = queued.splice(0, maxBatch);
      sending.push(
        track(batch.map((q) => q.event)).then(
          (response) => batch.forEach((q) => q.sent(response)),
          (error) => batch.forEach((q) => q.failed(error))
        )
      );
    }
    await Promise.all(sending);
  }

  return {
    /** Resolves a published asset for this visitor. */
    asset(slug: string, opts: ResolveOptions = {}): Promise<ResolveAsset.Response> {
      return call(`/assets/${encodeURIComponent(slug)}${deliveryQuery(opts)}`, {
        signal: opts.signal,
      });
    },

    /** Renders one published chunk. */
    chunk(slug: string, opts: Omit<ResolveOptions, 'explain'> = {}): Promise<GetChunk.Response> {
      return call(`/chunks/${encodeURIComponent(slug)}${deliveryQuery(opts)}`, {
        signal: opts.signal,
      });
    },

    /** Tracks a batch of this visitor's behaviour events (at most 100), sent at once. */
    track,

    /**
     * Queues one event: queued events go together, `batchDelayMs` after the first was queued, as
     * soon as `maxBatch` are waiting, or on `flush()`. Resolves with its batch's answer; rejects
     * with its batch's error (the server refuses a batch whole: one bad event, none stored). The
     * promise may be ignored: a failure then goes unreported, never unhandled.
     */
    queue(event: BehaviourEvent): Promise<TrackEvents.Response> {
      const done = new Promise<TrackEvents.Response>((sent, failed) => {
        queued.push({ event, sent, failed });
      });
      done.catch(() => undefined);
      if (queued.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), batchDelayMs);
      return done;
    },

    /** Sends the queued events now (before a page unloads, a server-side render ends…). */
    flush,

    /** Sets trusted traits on this visitor's profile: needs an API token (server side only). */
    identify(traits: Identify.Request['body']['traits']): Promise<Identify.Response> {
      const id = visitorId();
      if (!id) throw new MosaicError(400, 'ConsentError', 'No visitor id: consent was not given');
      const body: Identify.Request['body'] = { visitorId: id, traits };
      return call('/identify', { method: 'POST', body: JSON.stringify(body) });
    },

    /**
     * This visitor's profile and events (API token only: server side). The id goes in the
     * X-Mosaic-Visitor header, never in the URL, which request logs keep.
     */
    exportProfile(): Promise<ExportProfile.Response> {
      if (!visitorId())
        throw new MosaicError(400, 'ConsentError', 'No visitor id: consent was not given');
      return call('/profile');
    },

    /**
     * Erases everything the server keeps about this visitor (API token only: server side), then
     * forgets the id, so that later requests start an unrelated visitor.
     */
    async eraseProfile(): Promise<EraseProfile.Response> {
      if (!visitorId())
        throw new MosaicError(400, 'ConsentError', 'No visitor id: consent was not given');
      const erased = await call<EraseProfile.Response>('/profile', { method: 'DELETE' });
      cookies.set(visitorCookie, '', 0);
      return erased;
    },

    /** Records the visitor's answer and sends it with every request; `denied` forgets the id. */
    setConsent(value: Consent) {
      cookies.set(consentCookie, value, maxAge);
      if (value === 'denied') cookies.set(visitorCookie, '', 0);
    },

    consent,
    visitorId,
  };
}

export type MosaicClient = ReturnType<typeof createMosaicClient>;
