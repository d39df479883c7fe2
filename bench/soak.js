/**
 * The soak test (issue 13, "Faults and load"): mixed delivery and events against the compiled
 * playground in production mode on PostgreSQL, for ten minutes by default, with the server's
 * resident memory read every 10 s. Judges that memory does not grow steadily (the slope of RSS
 * over the second half of the run), counts the errors, and checks that every event acknowledged
 * with 202 is stored. Records the figures in bench/RESULTS.md, section "Soak". Not run in CI.
 *
 *   npm run bench:soak                        600 s, recorded
 *   SOAK_SECONDS=60 npm run bench:soak        a shorter run, recorded as such
 *
 * The server is bench/run.js's (bench/lib/server.js: the benchmark data set, the public role
 * granted); the load is autocannon from this process, 40 connections on the delivery route and
 * 10 sending one-event batches for a thousand consenting visitors.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');
const { clearInterval, setInterval } = require('timers');
const { setTimeout: sleep } = require('timers/promises');

const autocannon = require('autocannon');

const {
  ROOT,
  fmt,
  load,
  machine,
  recordSection,
  staleBuild,
  table,
  timestamp,
} = require('./lib/measure');
const { TARGETS, eventRequest, visitorIds } = require('./lib/http');
const { startServer } = require('./lib/server');
const { dropPostgresSchema, freshPostgresSchema } = require('../playground/scripts/databases');

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const SAMPLE_MS = 10 * 1000;
const SCHEMA = 'mosaic_bench_soak';
const EVENT = 'soak_view';
const CONNECTIONS = { delivery: 40, events: 10 };
/** Growth of the live heap over the second half beyond which memory is judged to grow steadily. */
const MAX_SLOPE_MB_PER_MIN = 1;

const mb = (kb) => kb / 1024;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const rssKb = (pid) =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

/** Least-squares slope of `points` ([x, y]), in y per x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

const reading = ({ rssMb, collectedMb, heapMb }) =>
  [rssMb, collectedMb, heapMb].map((x) => fmt(x, 0)).join(' / ');

function run(port, connections, next) {
  let i = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: SECONDS,
    // The machine is shared: a slow answer is counted as one, not as a failure, below 30 s.
    timeout: 30,
    requests: [{ setupRequest: (request) => ({ ...request, ...next(i++) }) }],
  });
}

async function main() {
  const stale = staleBuild();
  if (stale.length) throw new Error(`dist/ is older than ${stale[0]}: run npm run build`);
  await freshPostgresSchema(SCHEMA);
  const port = await freePort();
  const env = { ...process.env };
  for (const name of ['MOSAIC_DEMO', 'MOSAIC_REDIS_URL', 'MOSAIC_RATE_LIMIT']) delete env[name];
  const logFile = path.join(ROOT, 'playground', '.tmp', 'bench-soak.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const server = await startServer({
    logFile,
    env: {
      ...env,
      DATABASE_CLIENT: 'postgres',
      DATABASE_SCHEMA: SCHEMA,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      CRON_ENABLED: 'false',
      MOSAIC_BENCH: 'true',
      MOSAIC_EXAMPLES: 'false',
      STRAPI_TELEMETRY_DISABLED: 'true',
      STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
    },
  });
  try {
    const visitors = visitorIds('soak', 1000);
    await sleep(2000);
    // RSS as it comes swings by hundreds of MB between collections under load: each reading is
    // taken as it comes and again after a full collection, whose live heap is what could leak.
    let started = Date.now();
    const sample = async () => {
      const s = Math.round((Date.now() - started) / 1000);
      const rssMb = mb(rssKb(server.pid));
      const { heapUsed } = await server.call('collectGarbage');
      const reading = { s, rssMb, collectedMb: mb(rssKb(server.pid)), heapMb: heapUsed / 2 ** 20 };
      console.log(
        `  ${s} s: RSS ${fmt(rssMb)} MB, ${fmt(reading.collectedMb)} MB after a full collection, heap ${fmt(reading.heapMb)} MB`
      );
      return reading;
    };
    const samples = [await sample()];
    console.log(`Soak: ${SECONDS} s on PostgreSQL`);
    started = Date.now();
    const sampler = setInterval(async () => samples.push(await sample()), SAMPLE_MS);
    const [delivery, events] = await Promise.all([
      run(port, CONNECTIONS.delivery, (i) => TARGETS.A.request(i)),
      run(port, CONNECTIONS.events, (i) => eventRequest(i, { name: EVENT, visitors })),
    ]).finally(() => clearInterval(sampler));
    await sleep(2000);
    const stored = await server.call('stored', { name: EVENT, visitors });
    const end = await sample();

    const secondHalf = samples.filter((sample) => sample.s >= SECONDS / 2);
    const perMin = slope(secondHalf.map(({ s, heapMb }) => [s / 60, heapMb]));
    const rssPerMin = slope(secondHalf.map(({ s, collectedMb }) => [s / 60, collectedMb]));
    const errors = (result) => result.non2xx + result.errors + result.timeouts;
    const acknowledged = events['2xx'];
    const figures = {
      delivery: { requests: delivery.requests.total, errors: errors(delivery) },
      events: { requests: events.requests.total, errors: errors(events), acknowledged },
      stored,
      perMin,
      rssPerMin,
    };
    console.log(JSON.stringify(figures, null, 2));

    const verdicts = [
      [
        'Memory does not grow steadily',
        `live heap after a full collection, over the second half: ${fmt(perMin, 2)} MB/min (limit ${MAX_SLOPE_MB_PER_MIN}); RSS after a collection: ${fmt(rssPerMin, 2)} MB/min`,
        perMin <= MAX_SLOPE_MB_PER_MIN,
      ],
      [
        'No request failed',
        `${errors(delivery)} delivery, ${errors(events)} events`,
        errors(delivery) + errors(events) === 0,
      ],
      // Each batch is one event: all acknowledged ones stored, and at most the unanswered ones
      // (failed, or in flight when the load stopped) besides. The per-event "exactly once" check
      // is tests/integration/instances.test.ts's, which can name every event.
      [
        'Every acknowledged event is stored, none twice',
        `${acknowledged} acknowledged, ${stored.logged} in the log, ${stored.counted} counted`,
        [stored.logged, stored.counted].every(
          (n) => n >= acknowledged && n <= acknowledged + errors(events) + CONNECTIONS.events
        ),
      ],
    ];
    const m = machine();
    const body = [
      `Recorded ${timestamp()} by \`npm run bench:soak\` (SOAK_SECONDS=${SECONDS}), from the plugin as built.`,
      `Machine: ${m.nproc} × ${m.cpu}, ${m.memory}, Node ${m.node}; shared with other engineers' test runs, so throughput is indicative only (1-minute load average at the end: ${fmt(load(), 2)}).`,
      `Server: the compiled playground in production mode on PostgreSQL (schema \`${SCHEMA}\`, fresh, dropped after), the benchmark data set (bench/lib/server.js). Load: ${CONNECTIONS.delivery} connections on \`${TARGETS.A.route}\` and ${CONNECTIONS.events} sending one-event batches for 1,000 consenting visitors, both for the whole run.`,
      '',
      table(
        ['Check', 'Figure', 'Met'],
        verdicts.map(([check, figure, met]) => [check, figure, met ? 'yes' : '**no**'])
      ),
      '',
      table(
        ['Route', 'Requests', 'Per second', 'Errors'],
        [
          ['delivery', delivery.requests.total, delivery.requests.average, errors(delivery)],
          ['events', events.requests.total, events.requests.average, errors(events)],
        ].map(([route, total, rps, failed]) => [
          route,
          total.toLocaleString('en-US'),
          fmt(rps, 0),
          failed,
        ])
      ),
      '',
      `Memory every ${SAMPLE_MS / 1000} s, a row a minute, in MB: RSS as it came / RSS after a full collection / live heap after it. Before the load: ${reading(samples[0])}; 2 s after it: ${reading(end)}.`,
      '',
      table(
        ['Minute', ...Array.from({ length: 6 }, (_, i) => `+${i * 10} s`)],
        Array.from({ length: Math.ceil((samples.length - 1) / 6) }, (_, minute) => [
          String(minute),
          ...samples.slice(1 + minute * 6, 1 + minute * 6 + 6).map(reading),
        ])
      ),
    ].join('\n');
    await recordSection(path.join(__dirname, 'RESULTS.md'), 'Soak', body);
    console.log('Recorded in bench/RESULTS.md, section "Soak"');
    if (verdicts.some(([, , met]) => !met)) process.exitCode = 1;
  } finally {
    await server.call('stop').catch(() => undefined);
    await dropPostgresSchema(SCHEMA);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
