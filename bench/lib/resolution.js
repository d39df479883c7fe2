/**
 * Resolution cost as the library grows: the real playground Strapi, booted in this process on a
 * fresh SQLite file, resolving one page of 10 slots × 5 candidates while the library around it
 * grows from 10 to 10,000 segments and 100 to 100,000 chunks. Resolution should only ever touch
 * what the page references, so its cost should not move with the library's size. Timed in
 * process, through the delivery service the HTTP controller calls, to leave HTTP out of it.
 */
const fs = require('fs');
const path = require('path');

const { ROOT, fmt, msSince, summarize, table } = require('./measure');
const { ASSET_SLUG, checkFillerIsValid, createGrower, seedPage } = require('./library');

const APP_DIR = path.join(ROOT, 'playground');
const DB_FILE = path.join(APP_DIR, '.tmp', 'bench-core.db');

const SIZES = [
  { segments: 10, chunks: 100 },
  { segments: 100, chunks: 1_000 },
  { segments: 1_000, chunks: 10_000 },
  { segments: 10_000, chunks: 100_000 },
];
const QUICK_SIZES = SIZES.slice(0, 2);

const DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';
const MOBILE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const TABLET =
  'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari';
const BOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** Eight anonymous requests as a CDN would pass them on: query, user agent, country, referrer. */
const REQUESTS = [
  {
    query: { persona: 'developer', utm_source: 'newsletter', utm_campaign: 'spring-launch' },
    ua: MOBILE,
    country: 'DE',
  },
  { query: {}, ua: DESKTOP, country: 'US', referer: 'https://www.google.com/' },
  {
    query: { persona: 'marketer', utm_campaign: 'spring-webinar' },
    ua: TABLET,
    country: 'FR',
    referer: 'https://www.linkedin.com/',
  },
  { query: {}, ua: BOT, country: 'AT' },
  {
    query: { persona: 'executive', ref: 'newsletter', tz: 'Europe/Zurich' },
    ua: DESKTOP,
    country: 'CH',
  },
  { query: { utm_source: 'Newsletter' }, ua: MOBILE, country: 'NL' },
  { query: { persona: 'designer' }, ua: DESKTOP, country: 'GB', referer: 'https://twitter.com/' },
  { query: { tz: 'America/New_York' }, ua: MOBILE, country: 'US' },
];

function deliveryRequest(i) {
  const { query, ua, country, referer } = REQUESTS[i % REQUESTS.length];
  const headers = { 'user-agent': ua, 'cf-ipcountry': country };
  if (referer) headers.referer = referer;
  return {
    slug: ASSET_SLUG,
    format: 'html',
    explain: false,
    facts: { query, headers, now: new Date() },
    visitor: { id: null, consent: undefined },
  };
}

function removeDatabase(file = DB_FILE) {
  for (const suffix of ['', '-journal', '-wal', '-shm']) {
    fs.rmSync(file + suffix, { force: true });
  }
}

/**
 * The playground, compiled to its dist/ and booted quietly, as the integration tests do, on a
 * fresh SQLite file (`file`: another benchmark's own).
 */
async function bootPlayground(file = DB_FILE) {
  const built = path.join(ROOT, 'dist', 'server', 'index.js');
  if (!fs.existsSync(built)) {
    throw new Error(`The plugin is not built (${built} is missing): run 'npm run build' first.`);
  }
  // Required here, not at the top: loading Strapi takes seconds the rules benchmark should not pay.
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  removeDatabase(file);
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = file;
  process.env.CRON_ENABLED = 'false';
  // The benchmark seeds its own page; the demo's content would collide with its slugs.
  delete process.env.MOSAIC_DEMO;
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const app = createStrapi({
    appDir: APP_DIR,
    distDir: path.join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  app.log.level = 'error';
  const strapi = await app.load();
  if (!strapi.plugin('mosaic')) throw new Error('Mosaic did not load: is dist/server built?');
  return strapi;
}

/**
 * What a content change leaves behind: an empty compiled cache and no compiled rules (bootstrap
 * clears both on every write), so the next request reloads and recompiles the page.
 */
function forgetEverything(strapi) {
  strapi.plugin('mosaic').service('cache').clear();
  strapi.plugin('mosaic').service('content').forgetCompiledRules();
}

/** Resolves untimed, cold then warm; returns the distinct answers (variant keys) it got. */
async function warmUp(strapi, resolve, { warmCalls, coldCalls }) {
  const variants = new Set();
  for (let i = 0; i < coldCalls; i++) {
    forgetEverything(strapi);
    await resolve(i);
  }
  for (let i = 0; i < warmCalls; i++) variants.add((await resolve(i)).meta.variantKey);
  return variants;
}

async function measureSize(strapi, resolve, { rounds, warmCalls, coldCalls }) {
  // Untimed first, at every size: SQLite's page cache fills with what this size reads.
  const variants = await warmUp(strapi, resolve, { warmCalls, coldCalls });

  // Rounds alternate cold and warm so that a burst of load from elsewhere on the machine lands in
  // one round, and the median round stands for the size.
  const cold = [];
  const warm = [];
  for (let round = 0; round < rounds; round++) {
    const coldRound = [];
    for (let i = 0; i < coldCalls; i++) {
      // Cold: every call starts from an empty cache, so the database is read every time.
      forgetEverything(strapi);
      const start = process.hrtime.bigint();
      await resolve(i);
      coldRound.push(msSince(start));
    }
    // Warm: the compiled page stays cached; what remains is building the context, evaluating the
    // referenced segments, choosing candidates and filling the rendered templates.
    const warmRound = [];
    for (let i = 0; i < warmCalls; i++) {
      const start = process.hrtime.bigint();
      await resolve(i);
      warmRound.push(msSince(start) * 1000);
    }
    cold.push(coldRound);
    warm.push(warmRound);
  }
  return { cold: summarizeRounds(cold), warm: summarizeRounds(warm), variants: variants.size };
}

/** The median of the rounds' means, and percentiles over every call of every round. */
function summarizeRounds(rounds) {
  const all = summarize(rounds.flat());
  return { ...all, mean: summarize(rounds.map((round) => summarize(round).mean)).p50 };
}

async function benchResolution({ quick, log }) {
  const sizes = quick ? QUICK_SIZES : SIZES;
  const calls = quick
    ? { rounds: 2, warmCalls: 500, coldCalls: 20 }
    : { rounds: 5, warmCalls: 4_000, coldCalls: 100 };
  let start = process.hrtime.bigint();
  const strapi = await bootPlayground();
  log(`  booted the playground in ${fmt(msSince(start) / 1000, 1)} s`);
  const notes = [];
  try {
    start = process.hrtime.bigint();
    const page = await seedPage(strapi);
    const seedMs = msSince(start);
    notes.push(
      `page seeded through the document service in ${fmt(seedMs / 1000, 1)} s (50 chunks, 10 segments, 1 asset)`
    );
    log(`  ${notes[0]}`);
    const delivery = strapi.plugin('mosaic').service('delivery');
    const resolve = (i) => delivery.asset(deliveryRequest(i));
    // Once, before any size is measured: V8 optimises the whole path (Strapi's query layer
    // included), or the first size measured would pay for everyone's warm-up.
    for (let i = 0; i < calls.rounds; i++) await warmUp(strapi, resolve, calls);

    const grower = createGrower(strapi, page);
    const rows = [];
    for (const size of sizes) {
      start = process.hrtime.bigint();
      await grower.growTo(size);
      const insertS = msSince(start) / 1000;
      await checkFillerIsValid(strapi, size.chunks - 1);
      // Rows written behind Strapi's back fire no lifecycle, so nothing cleared the cache.
      forgetEverything(strapi);
      const result = await measureSize(strapi, resolve, calls);
      const dbMb = fs.statSync(DB_FILE).size / 2 ** 20;
      rows.push({ size, insertS, dbMb, ...result });
      log(
        `  ${size.segments.toLocaleString('en-US')} segments, ${size.chunks.toLocaleString('en-US')} ` +
          `chunks (+${fmt(insertS, 1)} s to insert): ` +
          `warm ${fmt(result.warm.mean, 0)} µs mean / ${fmt(result.warm.p99, 0)} µs p99, ` +
          `cold ${fmt(result.cold.mean, 2)} ms mean / ${fmt(result.cold.p99, 2)} ms p99`
      );
    }
    return report(rows, calls, notes);
  } finally {
    await strapi.destroy();
    removeDatabase();
  }
}

function report(rows, calls, notes) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const ratio = (pick) => pick(last) / pick(first);
  const ratios = {
    warmMean: ratio((r) => r.warm.mean),
    warmP99: ratio((r) => r.warm.p99),
    coldMean: ratio((r) => r.cold.mean),
    coldP99: ratio((r) => r.cold.p99),
  };
  const markdown = table(
    [
      'library (unreferenced segments / chunks)',
      'warm mean (µs)',
      'warm p99 (µs)',
      'cold mean (ms)',
      'cold p99 (ms)',
      'distinct variants',
      'insert (s)',
      'database (MB)',
    ],
    [
      ...rows.map((r) => [
        `${r.size.segments.toLocaleString('en-US')} / ${r.size.chunks.toLocaleString('en-US')}`,
        fmt(r.warm.mean, 0),
        fmt(r.warm.p99, 0),
        fmt(r.cold.mean, 2),
        fmt(r.cold.p99, 2),
        String(r.variants),
        fmt(r.insertS, 1),
        fmt(r.dbMb, 0),
      ]),
      [
        '**largest / smallest**',
        `**${fmt(ratios.warmMean, 2)}×**`,
        `${fmt(ratios.warmP99, 2)}×`,
        `**${fmt(ratios.coldMean, 2)}×**`,
        `${fmt(ratios.coldP99, 2)}×`,
        '',
        '',
        '',
      ],
    ]
  );
  const flat = (x) => Math.abs(x - 1) <= 0.2;
  const verdict =
    `Mean resolution cost from the smallest to the largest library: warm ${fmt(ratios.warmMean, 2)}× ` +
    `(${flat(ratios.warmMean) ? 'flat' : 'NOT flat'} within 20%), cold ${fmt(ratios.coldMean, 2)}× ` +
    `(${flat(ratios.coldMean) ? 'flat' : 'NOT flat'} within 20%).`;
  return { rows, ratios, calls, notes, markdown, verdict };
}

module.exports = { REQUESTS, benchResolution, bootPlayground, removeDatabase };
