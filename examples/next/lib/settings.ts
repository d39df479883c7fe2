/**
 * Where the site finds Mosaic, read at run time (not inlined at build time) so that one build
 * serves any Strapi: `STRAPI_URL` (default http://localhost:1337), `MOSAIC_TOKEN` (an optional
 * least-privilege API token for the server's requests) and `PREVIEW_SECRET` (shared with Strapi's
 * preview handler).
 */
export const strapiUrl = () =>
  (process.env.STRAPI_URL ?? 'http://localhost:1337').replace(/\/+$/, '');

export const mosaicToken = () => process.env.MOSAIC_TOKEN || undefined;

export const previewSecret = () => process.env.PREVIEW_SECRET ?? 'mosaic-demo-preview';

/** The cookies the client keeps (the client's defaults, named once for the proxy and the pages). */
export const VISITOR_COOKIE = 'mosaic_vid';
export const CONSENT_COOKIE = 'mosaic_consent';
