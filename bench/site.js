/* global fetch, URLSearchParams */
/**
 * The example site's time to first byte, resolving at the edge vs on the server
 * (`npm run bench:site`, after `npm run build`): the playground booted in this process on a fresh
 * SQLite file with the demo, and two `next start` of the same examples/next build pointed at it —
 * one in server mode (the page asks Strapi for every request), one in edge mode
 * (`MOSAIC_RESOLVE=edge`: its proxy resolves with the standalone resolver from the manifest, a
 * consenting visitor's profile coming as a signed summary kept in a cookie). The home page is
 * asked of both, interleaved one request each, for rotating readers: the benchmark's eight
 * anonymous requests as a CDN passes them on and 20 consenting visitors with a reading history.
 * PORT (default 1410) is Strapi's; the sites take the next two ports.
 */
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');

const { ROOT, fmt, load, machine, summarize, table, timestamp } = require('./lib/measure');
const { REQUESTS, bootPlayground, removeDatabase } = require('./lib/resolution');
const { writeSection } = require('./lib/section');
const { buildSite, startSite } = require(path.join(ROOT, 'tests', 'e2e', 'site'));

const DB_FILE = path.join(ROOT, 'playground', '.tmp', 'bench-site.db');
const PORT = Number(process.env.PORT ?? 1410);
const VISITORS = 20;
const WARM = 60;
const CALLS = Number(process.env.BENCH_SITE_CALLS ?? 400);
const DESKTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const READS = [
  ['hero-developer', 'feature-api', 'cta-developer'],
  ['hero-marketer', 'feature-campaigns', 'cta-marketer'],
  ['hero-executive', 'feature-roi', 'cta-executive'],
];

/** Reader `i` of the rotation: an anonymous request, or a consenting visitor with their cookies. */
function readerOf(i) {
  const slot = i % (REQUESTS.length + VISITORS);
  if (slot < REQUESTS.length) {
    const { query, ua, country, referer } = REQUESTS[slot];
    const headers = { 'user-agent': ua, 'cf-ipcountry': country };
    if (referer) headers.referer = referer;
    return { key: `anonymous-${slot}`, query, headers };
  }
  const visitor = `bench-site-visitor-${String(slot - REQUESTS.length).padStart(4, '0')}`;
  return {
    key: visitor,
    visitor,
    query: {},
    headers: { 'user-agent': DESKTOP, 'cf-ipcountry': 'DE' },
  };
}

/** GET `path` of a site: time to the response's headers (TTFB) and to its last byte, in ms. */
function timedGet(agent, port, { query, headers }, cookie) {
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let ttfb = 0;
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/${search ? `?${search}` : ''}`,
        headers: cookie ? { ...headers, cookie } : headers,
        agent,
      },
      (res) => {
        ttfb = Number(process.hrtime.bigint() - t0) / 1e6;
        let bytes = 0;
        res.on('data', (part) => (bytes += part.length));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            ttfb,
            total: Number(process.hrtime.bigint() - t0) / 1e6,
            bytes,
            resolution: res.headers['x-mosaic-resolution'] ?? 'server',
            setCookies: res.headers['set-cookie'] ?? [],
          })
        );
      }
    );
    req.on('error', reject);
  });
}

/** Cookie jars per site and reader: the visitor's id and consent, and what the site set. */
function jar() {
  const jars = new Map();
  return {
    header(reader) {
      const cookies = jars.get(reader.key) ?? new Map();
      if (reader.visitor) {
        cookies.set('mosaic_vid', reader.visitor);
        cookies.set('mosaic_consent', 'granted');
      }
      jars.set(reader.key, cookies);
      return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    take(reader, setCookies) {
      const cookies = jars.get(reader.key);
      for (const line of setCookies) {
        const [pair, ...attributes] = line.split(';');
        const [name, ...value] = pair.trim().split('=');
        const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()));
        if (expired) cookies.delete(name);
        else cookies.set(name, value.join('='));
      }
    },
  };
}

async function main() {
  const started = process.hrtime.bigint();
  const loadAtStart = load();
  const host = machine();
  const secret = crypto.randomBytes(24).toString('base64url');
  const strapi = await bootPlayground(DB_FILE);
  const sites = [];
  try {
    const demo = require(path.join(ROOT, 'playground', 'src', 'demo', 'seed'));
    await demo.seedDemo(strapi);
    await demo.grantPublicDelivery(strapi);
    strapi.config.set('plugin::mosaic.profileSummary', { secret });
    const token = await strapi.service('admin::api-token').create({
      name: 'bench site edge',
      description: '',
      type: 'custom',
      lifespan: null,
      permissions: ['plugin::mosaic.manifest.read'],
    });
    strapi.server.mount();
    await new Promise((resolve) => strapi.server.httpServer.listen(PORT, '127.0.0.1', resolve));
    const strapiUrl = `http://127.0.0.1:${PORT}`;

    // The consenting visitors' reading: three views of one persona's chunks each.
    for (let v = 0; v < VISITORS; v++) {
      const reader = readerOf(REQUESTS.length + v);
      const res = await fetch(`${strapiUrl}/api/mosaic/events`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': DESKTOP,
          'X-Mosaic-Visitor': reader.visitor,
          'X-Mosaic-Consent': 'granted',
        },
        body: JSON.stringify({
          events: READS[v % READS.length].map((chunk) => ({ name: 'view', chunk })),
        }),
      });
      if (res.status !== 202) throw new Error(`POST /events answered ${res.status}`);
    }

    if (!fs.existsSync(path.join(ROOT, 'examples', 'next', '.next', 'BUILD_ID'))) buildSite();
    const server = await startSite({ port: PORT + 1, strapiUrl });
    sites.push(server);
    const edge = await startSite({
      port: PORT + 2,
      strapiUrl,
      env: {
        MOSAIC_RESOLVE: 'edge',
        MOSAIC_MANIFEST_TOKEN: token.accessKey,
        MOSAIC_SUMMARY_SECRET: secret,
      },
    });
    sites.push(edge);

    const modes = [
      {
        name: 'server',
        port: PORT + 1,
        agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
        jar: jar(),
        ttfb: [],
        total: [],
        bytes: 0,
        edge: 0,
      },
      {
        name: 'edge',
        port: PORT + 2,
        agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
        jar: jar(),
        ttfb: [],
        total: [],
        bytes: 0,
        edge: 0,
      },
    ];
    for (let i = 0; i < WARM + CALLS; i++) {
      const reader = readerOf(i);
      // One request to each, in alternating order: neither always goes first.
      for (const mode of i % 2 ? modes : [...modes].reverse()) {
        const res = await timedGet(mode.agent, mode.port, reader, mode.jar.header(reader));
        if (res.status !== 200) throw new Error(`${mode.name} site answered ${res.status}`);
        mode.jar.take(reader, res.setCookies);
        if (i < WARM) continue;
        mode.ttfb.push(res.ttfb);
        mode.total.push(res.total);
        mode.bytes += res.bytes;
        if (res.resolution === 'edge') mode.edge += 1;
      }
    }
    for (const mode of modes) mode.agent.destroy();
    if (modes[1].edge !== CALLS) {
      throw new Error(`The edge site resolved ${modes[1].edge} of ${CALLS} pages itself`);
    }

    const [s, e] = modes.map((mode) => ({
      ttfb: summarize(mode.ttfb),
      total: summarize(mode.total),
      bytes: mode.bytes / CALLS,
    }));
    const loadAtEnd = load();
    const minutes = Number(process.hrtime.bigint() - started) / 6e10;
    const row = (name, m) => [
      name,
      fmt(m.ttfb.n, 0),
      fmt(m.ttfb.mean, 1),
      fmt(m.ttfb.p50, 1),
      fmt(m.ttfb.p99, 1),
      fmt(m.total.p50, 1),
      fmt(m.bytes / 1024, 1),
    ];
    const body = `
- Recorded: ${timestamp()}, in ${fmt(minutes, 1)} min
- Command: \`npm run bench:site\` (\`node bench/site.js\`, after \`npm run build\`; builds examples/next when it has no build)
- Machine: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM, Node.js ${host.node}, ${host.os}
- Load average (1 min): ${fmt(loadAtStart, 2)} at the start, ${fmt(loadAtEnd, 2)} at the end. ${Math.max(loadAtStart, loadAtEnd) > 1.5 ? 'Other work shared these CPUs during this run: the p99 columns carry its noise.' : 'Nothing else ran on the machine.'}

The example site's home page (\`next start\`, production build) for rotating readers: the benchmark's ${REQUESTS.length} anonymous requests as a CDN passes them on (query, user agent, country, referrer) and ${VISITORS} consenting visitors who read one persona's chunks (their cookies kept between requests, as a browser keeps them). Server mode: the page asks \`GET /api/mosaic/assets/home\` of Strapi for every request (the playground with the demo, SQLite, in the benchmark's process). Edge mode (\`MOSAIC_RESOLVE=edge\`): the site's proxy resolves the page with \`strapi-mosaic-resolver\` from the manifest (fetched with an API token, polled by ETag) and, for a consenting visitor, the signed profile summary kept in a cookie (asked of Strapi when missing, at most once a minute). ${fmt(WARM, 0)} warm-up requests then ${fmt(CALLS, 0)} timed ones to each site, interleaved one by one over one keep-alive connection per site; time to first byte is until the response's headers arrive.

${table(
  [
    'site',
    'requests',
    'TTFB mean (ms)',
    'TTFB p50 (ms)',
    'TTFB p99 (ms)',
    'last byte p50 (ms)',
    'page (KiB)',
  ],
  [
    row('server resolution (Strapi per request)', s),
    row('edge resolution (resolver in the proxy)', e),
  ]
)}

Edge over server, time to first byte: ${fmt(e.ttfb.p50 / s.ttfb.p50, 2)}× at the median, ${fmt(e.ttfb.mean / s.ttfb.mean, 2)}× on the mean, ${fmt(e.ttfb.p99 / s.ttfb.p99, 2)}× at p99 (target ≤ 0.5×).
`;
    await writeSection(
      path.join(ROOT, 'bench', 'RESULTS.md'),
      'Site: edge vs server resolution',
      body
    );
    console.log(body);
  } finally {
    for (const site of sites) site.child.kill();
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
