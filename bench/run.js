/**
 * The HTTP benchmark (issue 6, "Benchmark harness" and "Memory"): what Mosaic's delivery route
 * answers under load next to what Strapi answers without it, the events endpoint's throughput
 * with a check that nothing was lost, and the server's memory after a minute of load.
 *
 * The compiled playground runs in production mode in a child process (bench/lib/server.js) on a
 * fresh database with the benchmark data set; autocannon loads it from this process with 50
 * connections, the same number of seconds per route, in interleaved slices (A, B, C, A, B, C, …):
 *
 *   A  GET /api/mosaic/assets/:slug?format=json, for eight rotating visitors
 *   B  a playground route loading the same asset with the document service and its full populate
 *   C  a playground route answering A's bytes for one visitor from memory: Strapi's own ceiling
 *
 * once behind the Users & Permissions public role and once with an API token. Before them, the
 * server's memory around 60 s of A; after them, the events endpoint with the store read back, and
 * CPU profiles of A, C and the events to say what costs the time. Prints the figures and
 * records them in bench/RESULTS.md, section "HTTP: delivery vs Strapi". Never asserts a timing.
 *
 *   npm run bench                                   SQLite, recorded (about 6 minutes on 2 cores)
 *   DATABASE_CLIENT=postgres npm run bench          the machine's PostgreSQL, in its own schema
 *   node bench/run.js --quick                       short runs, printed, not recorded
 *   node bench/run.js --individual                  only anonymous vs individual (issue 17),
 *                                                   recorded in its own section (about 2 minutes)
 *
 * Needs the plugin built (`npm run build`): Strapi loads it from dist/.
 */
const fs = require('fs');
const net = require('net');
const path = require('path');
const { clearInterval, setInterval } = require('timers');
const { setTimeout: sleep } = require('timers/promises');

const {
  ROOT,
  commandLines,
  fmt,
  load,
  machine,
  msSince,
  recordSection,
  staleBuild,
  table,
  timestamp,
} = require('./lib/measure');
const {
  CONNECTIONS,
  REQUESTS,
  TARGETS,
  combine,
  eventRequest,
  load: loadRoute,
  send,
  visitorIds,
  withAccess,
} = require('./lib/http');
const {
  functionsTable,
  mosaicTable,
  originsTable,
  percent,
  summarizeProfile,
} = require('./lib/profile');
const { startServer } = require('./lib/server');
const individual = require('./lib/individual');
const { dropPostgresSchema, freshPostgresSchema } = require('../playground/scripts/databases');

const APP_DIR = path.join(ROOT, 'playground');
const TMP = path.join(APP_DIR, '.tmp');
const RESULTS = path.join(__dirname, 'RESULTS.md');
const SECTION = 'HTTP: delivery vs Strapi';
const INDIVIDUAL_SECTION = 'HTTP: anonymous vs individual';

// Six slices a route: the latency of one 4 s slice swings by half between slices (for C as much
// as for A), so a p99 over fewer is a draw of which slices were slow.
const FULL = { warmupS: 3, rounds: 6, sliceS: 4, memoryS: 60, eventsS: 12, profileS: 5 };
const QUICK = { warmupS: 1, rounds: 1, sliceS: 3, memoryS: 5, eventsS: 3, profileS: 2 };

const TARGET = { aOverC: 0.8, p99Ratio: 1.25, aOverB: 2.5, eventsPerS: 2000, memoryMb: 50 };
const EVENT = 'bench_view';
const VISITORS = 1000;

const ACCESS = [
  { key: 'public', title: 'Users & Permissions public role' },
  { key: 'token', title: 'API token (full access)' },
];

const mb = (kb) => kb / 1024;
const int = (x) => Math.round(x).toLocaleString('en-US');
const signed = (x) => `${x >= 0 ? '+' : ''}${fmt(x, 1)}`;

/** A port nobody listens on right now. */
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

/** Resident memory of a process, in kB, as the kernel counts it: now and at its peak. */
function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/**
 * A fresh database for the server, as the integration tests make theirs: a new SQLite file, or a
 * PostgreSQL schema of its own, dropped and created. Returns the server's environment for it.
 */
async function freshDatabase() {
  const client = process.env.DATABASE_CLIENT ?? 'sqlite';
  if (client === 'sqlite') {
    const file = path.join(TMP, 'bench-http.db');
    const remove = () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) {
        fs.rmSync(file + suffix, { force: true });
      }
    };
    remove();
    return {
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
      description: `SQLite (\`${path.relative(ROOT, file)}\`, fresh per run, deleted after)`,
      cleanup: remove,
    };
  }
  if (client !== 'postgres') throw new Error(`DATABASE_CLIENT=${client}: use sqlite or postgres`);
  const schema = 'mosaic_bench_http';
  await freshPostgresSchema(schema);
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_SCHEMA: schema },
    description: `PostgreSQL (schema \`${schema}\` of database \`${process.env.DATABASE_NAME ?? 'test'}\`, fresh per run, dropped after)`,
    cleanup: () => dropPostgresSchema(schema),
  };
}

/** The server's environment: production mode, this database, nothing the benchmark did not ask for. */
function serverEnv(database, port) {
  const env = { ...process.env };
  // The demo's content, a shared Redis and a custom tracking limit would change what is measured.
  for (const name of ['MOSAIC_DEMO', 'MOSAIC_REDIS_URL', 'MOSAIC_RATE_LIMIT', 'DATABASE_SCHEMA']) {
    delete env[name];
  }
  return {
    ...env,
    ...database.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    CRON_ENABLED: 'false',
    MOSAIC_BENCH: 'true',
    // Every request comes from this one address, as no site's visitors do: the limit per address
    // would measure itself.
    MOSAIC_RATE_LIMIT_PER_ADDRESS: '100000000',
    // The playground's example enricher, operator and format are the app's cost, not Mosaic's.
    MOSAIC_EXAMPLES: 'false',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_DISABLE_UPDATE_NOTIFICATION: 'true',
  };
}

/**
 * The server's resident memory idle, during `seconds` of load and after it. Each side is read as
 * the kernel sees it and again after a full garbage collection: between collections V8's old
 * generation fills with garbage, so a single reading swings by tens of MB with the moment it is
 * taken.
 */
async function measureMemory(port, server, { seconds, next, log }) {
  await sleep(2000);
  const idle = memoryOf(server.pid);
  const idleHeap = await server.call('collectGarbage');
  const idleCollected = memoryOf(server.pid);
  log(`\nMemory: ${fmt(mb(idle.rssKb), 1)} MB idle, then ${seconds} s of A`);
  let peakKb = 0;
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, memoryOf(server.pid).rssKb);
  }, 500);
  const result = await loadRoute(port, { seconds, next }).finally(() => clearInterval(poll));
  // Both readings two seconds after a load: the idle one after the warm-up, this one after A.
  await sleep(2000);
  const after = memoryOf(server.pid);
  const afterHeap = await server.call('collectGarbage');
  const afterCollected = memoryOf(server.pid);
  const memory = {
    seconds,
    requests: result.requests,
    rps: result.rps,
    raw: { idleMb: mb(idle.rssKb), afterMb: mb(after.rssKb) },
    collected: { idleMb: mb(idleCollected.rssKb), afterMb: mb(afterCollected.rssKb) },
    heap: { idleMb: idleHeap.heapUsed / 2 ** 20, afterMb: afterHeap.heapUsed / 2 ** 20 },
    heapTotal: { idleMb: idleHeap.heapTotal / 2 ** 20, afterMb: afterHeap.heapTotal / 2 ** 20 },
    peakMb: mb(peakKb),
  };
  for (const reading of ['raw', 'collected', 'heap', 'heapTotal']) {
    memory[reading].deltaMb = memory[reading].afterMb - memory[reading].idleMb;
  }
  log(
    `  after ${int(result.requests)} requests (${int(result.rps)} req/s): RSS ${signed(memory.raw.deltaMb)} MB, ` +
      `${signed(memory.collected.deltaMb)} MB after a full collection, peak ${fmt(memory.peakMb, 1)} MB`
  );
  return memory;
}

/**
 * Events endpoint throughput for batches of `batch` events from consenting visitors, then what
 * the store holds for them. A fixed number of requests, not a duration: autocannon then waits
 * for every answer, so every event the server accepted was also counted here.
 */
async function measureEvents(port, server, { batch, requests }) {
  const name = batch === 1 ? EVENT : `${EVENT}_${batch}`;
  const visitors = visitorIds(`visitor${batch}`, VISITORS);
  const result = await loadRoute(port, {
    amount: requests,
    next: (i) => eventRequest(i, { name, visitors, batch }),
  });
  const stored = await server.call('stored', { name, visitors });
  const accepted = result.ok * batch;
  return {
    batch,
    name,
    load: result,
    perS: result.okPerS * batch,
    accepted,
    stored,
    lost: accepted - stored.counted,
    consistent: stored.profiled === accepted && stored.logged === accepted,
  };
}

/**
 * Every measured answer, checked once before any load: A for each visitor (and how many different
 * assemblies they get), B with its 10 slots and 50 chunks, C byte for byte A's answer for the
 * first visitor, each again with the token, a wrong token refused, and one events batch.
 */
async function checkAnswers(port, server, token) {
  const expectStatus = (response, status, what) => {
    if (response.status !== status) {
      throw new Error(`${what}: expected ${status}, got ${response.status} ${response.body}`);
    }
    return response;
  };
  const variants = new Set();
  const sizes = [];
  for (let i = 0; i < REQUESTS.length; i++) {
    const res = expectStatus(await send(port, TARGETS.A.request(i)), 200, `A, visitor ${i + 1}`);
    variants.add(JSON.parse(res.body).meta.variantKey);
    sizes.push(res.body.length);
  }
  const captured = (await send(port, TARGETS.A.request(0))).body;
  await server.call('ceiling', { body: captured.toString('utf8') });

  const plain = expectStatus(await send(port, TARGETS.B.request()), 200, 'B');
  const { slots } = JSON.parse(plain.body).data;
  const chunks = slots.flatMap((slot) => slot.candidates.filter((c) => c.chunk?.body));
  if (slots.length !== 10 || chunks.length !== 50) {
    throw new Error(
      `B: expected 10 slots and 50 populated chunks, got ${slots.length} and ${chunks.length}`
    );
  }
  const ceiling = expectStatus(await send(port, TARGETS.C.request()), 200, 'C');
  if (!ceiling.body.equals(captured)) throw new Error("C: does not answer A's bytes");

  for (const key of ['A', 'B', 'C']) {
    expectStatus(
      await send(port, withAccess(TARGETS[key].request(0), token)),
      200,
      `${key} with the token`
    );
  }
  // The public role may read A too: a wrong token must fail, or the token runs prove nothing.
  const wrong = await send(port, withAccess(TARGETS.A.request(0), 'not-a-token'));
  if (wrong.status !== 401) {
    throw new Error(`A with a wrong token: expected 401, got ${wrong.status}`);
  }

  const event = eventRequest(0, { name: 'bench_check', visitors: visitorIds('check', 1) });
  expectStatus(await send(port, event), 202, 'POST /api/mosaic/events');
  return {
    variants: variants.size,
    bytes: {
      A: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      B: plain.body.length,
      C: captured.length,
    },
  };
}

function routeLine(key, r) {
  return (
    `  ${key}: ${int(r.rps)} req/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms` +
    (r.failed ? `, ${int(r.failed)} failed (${JSON.stringify(r.statusCodes)})` : '')
  );
}

function ratiosOf(results) {
  const { A, B, C } = results;
  return { aOverC: A.rps / C.rps, p99Ratio: A.p99 / C.p99, aOverB: A.rps / B.rps };
}

const met = (ok) => (ok ? 'met' : '**missed**');

function verdicts({ measured, events, memory }) {
  const lines = [];
  for (const { key, title } of ACCESS) {
    const r = ratiosOf(measured[key]);
    lines.push(
      `${title}: A/C ${fmt(r.aOverC, 2)} (target ≥ ${TARGET.aOverC}: ${met(r.aOverC >= TARGET.aOverC)}), ` +
        `p99(A)/p99(C) ${fmt(r.p99Ratio, 2)} (target ≤ ${TARGET.p99Ratio}: ${met(r.p99Ratio <= TARGET.p99Ratio)}), ` +
        `A/B ${fmt(r.aOverB, 2)} (target ≥ ${TARGET.aOverB}: ${met(r.aOverB >= TARGET.aOverB)}).`
    );
  }
  const [single, batched] = events;
  const ceiling = measured.public.C.rps;
  lines.push(
    `Events: ${int(batched.perS)} events/s in ten-event batches (target ≥ ${int(TARGET.eventsPerS)}: ` +
      `${met(batched.perS >= TARGET.eventsPerS)}); ${int(single.perS)} events/s one a request, ` +
      `${fmt(single.perS / ceiling, 2)} of C's ${int(ceiling)} req/s, Strapi's own ceiling for a request ` +
      `behind the public role; ` +
      (events.every((e) => e.lost === 0 && e.consistent)
        ? 'nothing lost.'
        : '**not every accepted event is accounted for** (see the table).')
  );
  // The target bounds growth: a server that ends the load smaller than it began meets it.
  const within = (x) => met(x <= TARGET.memoryMb);
  lines.push(
    `Memory after ${memory.seconds} s of A: RSS ${signed(memory.collected.deltaMb)} MB compared after a ` +
      `full collection (target: at most ${TARGET.memoryMb} MB more than idle: ${within(memory.collected.deltaMb)}); ` +
      `${signed(memory.raw.deltaMb)} MB read as it came (${within(memory.raw.deltaMb)}).`
  );
  return lines;
}

function routesTable(results, bytes) {
  return table(
    ['route', 'what it does', 'req/s', 'p50 (ms)', 'p99 (ms)', 'response (KB)', 'failed'],
    ['A', 'B', 'C'].map((key) => [
      `${key}: \`${TARGETS[key].route}\``,
      {
        A: "Mosaic resolves the asset for the visitor's context",
        B: 'document service, full populate, unpersonalized',
        C: "A's bytes for visitor 1, from memory",
      }[key],
      int(results[key].rps),
      fmt(results[key].p50, 1),
      fmt(results[key].p99, 1),
      fmt(bytes[key] / 1024, 1),
      int(results[key].failed),
    ])
  );
}

function ratiosTable(measured) {
  const ratios = Object.fromEntries(ACCESS.map(({ key }) => [key, ratiosOf(measured[key])]));
  const row = (label, field, target, ok) => [
    label,
    ...ACCESS.map(
      ({ key }) =>
        `${fmt(ratios[key][field], 2)} (${ok(ratios[key][field]) ? 'met' : '**missed**'})`
    ),
    target,
  ];
  return table(
    ['ratio', ...ACCESS.map(({ title }) => title), 'target'],
    [
      row('A/C (req/s)', 'aOverC', `≥ ${TARGET.aOverC}`, (x) => x >= TARGET.aOverC),
      row('p99(A)/p99(C)', 'p99Ratio', `≤ ${TARGET.p99Ratio}`, (x) => x <= TARGET.p99Ratio),
      row('A/B (req/s)', 'aOverB', `≥ ${TARGET.aOverB}`, (x) => x >= TARGET.aOverB),
    ]
  );
}

function markdown(run) {
  const { host, date, commands, runtimeS, loads, database, settings, seeded, checks } = run;
  const { measured, cache, events, memory, profiles } = run;
  const slots = seeded.slots.map((s) => s.candidates);
  return `
- Recorded: ${date}, in ${fmt(runtimeS / 60, 1)} min
- Command: ${commands.map((c) => `\`${c}\``).join(', that is ')}
- Machine: ${host.nproc} CPUs (\`nproc\`), ${host.cpu}, ${host.memory} RAM, Node.js ${host.node},
  ${host.os}
- Load average (1 min): ${fmt(loads[0], 2)} at the start, ${fmt(loads[1], 2)} at the end. The
  server keeps one CPU busy and autocannon part of the other; more than ${host.nproc} means other
  work competed for the CPUs, which shows first in the p99 columns.
- Database: ${database}

The playground, compiled, in production mode (\`NODE_ENV=production\`, \`CRON_ENABLED=false\`) in a
child process listening on 127.0.0.1, with Strapi's default middlewares, its request logger
included (to \`playground/.tmp/bench-http.log\`, kept when a run fails). Data set: one asset of ${slots.length}
slots × ${slots[0]} candidates of three-paragraph chunks (targeted by 4 personas and 10 segments),
${int(seeded.segments)} segments and ${int(seeded.chunks)} published chunks in the library (the
core benchmark's page and filler). Load: autocannon in the parent process, ${CONNECTIONS}
connections, ${settings.warmupS} s of warm-up per route and access setting, then
${settings.rounds * settings.sliceS} s per route in ${settings.rounds} interleaved slices of
${settings.sliceS} s (A, B, C, A, B, C, …), so that load from elsewhere on the machine falls on
all three alike, each slice after a full garbage collection in the server (\`gc()\`), so that no
route's slice pays for the garbage another left (B's 55 KB answers leave the most). The server
runs with \`--single-threaded-gc\`: on two cores V8's parallel collector threads took the core
autocannon runs on, and its stalls came back as bursts of slow answers in whichever slice they
fell (same server throughput with the flag); req/s over the slices' summed time, percentiles over every answer (autocannon's
per-response timings) but each connection's first: the 50 connections open at once at the start of
a slice, and the server, busy with the first of them, answers the last one's first request only
after up to 2 s, a start-up effect that would otherwise make the p99 of every route. A rotates over the core benchmark's 8 anonymous visitors (persona, UTM, referrer, device from the User-Agent, country from
\`CF-IPCountry\`), which get ${checks.variants} different assemblies. B does not sanitize its output,
as most hand-written controllers; sanitizing would only slow it. C answers the exact bytes A
answered for the first visitor.

### ${ACCESS[0].title}

${routesTable(measured.public, checks.bytes)}

### ${ACCESS[1].title}

${routesTable(measured.token, checks.bytes)}

### Ratios

${ratiosTable(measured)}

During A's runs Mosaic's compiled cache answered ${int(cache.hits)} lookups of compiled content
and missed ${int(cache.misses)}: the asset, its segments, personas and locales come from memory.
Of the answers, ${int(cache.rendered.hits)} were served whole as kept for their variant and meta
and ${int(cache.rendered.misses)} lookups of rendered variants or answers missed (each then
rendered or assembled once, without a database read).

### Events

\`POST /api/mosaic/events\` behind the public role, from ${int(VISITORS)} consenting visitors in turn
(\`X-Mosaic-Visitor\`, \`X-Mosaic-Consent: granted\`), ${CONNECTIONS} connections; each event names
an asset, a slot and a chunk. One event a batch shows the cost of a request, which cannot be less
than C's (Strapi's routing, permission check and answer, ${int(measured.public.C.rps)} req/s behind
the public role in this run), so no design reaches thousands of events a second one at a time; ten a
batch is the target's measure (the typed client's \`queue\` sends up to 100 a request). A fixed number of requests (one-event batches: as many as the warm-up
rate fills ${settings.eventsS} s with), so autocannon waits for every answer before the store is
read.

${table(
  [
    'events a batch',
    'events/s',
    'requests/s',
    'p50 (ms)',
    'p99 (ms)',
    'accepted events',
    'failed requests',
    'anonymous counters',
    "profiles' event counts",
    'logged events',
    'lost',
  ],
  events.map((e) => [
    String(e.batch),
    int(e.perS),
    int(e.load.okPerS),
    fmt(e.load.p50, 1),
    fmt(e.load.p99, 1),
    int(e.accepted),
    int(e.load.failed),
    int(e.stored.counted),
    `${int(e.stored.profiled)} (${int(e.stored.profiles)} profiles)`,
    int(e.stored.logged),
    int(e.lost),
  ])
)}

"lost" counts accepted events (those of 2xx answers) missing from the anonymous counters; the
profiles' event counts and the logged events are checked against the accepted events too.

### Memory

Resident memory of the server process (\`VmRSS\` in \`/proc/<pid>/status\`) idle after seeding and
${settings.warmupS} s of A (before any other route is warmed up), then after ${memory.seconds} s of A behind the public role, each
read two seconds after its load stopped (${int(memory.requests)} requests,
${int(memory.rps)} req/s). Read as it came, and again after a full garbage collection (\`gc()\`, the
server runs with \`--expose-gc\`): between collections V8's old generation fills with garbage, so a
single reading moves by tens of MB with the moment it is taken.

| reading | idle (MB) | after the load (MB) | difference (MB) |
| --- | --- | --- | --- |
| RSS, as it came | ${fmt(memory.raw.idleMb, 1)} | ${fmt(memory.raw.afterMb, 1)} | ${signed(memory.raw.deltaMb)} |
| RSS, after a full collection | ${fmt(memory.collected.idleMb, 1)} | ${fmt(memory.collected.afterMb, 1)} | ${signed(memory.collected.deltaMb)} |
| V8 heap in use, after a full collection | ${fmt(memory.heap.idleMb, 1)} | ${fmt(memory.heap.afterMb, 1)} | ${signed(memory.heap.deltaMb)} |
| V8 heap reserved, after a full collection | ${fmt(memory.heapTotal.idleMb, 1)} | ${fmt(memory.heapTotal.afterMb, 1)} | ${signed(memory.heapTotal.deltaMb)} |

RSS follows the heap V8 keeps reserved, which it sizes by itself and does not give back at once
after a collection, more than the heap in use: the reserved row says how much of a difference is
V8's sizing rather than something retained.

The highest RSS seen during the load (read every 0.5 s): ${fmt(memory.peakMb, 1)} MB.

### Targets

${verdicts(run)
  .map((line) => `- ${line}`)
  .join('\n')}

### Where the time goes

CPU profiles of the server (V8's sampling profiler, through \`inspector\`), each over
${settings.profileS} s of load behind the public role after the measured runs: A, C and the events
endpoint. Self time by where the code comes from, as a share of the time the server was busy (A:
${percent(profiles.A.busyShare)} of the profile, C: ${percent(profiles.C.busyShare)}, events:
${percent(profiles.events.busyShare)}):

${originsTable({ A: profiles.A, C: profiles.C, events: profiles.events })}

In A, ${percent(profiles.A.mosaicShare)} of the busy time is spent under Mosaic's functions (their
own code and everything they call); by function, each with what it calls (a function's callers
include its callees' time, so the shares overlap):

${mosaicTable(profiles.A)}

The costliest functions in A by self time:

${functionsTable(profiles.A)}

The costliest functions of the events endpoint by self time (${percent(profiles.events.mosaicShare)}
of its busy time under Mosaic's functions):

${functionsTable(profiles.events, { rows: 10 })}
`;
}

/** The individual scenario's section of RESULTS.md, on its own (also after `--individual`). */
async function recordIndividual(run, database, started) {
  const postgres = database.env.DATABASE_CLIENT === 'postgres';
  const section = postgres ? `${INDIVIDUAL_SECTION} (PostgreSQL)` : INDIVIDUAL_SECTION;
  const header = [
    `- Recorded: ${timestamp()}, in ${fmt(msSince(started) / 60000, 1)} min`,
    `- Command: ${commandLines()
      .map((c) => `\`${c}\``)
      .join(', that is ')}`,
    `- Machine: ${run.host.nproc} CPUs, ${run.host.cpu}, Node.js ${run.host.node}; load average ${fmt(load(), 2)} at the end`,
    `- Database: ${database.description}`,
  ].join('\n');
  await recordSection(
    RESULTS,
    section,
    individual.markdown(run.individual, { header, settings: run.settings })
  );
  console.log(`Recorded in ${path.relative(ROOT, RESULTS)}, section "${section}".`);
}

async function main() {
  const quick = process.argv.includes('--quick');
  const settings = quick ? QUICK : FULL;
  const started = process.hrtime.bigint();
  const host = machine();
  const loadAtStart = load();
  const log = (line) => console.log(line);
  log(`Mosaic HTTP benchmark: ${host.nproc} CPUs, ${host.cpu}, Node.js ${host.node}`);
  log(`  load average ${fmt(loadAtStart, 2)}`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server', 'index.js'))) {
    throw new Error("The plugin is not built (dist/server is missing): run 'npm run build' first.");
  }
  const stale = staleBuild();
  if (stale.length) {
    log(
      `  warning: dist/ is older than ${stale.length} source file(s), e.g. ${stale[0]}: run 'npm run build' to measure the working tree`
    );
  }

  let start = process.hrtime.bigint();
  // Required here: loading Strapi takes seconds, and only the compiler is needed in this process.
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  log(`  compiled the playground in ${fmt(msSince(start) / 1000, 1)} s`);

  fs.mkdirSync(TMP, { recursive: true });
  const database = await freshDatabase();
  const logFile = path.join(TMP, 'bench-http.log');
  const port = await freePort();
  start = process.hrtime.bigint();
  const server = await startServer({ env: serverEnv(database, port), logFile });
  log(
    `  server up and seeded in ${fmt(msSince(start) / 1000, 1)} s (pid ${server.pid}, port ${port})`
  );

  const run = { host, settings, database: database.description, seeded: server.seeded };
  const credentials = { public: null, token: server.seeded.token };
  // Built once: autocannon runs in this process, on the same two cores as the server, and should
  // spend as little as it can there (A's query strings were built per request).
  const routeRequests = (key, access) => {
    const distinct = key === 'A' ? REQUESTS.length : 1;
    const built = Array.from({ length: distinct }, (_, i) =>
      withAccess(TARGETS[key].request(i), credentials[access])
    );
    return (i) => built[i % distinct];
  };
  let finished = false;
  const individualOnly = process.argv.includes('--individual');
  const measureIndividual = () =>
    individual.measureIndividual(port, server, {
      ...settings,
      log,
      profile: {
        seconds: settings.profileS,
        file: (key) => path.join(TMP, `bench-http-individual-${key}.cpuprofile`),
      },
    });
  try {
    if (individualOnly) {
      log('\nAnonymous vs individual (consenting visitors with profiles)');
      run.individual = await measureIndividual();
      for (const line of individual.printLines(run.individual)) log(line);
      finished = true;
      return;
    }
    run.checks = await checkAnswers(port, server, credentials.token);
    const kb = (key) => `${fmt(run.checks.bytes[key] / 1024, 1)} KB`;
    log(
      `  answers checked: A ${kb('A')} (${run.checks.variants} assemblies for ${REQUESTS.length} visitors), B ${kb('B')}, C ${kb('C')}`
    );

    // Memory first, on a playground warmed up by A alone: warming the other routes first would
    // leave V8's heap sized for their garbage (B answers 55 KB), and the idle reading with it.
    await loadRoute(port, { seconds: settings.warmupS, next: routeRequests('A', 'public') });
    run.memory = await measureMemory(port, server, {
      seconds: settings.memoryS,
      next: routeRequests('A', 'public'),
      log,
    });

    // Untimed: V8 optimises every path and SQLite's page cache fills before anything counts.
    for (const { key: access } of ACCESS) {
      for (const key of ['A', 'B', 'C']) {
        if (access === 'public' && key === 'A') continue;
        await loadRoute(port, { seconds: settings.warmupS, next: routeRequests(key, access) });
      }
    }
    const warmVisitors = visitorIds('warmup', VISITORS);
    const warmEvents = await loadRoute(port, {
      seconds: settings.warmupS,
      next: (i) => eventRequest(i, { name: 'bench_warmup', visitors: warmVisitors }),
    });
    log(`\n  other routes warmed up (events: ${int(warmEvents.okPerS)}/s)`);

    // Interleaved slices, A B C A B C …, so that a burst of load from elsewhere on the machine
    // falls on all three routes alike rather than on whichever ran at that moment.
    run.measured = { public: {}, token: {} };
    run.cache = { hits: 0, misses: 0, rendered: { hits: 0, misses: 0 } };
    for (const { key: access, title } of ACCESS) {
      log(`\n${title}, ${settings.rounds} × ${settings.sliceS} s a route`);
      const slices = { A: [], B: [], C: [] };
      for (let round = 0; round < settings.rounds; round++) {
        for (const key of ['A', 'B', 'C']) {
          const before = await server.call('cacheStats');
          await server.call('collectGarbage');
          slices[key].push(
            await loadRoute(port, { seconds: settings.sliceS, next: routeRequests(key, access) })
          );
          if (key === 'A') {
            const stats = await server.call('cacheStats');
            run.cache.hits += stats.hits - before.hits;
            run.cache.misses += stats.misses - before.misses;
            run.cache.rendered.hits += stats.rendered.hits - before.rendered.hits;
            run.cache.rendered.misses += stats.rendered.misses - before.rendered.misses;
          }
        }
      }
      for (const key of ['A', 'B', 'C']) {
        run.measured[access][key] = combine(slices[key]);
        log(routeLine(key, run.measured[access][key]));
      }
    }

    // One event a request costs at least what C costs: no design reaches thousands a second that
    // way. Ten a batch (the typed client's `queue` sends up to 100) is the target's measure.
    const eventRequests = Math.max(1000, Math.round(warmEvents.okPerS * settings.eventsS));
    run.events = [];
    for (const batch of [1, 10]) {
      const events = await measureEvents(port, server, {
        batch,
        requests: batch === 1 ? eventRequests : Math.round(eventRequests / 2),
      });
      run.events.push(events);
      log(
        `\nEvents, ${batch} a batch: ${int(events.perS)} events/s, ${routeLine('requests', events.load).trim()}`
      );
      log(
        `  stored: ${int(events.stored.counted)} counted, ${int(events.stored.profiled)} in ` +
          `${int(events.stored.profiles)} profiles, ${int(events.stored.logged)} logged, for ` +
          `${int(events.accepted)} accepted`
      );
    }

    log('\nAnonymous vs individual (consenting visitors with profiles)');
    run.individual = await measureIndividual();
    for (const line of individual.printLines(run.individual)) log(line);

    run.profiles = {};
    const profiled = {
      A: routeRequests('A', 'public'),
      C: routeRequests('C', 'public'),
      events: (i) => eventRequest(i, { name: 'bench_profile', visitors: warmVisitors }),
    };
    for (const [key, next] of Object.entries(profiled)) {
      await server.call('profileStart');
      await loadRoute(port, { seconds: settings.profileS, next });
      const file = await server.call('profileStop', {
        file: path.join(TMP, `bench-http-${key}.cpuprofile`),
      });
      run.profiles[key] = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
    }
    log(`\nProfiles (playground/.tmp/bench-http-{A,C,events}.cpuprofile)`);
    log(originsTable({ A: run.profiles.A, C: run.profiles.C }));
    log(mosaicTable(run.profiles.A, { rows: 10 }));
    finished = true;
  } finally {
    await server.call('stop').catch(() => server.kill());
    await database.cleanup();
    // Kept when something failed: Strapi's own account of it.
    if (finished) fs.rmSync(logFile, { force: true });
    else log(`  server log kept in ${path.relative(ROOT, logFile)}`);
    if (finished && !quick) await recordIndividual(run, database, started);
  }
  if (individualOnly) return;

  log('\nTargets');
  for (const line of verdicts(run)) log(`  ${line.replace(/\*\*/g, '')}`);
  const runtimeS = msSince(started) / 1000;
  log(`\nDone in ${fmt(runtimeS / 60, 1)} min.`);
  if (quick) return;
  const section = database.env.DATABASE_CLIENT === 'postgres' ? `${SECTION} (PostgreSQL)` : SECTION;
  await recordSection(
    RESULTS,
    section,
    markdown({
      ...run,
      date: timestamp(),
      commands: commandLines(),
      runtimeS,
      loads: [loadAtStart, load()],
    })
  );
  log(`Recorded in ${path.relative(ROOT, RESULTS)}, section "${section}".`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
