/**
 * The standalone resolver against the HTTP path (`npm run bench:resolver`, after `npm run build`):
 * the playground booted in process on a fresh SQLite file, the benchmark page (10 slots × 5
 * candidates) in a 1,000-chunk library, its manifest read through the manifest service, and the
 * page resolved for rotating contexts (8 requests as a CDN passes them on × 100 visitor ids) by
 * the built resolver package in process, then by GET /api/mosaic/assets/:slug over a keep-alive
 * connection to the same process. Also records the manifest's size, for the demo and the bench.
 */
const { Buffer } = require('buffer');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { URLSearchParams } = require('url');
const zlib = require('zlib');

const { ROOT, fmt, load, machine, summarize, table, timestamp } = require('./lib/measure');
const { ASSET_SLUG, createGrower, seedPage } = require('./lib/library');
const { REQUESTS, bootPlayground, removeDatabase } = require('./lib/resolution');
const { writeSection } = require('./lib/section');

const DB_FILE = path.join(ROOT, 'playground', '.tmp', 'bench-resolver.db');

const PORT = Number(process.env.PORT ?? 1406);
const VISITORS = 100;
const WARM = 20_000;
const CALLS = 50_000;
const HTTP_CALLS = 3_000;

/** Request `i` of the rotation: query and headers, with a visitor id (experiments bucket on it). */
function requestOf(i) {
  const { query, ua, country, referer } = REQUESTS[i % REQUESTS.length];
  const headers = {
    'user-agent': ua,
    'cf-ipcountry': country,
    'x-mosaic-visitor': `bench-visitor-${String(Math.floor(i / REQUESTS.length) % VISITORS).padStart(4, '0')}`,
  };
  if (referer) headers.referer = referer;
  return { query: { ...query, format: 'html' }, headers };
}

function resolverPackage() {
  const built = path.join(ROOT, 'resolver', 'dist', 'cjs', 'resolver', 'index.js');
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: run 'npm run build' first.`);
  return require(built);
}

function get(agent, { query, headers }) {
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: PORT,
        path: `/api/mosaic/assets/${ASSET_SLUG}?${search}`,
        headers,
        agent,
      },
      (res) => {
        const parts = [];
        res.on('data', (part) => parts.push(part));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(parts) }));
      }
    );
    req.on('error', reject);
  });
}

const sizes = (body) => ({
  bytes: Buffer.byteLength(body),
  gzip: zlib.gzipSync(body).length,
});
const kb = (n) => `${fmt(n / 1024, 1)} KiB`;

async function main() {
  const started = process.hrtime.bigint();
  const loadAtStart = load();
  const host = machine();
  const { createResolver } = resolverPackage();
  const strapi = await bootPlayground(DB_FILE);
  try {
    const page = await seedPage(strapi);
    // As bench/lib/server.js: 50 segments and 1,000 chunks in all.
    await createGrower(strapi, page).growTo({ segments: 40, chunks: 950 });
    // Rows written behind Strapi's back fire no lifecycle: nothing emptied the compiled cache.
    strapi.plugin('mosaic').service('cache').clear();
    const { grantPublicDelivery } = require(path.join(ROOT, 'playground', 'src', 'demo', 'seed'));
    await grantPublicDelivery(strapi);

    const built = await strapi.plugin('mosaic').service('manifest').current();
    const benchSize = sizes(built.body);
    const demoCases = path.join(ROOT, 'tests', 'conformance', 'cases', 'playground-demo.json');
    const demoSize = sizes(
      JSON.stringify({ data: JSON.parse(fs.readFileSync(demoCases)).manifest })
    );

    const manifest = JSON.parse(built.body).data;
    let t = process.hrtime.bigint();
    const resolver = createResolver(manifest);
    const compileMs = Number(process.hrtime.bigint() - t) / 1e6;

    const requests = Array.from({ length: REQUESTS.length * VISITORS }, (_, i) => requestOf(i));
    const now = new Date();
    for (let i = 0; i < WARM; i++)
      resolver.resolveRequest(ASSET_SLUG, { ...requests[i % requests.length], now });
    const inProcess = [];
    const keys = new Set();
    for (let i = 0; i < CALLS; i++) {
      const request = requests[i % requests.length];
      t = process.hrtime.bigint();
      const answer = resolver.resolveRequest(ASSET_SLUG, { ...request, now });
      inProcess.push(Number(process.hrtime.bigint() - t) / 1e3);
      keys.add(answer.meta.variantKey);
    }

    // The same calls in batches of 1,000, per call: a batch spreads a preemption by another
    // process over its 1,000 calls instead of making one sample of it.
    // And the CPU time this process spent on each batch (process.cpuUsage): what the calls cost
    // the machine, whatever share of the CPUs other processes left it meanwhile.
    const batches = [];
    const cpuBatches = [];
    for (let b = 0; b < CALLS / 1000; b++) {
      t = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = 0; i < 1000; i++) {
        resolver.resolveRequest(ASSET_SLUG, { ...requests[(b * 1000 + i) % requests.length], now });
      }
      const used = process.cpuUsage(cpu);
      batches.push(Number(process.hrtime.bigint() - t) / 1e6);
      cpuBatches.push((used.user + used.system) / 1000);
    }
    const benchPage = manifest.assets[manifest.settings.defaultLocale ?? ''][ASSET_SLUG];
    const experiments = benchPage.slots.filter((slot) => slot.mode === 'experiment').length;

    strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(PORT, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 500; i++) await get(agent, requests[i % requests.length]);
    const overHttp = [];
    let same = 0;
    for (let i = 0; i < HTTP_CALLS; i++) {
      const request = requests[i % requests.length];
      t = process.hrtime.bigint();
      const res = await get(agent, request);
      overHttp.push(Number(process.hrtime.bigint() - t) / 1e3);
      if (res.status !== 200) throw new Error(`GET answered ${res.status}: ${res.body}`);
      const local = resolver.resolveRequest(ASSET_SLUG, { ...request, now: new Date() });
      if (JSON.parse(res.body).meta.variantKey === local.meta.variantKey) same += 1;
    }
    agent.destroy();

    const a = summarize(inProcess);
    const batched = summarize(batches);
    const cpuBatched = summarize(cpuBatches);
    const h = summarize(overHttp);
    const loadAtEnd = load();
    const minutes = Number(process.hrtime.bigint() - started) / 6e10;
    const body = `
- Recorded: ${timestamp()}, in ${fmt(minutes, 1)} min
- Command: \`npm run bench:resolver\` (\`node bench/resolver.js\`, after \`npm run build\`)
- Machine: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM, Node.js ${host.node}, ${host.os}
- Load average (1 min): ${fmt(loadAtStart, 2)} at the start, ${fmt(loadAtEnd, 2)} at the end. ${Math.max(loadAtStart, loadAtEnd) > 1.5 ? 'Other work shared these CPUs during this run: the p99 columns carry its noise.' : 'Nothing else ran on the machine.'}

The benchmark page (\`${ASSET_SLUG}\`: 10 slots × 5 candidates, segments over UTM, referrer, device, country and time) in a library of 1,000 chunks and 50 segments, SQLite, booted in process. Requests rotate over ${REQUESTS.length} anonymous requests as a CDN passes them on (query, user agent, country, referrer; \`format=html\`) × ${VISITORS} visitor ids (${experiments ? `${experiments} experiment slot(s) bucket on them` : 'the page has no experiment slot'}): ${keys.size} distinct variants. In process: the built package (\`resolver/dist/cjs\`), \`resolveRequest\` (context built from the query and headers, persona, selection, rules, rendering, variant key), ${fmt(WARM, 0)} warm-up calls then ${fmt(CALLS, 0)} timed one by one with \`process.hrtime.bigint()\`. HTTP: \`GET /api/mosaic/assets/${ASSET_SLUG}\` to the same process over one keep-alive connection, ${fmt(HTTP_CALLS, 0)} sequential requests after 500 warm-up ones (the client's own time included); ${same} of ${HTTP_CALLS} answers had the variant key the resolver computed for the same request.

${table(
  ['path', 'calls', 'mean (µs)', 'p50 (µs)', 'p99 (µs)'],
  [
    ['resolver, in process', fmt(a.n, 0), fmt(a.mean, 1), fmt(a.p50, 1), fmt(a.p99, 1)],
    [
      'resolver, in process, per call in batches of 1,000',
      fmt(batched.n * 1000, 0),
      fmt(batched.mean, 1),
      fmt(batched.p50, 1),
      fmt(batched.p99, 1),
    ],
    [
      'resolver, in process, CPU time per call in batches of 1,000 (`process.cpuUsage`)',
      fmt(cpuBatched.n * 1000, 0),
      fmt(cpuBatched.mean, 1),
      fmt(cpuBatched.p50, 1),
      fmt(cpuBatched.p99, 1),
    ],
    ['HTTP round trip to Strapi', fmt(h.n, 0), fmt(h.mean, 0), fmt(h.p50, 0), fmt(h.p99, 0)],
  ]
)}

In process the page resolves in ${fmt(a.p99, 1)} µs at p99 of wall-clock time per call (target ≤ 100 µs), ${fmt(h.p50 / a.p50, 0)}× faster than the HTTP round trip at the median; the CPU time it costs is ${fmt(cpuBatched.p50, 1)} µs per call at the median batch and ${fmt(cpuBatched.p99, 1)} µs at the p99 batch. On a loaded machine the wall-clock p99 measures the scheduler (a call that loses the CPU waits for another process's time slice), the CPU time what the resolver does. Compiling the manifest (\`createResolver\`, rules included) took ${fmt(compileMs, 1)} ms.

Manifest sizes (\`GET /api/mosaic/manifest\`, the whole body):

${table(
  ['content', 'bytes', 'gzip'],
  [
    [
      'the demo (playground seed: 3 assets × 2 locales, 25 chunks)',
      kb(demoSize.bytes),
      kb(demoSize.gzip),
    ],
    [
      'the benchmark (1 page of 50 candidates, in a 1,000-chunk library)',
      kb(benchSize.bytes),
      kb(benchSize.gzip),
    ],
  ]
)}

The manifest holds what published assets offer, not the library: the 950 chunks no asset offers are not in it.
`;
    await writeSection(
      path.join(ROOT, 'bench', 'RESULTS.md'),
      'Resolver: in process vs HTTP',
      body
    );
    console.log(body);
  } finally {
    await strapi.destroy();
    removeDatabase(DB_FILE);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
