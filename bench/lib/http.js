/**
 * The requests of the HTTP benchmark and the load that sends them: A (Mosaic's delivery route for
 * the core benchmark's eight rotating visitors), B and C (the playground's comparison routes), the
 * events batches, single requests to check every answer before it is measured, and autocannon
 * runs summarised to requests per second and latency percentiles.
 */
const { Buffer } = require('buffer');
const http = require('http');
const { URLSearchParams } = require('url');

const autocannon = require('autocannon');

const { ASSET_SLUG, SLOTS } = require('./library');
const { summarize } = require('./measure');
const { REQUESTS } = require('./resolution');

const CONNECTIONS = 50;

/** A: the delivery route as a CDN passes a visitor on, with query, user agent, country, referrer. */
function assetRequest(i) {
  const { query, ua, country, referer } = REQUESTS[i % REQUESTS.length];
  const params = new URLSearchParams({ format: 'json', ...query });
  const headers = { 'user-agent': ua, 'cf-ipcountry': country };
  if (referer) headers.referer = referer;
  return { method: 'GET', path: `/api/mosaic/assets/${ASSET_SLUG}?${params}`, headers };
}

const TARGETS = {
  A: { route: `GET /api/mosaic/assets/${ASSET_SLUG}?format=json&…`, request: assetRequest },
  B: {
    route: `GET /api/bench/plain-assets/${ASSET_SLUG}`,
    request: () => ({ method: 'GET', path: `/api/bench/plain-assets/${ASSET_SLUG}`, headers: {} }),
  },
  C: {
    route: 'GET /api/bench/ceiling',
    request: () => ({ method: 'GET', path: '/api/bench/ceiling', headers: {} }),
  },
};

/** Visitor ids for the events run: enough that none reaches the tracking rate limit. */
function visitorIds(prefix, count) {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
}

/** A batch of `batch` events (one by default) from a consenting visitor: slots seen on a page. */
function eventRequest(i, { name, visitors, batch = 1 }) {
  const events = Array.from({ length: batch }, (_, n) => {
    const [slot] = SLOTS[(i + n) % SLOTS.length];
    return { name, asset: ASSET_SLUG, slot, chunk: `page-${slot}-1` };
  });
  return {
    method: 'POST',
    path: '/api/mosaic/events',
    headers: {
      'content-type': 'application/json',
      'x-mosaic-visitor': visitors[i % visitors.length],
      'x-mosaic-consent': 'granted',
    },
    body: JSON.stringify({ events }),
  };
}

/** `request` with the access setting's credentials: none for the public role, else the token. */
function withAccess(request, token) {
  if (!token) return request;
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/** One request, its status, headers and body: to check an answer before measuring it. */
function send(port, { method, path, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) })
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Figures for one or more runs of the same requests taken together: requests per second over
 * their summed duration, latency percentiles over every answer of every run.
 */
function combine(runs) {
  const sum = (field) => runs.reduce((total, run) => total + run[field], 0);
  const durationS = sum('durationS');
  const latency = summarize(runs.flatMap((run) => run.latencies));
  const statusCodes = {};
  for (const run of runs) {
    for (const [code, { count }] of Object.entries(run.statusCodes)) {
      statusCodes[code] = { count: (statusCodes[code]?.count ?? 0) + count };
    }
  }
  return {
    rps: sum('requests') / durationS,
    okPerS: sum('ok') / durationS,
    p50: latency.p50,
    p99: latency.p99,
    requests: sum('requests'),
    ok: sum('ok'),
    failed: sum('failed'),
    statusCodes,
    bytes: sum('bytesTotal') / sum('requests'),
    bytesTotal: sum('bytesTotal'),
    durationS,
    latencies: runs.flatMap((run) => run.latencies),
  };
}

/**
 * Load from CONNECTIONS connections for `seconds`, or until `amount` requests are answered, each
 * request made by `next(i)` with a counter shared by all connections, so consecutive requests
 * rotate through the visitors whichever connection sends them. Latencies are autocannon's own
 * per-response timings (fractions of a millisecond), not its whole-millisecond histogram, and
 * leave out each connection's first answer.
 */
async function load(port, { seconds, amount, next }) {
  let i = 0;
  const started = Date.now();
  let lastAnswer = started;
  const latencies = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [{ setupRequest: (request) => ({ ...request, ...next(i++) }) }],
  });
  const connected = new Set();
  instance.on('response', (client, status, bytes, ms) => {
    lastAnswer = Date.now();
    // A connection's first answer includes opening it: 50 open at once, and the server, busy
    // with the first ones, answers the last after up to 2 s. A start-up effect, not the load.
    if (connected.has(client)) latencies.push(ms);
    else connected.add(client);
  });
  const result = await instance;
  return combine([
    {
      // With `amount`, autocannon notices the end at its next one-second tick: time the answers.
      durationS: amount ? (lastAnswer - started) / 1000 : result.duration,
      requests: result.requests.total,
      ok: result['2xx'],
      failed: result.non2xx + result.errors + result.timeouts,
      statusCodes: result.statusCodeStats,
      bytesTotal: result.throughput.total,
      latencies,
    },
  ]);
}

module.exports = {
  CONNECTIONS,
  TARGETS,
  REQUESTS,
  combine,
  eventRequest,
  load,
  send,
  visitorIds,
  withAccess,
};
