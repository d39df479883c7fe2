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
          candidates: slot.candidates.map(({ chunk, asset, weight }) => ({
            ...(chunk ? { chunk: chunks[chunk] } : { asset: assets[asset] }),
            ...(weight !== undefined ? { weight } : {}),
          })),
        })),
      },
    });
    assets[asset.slug] = created.documentId;
  }
  await seedExperimentTraffic(strapi, assets.home, chunks);
  return { personas, tags, segments, chunks, assets };
}

/** A small deterministic generator, so the seeded traffic is the same on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Four weeks of traffic for the home page's `offer` experiment, up to yesterday, written as the
 * daily rollups live counting writes: the guided demo converts better than the free trial. Skipped
 * when the experiment already has counts.
 */
async function seedExperimentTraffic(strapi, home, chunks) {
  const existing = await strapi.db
    .query('plugin::mosaic.experiment-stat')
    .findOne({ where: { asset: home, slot: 'offer' } });
  if (existing) return;
  const next = random(7);
  const audiences = [
    { persona: '', segments: '', share: 0.45 },
    { persona: 'developer', segments: '', share: 0.2 },
    { persona: 'marketer', segments: 'from-twitter', share: 0.15 },
    { persona: 'executive', segments: '', share: 0.1 },
    { persona: '', segments: 'dach-visitors', share: 0.1 },
  ];
  const arms = [
    { variant: chunks['offer-trial'], rate: 0.041, share: 0.45 },
    { variant: chunks['offer-demo'], rate: 0.056, share: 0.45 },
    { variant: 'holdout', rate: 0.04, share: 0.1 },
  ];
  const rows = [];
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  for (let back = 29; back >= 1; back -= 1) {
    const date = new Date(today - back * DAY_MS);
    const weekend = [0, 6].includes(date.getUTCDay());
    const visitors = Math.round((weekend ? 520 : 900) * (0.9 + next() * 0.2));
    for (const audience of audiences) {
      for (const arm of arms) {
        const impressions = Math.round(
          visitors * audience.share * arm.share * (0.95 + next() * 0.1)
        );
        let conversions = 0;
        for (let i = 0; i < impressions; i += 1) if (next() < arm.rate) conversions += 1;
        rows.push({
          day: date.toISOString().slice(0, 10),
          asset: home,
          slot: 'offer',
          variant: arm.variant,
          segments: audience.segments,
          persona: audience.persona,
          impressions,
          conversions,
          value: 0,
        });
      }
    }
  }
  await strapi.plugin('mosaic').service('experiments').importRollups(rows);
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
    'plugin::mosaic.summary.issue',
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
