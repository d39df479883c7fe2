/**
 * What the conformance suite's generator and its HTTP test share: booting the playground Strapi on
 * a fresh database, seeding a case file's content (the demo's, or content the generator made up),
 * reading the manifest with an API token, asking the server a case's request, and reducing an
 * answer to what a case asserts (chosen chunks per slot by slug, variant key, segments, persona,
 * experiment assignments by slug; answers.js). Plain JavaScript: the generator runs with `node`.
 */
/* global fetch, URLSearchParams -- Node 20's own */
const path = require('path');

const demo = require('../../playground/src/demo/seed');

const { expectedOf, identityFree } = require('./answers');

const UID = (name) => `plugin::mosaic.${name}`;

/** Seeds generated content: personas, tags, segments, published chunks, then published assets. */
async function seedContent(strapi, content) {
  const ids = { persona: {}, tag: {}, segment: {}, chunk: {}, asset: {} };
  for (const kind of ['persona', 'tag', 'segment']) {
    for (const entry of content[`${kind}s`]) {
      const doc = await strapi.documents(UID(kind)).create({ data: entry });
      ids[kind][entry.slug] = doc.documentId;
    }
  }
  for (const chunk of content.chunks) {
    const doc = await strapi.documents(UID('chunk')).create({
      status: 'published',
      data: {
        ...chunk,
        personas: chunk.personas.map((slug) => ids.persona[slug]),
        segments: chunk.segments.map((slug) => ids.segment[slug]),
        tags: chunk.tags.map((slug) => ids.tag[slug]),
      },
    });
    ids.chunk[chunk.slug] = doc.documentId;
  }
  // Nested assets come first in the list: they exist before an asset offers them.
  for (const asset of content.assets) {
    const doc = await strapi.documents(UID('asset')).create({
      status: 'published',
      data: {
        ...asset,
        slots: asset.slots.map((slot) => ({
          ...slot,
          candidates: slot.candidates.map(({ chunk, asset: nested, weight }) => ({
            ...(chunk ? { chunk: ids.chunk[chunk] } : { asset: ids.asset[nested] }),
            ...(weight !== undefined ? { weight } : {}),
          })),
        })),
      },
    });
    ids.asset[asset.slug] = doc.documentId;
  }
}

/** Boots the playground on a fresh SQLite file (or the configured database), listening. */
async function bootPlayground(bootStrapi, name, content) {
  const strapi = await bootStrapi(name);
  if (content === 'playground-demo') await demo.seedDemo(strapi);
  else await seedContent(strapi, content);
  await demo.grantPublicDelivery(strapi);
  const created = await strapi.service('admin::api-token').create({
    name: 'conformance',
    type: 'custom',
    lifespan: null,
    description: '',
    permissions: ['plugin::mosaic.manifest.read'],
  });
  const { port } = strapi.server.httpServer.address();
  return { strapi, baseUrl: `http://127.0.0.1:${port}`, token: created.accessKey };
}

async function fetchManifest({ baseUrl, token }) {
  const res = await fetch(`${baseUrl}/api/mosaic/manifest`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`GET /api/mosaic/manifest answered ${res.status}`);
  return (await res.json()).data;
}

/** The server's answer to a case's request, as GET /api/mosaic/assets/:slug gives it. */
async function askServer({ baseUrl }, { slug, request }) {
  const query = new URLSearchParams(request.query).toString();
  const res = await fetch(`${baseUrl}/api/mosaic/assets/${slug}${query ? `?${query}` : ''}`, {
    headers: request.headers,
  });
  return { status: res.status, body: await res.json() };
}

const CASES_DIR = path.join(__dirname, 'cases');

module.exports = {
  bootPlayground,
  fetchManifest,
  askServer,
  expectedOf,
  identityFree,
  CASES_DIR,
};
