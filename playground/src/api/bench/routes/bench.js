/**
 * The HTTP benchmark's two comparison routes (bench/run.js), served only when MOSAIC_BENCH=true so
 * the demo and the tests never expose them:
 *
 * - `GET /api/bench/plain-assets/:slug`: what a Strapi user would write without Mosaic, the asset
 *   loaded with the document service and its full populate, unpersonalized;
 * - `GET /api/bench/ceiling`: bytes held in memory, Strapi's own ceiling for a response.
 */
const routes =
  process.env.MOSAIC_BENCH === 'true'
    ? [
        { method: 'GET', path: '/bench/plain-assets/:slug', handler: 'bench.plainAsset' },
        { method: 'GET', path: '/bench/ceiling', handler: 'bench.ceiling' },
      ]
    : [];

module.exports = { routes };
