/**
 * Seeds the demo through Strapi's document service. Idempotent: anything that already exists (by
 * slug) is left as it is, so running the demo twice leaves one copy and keeps an editor's changes.
 */
const fs = require('fs');
const path = require('path');

const content = require('./content');

const UID = (name) => `plugin::mosaic.${name}`;

async function findBySlug(strapi, name, slug) {
  return strapi.documents(UID(name)).findFirst({ filters: { slug }, fields: ['slug'] });
}

async function ensureLocale(strapi, code, name) {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.findByCode(code))) await locales.create({ code, name });
}

async function ensurePlain(strapi, name, entries) {
  const ids = {};
  for (const entry of entries) {
    const existing = await findBySlug(strapi, name, entry.slug);
    const doc = existing ?? (await strapi.documents(UID(name)).create({ data: entry }));
    ids[entry.slug] = doc.documentId;
  }
  return ids;
}

/** The playground folder, from src/demo or from its compiled copy in dist/src/demo. */
function playgroundFile(name) {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`The demo file ${name} is missing from the playground`);
}

/** Uploads one of the playground's images through Strapi's upload service; answers its id. */
async function uploadImage(strapi, { file, alternativeText }) {
  const filepath = playgroundFile(file);
  const [uploaded] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: file, alternativeText } },
      files: {
        filepath,
        originalFilename: file,
        mimetype: 'image/png',
        size: fs.statSync(filepath).size,
      },
    });
  return uploaded.id;
}

async function seedDemo(strapi) {
  await ensureLocale(strapi, 'fr', 'French (fr)');
  const personas = await ensurePlain(strapi, 'persona', content.personas);
  const tags = await ensurePlain(strapi, 'tag', content.tags);
  const segments = await ensurePlain(strapi, 'segment', content.segments);

  const chunks = {};
  for (const { fr, ...chunk } of content.chunks) {
    const existing = await findBySlug(strapi, 'chunk', chunk.slug);
    if (existing) {
      chunks[chunk.slug] = existing.documentId;
      continue;
    }
    const created = await strapi.documents(UID('chunk')).create({
      locale: 'en',
      status: 'published',
      data: {
        ...chunk,
        ...(chunk.icon ? { icon: await uploadImage(strapi, chunk.icon) } : {}),
        seeAlso: (chunk.seeAlso ?? []).map((slug) => chunks[slug]),
        personas: (chunk.personas ?? []).map((slug) => personas[slug]),
        segments: (chunk.segments ?? []).map((slug) => segments[slug]),
        tags: (chunk.tags ?? []).map((slug) => tags[slug]),
      },
    });
    if (fr) {
      await strapi.documents(UID('chunk')).update({
        documentId: created.documentId,
        locale: 'fr',
        status: 'published',
        data: { ...fr, slug: chunk.slug },
      });
    }
    chunks[chunk.slug] = created.documentId;
  }

  const assets = {};
  for (const asset of content.assets) {
    const existing = await findBySlug(strapi, 'asset', asset.slug);
    if (existing) {
      assets[asset.slug] = existing.documentId;
      continue;
    }
    const created = await strapi.documents(UID('asset')).create({
      locale: 'en',
      status: 'published',
      data: {
        ...asset,
        slots: asset.slots.map((slot) => ({
          ...slot,
          candidates: slot.candidates.map((candidate) =>
            candidate.chunk
              ? { chunk: chunks[candidate.chunk] }
              : { asset: assets[candidate.asset] }
          ),
        })),
      },
    });
    assets[asset.slug] = created.documentId;
  }
  return { personas, tags, segments, chunks, assets };
}

/** Lets anonymous visitors call the delivery and tracking routes (the Users & Permissions public role). */
async function grantPublicDelivery(strapi) {
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  if (!role) return;
  const actions = [
    'plugin::mosaic.delivery.asset',
    'plugin::mosaic.delivery.chunk',
    'plugin::mosaic.tracking.events',
  ];
  for (const action of actions) {
    const permissions = strapi.db.query('plugin::users-permissions.permission');
    if (!(await permissions.findOne({ where: { action, role: role.id } }))) {
      await permissions.create({ data: { action, role: role.id } });
    }
  }
}

async function ensureDemoAdmin(strapi, { email, password }) {
  const existing = await strapi.db.query('admin::user').findOne({ where: { email } });
  if (existing) return false;
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await strapi.service('admin::user').create({
    email,
    firstname: 'Mosaic',
    lastname: 'Demo',
    password,
    isActive: true,
    registrationToken: null,
    roles: superAdmin ? [superAdmin.id] : [],
  });
  return true;
}

module.exports = { seedDemo, grantPublicDelivery, ensureDemoAdmin };
