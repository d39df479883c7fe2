/**
 * Writes the conformance cases (tests/conformance/cases/*.json): `node tests/conformance/generate.js`
 * after `npm run build`. For each content set — the playground's demo, and content made up by
 * fast-check generators (fixed seed) — it boots the playground on a fresh SQLite file, seeds the
 * content, reads the server's manifest, asks the server every request (also drawn by fast-check,
 * fixed seed) over HTTP, and records its answers. The server is the reference: a resolver
 * conforms when, given the case's manifest and request, it gives the recorded answer.
 */
const fs = require('fs');
const path = require('path');

const fc = require('fast-check');

const { askServer, bootPlayground, expectedOf, fetchManifest, CASES_DIR } = require('./harness');

const ROOT = path.resolve(__dirname, '../..');
const APP_DIR = path.join(ROOT, 'playground');
/** The case files' own format: a reader refuses one it does not know. */
const SUITE_SCHEMA = 1;
const SEED = 1717;

/** The playground booted as the integration tests boot it (tests/integration/strapi.ts). */
async function bootStrapi(name) {
  const file = path.join(APP_DIR, '.tmp', `conformance-${name}.db`);
  fs.rmSync(file, { force: true });
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = file;
  process.env.CRON_ENABLED = 'false';
  process.env.MOSAIC_RATE_LIMIT = '100000';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const { createStrapi } = require('@strapi/strapi');
  const app = createStrapi({
    appDir: APP_DIR,
    distDir: path.join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  app.log.level = 'error';
  const strapi = await app.load();
  strapi.server.mount();
  await new Promise((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  return strapi;
}

const AGENTS = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  tablet: 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari',
  bot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

/** Values rules and requests draw from, so that rules match some requests and not others. */
const POOLS = {
  'utm.source': ['twitter', 'Newsletter', 'google'],
  'utm.campaign': ['spring', 'summer-sale'],
  'geo.country': ['DE', 'FR', 'US', 'AT'],
  'device.type': ['mobile', 'desktop', 'tablet', 'bot'],
  'referrer.host': ['twitter.com', 'www.google.com'],
};
const COUNTRIES = ['DE', 'FR', 'US', 'AT'];
const REFERERS = ['https://twitter.com/some/post', 'https://www.google.com/'];

/** One request as a frontend or a CDN passes it on; `personas` the slugs it may ask for. */
function requestArb(slugs, personas, locales) {
  const maybe = (arb) => fc.option(arb, { nil: undefined });
  return fc
    .record({
      slug: fc.constantFrom(...slugs),
      persona: maybe(fc.constantFrom(...personas, 'nobody')),
      utm_source: maybe(fc.constantFrom(...POOLS['utm.source'])),
      utm_campaign: maybe(fc.constantFrom(...POOLS['utm.campaign'])),
      format: maybe(fc.constantFrom('json', 'html', 'markdown', 'text')),
      locale: maybe(fc.constantFrom(...locales)),
      agent: fc.constantFrom(...Object.keys(AGENTS)),
      country: maybe(fc.constantFrom(...COUNTRIES)),
      referer: maybe(fc.constantFrom(...REFERERS)),
      visitor: maybe(fc.integer({ min: 1, max: 40 })),
    })
    .map(({ slug, agent, country, referer, visitor, ...params }) => {
      const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
      const headers = { 'user-agent': AGENTS[agent] };
      if (country) headers['cf-ipcountry'] = country;
      if (referer) headers.referer = referer;
      if (visitor)
        headers['x-mosaic-visitor'] = `conformance-visitor-${String(visitor).padStart(4, '0')}`;
      return { slug, request: { query, headers } };
    });
}

/** A rule over request fields only (a profile or the clock would make answers vary by run). */
const leafArb = fc
  .record({
    field: fc.constantFrom(...Object.keys(POOLS)),
    op: fc.constantFrom(
      '$eq',
      '$eqi',
      '$ne',
      '$in',
      '$notIn',
      '$containsi',
      '$startsWith',
      '$null',
      '$notNull'
    ),
    pick: fc.nat(),
  })
  .map(({ field, op, pick }) => {
    const pool = POOLS[field];
    const value =
      op === '$in' || op === '$notIn'
        ? [pool[pick % pool.length], pool[(pick + 1) % pool.length]]
        : op === '$null' || op === '$notNull'
          ? true
          : op === '$containsi' || op === '$startsWith'
            ? pool[pick % pool.length].slice(0, 3)
            : pool[pick % pool.length];
    const [top, leaf] = field.split('.');
    return { [top]: { [leaf]: { [op]: value } } };
  });
const ruleArb = fc.oneof(
  { weight: 3, arbitrary: leafArb },
  {
    weight: 1,
    arbitrary: fc.array(leafArb, { minLength: 2, maxLength: 3 }).map((r) => ({ $and: r })),
  },
  {
    weight: 1,
    arbitrary: fc.array(leafArb, { minLength: 2, maxLength: 3 }).map((r) => ({ $or: r })),
  },
  { weight: 1, arbitrary: leafArb.map((r) => ({ $not: r })) }
);

const PERSONAS = ['gen-dev', 'gen-ops', 'gen-exec'];
const TAGS = ['gen-api', 'gen-cloud', 'gen-price'];
const CHUNK_COUNT = 14;

/** Made-up content: personas, tags, segments, chunks tagged with them, and two pages. */
function contentArb() {
  const subset = (pool, max) => fc.subarray(pool, { maxLength: max });
  const segmentsArb = fc.array(
    fc.record({ rule: ruleArb, priority: fc.integer({ min: 0, max: 5 }) }),
    { minLength: 6, maxLength: 6 }
  );
  return segmentsArb.chain((segmentRows) => {
    const segments = segmentRows.map((s, i) => ({
      name: `Gen segment ${i}`,
      slug: `gen-s${i}`,
      ...s,
    }));
    const segmentSlugs = segments.map((s) => s.slug);
    const chunkArb = fc.record({
      personas: fc.oneof(fc.constant([]), subset(PERSONAS, 1), subset(PERSONAS, 2)),
      segments: fc.oneof(fc.constant([]), subset(segmentSlugs, 2)),
      tags: subset(TAGS, 2),
      merge: fc.boolean(),
    });
    const chunkSlugs = Array.from({ length: CHUNK_COUNT }, (_, i) => `gen-c${i}`);
    const slotArb = fc.record({
      mode: fc.constantFrom('first', 'first', 'best', 'all', 'experiment'),
      limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
      holdout: fc.constantFrom(0, 0, 10, 50),
      // Two at least: an experiment compares candidates (saving one with fewer is refused).
      candidates: fc.uniqueArray(fc.constantFrom(...chunkSlugs), { minLength: 2, maxLength: 5 }),
      weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 5, maxLength: 5 }),
    });
    return fc
      .record({
        chunks: fc.array(chunkArb, { minLength: CHUNK_COUNT, maxLength: CHUNK_COUNT }),
        page: fc.array(slotArb, { minLength: 4, maxLength: 6 }),
        landing: fc.array(slotArb, { minLength: 2, maxLength: 4 }),
      })
      .map(({ chunks, page, landing }) => {
        const slots = (rows, nestedAt) =>
          rows.map((slot, i) => ({
            key: `slot-${i}`,
            mode: slot.mode,
            ...(slot.mode === 'all' ? { limit: slot.limit } : {}),
            ...(slot.mode === 'experiment' ? { holdout: slot.holdout } : {}),
            candidates: [
              ...slot.candidates.map((chunk, j) => ({
                chunk,
                ...(slot.mode === 'experiment' ? { weight: slot.weights[j] } : {}),
              })),
              ...(i === nestedAt && slot.mode !== 'experiment' ? [{ asset: 'gen-fragment' }] : []),
            ],
          }));
        return {
          personas: PERSONAS.map((slug) => ({ name: slug, slug })),
          tags: TAGS.map((slug) => ({ name: slug, slug })),
          segments,
          chunks: chunks.map((c, i) => ({
            title: `Generated chunk ${i}`,
            slug: chunkSlugs[i],
            personas: c.personas,
            segments: c.segments,
            tags: c.tags,
            body: [
              {
                type: 'paragraph',
                children: [
                  {
                    type: 'text',
                    text: c.merge
                      ? `Chunk ${i} for {{utm.campaign|every reader}} & <friends>`
                      : `Chunk ${i}: *plain* text`,
                  },
                ],
              },
            ],
          })),
          assets: [
            {
              title: 'Generated fragment',
              slug: 'gen-fragment',
              kind: 'fragment',
              slots: [
                {
                  key: 'main',
                  mode: 'first',
                  candidates: [{ chunk: 'gen-c0' }, { chunk: 'gen-c1' }],
                },
              ],
            },
            { title: 'Generated page', slug: 'gen-page', kind: 'page', slots: slots(page, 1) },
            {
              title: 'Generated landing',
              slug: 'gen-landing',
              kind: 'landing-page',
              slots: slots(landing, 0),
            },
          ],
        };
      });
  });
}

async function writeCases({ name, description, content, slugs, personas, locales, count }) {
  const server = await bootPlayground(bootStrapi, name, content);
  try {
    const manifest = await fetchManifest(server);
    const requests = fc.sample(requestArb(slugs, personas, locales), {
      seed: SEED,
      numRuns: count,
    });
    const cases = [];
    for (const [i, { slug, request }] of requests.entries()) {
      const { status, body } = await askServer(server, { slug, request });
      cases.push({
        name: `${name} #${i}`,
        slug,
        request,
        expected: expectedOf(manifest, status, body),
      });
    }
    const file = {
      suite: 'mosaic-conformance',
      schema: SUITE_SCHEMA,
      name,
      description,
      generatedAt: new Date().toISOString(),
      content,
      manifest,
      cases,
    };
    fs.mkdirSync(CASES_DIR, { recursive: true });
    fs.writeFileSync(path.join(CASES_DIR, `${name}.json`), `${JSON.stringify(file, null, 1)}\n`);
    console.log(
      `${name}: ${cases.length} cases, manifest ${JSON.stringify(manifest).length} bytes`
    );
  } finally {
    await server.strapi.destroy();
  }
}

async function main() {
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  await writeCases({
    name: 'playground-demo',
    description:
      "The playground's demo content (playground/src/demo), seeded as `npm run demo` seeds it, with requests drawn by fast-check.",
    content: 'playground-demo',
    slugs: ['home', 'welcome-email', 'company-footer', 'no-such-asset'],
    personas: ['developer', 'marketer', 'executive'],
    locales: ['en', 'fr', 'de'],
    count: 80,
  });
  const [content] = fc.sample(contentArb(), { seed: SEED, numRuns: 1 });
  await writeCases({
    name: 'generated',
    description:
      'Content drawn by fast-check (segments over request fields, every slot mode, a nested asset, merge fields), with requests drawn by fast-check.',
    content,
    slugs: ['gen-page', 'gen-landing', 'gen-fragment'],
    personas: PERSONAS,
    locales: ['en'],
    count: 120,
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
