/**
 * Starts one playground server and the example site (examples/next) for the whole browser suite;
 * their addresses go to the tests. The site's origin is known before Strapi starts: Strapi lets it
 * call from browsers (CORS) and shows it in the Content Manager's preview.
 * MOSAIC_E2E_URL set beforehand runs the suite against a server already running (with the demo),
 * MOSAIC_E2E_SITE_URL against a site already running.
 */
const crypto = require('crypto');

const { freePort, startPlayground } = require('./playground');
const { buildSite, startSite } = require('./site');

module.exports = async () => {
  // Every file signs the demo admin in: more than Strapi's five logins in five minutes.
  process.env.ADMIN_RATE_LIMIT ??= 'false';
  const sitePort = process.env.MOSAIC_E2E_SITE_URL ? null : await freePort();
  if (sitePort) {
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    process.env.CORS_ORIGINS = ['http://localhost:1337', siteUrl].join(',');
    process.env.MOSAIC_SITE_URL = siteUrl;
    // Strapi runs in production mode here, where the demo's public preview secret is refused.
    process.env.PREVIEW_SECRET ??= crypto.randomBytes(18).toString('base64url');
    buildSite();
  }
  // Strapi signs profile summaries with it; the site's edge mode verifies them (site-edge.test.ts).
  process.env.MOSAIC_SUMMARY_SECRET ??= crypto.randomBytes(24).toString('base64url');
  if (!process.env.MOSAIC_E2E_URL) {
    const server = await startPlayground();
    globalThis.__MOSAIC_E2E__ = server;
    process.env.MOSAIC_E2E_URL = server.url;
  }
  if (sitePort) {
    const site = await startSite({ port: sitePort, strapiUrl: process.env.MOSAIC_E2E_URL });
    globalThis.__MOSAIC_E2E_SITE__ = site;
    process.env.MOSAIC_E2E_SITE_URL = site.url;
  }
};
