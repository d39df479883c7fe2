/**
 * Individualization over HTTP: visitor profiles, behaviour events, consent, affinity and persona
 * inference, trusted traits, export, erasure and retention, on the playground with the demo.
 */
import type { Core } from '@strapi/strapi';
import fc from 'fast-check';

import { resolveAssetResponse, type ResolveAsset } from '../../contracts/delivery';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let apiToken: string;
const api = () => wireRequest(strapi.server.httpServer);
const DAY = 24 * 60 * 60 * 1000;

let visitorCount = 0;
/** A fresh random-looking visitor id per test, as a frontend would generate. */
const newVisitor = () => `visitor-${Date.now().toString(36)}-${(visitorCount += 1)}`;

const track = (visitor: string | null, events: unknown[], consent: string | null = 'granted') => {
  const req = api().post('/api/mosaic/events');
  if (visitor) req.set('X-Mosaic-Visitor', visitor);
  if (consent) req.set('X-Mosaic-Consent', consent);
  return req.send({ events });
};

const resolve = async (
  slug: string,
  visitor: string,
  query = '',
  headers: Record<string, string> = {}
) => {
  const res = await api()
    .get(`/api/mosaic/assets/${slug}${query}`)
    .set('X-Mosaic-Visitor', visitor)
    .set('X-Mosaic-Consent', 'granted')
    .set(headers);
  expect(res.status).toBe(200);
  return parse(resolveAssetResponse, res);
};
const slot = (body: ResolveAsset.Response, key: string) =>
  body.data.slots.find((s) => s.key === key)!.chunks.map((c) => c.slug);

const rows = async (model: 'profile' | 'event' | 'counter', where: Record<string, unknown> = {}) =>
  strapi.db.query(`plugin::mosaic.${model}` as never).count({ where } as never);
const hashOf = (visitor: string) => strapi.plugin('mosaic').service('profiles').hash(visitor);

beforeAll(async () => {
  strapi = await bootStrapi('profiles');
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

async function publishedChunk(slug: string, data: Record<string, unknown>) {
  return strapi.documents('plugin::mosaic.chunk').create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: `This is ${slug}` }] }],
      ...data,
    } as never,
  });
}

describe('behaviour events', () => {
  it('accepts a batch with 202 and remembers it for a consenting visitor', async () => {
    const visitor = newVisitor();
    const res = await track(visitor, [
      { name: 'view', chunk: 'feature-api' },
      { name: 'newsletter_signup', props: { list: 'weekly' } },
    ]);
    expect(res.status).toBe(202);
    expect(res.body.data).toEqual({ accepted: 2, profile: true });
    const exported = await api()
      .get(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(exported.status).toBe(200);
    expect(exported.body.data.eventCount).toBe(2);
    expect(exported.body.data.events.map((e: { name: string }) => e.name)).toEqual([
      'view',
      'newsletter_signup',
    ]);
    expect(exported.body.data.events[0]).toMatchObject({ personas: ['developer'], tags: ['api'] });
  });

  it('stores nothing about a visitor without consent, and still counts anonymously', async () => {
    const visitor = newVisitor();
    const before = await rows('counter');
    const res = await track(visitor, [{ name: 'view', asset: 'home' }], null);
    expect(res.body.data).toEqual({ accepted: 1, profile: false });
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(0);
    expect(await rows('event', { visitorHash: hashOf(visitor) })).toBe(0);
    expect(await rows('counter')).toBeGreaterThan(before);

    const page = await api().get('/api/mosaic/assets/home').set('X-Mosaic-Visitor', visitor);
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-cache');
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(0);
  });

  it.each([
    ['an unknown field', { events: [{ name: 'view', colour: 'red' }] }, 400],
    ['a wrong type', { events: [{ name: 'view', value: 'lots' }] }, 400],
    ['a timestamp in the future', { events: [{ name: 'view', ts: Date.now() + DAY }] }, 400],
    ['an unknown chunk', { events: [{ name: 'view', chunk: 'no-such-chunk' }] }, 400],
    ['a batch too long', { events: Array.from({ length: 100 }, () => ({ name: 'view' })) }, 400],
    [
      'a body too large',
      { events: [{ name: 'view', props: { note: 'x'.repeat(200) } }], pad: 'y'.repeat(70000) },
      413,
    ],
  ])('refuses %s and writes nothing of the batch', async (_, body, status) => {
    const visitor = newVisitor();
    const counters = await rows('counter');
    const res = await api()
      .post('/api/mosaic/events')
      .set('X-Mosaic-Visitor', visitor)
      .set('X-Mosaic-Consent', 'granted')
      .send({ ...body, events: [{ name: 'click' }, ...(body as { events: unknown[] }).events] });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(0);
    expect(await rows('counter')).toBe(counters);
  });

  it('never answers 500 to whatever JSON a client posts as a batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            events: fc.array(
              fc.dictionary(
                fc.constantFrom('name', 'value', 'ts', 'props', 'chunk', 'asset', 'x'),
                fc.jsonValue()
              ),
              { maxLength: 4 }
            ),
          }),
          fc.jsonValue()
        ),
        async (body) => {
          const res = await api()
            .post('/api/mosaic/events')
            .set('X-Mosaic-Visitor', 'fuzzing-visitor')
            .set('X-Mosaic-Consent', 'granted')
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          expect(res.status).toBeLessThan(500);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('refuses a batch without events', async () => {
    const res = await track(newVisitor(), []);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('events: must hold at least one event');
  });

  it('refuses a malformed visitor id or consent value', async () => {
    expect((await track('short', [{ name: 'view' }])).status).toBe(400);
    const res = await track(newVisitor(), [{ name: 'view' }], 'maybe');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "The X-Mosaic-Consent header must be 'granted' or 'denied'"
    );
  });

  it('never loses a count under 1,000 concurrent events for one visitor', async () => {
    const visitor = newVisitor();
    // 100 requests in flight at any time, as many browsers would keep open.
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        while (next < 1000) {
          const i = (next += 1);
          statuses.push((await track(visitor, [{ name: 'scroll', value: i }])).status);
        }
      })
    );
    expect(statuses).toEqual(Array(1000).fill(202));
    const profile = await strapi.db
      .query('plugin::mosaic.profile' as never)
      .findOne({ where: { visitorHash: hashOf(visitor) } } as never);
    expect((profile as { eventCount: number }).eventCount).toBe(1000);
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(1);
    // The anonymous daily counter saw every one too; the log itself stays bounded.
    const day = new Date().toISOString().slice(0, 10);
    const counter = await strapi.db
      .query('plugin::mosaic.counter' as never)
      .findOne({ where: { key: `${day}|scroll|` } } as never);
    expect((counter as { count: number }).count).toBe(1000);
    // Trimmed back to the newest 200 each time a tenth of that (20) more has arrived.
    expect(await rows('event', { visitorHash: hashOf(visitor) })).toBeLessThanOrEqual(200 + 20);
    const exported = await api()
      .get(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(exported.body.data.events).toHaveLength(200);
    expect(exported.body.data.events.at(-1).value).toBeGreaterThan(800);
  });

  it('writes concurrent batches of many visitors exactly, however the commits group them', async () => {
    const visitors = Array.from({ length: 30 }, () => newVisitor());
    const sent = visitors.map(() => 0);
    let anonymous = 0;
    const requests = Array.from({ length: 300 }, (_, i) => {
      const v = i % 31;
      const events = Array.from({ length: 1 + (i % 4) }, () => ({ name: 'grouped' }));
      if (v === 30) anonymous += events.length;
      else sent[v] += events.length;
      return track(v === 30 ? null : visitors[v], events, v === 30 ? null : 'granted');
    });
    const statuses = (await Promise.all(requests)).map((res) => res.status);
    expect(statuses).toEqual(Array(300).fill(202));
    for (const [v, visitor] of visitors.entries()) {
      expect(await rows('event', { visitorHash: hashOf(visitor), name: 'grouped' })).toBe(sent[v]);
    }
    const day = new Date().toISOString().slice(0, 10);
    const counter = await strapi.db
      .query('plugin::mosaic.counter' as never)
      .findOne({ where: { key: `${day}|grouped|` } } as never);
    expect((counter as { count: number }).count).toBe(anonymous + sent.reduce((a, b) => a + b));
  });
});

describe('a segment of one', () => {
  it('serves the developer variants to a visitor who read three security-tagged developer chunks', async () => {
    const tags = strapi.documents('plugin::mosaic.tag');
    const personas = strapi.documents('plugin::mosaic.persona');
    const security = (await tags.findFirst({ filters: { slug: 'security' } }))!;
    const developer = (await personas.findFirst({ filters: { slug: 'developer' } }))!;
    for (const slug of ['sso-guide', 'audit-logs', 'secrets-rotation']) {
      await publishedChunk(slug, { personas: [developer.documentId], tags: [security.documentId] });
    }
    const visitor = newVisitor();
    expect(slot(await resolve('home', visitor), 'hero')).toEqual(['hero-default']);

    const res = await track(
      visitor,
      ['sso-guide', 'audit-logs', 'secrets-rotation'].map((chunk) => ({ name: 'view', chunk }))
    );
    expect(res.status).toBe(202);

    // The affinity itself (derived from the visitor's log) shows to an API token only.
    const body = await resolve('home', visitor, '?explain=true', {
      Authorization: `Bearer ${apiToken}`,
    });
    expect(slot(body, 'hero')).toEqual(['hero-developer']);
    expect(slot(body, 'cta')).toEqual(['cta-developer']);
    expect(body.meta.persona).toBe('developer');
    expect(body.meta.explain!.persona.source).toBe('affinity');
    expect(body.meta.explain!.context).toMatchObject({
      affinity: {
        personas: { developer: expect.any(Number) },
        tags: { security: expect.any(Number) },
      },
    });
    // An explicit persona still wins over behaviour.
    expect(slot(await resolve('home', visitor, '?persona=marketer'), 'hero')).toEqual([
      'hero-marketer',
    ]);
  });

  it('puts a visitor with two add_to_cart events and no purchase in 24 hours in the cart-abandonment segment', async () => {
    const segment = await strapi.documents('plugin::mosaic.segment').create({
      data: {
        name: 'Cart abandoners',
        slug: 'cart-abandoners',
        priority: 30,
        rule: {
          $and: [
            { $event: { name: 'add_to_cart', within: '24h', $gte: 2 } },
            { $event: { name: 'purchase', within: '24h', $eq: 0 } },
          ],
        },
      } as never,
    });
    const reminder = await publishedChunk('cart-reminder', { segments: [segment.documentId] });
    const fallback = await publishedChunk('cart-default', {});
    await strapi.documents('plugin::mosaic.asset').create({
      locale: 'en',
      status: 'published',
      data: {
        title: 'Cart banner',
        slug: 'cart-banner',
        slots: [
          {
            key: 'banner',
            mode: 'first',
            candidates: [{ chunk: reminder.documentId }, { chunk: fallback.documentId }],
          },
        ],
      } as never,
    });

    const visitor = newVisitor();
    await track(visitor, [{ name: 'add_to_cart', value: 49 }]);
    expect(slot(await resolve('cart-banner', visitor), 'banner')).toEqual(['cart-default']);
    await track(visitor, [{ name: 'add_to_cart', value: 19, ts: Date.now() - 60 * 60 * 1000 }]);
    const abandoned = await resolve('cart-banner', visitor);
    expect(slot(abandoned, 'banner')).toEqual(['cart-reminder']);
    expect(abandoned.meta.segments).toEqual(['cart-abandoners']);

    await track(visitor, [{ name: 'purchase', value: 68 }]);
    expect(slot(await resolve('cart-banner', visitor), 'banner')).toEqual(['cart-default']);

    const stranger = newVisitor();
    await track(stranger, [{ name: 'add_to_cart' }, { name: 'add_to_cart' }], null);
    const res = await api().get('/api/mosaic/assets/cart-banner').set('X-Mosaic-Visitor', stranger);
    expect(slot(res.body, 'banner')).toEqual(['cart-default']);
  });

  it('counts visits and tells new visitors from returning ones', async () => {
    const visitor = newVisitor();
    // A visitor's stored counts show in an explanation to an API token only.
    const trusted = { Authorization: `Bearer ${apiToken}` };
    const first = await resolve('home', visitor, '?explain=true', trusted);
    expect(first.meta.explain!.context.visitor).toMatchObject({
      known: true,
      visits: 1,
      new: true,
    });
    // The visit is written after the answer: wait for it before moving the clock back.
    await strapi.plugin('mosaic').service('profiles').settled();
    const hash = hashOf(visitor);
    const meta = strapi.db.metadata.get('plugin::mosaic.profile' as never);
    const lastSeen = (meta.attributes as Record<string, { columnName: string }>).lastSeen
      .columnName;
    await strapi.db
      .connection(meta.tableName)
      .where(
        (meta.attributes as Record<string, { columnName: string }>).visitorHash.columnName,
        hash
      )
      .update({ [lastSeen]: new Date(Date.now() - 2 * 60 * 60 * 1000) });
    // Written past Mosaic: the profile cache is told, as code that writes rows itself must.
    await strapi.plugin('mosaic').service('profiles').changed([hash]);
    const second = await resolve('home', visitor, '?explain=true', trusted);
    expect(second.meta.explain!.context.visitor).toMatchObject({ visits: 2, new: false });
    expect(slot(second, 'proof')).toEqual(['proof-returning']);
  });

  it('records every request of a continuing visit as its last request, counting no new visit', async () => {
    const profiles = strapi.plugin('mosaic').service('profiles');
    const visitors = Array.from({ length: 12 }, () => newVisitor());
    for (const visitor of visitors) await resolve('home', visitor);
    await profiles.settled();
    const stored = async () => {
      const found = (await strapi.db.query('plugin::mosaic.profile' as never).findMany({
        where: { visitorHash: { $in: visitors.map(hashOf) } },
      } as never)) as Array<{ visitorHash: string; visits: number; lastSeen: string }>;
      return new Map(found.map((row) => [row.visitorHash, row]));
    };
    const first = await stored();
    // Every visitor twice more, concurrently: one group commit or several, however they fall.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = Date.now();
    await Promise.all([...visitors, ...visitors].map((visitor) => resolve('home', visitor)));
    const after = Date.now();
    await profiles.settled();
    const now = await stored();
    expect(now.size).toBe(visitors.length);
    for (const visitor of visitors) {
      const row = now.get(hashOf(visitor))!;
      expect(row.visits).toBe(1);
      const seen = new Date(row.lastSeen).getTime();
      expect(seen).toBeGreaterThan(new Date(first.get(hashOf(visitor))!.lastSeen).getTime());
      expect(seen).toBeGreaterThanOrEqual(before);
      expect(seen).toBeLessThanOrEqual(after);
    }
    // What the next answer counts is what was stored: still the first visit.
    const next = await resolve('home', visitors[0], '?explain=true', {
      Authorization: `Bearer ${apiToken}`,
    });
    expect(next.meta.explain!.context.visitor).toMatchObject({ visits: 1, new: true });
  });
});

describe('trusted traits, export and erasure', () => {
  it('takes traits only with an API token, and a persona trait decides the persona', async () => {
    const visitor = newVisitor();
    const anonymous = await api()
      .post('/api/mosaic/identify')
      .send({ visitorId: visitor, traits: { persona: 'executive' } });
    expect(anonymous.status).toBe(403);

    const res = await api()
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ visitorId: visitor, traits: { persona: 'executive', firstName: 'Ada' } });
    expect(res.status).toBe(200);
    expect(res.body.data.traits).toEqual({ persona: 'executive', firstName: 'Ada' });

    const body = await resolve('welcome-email', visitor, '?format=text&explain=true');
    expect(body.meta.explain!.persona.source).toBe('trait');
    expect(body.data.slots[0].chunks[0].content).toBe('Hi Ada,');
    expect(slot(await resolve('home', visitor), 'hero')).toEqual(['hero-executive']);
  });

  it('never serves one visitor’s merge values to another, nor keeps a body that holds them', async () => {
    const identify = (visitor: string, firstName: string) =>
      api()
        .post('/api/mosaic/identify')
        .set('Authorization', `Bearer ${apiToken}`)
        .send({ visitorId: visitor, traits: { firstName } });
    const [ada, bob] = [newVisitor(), newVisitor()];
    await identify(ada, 'Ada');
    await identify(bob, 'Bob');
    const greeting = async (visitor: string) => {
      const body = await resolve('welcome-email', visitor, '?format=html');
      return { content: body.data.slots[0].chunks[0].content, key: body.meta.variantKey };
    };
    const first = await greeting(ada);
    const other = await greeting(bob);
    // Ada's body is rendered for her each time, never kept in the cache where it would outlive
    // an erasure of her profile.
    const cache = strapi.plugin('mosaic').service('cache');
    const kept = cache.stats();
    const again = await greeting(ada);
    expect(cache.stats().entries).toBe(kept.entries);
    expect(cache.stats().rendered).toEqual(kept.rendered);
    expect(first.content).toBe('<p>Hi Ada,</p>');
    expect(other.content).toBe('<p>Hi Bob,</p>');
    expect(other.key).not.toBe(first.key);
    expect(again).toEqual(first);
    // A renamed visitor gets a new variant, not the body rendered for their old name.
    await identify(ada, 'Ada L.');
    expect((await greeting(ada)).content).toBe('<p>Hi Ada L.,</p>');
  });

  it('refuses bad traits with a 400 and keeps the profile as it was', async () => {
    const res = await api()
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ visitorId: newVisitor(), traits: { nested: { deep: true } } });
    expect(res.status).toBe(400);
    expect(await rows('profile', { traits: { $containsi: 'nested' } })).toBe(0);
  });

  it('exports and erases a profile with its events, leaving no row behind', async () => {
    const visitor = newVisitor();
    await track(visitor, [{ name: 'view', chunk: 'hero-default' }, { name: 'click' }]);
    await resolve('home', visitor);
    const hash = hashOf(visitor);
    expect(await rows('event', { visitorHash: hash })).toBe(2);

    expect((await api().delete(`/api/mosaic/profiles/${visitor}`)).status).toBe(403);
    const erased = await api()
      .delete(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(erased.status).toBe(200);
    expect(await rows('profile', { visitorHash: hash })).toBe(0);
    expect(await rows('event', { visitorHash: hash })).toBe(0);
    const again = await api()
      .get(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${apiToken}`);
    expect(again.status).toBe(404);
  });

  it('stores a keyed hash, never the visitor id', async () => {
    const visitor = newVisitor();
    await track(visitor, [{ name: 'view' }]);
    expect(await rows('profile', { visitorHash: visitor })).toBe(0);
    expect(hashOf(visitor)).toMatch(/^[0-9a-f]{64}$/);
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(1);
  });

  it('purges profiles and events past the retention period', async () => {
    const visitor = newVisitor();
    await track(visitor, [{ name: 'view' }]);
    const profiles = strapi.plugin('mosaic').service('profiles');
    await profiles.purge(Date.now() + 10 * DAY);
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(1);
    await profiles.purge(Date.now() + 181 * DAY);
    expect(await rows('profile', { visitorHash: hashOf(visitor) })).toBe(0);
    expect(await rows('event', { visitorHash: hashOf(visitor) })).toBe(0);
  });
});
