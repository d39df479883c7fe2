/**
 * The visitor id and consent a request carries: header first (server-side frontends), then the
 * cookie a browser frontend sets. Malformed values are refused rather than guessed at.
 */
import { errors } from '@strapi/utils';
import type { Context as KoaContext } from 'koa';

import {
  CONSENT_COOKIE,
  CONSENT_HEADER,
  VISITOR_COOKIE,
  VISITOR_HEADER,
  VISITOR_ID_PATTERN,
} from '../../../contracts/wire';

const YES = new Set(['granted', 'true', '1', 'yes']);
const NO = new Set(['denied', 'false', '0', 'no']);

export function parseVisitorId(value: string | undefined, source: string): string | null {
  if (value === undefined || value === '') return null;
  if (!VISITOR_ID_PATTERN.test(value)) {
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
  const header = ctx.get(VISITOR_HEADER);
  const id = header
    ? parseVisitorId(header, `The ${VISITOR_HEADER} header`)
    : parseVisitorId(ctx.cookies.get(VISITOR_COOKIE), `The '${VISITOR_COOKIE}' cookie`);
  const consentHeader = ctx.get(CONSENT_HEADER);
  const consent = consentHeader
    ? parseConsent(consentHeader, `The ${CONSENT_HEADER} header`)
    : parseConsent(ctx.cookies.get(CONSENT_COOKIE), `The '${CONSENT_COOKIE}' cookie`);
  return { id, consent };
}
