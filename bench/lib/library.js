/**
 * The content the resolution benchmark runs on: one realistic page (10 slots × 5 candidates,
 * targeted by persona and by 10 segments), created through the document service like any editor's
 * content, and a library of unrelated segments and chunks around it that grows by orders of
 * magnitude. The library rows are written with batched knex inserts, exactly as Strapi 5 stores
 * documents (a draft and a published row per chunk, link rows for each), because the document
 * service takes over 20 ms a published chunk here: more than half an hour for 100,000.
 */
const { random } = require('./measure');

const UID = (name) => `plugin::mosaic.${name}`;
const ASSET_SLUG = 'bench-page';

const PERSONAS = ['developer', 'marketer', 'executive', 'designer'];
const TAGS = ['api', 'pricing', 'security', 'design', 'onboarding'];

/** The 10 segments the page's candidates reference: the rules a real site would write. */
const PAGE_SEGMENTS = {
  'eu-visitors': { geo: { country: { $in: ['DE', 'AT', 'CH', 'FR', 'NL', 'BE', 'IT', 'ES'] } } },
  'dach-visitors': { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
  'mobile-readers': { device: { type: { $in: ['mobile', 'tablet'] } } },
  'newsletter-readers': {
    $or: [{ utm: { source: { $eqi: 'newsletter' } } }, { referrer: { host: 'newsletter' } }],
  },
  'search-visitors': { referrer: { host: { $containsi: 'google' } } },
  'spring-campaign': { utm: { campaign: { $startsWith: 'spring-' } } },
  'business-hours': {
    $and: [{ time: { hour: { $between: [8, 17] } } }, { time: { weekday: { $lte: 5 } } }],
  },
  'social-visitors': { referrer: { host: { $in: ['twitter.com', 'x.com', 'linkedin.com'] } } },
  // Need a visitor profile: false for the anonymous requests measured here, as for most traffic.
  'returning-visitors': { visitor: { visits: { $gte: 3 } } },
  'engaged-readers': { $event: { name: 'page_view', within: '7d', $gte: 5 } },
};

const SLOTS = [
  ['hero', 'first'],
  ['intro', 'first'],
  ['features', 'all'],
  ['pricing', 'best'],
  ['proof', 'first'],
  ['security', 'first'],
  ['integrations', 'best'],
  ['faq', 'all'],
  ['cta', 'first'],
  ['footer', 'first'],
];

const WORDS = (
  'content reuse personalization chunk asset segment persona reader launch campaign pricing ' +
  'security team workflow editor publish release audience region device search newsletter ' +
  'integration platform developer marketer executive design onboarding trial growth insight'
).split(' ');

function sentence(rand, words) {
  const text = Array.from({ length: words }, () => rand.pick(WORDS)).join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

/** Three paragraphs of about 40 words, with a bold phrase, a link and a merge field. */
function body(rand, title) {
  const paragraph = (...children) => ({ type: 'paragraph', children });
  const text = (value, marks = {}) => ({ type: 'text', text: value, ...marks });
  return [
    paragraph(
      text(`Hello {{traits.firstName|there}}, ${sentence(rand, 12)} `),
      text(title, { bold: true })
    ),
    paragraph(
      text(`${sentence(rand, 14)} `),
      { type: 'link', url: 'https://example.com/docs', children: [text('Read the guide')] },
      text(` ${sentence(rand, 6)}`)
    ),
    paragraph(text(`${sentence(rand, 10)} ${sentence(rand, 8)}`)),
  ];
}

async function createPlain(strapi, name, entries) {
  const ids = {};
  for (const data of entries) {
    ids[data.slug] = (await strapi.documents(UID(name)).create({ data })).documentId;
  }
  return ids;
}

/**
 * The page, through the document service: 4 personas, 5 tags, 10 segments, 50 chunks and the
 * asset. Per slot, candidates go from narrow to broad as an editor would order them for `first`:
 * a segment, a persona plus a segment, a persona, two segments, then an untargeted fallback.
 */
async function seedPage(strapi) {
  const rand = random(0xa55e7);
  const personas = await createPlain(
    strapi,
    'persona',
    PERSONAS.map((slug) => ({ slug, name: slug[0].toUpperCase() + slug.slice(1) }))
  );
  const tags = await createPlain(
    strapi,
    'tag',
    TAGS.map((slug) => ({ slug, name: slug }))
  );
  const segmentSlugs = Object.keys(PAGE_SEGMENTS);
  const segments = await createPlain(
    strapi,
    'segment',
    segmentSlugs.map((slug, i) => ({
      slug,
      name: slug,
      rule: PAGE_SEGMENTS[slug],
      priority: i % 4,
    }))
  );

  const slots = [];
  for (const [s, [key, mode]] of SLOTS.entries()) {
    const seg = (offset) => segments[segmentSlugs[(s + offset) % segmentSlugs.length]];
    const persona = (offset) => personas[PERSONAS[(s + offset) % PERSONAS.length]];
    const targeting = [
      { segments: [seg(0)] },
      { personas: [persona(0)], segments: [seg(3)] },
      { personas: [persona(1)] },
      { segments: [seg(5), seg(7)] },
      {},
    ];
    const candidates = [];
    for (const [c, target] of targeting.entries()) {
      const title = `${key} ${c + 1}`;
      const chunk = await strapi.documents(UID('chunk')).create({
        locale: 'en',
        status: 'published',
        data: {
          title,
          slug: `page-${key}-${c + 1}`,
          body: body(rand, title),
          tags: [tags[TAGS[(s + c) % TAGS.length]]],
          personas: target.personas ?? [],
          segments: target.segments ?? [],
        },
      });
      candidates.push({ chunk: chunk.documentId });
    }
    slots.push({ key, mode, ...(mode === 'all' ? { limit: 2 } : {}), candidates });
  }
  await strapi.documents(UID('asset')).create({
    locale: 'en',
    status: 'published',
    data: { title: 'Bench page', slug: ASSET_SLUG, slots },
  });
  return { personaIds: Object.values(personas), tagIds: Object.values(tags) };
}

/** A filler segment's rule, in the shapes editors write most: location, campaign, device, events. */
function fillerRule(rand, n) {
  const countries = ['US', 'GB', 'DE', 'FR', 'JP', 'BR', 'IN', 'CA', 'AU', 'ES'];
  switch (n % 4) {
    case 0:
      return { geo: { country: { $in: [rand.pick(countries), rand.pick(countries)] } } };
    case 1:
      return { utm: { campaign: { $eq: `campaign-${n}` } } };
    case 2:
      return {
        $and: [
          { device: { type: rand.pick(['mobile', 'desktop']) } },
          { time: { hour: { $gte: rand.int(24) } } },
        ],
      };
    default:
      return { $event: { name: `event-${n % 50}`, within: '30d', $gte: 1 + rand.int(5) } };
  }
}

/** Inserts `rows` in batches small enough for SQLite's bound-parameter limit. */
async function insertBatches(trx, tableName, rows, size = 500) {
  for (let i = 0; i < rows.length; i += size) await trx(tableName).insert(rows.slice(i, i + size));
}

/** Row ids by document id for rows just written (document_id is indexed; the slug is not). */
async function rowIds(trx, tableName, docIds) {
  const rows = [];
  for (let i = 0; i < docIds.length; i += 500) {
    const batch = docIds.slice(i, i + 500);
    rows.push(...(await trx(tableName).select('id', 'document_id').whereIn('document_id', batch)));
  }
  return rows;
}

/**
 * Grows the library by unreferenced segments and chunks, with the rows Strapi itself writes: a
 * segment (no draft & publish) is one row with `published_at` set and no locale; a chunk is a
 * draft row (`published_at` null) and a published row sharing one document id, locale 'en', each
 * with its own link rows. Table, link and id generator come from Strapi's metadata. Filler chunks
 * are tagged like page chunks (a persona, a tag, most of them one or two segments), so the link
 * tables grow with the library as they would on a real site.
 */
function createGrower(strapi, page) {
  const rand = random(0x11b7a7);
  const knex = strapi.db.connection;
  const meta = (name) => strapi.db.metadata.get(UID(name));
  const newDocumentId = meta('chunk').attributes.documentId.default;
  const links = Object.fromEntries(
    ['personas', 'tags', 'segments'].map((attribute) => {
      const { joinTable } = meta('chunk').attributes[attribute];
      const row = (chunkId, targetId, order) => ({
        [joinTable.joinColumn.name]: chunkId,
        [joinTable.inverseJoinColumn.name]: targetId,
        [joinTable.orderColumnName]: order,
      });
      return [attribute, { table: joinTable.name, row }];
    })
  );
  const fillerSegmentIds = [];
  let personaIds = [];
  let tagIds = [];
  let segmentCount = 0;
  let chunkCount = 0;

  async function addSegments(trx, count, now) {
    const rows = [];
    for (let n = segmentCount; n < segmentCount + count; n++) {
      rows.push({
        document_id: newDocumentId(),
        name: `Library segment ${n}`,
        slug: `library-segment-${n}`,
        rule: JSON.stringify(fillerRule(rand, n)),
        priority: n % 5,
        created_at: now,
        updated_at: now,
        published_at: now,
        locale: null,
      });
    }
    const table = meta('segment').tableName;
    await insertBatches(trx, table, rows);
    const written = await rowIds(
      trx,
      table,
      rows.map((row) => row.document_id)
    );
    fillerSegmentIds.push(...written.map((row) => row.id));
    segmentCount += count;
  }

  /** One targeting per document, shared by its draft and published rows. */
  function pickTargeting() {
    const roll = rand();
    const segments = roll < 0.2 ? [] : [rand.pick(fillerSegmentIds)];
    if (roll >= 0.8) segments.push(rand.pick(fillerSegmentIds));
    return {
      persona: rand.pick(personaIds),
      tag: rand.pick(tagIds),
      segments: [...new Set(segments)],
    };
  }

  async function addChunks(trx, count, now) {
    const rows = [];
    const targeting = new Map();
    for (let n = chunkCount; n < chunkCount + count; n++) {
      const title = `Library chunk ${n}`;
      const document = {
        document_id: newDocumentId(),
        title,
        slug: `library-chunk-${n}`,
        body: JSON.stringify(body(rand, title)),
        created_at: now,
        updated_at: now,
        locale: 'en',
      };
      targeting.set(document.document_id, pickTargeting());
      rows.push({ ...document, published_at: null }, { ...document, published_at: now });
    }
    const table = meta('chunk').tableName;
    await insertBatches(trx, table, rows);
    const written = await rowIds(trx, table, [...targeting.keys()]);

    const linkRows = { personas: [], tags: [], segments: [] };
    for (const { id, document_id } of written) {
      const target = targeting.get(document_id);
      linkRows.personas.push(links.personas.row(id, target.persona, 1));
      linkRows.tags.push(links.tags.row(id, target.tag, 1));
      target.segments.forEach((segmentId, i) =>
        linkRows.segments.push(links.segments.row(id, segmentId, i + 1))
      );
    }
    for (const [attribute, rowsOf] of Object.entries(linkRows)) {
      await insertBatches(trx, links[attribute].table, rowsOf);
    }
    chunkCount += count;
  }

  return {
    /** Adds filler until the library holds `segments` and `chunks` unreferenced documents. */
    async growTo({ segments, chunks }) {
      if (!personaIds.length) {
        personaIds = (await rowIds(knex, meta('persona').tableName, page.personaIds)).map(
          (r) => r.id
        );
        tagIds = (await rowIds(knex, meta('tag').tableName, page.tagIds)).map((r) => r.id);
      }
      const now = new Date();
      await knex.transaction(async (trx) => {
        await addSegments(trx, segments - segmentCount, now);
        await addChunks(trx, chunks - chunkCount, now);
      });
    },
  };
}

/** Reads one filler chunk back through the document service: proof the rows are real documents. */
async function checkFillerIsValid(strapi, n) {
  const doc = await strapi.documents(UID('chunk')).findFirst({
    filters: { slug: `library-chunk-${n}` },
    status: 'published',
    locale: 'en',
    populate: { personas: true, tags: true, segments: true },
  });
  const drafts = await strapi
    .documents(UID('chunk'))
    .count({ filters: { slug: `library-chunk-${n}` } });
  if (!doc || !Array.isArray(doc.body) || doc.personas.length !== 1 || drafts !== 1) {
    throw new Error(`bench: filler chunk ${n} does not read back as a published document`);
  }
}

module.exports = { ASSET_SLUG, SLOTS, seedPage, createGrower, checkFillerIsValid };
