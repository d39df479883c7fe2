/**
 * The benchmark's comparison controllers: B loads the asset as a user would without Mosaic; C
 * answers bytes the benchmark handed over, so the only cost left is Strapi's own.
 */
module.exports = ({ strapi }) => ({
  async plainAsset(ctx) {
    // No output sanitizing: most hand-written controllers skip it, and it would only slow B down.
    const asset = await strapi.documents('plugin::mosaic.asset').findFirst({
      filters: { slug: ctx.params.slug },
      status: 'published',
      populate: { slots: { populate: { candidates: { populate: { chunk: true } } } } },
    });
    if (!asset) return ctx.notFound(`No published asset with slug '${ctx.params.slug}'`);
    ctx.body = { data: asset, meta: {} };
  },

  ceiling(ctx) {
    const bytes = strapi.service('api::bench.bench').ceiling();
    if (!bytes) return ctx.notFound('The benchmark has not handed over the bytes to answer yet');
    ctx.type = 'application/json';
    ctx.body = bytes;
  },
});
