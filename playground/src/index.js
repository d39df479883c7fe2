/**
 * The playground app. It registers examples of Mosaic's extension points (mosaic-extensions.js;
 * MOSAIC_EXAMPLES=false leaves them out).
 * With MOSAIC_DEMO=true (set by `npm run demo`) it seeds the demo, grants the public role the
 * delivery routes and creates the demo admin. Never in production mode.
 */
const { ensureDemoAdmin, grantPublicDelivery, seedDemo } = require('./demo/seed');
const { registerMosaicExtensions } = require('./mosaic-extensions');

module.exports = {
  register({ strapi }) {
    // The benchmark measures Mosaic itself: it turns the app's examples off.
    if (process.env.MOSAIC_EXAMPLES !== 'false') registerMosaicExtensions(strapi);
  },

  async bootstrap({ strapi }) {
    if (process.env.MOSAIC_DEMO !== 'true') return;
    if (process.env.NODE_ENV === 'production') {
      strapi.log.warn('[mosaic demo] MOSAIC_DEMO is ignored in production mode: no demo admin.');
      return;
    }
    const credentials = {
      email: process.env.MOSAIC_DEMO_EMAIL || 'admin@mosaic.local',
      password: process.env.MOSAIC_DEMO_PASSWORD || 'Mosaic-demo-1',
    };
    await seedDemo(strapi);
    await grantPublicDelivery(strapi);
    await ensureDemoAdmin(strapi, credentials);
    const url = strapi.config.get(
      'server.absoluteUrl',
      `http://localhost:${strapi.config.get('server.port')}`
    );
    strapi.log.info(
      [
        '',
        '  Mosaic demo is ready',
        `  Admin:  ${url}/admin   (${credentials.email} / ${credentials.password})`,
        `  API:    curl '${url}/api/mosaic/assets/home?persona=developer&format=html'`,
        '',
      ].join('\n')
    );
  },
};
