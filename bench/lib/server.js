/**
 * The playground as the HTTP benchmark serves it, in a child process of bench/run.js so that the
 * load generator never shares the server's event loop. Started by `startServer` (below) in the
 * parent; run as a script, it boots the compiled playground (NODE_ENV=production, the database
 * the parent prepared), seeds the benchmark data set, grants the public role the measured routes,
 * creates a full-access API token, listens, and then answers the parent's requests over IPC:
 * the bytes the ceiling route should answer, the stored event counts, a CPU profile, a stop.
 */
const { Buffer } = require('buffer');
const { fork } = require('child_process');
const fs = require('fs');
const inspector = require('inspector');
const path = require('path');

const { ROOT } = require('./measure');
const { ASSET_SLUG, createGrower, seedPage } = require('./library');

const APP_DIR = path.join(ROOT, 'playground');

/** On top of the page's own 10 segments and 50 chunks: 50 segments and 1,000 chunks in all. */
const FILLER = { segments: 40, chunks: 950 };

const PUBLIC_ACTIONS = ['api::bench.bench.plainAsset', 'api::bench.bench.ceiling'];

const sum = (rows, field) => rows.reduce((total, row) => total + Number(row[field] ?? 0), 0);

/** Batches of `size`: SQLite caps the parameters of one statement. */
function batches(list, size = 500) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function seed(strapi) {
  const page = await seedPage(strapi);
  await createGrower(strapi, page).growTo(FILLER);
  // The demo's grant for Mosaic's delivery and tracking routes, then the comparison routes.
  const { grantPublicDelivery } = require(path.join(APP_DIR, 'src', 'demo', 'seed'));
  await grantPublicDelivery(strapi);
  const role = await strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  for (const action of PUBLIC_ACTIONS) {
    await strapi.db
      .query('plugin::users-permissions.permission')
      .create({ data: { action, role: role.id } });
  }
  // Full access: a read-only token only reaches `find` and `findOne` actions.
  const token = await strapi
    .service('admin::api-token-content-api')
    .create({ name: 'bench', type: 'full-access', lifespan: null, description: '' });
  const count = (uid) => strapi.db.query(uid).count({});
  return {
    token: token.accessKey,
    chunks: await strapi.documents('plugin::mosaic.chunk').count({ status: 'published' }),
    segments: await count('plugin::mosaic.segment'),
    slots: (
      await strapi.documents('plugin::mosaic.asset').findFirst({
        filters: { slug: ASSET_SLUG },
        status: 'published',
        populate: { slots: { populate: { candidates: true } } },
      })
    ).slots.map((slot) => ({ key: slot.key, candidates: slot.candidates.length })),
  };
}

/** What the parent may ask, by name. Each answers a plain, serialisable value. */
function commands(strapi) {
  const session = new inspector.Session();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)))
    );

  return {
    ceiling({ body }) {
      strapi.service('api::bench.bench').setCeiling(Buffer.from(body));
      return true;
    },

    /** What the store holds for event `name`: the anonymous counters and the visitors' profiles. */
    async stored({ name, visitors }) {
      const counters = await strapi.db
        .query('plugin::mosaic.counter')
        .findMany({ where: { name }, select: ['count'] });
      const profiles = strapi.plugin('mosaic').service('profiles');
      const hashes = visitors.map((visitor) => profiles.hash(visitor));
      let profileRows = [];
      let logged = 0;
      for (const batch of batches(hashes)) {
        profileRows = profileRows.concat(
          await strapi.db
            .query('plugin::mosaic.profile')
            .findMany({ where: { visitorHash: { $in: batch } }, select: ['eventCount'] })
        );
        logged += await strapi.db
          .query('plugin::mosaic.event')
          .count({ where: { name, visitorHash: { $in: batch } } });
      }
      return {
        counted: sum(counters, 'count'),
        profiled: sum(profileRows, 'eventCount'),
        profiles: profileRows.length,
        logged,
      };
    },

    /**
     * The individual scenario's visitors as the store holds them once every accepted batch and
     * visit is written: their profiles (one each), their events in the log and in the profiles'
     * counts, and how many had the visit of their last request written: `lastSent[i]` is when it
     * was sent (ms), and the visit sets `lastSeen` to when the server took it, later.
     */
    async individualStored({ visitors, lastSent }) {
      const profiles = strapi.plugin('mosaic').service('profiles');
      await profiles.settled();
      const hashes = visitors.map((visitor) => profiles.hash(visitor));
      const sentAt = new Map(hashes.map((hash, i) => [hash, lastSent[i]]));
      let rows = [];
      let logged = 0;
      for (const batch of batches(hashes)) {
        rows = rows.concat(
          await strapi.db.query('plugin::mosaic.profile').findMany({
            where: { visitorHash: { $in: batch } },
            select: ['visitorHash', 'eventCount', 'visits', 'lastSeen'],
          })
        );
        logged += await strapi.db
          .query('plugin::mosaic.event')
          .count({ where: { visitorHash: { $in: batch } } });
      }
      return {
        profiles: rows.length,
        profiled: sum(rows, 'eventCount'),
        logged,
        requested: lastSent.filter((at) => at > 0).length,
        // Absent before the profile cache (a7dfc4b): the "before" figures were run with this file.
        visitWrites: profiles.visitStats?.() ?? null,
        cache: profiles.cacheStats?.() ?? null,
        seenSince: rows.filter(
          (row) =>
            sentAt.get(row.visitorHash) > 0 &&
            new Date(row.lastSeen).getTime() >= sentAt.get(row.visitorHash)
        ).length,
        visits: sum(rows, 'visits'),
      };
    },

    /**
     * A full garbage collection, then V8's account of the memory: RSS compared at the same point
     * of the collector's cycle, rather than wherever it happened to be.
     */
    collectGarbage() {
      globalThis.gc();
      return process.memoryUsage();
    },

    cacheStats() {
      return strapi.plugin('mosaic').service('cache').stats();
    },

    async profileStart() {
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      return true;
    },

    /** Stops the profiler and writes the profile where DevTools can open it. */
    async profileStop({ file }) {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
      return file;
    },

    async stop() {
      await strapi.destroy();
      return true;
    },
  };
}

async function serve() {
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({
    appDir: APP_DIR,
    distDir: path.join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  }).load();
  if (!strapi.plugin('mosaic')) throw new Error('Mosaic did not load: is dist/server built?');
  const seeded = await seed(strapi);
  await strapi.listen();
  const handlers = commands(strapi);
  process.on('message', async ({ id, command, args }) => {
    try {
      process.send({ id, result: await handlers[command](args) });
    } catch (error) {
      process.send({ id, error: error.stack ?? String(error) });
    }
    if (command === 'stop') process.exit(0);
  });
  process.send({ ready: true, seeded });
}

/**
 * Forks this file with the environment `env`, its output written to `logFile` (Strapi logs every
 * request, as it does in production). Resolves once it listens, with what it seeded, the child's
 * pid and `call(command, args)` to talk to it.
 */
function startServer({ env, logFile }) {
  const log = fs.openSync(logFile, 'w');
  const child = fork(path.join(__dirname, 'server.js'), [], {
    env,
    stdio: ['ignore', log, log, 'ipc'],
    // --single-threaded-gc: on two cores, V8's parallel collector threads in the server took the
    // core the load generator runs on, and its stalls came back as bursts of 150 ms answers in
    // whichever slice they fell (server throughput is the same with the flag).
    execArgv: [
      '--expose-gc',
      '--single-threaded-gc',
      ...(process.env.TRACE_GC ? ['--trace-gc'] : []),
    ],
  });
  fs.closeSync(log);
  const pending = new Map();
  let next = 0;
  let exited = null;
  const failed = (reason) =>
    new Error(`The benchmark server ${reason}: see ${path.relative(ROOT, logFile)}`);

  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      exited = failed(`exited (${signal ?? `code ${code}`})`);
      reject(exited);
      for (const { reject: fail } of pending.values()) fail(exited);
      pending.clear();
    });
    child.on('message', (message) => {
      if (message.ready) {
        resolve({
          pid: child.pid,
          seeded: message.seeded,
          call(command, args = {}) {
            if (exited) return Promise.reject(exited);
            const id = next++;
            return new Promise((done, fail) => {
              pending.set(id, { resolve: done, reject: fail });
              child.send({ id, command, args });
            });
          },
          kill: () => child.kill(),
        });
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  });
}

if (require.main === module) {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { startServer };
