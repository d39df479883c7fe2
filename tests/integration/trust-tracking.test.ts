/**
 * Trust in tracking, over HTTP against the playground: an erasure leaves nothing of the visitor in
 * any Mosaic table; the tracking routes cannot be made to store without bound (a limit per
 * address, unknown assets refused, counters purged, the body's size counted on the wire, strings a
 * database refuses refused, one failing batch never failing its neighbours); draft chunks are not
 * revealed; export and erase keep the visitor id out of URLs; crawlers are served but not counted.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import type { Core } from '@strapi/strapi';
import fc from 'fast-check';

import { createMosaicClient, type CookieStore } from '../../client/index';
import type { ResolveAsset } from '../../contracts/delivery';
import { bootStrapi } from './strapi';
import { wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let apiToken: string;
const api = () => wireRequest(strapi.server.httpServer);
const mosaic = () => strapi.plugin('mosaic');
const DAY = 24 * 60 * 60 * 1000;
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let visitorCount = 0;
const newVisitor = () => `trust-${Date.now().toString(36)}-${(visitorCount += 1)}`;
const consenting = (id: string) => ({ 'X-Mosaic-Visitor': id, 'X-Mosaic-Consent': 'granted' });
const hashOf = (visitor: string): string => mosaic().service('profiles').hash(visitor);

const track = (visitor: string | null, events: unknown[], headers: Record<string, string> = {}) => {
  const req = api().post('/api/mosaic/events');
  if (visitor) req.set(consenting(visitor));
  return req.set(headers).send({ events });
};

const rows = (model: string, where: Record<string, unknown> = {}) =>
  strapi.db.query(`plugin::mosaic.${model}` as never).count({ where } as never);

/** Everything written so far is in the database: buffered impressions, queued batches. */
async function settled() {
  await mosaic().service('experiments').flush();
  await mosaic().service('profiles').settled();
}

const DEFAULT_LIMIT = { points: 100000, duration: 10 };
function setRateLimit(limit: Record<string, number>) {
  strapi.config.set('plugin::mosaic.rateLimit', limit);
  mosaic().service('rate-limit').reset();
}

beforeAll(async () => {
  strapi = await bootStrapi('trust-tracking');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const token = await strapi
    .service('admin::api-token')
    .create({ name: 'server frontend', type: 'full-access', lifespan: null, description: '' });
  apiToken = token.accessKey;
});

afterAll(async () => {
  await strapi?.destroy();
});

/**
 * Every table Mosaic owns, found from Strapi's metadata rather than listed by hand: the tables of
 * its content types and components, and their join tables.
 */
function mosaicTables(): string[] {
  const tables = new Set<string>();
  const uids = [
    ...Object.keys(strapi.contentTypes).filter((uid) => uid.startsWith('plugin::mosaic.')),
    ...Object.keys(strapi.components).filter((uid) => uid.startsWith('mosaic.')),
  ];
  for (const uid of uids) {
    const meta = strapi.db.metadata.get(uid as never) as unknown as {
      tableName: string;
      attributes: Record<string, { joinTable?: { name: string } }>;
    };
    tables.add(meta.tableName);
    for (const attribute of Object.values(meta.attributes)) {
      if (attribute.joinTable) tables.add(attribute.joinTable.name);
    }
  }
  return [...tables].sort();
}

/** The tables and columns whose value holds one of `needles`. */
async function whereFound(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of mosaicTables()) {
    const all = (await strapi.db.connection(table).select('*')) as Array<Record<string, unknown>>;
    for (const row of all) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
        for (const needle of needles) if (text.includes(needle)) found.push(`${table}.${column}`);
      }
    }
  }
  return [...new Set(found)];
}

describe('erasure', () => {
  it('leaves no row in any Mosaic table that can be tied to the visitor', async () => {
    const visitor = newVisitor();
    const hash = hashOf(visitor);
    const headers = consenting(visitor);
    await api().get('/api/mosaic/assets/home').set(headers).expect(200);
    expect(
      (await track(visitor, [{ name: 'view', chunk: 'feature-api', asset: 'home' }])).status
    ).toBe(202);
    const converted = await track(visitor, [{ name: 'conversion', asset: 'home', goal: 'signup' }]);
    expect(converted.body.data.attributed).toBe(1);
    await api()
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ visitorId: visitor, traits: { plan: 'pro', company: visitor } })
      .expect(200);
    await settled();
    // Exposure keys are hashes of the visitor's HMAC with what they saw: derived, so theirs too.
    const keys = (
      (await strapi.db
        .query('plugin::mosaic.exposure' as never)
        .findMany({ where: { visitorHash: hash } } as never)) as Array<{ key: string }>
    ).map((row) => row.key);
    expect(keys.length).toBeGreaterThan(0);
    const needles = [hash, visitor, ...keys];
    expect(await whereFound(needles)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mosaic_profiles\./),
        expect.stringMatching(/^mosaic_events\./),
        expect.stringMatching(/^mosaic_exposures\./),
      ])
    );

    // Served again just before the erasure: an impression still in memory when it happens.
    await api().get('/api/mosaic/assets/home').set(headers).expect(200);
    await api()
      .delete('/api/mosaic/profile')
      .set('X-Mosaic-Visitor', visitor)
      .set('Authorization', `Bearer ${apiToken}`)
      .expect(200);
    await settled();
    expect(await whereFound(needles)).toEqual([]);
  });

  it('erases through the old route as well', async () => {
    const visitor = newVisitor();
    await api().get('/api/mosaic/assets/home').set(consenting(visitor)).expect(200);
    await settled();
    await api()
      .delete(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${apiToken}`)
      .expect(200);
    await settled();
    expect(await whereFound([hashOf(visitor), visitor])).toEqual([]);
  });
});

describe('export and erase with the visitor id out of the URL', () => {
  it('take the id from the X-Mosaic-Visitor header, for API tokens only, and log no id', async () => {
    const visitor = newVisitor();
    expect((await track(visitor, [{ name: 'view' }])).status).toBe(202);
    const logged: string[] = [];
    const http = strapi.log.http.bind(strapi.log);
    strapi.log.http = ((message: string) => {
      logged.push(String(message));
      return http(message);
    }) as typeof strapi.log.http;
    try {
      const auth = { Authorization: `Bearer ${apiToken}` };
      expect((await api().get('/api/mosaic/profile').set('X-Mosaic-Visitor', visitor)).status).toBe(
        403
      );
      const missing = await api().get('/api/mosaic/profile').set(auth);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('X-Mosaic-Visitor');
      const exported = await api()
        .get('/api/mosaic/profile')
        .set(auth)
        .set('X-Mosaic-Visitor', visitor);
      expect(exported.status).toBe(200);
      expect(exported.body.data.eventCount).toBe(1);
      expect(
        (await api().delete('/api/mosaic/profile').set('X-Mosaic-Visitor', visitor)).status
      ).toBe(403);
      const erased = await api()
        .delete('/api/mosaic/profile')
        .set(auth)
        .set('X-Mosaic-Visitor', visitor);
      expect(erased.status).toBe(200);
      expect(erased.body.data).toEqual({ erased: true });
      const again = await api()
        .delete('/api/mosaic/profile')
        .set(auth)
        .set('X-Mosaic-Visitor', visitor);
      expect(again.status).toBe(404);
    } finally {
      strapi.log.http = http;
    }
    expect(logged.some((line) => line.includes('/api/mosaic/profile'))).toBe(true);
    expect(logged.filter((line) => line.includes(visitor))).toEqual([]);
  });

  it('are what the client uses', async () => {
    const { port } = strapi.server.httpServer.address() as AddressInfo;
    const values = new Map<string, string>();
    const cookies: CookieStore = {
      get: (name) => values.get(name),
      set: (name, value, maxAge) =>
        void (maxAge > 0 ? values.set(name, value) : values.delete(name)),
    };
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const client = createMosaicClient({
      baseUrl: `http://127.0.0.1:${port}`,
      cookies,
      token: apiToken,
      fetch: recording,
    });
    client.setConsent('granted');
    const visitor = client.visitorId()!;
    await client.track({ name: 'view' });
    const exported = await client.exportProfile();
    expect(exported.data.eventCount).toBe(1);
    expect(await client.eraseProfile()).toEqual({ data: { erased: true }, meta: {} });
    // The erased id is dropped: the next request starts a new, unrelated visitor.
    expect(client.visitorId()).not.toBe(visitor);
    expect(urls.filter((url) => url.includes(visitor))).toEqual([]);
    await settled();
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(0);
  });
});

describe('the tracking rate limit', () => {
  afterEach(() => setRateLimit(DEFAULT_LIMIT));

  it('limits a client address however many visitor ids it makes up, and ignores forged X-Forwarded-For', async () => {
    setRateLimit({ points: 3, duration: 60, perAddress: 5 });
    const send = (headers: Record<string, string> = {}) =>
      track(newVisitor(), [{ name: 'view' }], headers);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await send()).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const forged = await send({ 'X-Forwarded-For': '203.0.113.7' });
    expect(forged.status).toBe(429);
    expect(forged.body.error.name).toBe('RateLimitError');
    expect(Number(forged.headers['retry-after'])).toBeGreaterThan(0);
    expect((await track(null, [{ name: 'view' }])).status).toBe(429);
  });

  it('reads the address a proxy forwards once Strapi trusts proxies (server.proxy.koa)', async () => {
    setRateLimit({ points: 3, duration: 60, perAddress: 2 });
    const app = strapi.server.app;
    app.proxy = true;
    try {
      const from = async (address: string) =>
        (await track(newVisitor(), [{ name: 'view' }], { 'X-Forwarded-For': address })).status;
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push(await from('198.51.100.1'));
      expect(statuses).toEqual([202, 202, 429]);
      expect(await from('198.51.100.2')).toBe(202);
    } finally {
      app.proxy = false;
    }
  });

  it('still gives each visitor a share of their own', async () => {
    setRateLimit({ points: 2, duration: 60, perAddress: 100 });
    const visitor = newVisitor();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await track(visitor, [{ name: 'view' }])).status);
    expect(statuses).toEqual([202, 202, 429]);
    expect((await track(newVisitor(), [{ name: 'view' }])).status).toBe(202);
  });
});

describe('anonymous counters', () => {
  it('refuses an event naming an unknown or unpublished asset, whatever its name, and counts nothing', async () => {
    await strapi.documents('plugin::mosaic.asset').create({
      locale: 'en',
      data: { slug: 'trust-draft-page', title: 'Draft page', kind: 'page', slots: [] },
    } as never);
    const before = await rows('counter');
    for (const name of ['view', 'click', 'custom_thing', 'conversion']) {
      for (const asset of ['no-such-asset', 'trust-draft-page']) {
        const res = await track(null, [{ name: 'view' }, { name, asset }]);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(`events.1.asset: no asset '${asset}'`);
      }
    }
    await settled();
    expect(await rows('counter')).toBe(before);
    expect((await track(null, [{ name: 'view', asset: 'home' }])).status).toBe(202);
  });

  it('are purged after the retention period, with profiles', async () => {
    const retentionDays = strapi.config.get('plugin::mosaic.retentionDays') as number;
    const counters = strapi.db.query('plugin::mosaic.counter' as never);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const old = day(Date.now() - (retentionDays + 2) * DAY);
    const recent = day(Date.now() - (retentionDays - 2) * DAY);
    for (const at of [old, recent]) {
      await counters.create({
        data: { key: `${at}|trust_old|`, day: at, name: 'trust_old', count: 7 },
      } as never);
    }
    const purged = await mosaic().service('profiles').purge(Date.now());
    expect(purged.counters).toBeGreaterThanOrEqual(1);
    const left = (await counters.findMany({ where: { name: 'trust_old' } } as never)) as Array<{
      day: string;
    }>;
    expect(left.map((row) => String(row.day).slice(0, 10))).toEqual([recent]);
  });
});

describe('the body limit', () => {
  /** Sends `body` in chunks without a Content-Length, as a streaming client does. */
  function chunked(path: string, body: string): Promise<{ status: number; body: string }> {
    const { port } = strapi.server.httpServer.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        }
      );
      req.on('error', reject);
      for (let i = 0; i < body.length; i += 16384) req.write(body.slice(i, i + 16384));
      req.end();
    });
  }

  it('counts the bytes sent, not what Content-Length says: a chunked batch too large is refused', async () => {
    const before = await rows('counter');
    const events = Array.from({ length: 99 }, () => ({
      name: 'trust_big',
      props: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, 'x'.repeat(256)])),
    }));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(500 * 1024);
    const res = await chunked('/api/mosaic/events', body);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/65536 bytes/);
    await settled();
    expect(await rows('counter')).toBe(before);
    expect(await rows('counter', { name: 'trust_big' })).toBe(0);
  });

  it('still takes a small batch sent in chunks', async () => {
    const res = await chunked(
      '/api/mosaic/events',
      JSON.stringify({ events: [{ name: 'trust_chunked' }] })
    );
    expect(res.status).toBe(202);
  });
});

describe('strings a database refuses', () => {
  it('refuses a NUL or a lone surrogate in any string of a batch or of traits, and stores every other string as sent', async () => {
    const visitor = newVisitor();
    const refused = fc.oneof(
      fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
      fc.string({ maxLength: 20 }).map((s) => `${s}\ud800`)
    );
    await fc.assert(
      fc.asyncProperty(
        refused,
        fc.constantFrom('props', 'slot', 'variantKey', 'trait'),
        async (text, where) => {
          const res =
            where === 'trait'
              ? await api()
                  .post('/api/mosaic/identify')
                  .set('Authorization', `Bearer ${apiToken}`)
                  .send({ visitorId: visitor, traits: { plan: text } })
              : await track(visitor, [
                  where === 'props'
                    ? { name: 'view', props: { note: text } }
                    : { name: 'view', [where]: text || 'x' },
                ]);
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(/NUL|surrogate|character/i);
        }
      ),
      { numRuns: 30 }
    );
    const unstorable =
      /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const accepted = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .filter((s) => !unstorable.test(s));
    const sent: string[] = [];
    await fc.assert(
      fc.asyncProperty(accepted, async (text) => {
        const res = await track(visitor, [{ name: 'trust_text', props: { note: text } }]);
        expect(res.status).toBe(202);
        sent.push(text);
      }),
      { numRuns: 20 }
    );
    const exported = await api()
      .get('/api/mosaic/profile')
      .set('Authorization', `Bearer ${apiToken}`)
      .set('X-Mosaic-Visitor', visitor);
    const notes = (exported.body.data.events as Array<{ name: string; props?: { note: string } }>)
      .filter((event) => event.name === 'trust_text')
      .map((event) => event.props!.note);
    expect(notes).toEqual(sent);
  });

  it('fails only the batch the database refuses, never the others of its group commit', async () => {
    const knex = strapi.db.connection;
    const table = strapi.db.metadata.get('plugin::mosaic.event' as never).tableName;
    const client = strapi.db.dialect.client;
    // A trigger the database itself enforces: an event named `poison` cannot be inserted.
    if (client === 'sqlite') {
      await knex.raw(
        `CREATE TRIGGER trust_poison BEFORE INSERT ON ${table} WHEN NEW.name = 'poison' BEGIN SELECT RAISE(ABORT, 'poison'); END`
      );
    } else if (client === 'postgres') {
      await knex.raw(
        `CREATE FUNCTION trust_poison() RETURNS trigger AS $$ BEGIN IF NEW.name = 'poison' THEN RAISE EXCEPTION 'poison'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`
      );
      await knex.raw(
        `CREATE TRIGGER trust_poison BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION trust_poison()`
      );
    } else {
      await knex.raw(
        `CREATE TRIGGER trust_poison BEFORE INSERT ON ${table} FOR EACH ROW BEGIN IF NEW.name = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poison'; END IF; END`
      );
    }
    const eventLog = strapi.config.get('plugin::mosaic.eventLog') as Record<string, number>;
    // A wide window, so that the batches certainly share one transaction.
    strapi.config.set('plugin::mosaic.eventLog', { ...eventLog, groupWindowMs: 300 });
    // The refused insert is logged as a server error: expected here.
    strapi.log.silent = true;
    try {
      const visitors = Array.from({ length: 8 }, () => newVisitor());
      const answers = await Promise.all(
        visitors.map((visitor, i) =>
          track(visitor, [{ name: i === 3 ? 'poison' : 'trust_group' }]).then((r) => r.status)
        )
      );
      expect(answers.filter((status) => status === 202)).toHaveLength(7);
      expect(answers[3]).toBe(500);
      await settled();
      for (const [i, visitor] of visitors.entries()) {
        expect(await rows('event', { visitorHash: hashOf(visitor) })).toBe(i === 3 ? 0 : 1);
      }
    } finally {
      strapi.log.silent = false;
      strapi.config.set('plugin::mosaic.eventLog', eventLog);
      await knex.raw(
        client === 'postgres'
          ? `DROP TRIGGER trust_poison ON ${table}`
          : `DROP TRIGGER trust_poison`
      );
      if (client === 'postgres') await knex.raw('DROP FUNCTION trust_poison()');
    }
  });
});

describe('unpublished chunks', () => {
  it('are answered exactly as chunks that do not exist', async () => {
    await strapi.documents('plugin::mosaic.chunk').create({
      locale: 'en',
      data: {
        slug: 'trust-secret-launch',
        title: 'Secret launch',
        body: [{ type: 'paragraph', children: [{ type: 'text', text: 'Not yet' }] }],
      },
    } as never);
    const draft = await track(null, [{ name: 'view', chunk: 'trust-secret-launch' }]);
    const unknown = await track(null, [{ name: 'view', chunk: 'trust-no-such-chunk' }]);
    expect(draft.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(draft.body.error.message.replace('trust-secret-launch', 'X')).toBe(
      unknown.body.error.message.replace('trust-no-such-chunk', 'X')
    );
  });
});

describe('crawlers', () => {
  afterEach(() => strapi.config.set('plugin::mosaic.bots', { track: false }));

  const offer = (body: ResolveAsset.Response) =>
    body.data.slots.find((slot) => slot.key === 'offer')!.chunks.map((chunk) => chunk.slug);

  it('are served the control of an experiment, and never counted, profiled or stored', async () => {
    const anonymous = await api().get('/api/mosaic/assets/home').set('User-Agent', BROWSER);
    const bots = Array.from({ length: 12 }, () => newVisitor());
    const counters = await rows('counter');
    for (const bot of bots) {
      const headers = { ...consenting(bot), 'User-Agent': GOOGLEBOT };
      const res = await api().get('/api/mosaic/assets/home').set(headers).expect(200);
      expect(offer(res.body)).toEqual(offer(anonymous.body));
      expect(res.body.meta.experiments.every((e: { counted: boolean }) => !e.counted)).toBe(true);
      await api().get('/api/mosaic/chunks/feature-api').set(headers).expect(200);
      const events = await track(bot, [{ name: 'view', asset: 'home' }, { name: 'conversion' }], {
        'User-Agent': GOOGLEBOT,
      });
      expect(events.status).toBe(202);
      expect(events.body.data).toMatchObject({ accepted: 2, profile: false });
    }
    await settled();
    const hashes = bots.map(hashOf);
    expect(await rows('profile', { visitorHash: { $in: hashes } })).toBe(0);
    expect(await rows('event', { visitorHash: { $in: hashes } })).toBe(0);
    expect(await rows('exposure', { visitorHash: { $in: hashes } })).toBe(0);
    expect(await rows('counter')).toBe(counters);
  });

  it('are tracked like anyone when the site asks for it', async () => {
    strapi.config.set('plugin::mosaic.bots', { track: true });
    const bot = newVisitor();
    const headers = { ...consenting(bot), 'User-Agent': GOOGLEBOT };
    const res = await api().get('/api/mosaic/assets/home').set(headers).expect(200);
    expect(res.body.meta.experiments.some((e: { counted: boolean }) => e.counted)).toBe(true);
    const events = await track(bot, [{ name: 'view' }], { 'User-Agent': GOOGLEBOT });
    expect(events.body.data).toMatchObject({ profile: true });
    await settled();
    expect(await rows('profile', { visitorHash: hashOf(bot) })).toBe(1);
    expect(await rows('exposure', { visitorHash: hashOf(bot) })).toBeGreaterThan(0);
  });
});
