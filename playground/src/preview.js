/**
 * Strapi's preview (the Content Manager's "Open preview") for Mosaic's assets and chunks, shown by
 * the example site (examples/next) at MOSAIC_SITE_URL. An asset opens as its page; a chunk opens as
 * the first page that uses it, as a reader it is meant for (its first persona and its segments),
 * so the editor sees the chunk where readers will. Drafts included: the site asks Mosaic's admin
 * preview, with the secret shared with it (PREVIEW_SECRET).
 */
/* global strapi, URLSearchParams */
function previewSecret() {
  if (process.env.PREVIEW_SECRET) return process.env.PREVIEW_SECRET;
  // The demo's secret is public: drafts behind it are fine on a laptop, never in production.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Set PREVIEW_SECRET (shared with the site) to serve drafts to its preview');
  }
  return 'mosaic-demo-preview';
}

const UIDS = { asset: 'plugin::mosaic.asset', chunk: 'plugin::mosaic.chunk' };

async function chunkTarget(documentId, locale, status) {
  const chunk = await strapi.documents(UIDS.chunk).findOne({
    documentId,
    locale,
    status,
    fields: ['slug'],
    populate: { personas: { fields: ['slug'] }, segments: { fields: ['slug'] } },
  });
  if (!chunk) return null;
  const used = await strapi.plugin('mosaic').service('editor').whereUsed(documentId, locale);
  const page = used.direct[0]?.asset ?? used.nested[0]?.asset;
  return {
    asset: page?.documentId,
    chunk: chunk.slug,
    persona: chunk.personas?.[0]?.slug,
    segments: (chunk.segments ?? []).map((segment) => segment.slug).join(','),
  };
}

/** The preview handler: the site's preview entry for a document, or null (no preview). */
function previewHandler(siteUrl) {
  return async (uid, { documentId, locale, status }) => {
    if (!documentId) return null;
    let target;
    if (uid === UIDS.asset) target = { asset: documentId };
    else if (uid === UIDS.chunk) target = await chunkTarget(documentId, locale, status);
    if (!target) return null;
    const search = new URLSearchParams({ secret: previewSecret(), status: status ?? 'draft' });
    if (locale) search.set('locale', locale);
    for (const [key, value] of Object.entries(target)) if (value) search.set(key, value);
    return `${siteUrl}/api/preview?${search}`;
  };
}

module.exports = { previewHandler, previewSecret };
