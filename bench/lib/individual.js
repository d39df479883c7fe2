/**
 * The individual path (issue 17, item 1): the same asset for anonymous readers and for consenting
 * visitors with a profile, side by side in one run. Each visitor of the rotation (500) is given a
 * 20-event profile first, through the events endpoint as the typed client sends it; then slices of
 * the two scenarios alternate (anonymous, individual, anonymous, …) and the store is read back:
 * every seeded event logged and counted in its profile, every visitor's visit written (its
 * profile's `lastSeen` moved into the last slice), one profile a visitor.
 *
 * Both scenarios send the same request contexts (the HTTP benchmark's visitors without the
 * crawler and without `?persona=`, so that a profile's affinity decides the persona); the
 * individual one adds `X-Mosaic-Visitor` and `X-Mosaic-Consent: granted`, as the client does.
 */
const { URLSearchParams } = require('url');

const fs = require('fs');

const { ASSET_SLUG, SLOTS } = require('./library');
const { REQUESTS, combine, load, send, visitorIds } = require('./http');
const { fmt, table } = require('./measure');
const {
  functionsTable,
  mosaicTable,
  originsTable,
  percent,
  summarizeProfile,
} = require('./profile');

const VISITORS = 500;
const EVENTS_PER_VISITOR = 20;
const TARGET = { rpsRatio: 0.8, p99Ratio: 1.5 };

/** The contexts both scenarios send: no crawler (it would be served anonymously), no persona. */
const CONTEXTS = REQUESTS.filter(({ ua }) => !/bot|crawl|spider/i.test(ua)).map((r) => {
  const query = { ...r.query };
  delete query.persona;
  return { ...r, query };
});

function contextRequest(i) {
  const { query, ua, country, referer } = CONTEXTS[i % CONTEXTS.length];
  const params = new URLSearchParams({ format: 'json', ...query });
  const headers = { 'user-agent': ua, 'cf-ipcountry': country };
  if (referer) headers.referer = referer;
  return { method: 'GET', path: `/api/mosaic/assets/${ASSET_SLUG}?${params}`, headers };
}

/**
 * A visitor's 20 events: views (and a few clicks) of the page's chunks, most of them of the
 * candidates a persona targets, so that visitors lean to different personas (candidates 2 and 3
 * of each slot are persona-targeted, see library.js).
 */
function profileEvents(v) {
  return Array.from({ length: EVENTS_PER_VISITOR }, (_, n) => {
    const [slot] = SLOTS[(v + n) % SLOTS.length];
    const candidate = n % 4 === 3 ? 1 + ((v + n) % 5) : 2 + (v % 2);
    return {
      name: n % 5 === 4 ? 'click' : 'view',
      asset: ASSET_SLUG,
      slot,
      chunk: `page-${slot}-${candidate}`,
    };
  });
}

/** `lastSent[v]`: when the last request for visitor `v` was made (ms), for the visits check. */
function scenarios(visitors, lastSent) {
  const anonymous = Array.from({ length: CONTEXTS.length }, (_, i) => contextRequest(i));
  // One request per visitor, its context rotating too: built once, as A's are.
  const individual = visitors.map((visitor, v) => {
    const request = contextRequest(v);
    return {
      ...request,
      headers: { ...request.headers, 'x-mosaic-visitor': visitor, 'x-mosaic-consent': 'granted' },
    };
  });
  // Counters of their own, not the load's (which starts again at 0 every slice): the rotation
  // goes on across slices, so that every visitor is asked for however slow the server is.
  let a = 0;
  let v = 0;
  return {
    anonymous: () => anonymous[a++ % anonymous.length],
    individual: () => {
      const at = v++ % individual.length;
      lastSent[at] = Date.now();
      return individual[at];
    },
  };
}

/**
 * Gives every visitor their profile: one batch of 20 events each, through the events endpoint,
 * ten requests at a time, each answer checked.
 */
async function seedProfiles(port, visitors) {
  let next = 0;
  const worker = async () => {
    while (next < visitors.length) {
      const v = next++;
      const res = await send(port, {
        method: 'POST',
        path: '/api/mosaic/events',
        headers: {
          'content-type': 'application/json',
          'user-agent': CONTEXTS[0].ua,
          'x-mosaic-visitor': visitors[v],
          'x-mosaic-consent': 'granted',
        },
        body: JSON.stringify({ events: profileEvents(v) }),
      });
      if (res.status !== 202) {
        throw new Error(`Seeding profiles: visitor ${v} answered ${res.status} ${res.body}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
}

/**
 * Seeds the profiles, checks one answer of each kind, then `rounds` slices of `sliceS` seconds of
 * each scenario, alternating, after a warm-up; then reads the store back.
 */
async function measureIndividual(port, server, { warmupS, rounds, sliceS, log, profile }) {
  const visitors = visitorIds('individual', VISITORS);
  await seedProfiles(port, visitors);
  const lastSent = visitors.map(() => 0);
  const next = scenarios(visitors, lastSent);

  const personas = new Set();
  for (let v = 0; v < 20; v++) {
    const res = await send(port, next.individual());
    if (res.status !== 200) throw new Error(`individual: ${res.status} ${res.body}`);
    if (!/\bprivate\b/.test(res.headers['cache-control'] ?? '')) {
      throw new Error(`individual: answered '${res.headers['cache-control']}', not private`);
    }
    personas.add(JSON.parse(res.body).meta.persona);
  }
  const anon = await send(port, next.anonymous());
  if (anon.status !== 200) throw new Error(`anonymous: ${anon.status} ${anon.body}`);
  log(`  individual answers checked: private, personas ${[...personas].join(', ')}`);

  for (const key of ['anonymous', 'individual']) {
    await load(port, { seconds: warmupS, next: next[key] });
  }
  const slices = { anonymous: [], individual: [] };
  for (let round = 0; round < rounds; round++) {
    for (const key of ['anonymous', 'individual']) {
      await server.call('collectGarbage');
      slices[key].push(await load(port, { seconds: sliceS, next: next[key] }));
    }
  }
  let profiles = null;
  if (profile) {
    profiles = {};
    for (const key of ['anonymous', 'individual']) {
      await server.call('profileStart');
      await load(port, { seconds: profile.seconds, next: next[key] });
      const file = await server.call('profileStop', { file: profile.file(key) });
      profiles[key] = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
    }
  }
  const stored = await server.call('individualStored', { visitors, lastSent });
  return {
    visitors: VISITORS,
    eventsPerVisitor: EVENTS_PER_VISITOR,
    personas: [...personas],
    contexts: CONTEXTS.length,
    slices,
    stored,
    profiles,
  };
}

const int = (x) => Math.round(x).toLocaleString('en-US');

/** The two scenarios' figures and their ratios, from the slices. */
function figures(result) {
  const anonymous = combine(result.slices.anonymous);
  const individual = combine(result.slices.individual);
  return {
    anonymous,
    individual,
    rpsRatio: individual.rps / anonymous.rps,
    p99Ratio: individual.p99 / anonymous.p99,
  };
}

/** Whether nothing was lost: every seeded event stored twice over, every visit written. */
function storedOk({ stored, visitors, eventsPerVisitor }) {
  const events = visitors * eventsPerVisitor;
  return (
    stored.profiles === visitors &&
    stored.profiled === events &&
    stored.logged === events &&
    stored.requested === visitors &&
    (stored.visitWrites === null ||
      (stored.visitWrites.written === stored.visitWrites.queued &&
        stored.visitWrites.failed === 0)) &&
    stored.visits >= visitors
  );
}

function verdictLines(result) {
  const f = figures(result);
  const met = (ok) => (ok ? 'met' : '**missed**');
  const events = result.visitors * result.eventsPerVisitor;
  return [
    `individual/anonymous throughput ${fmt(f.rpsRatio, 2)} (target ≥ ${TARGET.rpsRatio}: ${met(f.rpsRatio >= TARGET.rpsRatio)})`,
    `p99(individual)/p99(anonymous) ${fmt(f.p99Ratio, 2)} (target ≤ ${TARGET.p99Ratio}: ${met(f.p99Ratio <= TARGET.p99Ratio)})`,
    `stored: ${int(result.stored.profiles)} profiles for ${int(result.visitors)} visitors, ` +
      `${int(result.stored.logged)} logged events and ${int(result.stored.profiled)} in the profiles' counts ` +
      `for ${int(events)} sent; ${int(result.stored.requested)} visitors asked for, ` +
      (result.stored.visitWrites
        ? `${int(result.stored.visitWrites.written)} visits written of ${int(result.stored.visitWrites.queued)} ` +
          `resolves (${int(result.stored.visitWrites.failed)} failed), `
        : '') +
      `${int(result.stored.visits)} visits counted` +
      (result.stored.cache
        ? `; profile cache: ${int(result.stored.cache.hits)} hits, ${int(result.stored.cache.misses)} misses `
        : ' ') +
      `(${storedOk(result) ? 'nothing lost' : '**something is missing**'})`,
  ];
}

function printLines(result) {
  const f = figures(result);
  const line = (key) =>
    `  ${key.padEnd(11)} ${int(f[key].rps).padStart(6)} req/s  p50 ${fmt(f[key].p50, 1)} ms  p99 ${fmt(f[key].p99, 1)} ms  failed ${int(f[key].failed)}`;
  return [
    line('anonymous'),
    line('individual'),
    ...verdictLines(result).map((l) => `  ${l.replace(/\*\*/g, '')}`),
  ];
}

function markdown(result, { header, settings }) {
  const f = figures(result);
  const row = (key, what) => [
    key,
    what,
    int(f[key].rps),
    fmt(f[key].p50, 1),
    fmt(f[key].p99, 1),
    int(f[key].failed),
  ];
  const profiles = result.profiles;
  return `
${header}

Same asset (\`${ASSET_SLUG}\`, 10 slots × 5 candidates), same ${result.contexts} request contexts
(the HTTP benchmark's visitors without the crawler and without \`?persona=\`), 50 connections,
${settings.rounds} × ${settings.sliceS} s a scenario in alternating slices after ${settings.warmupS} s of
warm-up each, behind the public role. The individual scenario adds \`X-Mosaic-Visitor\` (rotating
over ${int(result.visitors)} visitors) and \`X-Mosaic-Consent: granted\`; each visitor was first given
${result.eventsPerVisitor} events (views and clicks of the page's chunks) through \`POST
/api/mosaic/events\`, and their affinity chose personas (${result.personas.map((p) => `\`${p}\``).join(', ')}
among the first 20 answers).

${table(
  ['scenario', 'request', 'req/s', 'p50 (ms)', 'p99 (ms)', 'failed'],
  [
    row('anonymous', 'no visitor id'),
    row('individual', 'consenting visitor with a 20-event profile'),
  ]
)}

${verdictLines(result)
  .map((l) => `- ${l}`)
  .join('\n')}
${
  profiles
    ? `
CPU profiles of ${settings.profileS} s of each scenario after the measured slices (self time by
origin, share of busy CPU; busy: anonymous ${percent(profiles.anonymous.busyShare)}, individual
${percent(profiles.individual.busyShare)} of the profile):

${originsTable({ anonymous: profiles.anonymous, individual: profiles.individual })}

Mosaic's functions in the individual scenario, with what they call:

${mosaicTable(profiles.individual)}

The costliest functions in the individual scenario by self time:

${functionsTable(profiles.individual)}
`
    : ''
}`;
}

module.exports = {
  TARGET,
  VISITORS,
  EVENTS_PER_VISITOR,
  measureIndividual,
  figures,
  printLines,
  markdown,
};
