/* global Buffer */
/**
 * The site's preview calls, checked against the shared preview secret, then answered by Mosaic
 * itself: the admin preview's own controller (its validation, drafts, `meta.explain`) and the
 * editor's taxonomy.
 */
const crypto = require('crypto');

const { previewSecret } = require('../../../preview');

function holdsSecret(ctx) {
  const given = Buffer.from(ctx.get('x-preview-secret') ?? '');
  const expected = Buffer.from(previewSecret());
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

module.exports = ({ strapi }) => ({
  async preview(ctx) {
    if (!holdsSecret(ctx)) return ctx.unauthorized('Send the preview secret in X-Preview-Secret');
    await strapi.plugin('mosaic').controller('preview').preview(ctx);
  },

  async taxonomy(ctx) {
    if (!holdsSecret(ctx)) return ctx.unauthorized('Send the preview secret in X-Preview-Secret');
    const { personas, segments } = await strapi.plugin('mosaic').service('editor').taxonomy();
    ctx.body = {
      data: {
        personas: personas.map(({ slug, name }) => ({ slug, name })),
        segments: segments.map(({ slug, name }) => ({ slug, name })),
      },
    };
  },
});
