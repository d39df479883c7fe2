/**
 * The signed profile summary: what a standalone resolver may know of a consenting visitor's
 * profile, issued by the server (GET /api/mosaic/profile/summary) and verified where the page is
 * resolved. It holds conclusions, never the profile itself: the persona the server chose from the
 * visitor's traits and behaviour, their few strongest affinities (rounded), and which of the
 * manifest's profile-reading segments they are in — no trait value, no event, no visit count.
 *
 * A token is `<payload>.<signature>`, both base64url: the payload is UTF-8 JSON, the signature an
 * HMAC-SHA-256 of the payload's base64url text under a secret the server and the resolver share.
 * Signing and verifying use Web Crypto (`crypto.subtle`) only, so this one module runs in Strapi,
 * in Node 20+, in browsers and in edge runtimes. No Strapi import, no dependency.
 */
import type { CompiledRule } from './rules';
import { REQUEST_CONTEXT_FIELDS, type Context } from './types';
import type { ProfileSummary as WireSummary } from '../../../contracts/summary';

/** The summary's own format version: a verifier refuses one it does not know. */
export const SUMMARY_VERSION = 1;

/** Where a frontend hands a summary to its resolver: this header, else this cookie. */
export const SUMMARY_HEADER = 'X-Mosaic-Summary';
export const SUMMARY_COOKIE = 'mosaic_summary';

/** Affinities kept per kind (personas, tags): the strongest, rounded to two decimals. */
export const SUMMARY_TOP_AFFINITIES = 5;

export interface ProfileSummary {
  v: typeof SUMMARY_VERSION;
  /** Which key signed it: the first characters of the key's SHA-256 (rotation, diagnostics). */
  kid: string;
  /** The visitor it was issued to: a SHA-256 of their id (the resolver compares the request's). */
  sub: string;
  /** Issued and expires at, in seconds since the epoch. */
  iat: number;
  exp: number;
  /** The consent mode it was issued under: `required` needs `granted`, `implied` only no `denied`. */
  consent: 'required' | 'implied';
  /** The persona the visitor's trusted traits or behaviour give (no parameter): null for none. */
  persona: string | null;
  /** The strongest affinities, rounded: what `best` slots weigh candidates by. */
  affinity: { personas: Record<string, number>; tags: Record<string, number> };
  /** Slugs of the segments whose rule reads the profile and that the visitor is in. */
  segments: string[];
}

/** Why a token was not taken. */
export type SummaryRejection =
  | 'malformed'
  | 'unknown-version'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'other-visitor'
  | 'no-consent';

const REQUEST_FIELDS: ReadonlySet<string> = new Set(REQUEST_CONTEXT_FIELDS);

/**
 * Whether a segment's rule reads anything but the request (the visitor, traits, affinity, events,
 * an enricher's fields): such a segment is decided by the server, in the summary, as a whole.
 */
export const readsProfile = (rule: Pick<CompiledRule, 'fields'>) =>
  rule.fields.some((field) => !REQUEST_FIELDS.has(field));

const round2 = (n: number) => Math.round(n * 100) / 100;

function strongest(values: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values ?? {})
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, SUMMARY_TOP_AFFINITIES)
      .map(([k, v]) => [k, round2(v)])
  );
}

/** The summary's affinity part: the few strongest of each kind, rounded. */
export const summaryAffinity = (affinity: Context['affinity']): ProfileSummary['affinity'] => ({
  personas: strongest(affinity?.personas),
  tags: strongest(affinity?.tags),
});

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const api = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!api) throw new Error('Web Crypto (crypto.subtle) is not available in this runtime');
  return api;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await subtle().digest('SHA-256', encoder.encode(text))));
}

/** The key id of a secret: the first 8 characters of its SHA-256, base64url. */
export const keyIdOf = async (secret: string) =>
  (await sha256(`mosaic-summary:${secret}`)).slice(0, 8);

/** The `sub` of a visitor id. */
export const subjectOf = async (visitorId: string) => (await sha256(visitorId)).slice(0, 22);

/** A secret made ready to sign or verify with; kept, since importing a key costs. */
export interface SummaryKey {
  kid: string;
  key: CryptoKey;
}

export async function summaryKey(secret: string): Promise<SummaryKey> {
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new Error('A profile summary secret must be a string of at least 32 characters');
  }
  const key = await subtle().importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify']
  );
  return { kid: await keyIdOf(secret), key };
}

/** Signs a summary: `<payload>.<signature>`. */
export async function signSummary(
  summary: Omit<ProfileSummary, 'kid'>,
  key: SummaryKey
): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify({ ...summary, kid: key.kid })));
  const signature = await subtle().sign('HMAC', key.key, encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(signature))}`;
}

/** What a verifier checks beyond the signature. */
export interface VerifyOptions {
  /** The request's visitor id: the summary must have been issued to it. */
  visitorId: string | null;
  /** The request's consent signal (undefined: it said nothing). */
  consent: boolean | undefined;
  /** Seconds since the epoch (default: now). */
  now?: number;
  /** Clock skew tolerated on `iat`, in seconds. Default 60. */
  skew?: number;
  /**
   * Summaries issued before this (seconds since the epoch) are refused as `revoked`: the server
   * moves it past every erasure (the manifest's `settings.summaryNotBefore`).
   */
  notBefore?: number | null;
}

export type SummaryVerdict =
  | { ok: true; summary: ProfileSummary }
  | { ok: false; reason: SummaryRejection };

const isRecordOfNumbers = (value: unknown): value is Record<string, number> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((n) => typeof n === 'number' && Number.isFinite(n));

/** Whether a parsed payload has the summary's shape (a signed one always does; belt and braces). */
function wellFormed(value: unknown): value is ProfileSummary {
  const s = value as ProfileSummary;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.kid === 'string' &&
    typeof s.sub === 'string' &&
    Number.isFinite(s.iat) &&
    Number.isFinite(s.exp) &&
    (s.consent === 'required' || s.consent === 'implied') &&
    (s.persona === null || typeof s.persona === 'string') &&
    typeof s.affinity === 'object' &&
    s.affinity !== null &&
    isRecordOfNumbers(s.affinity.personas) &&
    isRecordOfNumbers(s.affinity.tags) &&
    Array.isArray(s.segments) &&
    s.segments.every((slug) => typeof slug === 'string')
  );
}

/**
 * Verifies a token against the keys given: signature (constant time, by Web Crypto), version,
 * expiry, revocation (issued before the last erasure), the visitor it was issued to, and the
 * request's consent as the server reads it.
 */
export async function verifySummary(
  token: string,
  keys: SummaryKey[],
  options: VerifyOptions
): Promise<SummaryVerdict> {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || token.length > 8192) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts;
  const signatureBytes = fromBase64url(signature);
  const payloadBytes = fromBase64url(payload);
  if (!signatureBytes || !payloadBytes) return { ok: false, reason: 'malformed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const kid = (parsed as { kid?: unknown } | null)?.kid;
  const key = keys.find((k) => k.kid === kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const valid = await subtle().verify('HMAC', key.key, signatureBytes, encoder.encode(payload));
  if (!valid) return { ok: false, reason: 'bad-signature' };
  if ((parsed as { v?: unknown }).v !== SUMMARY_VERSION) {
    return { ok: false, reason: 'unknown-version' };
  }
  if (!wellFormed(parsed)) return { ok: false, reason: 'malformed' };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (now >= parsed.exp) return { ok: false, reason: 'expired' };
  if (parsed.iat > now + (options.skew ?? 60)) return { ok: false, reason: 'not-yet-valid' };
  if (options.notBefore != null && parsed.iat < options.notBefore) {
    return { ok: false, reason: 'revoked' };
  }
  if (!options.visitorId || (await subjectOf(options.visitorId)) !== parsed.sub) {
    return { ok: false, reason: 'other-visitor' };
  }
  const consented =
    parsed.consent === 'implied' ? options.consent !== false : options.consent === true;
  if (!consented) return { ok: false, reason: 'no-consent' };
  return { ok: true, summary: parsed };
}

// The wire's summary (contracts/summary.ts) is this one, field for field: the compiler says so.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type SummaryMatchesContract = Holds<Same<ProfileSummary, WireSummary>>;
