/**
 * The visitor id and consent a request carries: header first (server-side frontends), then the
 * cookie a browser frontend sets. Malformed values are refused rather than guessed at.
 */
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';

const VISITOR_ID = /^[A-Za-z0-9_-]{8,128}$/;
const YES = new Set(['granted', 'true', '1', 'yes']);
const NO = new Set(['denied', 'false', '0', 'no']);

export function parseVisitorId(value: string | undefined, source: string): string | null {
  if (value === undefined || value === '') return null;
  if (!VISITOR_ID.test(value)) {
    throw new errors.ValidationError(
      `${source} must be 8 to 128 characters of A-Z, a-z, 0-9, '_' or '-' (a random id the frontend keeps)`
    );
  }
  return value;
}

function parseConsent(value: string | undefined, source: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const normalized = value.trim().toLowerCase();
  if (YES.has(normalized)) return true;
  if (NO.has(normalized)) return false;
  throw new errors.ValidationError(`${source} must be 'granted' or 'denied'`);
}

export function visitorOf(ctx: KoaContext): { id: string | null; consent: boolean | undefined } {
  const header = ctx.get('X-Mosaic-Visitor');
  const id = header
    ? parseVisitorId(header, 'The X-Mosaic-Visitor header')
    : parseVisitorId(ctx.cookies.get('mosaic_vid'), "The 'mosaic_vid' cookie");
  const consentHeader = ctx.get('X-Mosaic-Consent');
  const consent = consentHeader
    ? parseConsent(consentHeader, 'The X-Mosaic-Consent header')
    : parseConsent(ctx.cookies.get('mosaic_consent'), "The 'mosaic_consent' cookie");
  return { id, consent };
}
