const { previewHandler } = require('../src/preview');

module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'mosaic-playground-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'mosaic-playground-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'mosaic-playground-transfer-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'mosaic-playground-encryption-key') },
  flags: { nps: false, promoteEE: false },
  // Strapi allows five admin logins per address and e-mail in five minutes; the browser suite signs
  // the demo admin in from each of its files, so it turns the limit off (ADMIN_RATE_LIMIT=false).
  rateLimit: { enabled: env.bool('ADMIN_RATE_LIMIT', true) },
  autoOpen: false,
  // "Open preview" in the Content Manager shows assets and chunks on the example site, when one is
  // configured (`npm run demo` and the browser tests set MOSAIC_SITE_URL).
  preview: {
    enabled: Boolean(env('MOSAIC_SITE_URL')),
    config: {
      allowedOrigins: env('MOSAIC_SITE_URL') ? [env('MOSAIC_SITE_URL')] : [],
      handler: previewHandler(env('MOSAIC_SITE_URL')),
    },
  },
});
