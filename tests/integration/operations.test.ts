/**
 * Operating Mosaic: the tracking rate limit, cache statistics for admins, and the compiled cache
 * serving resolves without reading the database.
 */
import type { Core } from '@strapi/strapi';

import { bootStrapi } from './strapi';
import { wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
const api = () => wireRequest(strapi.server.httpServer);
/** Statements that read Mosaic's tables or the locales (not the test schema's name). */
const MOSAIC_TABLES =
  /\b(mosaic_(chunks|assets|personas|segments|tags|profiles|events|counters)|components_mosaic_\w+|i18n_locale)\b/;

beforeAll(async () => {
  strapi = await bootStrapi('operations');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('audience estimates', () => {
  let token: string;

  beforeAll(async () => {
    const admin = await api()
      .post('/admin/register-admin')
      .send({ email: 'segments@mosaic.local', password: 'Mosaic-ops-1', firstname: 'Segments' });
    token = admin.body.data.token;
    const profiles = strapi.plugin('mosaic').service('profiles');
    const now = Date.now();
    await profiles.identify('customer-0001', { plan: 'pro', lifetimeValue: 900 }, now);
    await profiles.identify('customer-0002', { plan: 'pro', lifetimeValue: 120 }, now);
    await profiles.identify('customer-0003', { plan: 'free' }, now);
    await profiles.identify('customer-0004', { firstName: 'Ada' }, now);
  });

  const estimate = (rule: unknown) =>
    api().post('/mosaic/audience').set('Authorization', `Bearer ${token}`).send({ rule });

  it('counts the known profiles whose traits match, with the rule’s own semantics', async () => {
    const pro = await estimate({ traits: { plan: 'pro' } });
    expect(pro.status).toBe(200);
    expect(pro.body.data).toEqual({ matching: 2, total: 4, exact: true });
    const big = await estimate({ traits: { lifetimeValue: { $gte: 500 } } });
    expect(big.body.data.matching).toBe(1);
    // A missing trait is null: $ne does not match it, as in Strapi's own filtering.
    const notPro = await estimate({ traits: { plan: { $ne: 'pro' } } });
    expect(notPro.body.data.matching).toBe(1);
  });

  it('says when request conditions make the count an upper bound', async () => {
    const res = await estimate({ traits: { plan: 'pro' }, geo: { country: 'DE' } });
    expect(res.body.data).toEqual({ matching: 2, total: 4, exact: false });
  });

  it('refuses a segment with an invalid rule saved through the Content Manager, with its path', async () => {
    const res = await api()
      .post('/content-manager/collection-types/plugin::mosaic.segment')
      .set('Authorization', `Bearer ${token}`)
      .send({
        name: 'Late night',
        slug: 'late-night',
        rule: { time: { hour: { $between: [22] } } },
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "segment 'late-night': rule.time.hour.$between must be an array of exactly two bounds, e.g. [10, 20]"
    );
    expect(res.body.error.details.errors[0].path).toEqual(['rule', 'time', 'hour', '$between']);
    const saved = await strapi
      .documents('plugin::mosaic.segment')
      .count({ filters: { slug: 'late-night' } } as never);
    expect(saved).toBe(0);
  });

  it('refuses an invalid rule or an undeclared trait with a message', async () => {
    const invalid = await estimate({ traits: { plan: { $in: 'pro' } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toContain('rule.traits.plan.$in must be an array');
    const undeclared = await estimate({ traits: { shoeSize: 42 } });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.message).toContain("declare 'shoeSize'");
    expect((await api().post('/mosaic/audience').send({ rule: {} })).status).toBe(401);
  });
});

describe('the tracking rate limit', () => {
  afterEach(() => {
    strapi.config.set('plugin::mosaic.rateLimit', { points: 100000, duration: 10 });
    strapi.plugin('mosaic').service('rate-limit').reset();
  });

  it('answers 429 with Retry-After once a client sends more than its share', async () => {
    strapi.config.set('plugin::mosaic.rateLimit', { points: 3, duration: 60 });
    strapi.plugin('mosaic').service('rate-limit').reset();
    const send = (visitor: string) =>
      api()
        .post('/api/mosaic/events')
        .set('X-Mosaic-Visitor', visitor)
        .send({ events: [{ name: 'view' }] });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await send('rate-limited-visitor')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const refused = await send('rate-limited-visitor');
    expect(refused.body.error.name).toBe('RateLimitError');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another visitor has a share of their own.
    expect((await send('another-visitor-01')).status).toBe(202);
  });
});

describe('the compiled cache', () => {
  it('serves a repeated resolve without a database read, and admins can see it', async () => {
    await api().get('/api/mosaic/assets/home?persona=developer').expect(200);
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    strapi.db.connection.on('query', listener);
    await api().get('/api/mosaic/assets/home?persona=marketer').expect(200);
    await api().get('/api/mosaic/assets/home?utm_source=twitter').expect(200);
    // Users & Permissions may read the public role's permissions; Mosaic reads nothing.
    expect(queries.filter((sql) => MOSAIC_TABLES.test(sql))).toEqual([]);

    // The same listener does see Mosaic's reads once the cache is emptied.
    strapi.plugin('mosaic').service('cache').clear();
    await api().get('/api/mosaic/assets/home?persona=marketer').expect(200);
    strapi.db.connection.off('query', listener);
    expect(queries.filter((sql) => MOSAIC_TABLES.test(sql)).length).toBeGreaterThan(0);

    const stats = strapi.plugin('mosaic').service('cache').stats();
    expect(stats.hits).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(1000);

    // The same reader again: the variant's answer is served whole, counted apart from content.
    await api().get('/api/mosaic/assets/home?persona=marketer').expect(200);
    const again = strapi.plugin('mosaic').service('cache').stats();
    expect(again.rendered.hits).toBeGreaterThan(stats.rendered.hits);
    expect(again.misses).toBe(stats.misses);
  });

  it("reads a consenting visitor's profile and log in one bounded statement", async () => {
    const visitor = 'one-read-visitor-0001';
    const { accessKey } = await strapi
      .service('admin::api-token')
      .create({ name: 'one read', type: 'full-access', lifespan: null, description: '' });
    // An API token: the explanation then shows the log and visits the answer read.
    const headers = {
      'X-Mosaic-Visitor': visitor,
      'X-Mosaic-Consent': 'granted',
      Authorization: `Bearer ${accessKey}`,
    };
    const events = ['feature-api', 'hero-developer', 'cta-developer'].map((chunk) => ({
      name: 'view',
      chunk,
    }));
    await api().post('/api/mosaic/events').set(headers).send({ events }).expect(202);
    await api().get('/api/mosaic/assets/home').set(headers).expect(200);
    const profiles = strapi.plugin('mosaic').service('profiles');
    await profiles.settled();
    // Not in this instance's profile cache (as on an instance that has not seen the visitor yet).
    await profiles.changed([profiles.hash(visitor)]);

    const mosaicReads = async (path: string) => {
      const queries: string[] = [];
      const listener = (query: { sql: string }) => queries.push(query.sql);
      strapi.db.connection.on('query', listener);
      const answer = await api().get(path).set(headers).expect(200);
      strapi.db.connection.off('query', listener);
      await profiles.settled();
      const selects = queries.filter((sql) => MOSAIC_TABLES.test(sql) && /^\s*select/i.test(sql));
      return { answer, selects };
    };
    const { answer: res, selects: reads } = await mosaicReads(
      '/api/mosaic/assets/home?explain=true'
    );

    // Its visit is written after the answer; what the answer waited on is one read.
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/\bjoin\b/i);
    expect(reads[0]).toMatch(/\blimit\b/i);
    // And it read what the answer needs: the log made the visitor a developer.
    expect(res.body.meta.persona).toBe('developer');
    expect(res.body.meta.explain.context.events).toHaveLength(3);
    // Its events came first, then two resolves in one session: one visit.
    expect(res.body.meta.explain.context.visitor).toMatchObject({ visits: 1, new: true });

    // The next answer reads nothing: the profile cache holds the visitor, kept in step by writes.
    const next = await mosaicReads('/api/mosaic/assets/home?explain=true');
    expect(next.selects).toHaveLength(0);
    expect(next.answer.body.meta.persona).toBe('developer');
    expect(next.answer.body.meta.explain.context.events).toHaveLength(3);
  });

  it("keeps its content when another plugin writes Strapi's store, not when the default locale changes", async () => {
    const cache = strapi.plugin('mosaic').service('cache');
    await api().get('/api/mosaic/assets/home').expect(200);
    const before = cache.stats();
    expect(before.entries).toBeGreaterThan(0);

    // What the upload plugin does every week, among others' bookkeeping.
    const upload = strapi.store({ type: 'plugin', name: 'upload', key: 'metrics' });
    await upload.set({ value: { weeklySchedule: '1 2 3 * * 4', lastWeeklyUpdate: Date.now() } });
    await upload.set({ value: { weeklySchedule: '1 2 3 * * 4', lastWeeklyUpdate: Date.now() } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.stats()).toMatchObject({
      generation: before.generation,
      entries: before.entries,
    });

    const i18n = strapi.store({ type: 'plugin', name: 'i18n', key: 'default_locale' });
    await i18n.set({ value: await i18n.get({}) });
    expect(cache.stats().generation).toBeGreaterThan(before.generation);
    expect(cache.stats().entries).toBe(0);
  });

  it('shows hit and miss counters on an admin route, to admins only', async () => {
    expect((await api().get('/mosaic/cache')).status).toBe(401);
    const login = await api()
      .post('/admin/login')
      .send({ email: 'segments@mosaic.local', password: 'Mosaic-ops-1' });
    expect(login.status).toBe(200);
    const res = await api()
      .get('/mosaic/cache')
      .set('Authorization', `Bearer ${login.body.data.token}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(
      expect.objectContaining({
        hits: expect.any(Number),
        misses: expect.any(Number),
        rendered: { hits: expect.any(Number), misses: expect.any(Number) },
        entries: expect.any(Number),
      })
    );
  });
});
