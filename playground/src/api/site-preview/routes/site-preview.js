/**
 * What the example site (examples/next) needs to show editors a draft page in Strapi's preview:
 * Mosaic's admin preview (drafts, any reader) and the taxonomy its reader switcher offers, for a
 * caller holding the preview secret shared with the site (`PREVIEW_SECRET`) instead of an admin
 * session. Served only when the site is configured (MOSAIC_SITE_URL: `npm run demo`, the browser
 * tests), so the other tests and the benchmark never see these routes.
 */
const { previewSecret } = require('../../../preview');

const config = { auth: false };
// Fails the boot in production without PREVIEW_SECRET, rather than serving drafts behind the demo's.
if (process.env.MOSAIC_SITE_URL) previewSecret();

const routes = process.env.MOSAIC_SITE_URL
  ? [
      { method: 'POST', path: '/site-preview', handler: 'site-preview.preview', config },
      { method: 'GET', path: '/site-preview/taxonomy', handler: 'site-preview.taxonomy', config },
    ]
  : [];

module.exports = { routes };
