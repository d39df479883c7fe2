/**
 * The profile cache (services/profile-cache.ts): a consenting visitor's resolves read their
 * profile from memory, and what they are served is always what the store holds. Every write
 * (events, visits, traits, erasure) changes or drops the cached profile before it is acknowledged,
 * here and, over Redis, on every other instance; an erasure leaves no trace in the next answer.
 *
 * One instance on the test database (SQLite unless DATABASE_CLIENT says otherwise), then two
 * playground processes on PostgreSQL sharing the machine's Redis, as tests/integration/instances
 * runs them.
 */
import type { ChildProcess } from 'child_process';

import type { Core } from '@strapi/strapi';
import fc from 'fast-check';
import request from 'supertest';

import { resolveAssetResponse, type ResolveAsset } from '../../contracts/delivery';
import { freshPostgresSchema } from '../../playground/scripts/databases';
import { startInstance as start } from './instances';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

const HOUR = 60 * 60 * 1000;
let visitorCount = 0;
const newVisitor = () => `cache-visitor-${Date.now().toString(36)}-${(visitorCount += 1)}`;

const views = (chunk: string, n: number) =>
  Array.from({ length: n }, () => ({ name: 'view', chunk }));

describe('one instance', () => {
  let strapi: Core.Strapi;
  let token: string;
  const api = () => wireRequest(strapi.server.httpServer);
  const profiles = () => strapi.plugin('mosaic').service('profiles');
  const trusted = () => ({ Authorization: `Bearer ${token}` });

  const track = async (visitor: string, events: unknown[]) => {
    const res = await api()
      .post('/api/mosaic/events')
      .set({ 'X-Mosaic-Visitor': visitor, 'X-Mosaic-Consent': 'granted' })
      .send({ events });
    expect(res.status).toBe(202);
  };

  /** The visitor's answer for `home`, explained with the whole context (API token). */
  const resolve = async (visitor: string, consent = 'granted'): Promise<ResolveAsset.Response> => {
    const res = await api()
      .get('/api/mosaic/assets/home?format=text&explain=true')
      .set({ 'X-Mosaic-Visitor': visitor, 'X-Mosaic-Consent': consent, ...trusted() });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/private/);
    return parse(resolveAssetResponse, res);
  };

  /** What the store holds for the visitor, read by the export route (never from the cache). */
  const stored = async (visitor: string) => {
    const res = await api().get(`/api/mosaic/profiles/${visitor}`).set(trusted());
    expect(res.status).toBe(200);
    return res.body.data;
  };

  beforeAll(async () => {
    strapi = await bootStrapi('profile-cache');
    await demo.seedDemo(strapi);
    await demo.grantPublicDelivery(strapi);
    token = (
      await strapi
        .service('admin::api-token')
        .create({ name: 'cache test', type: 'full-access', lifespan: null, description: '' })
    ).accessKey;
  });

  afterAll(async () => {
    await strapi?.destroy();
  });

  it("serves a returning visitor's profile from memory, as the store holds it", async () => {
    const visitor = newVisitor();
    await track(visitor, views('hero-developer', 3));
    const first = await resolve(visitor);
    expect(profiles().cached(visitor)).toBe(true);
    const before = profiles().cacheStats();
    const second = await resolve(visitor);
    expect(profiles().cacheStats().hits).toBe(before.hits + 1);
    expect(second.meta.persona).toBe('developer');
    expect(second.meta.explain!.context.events).toEqual(first.meta.explain!.context.events);
    const store = await stored(visitor);
    expect(second.meta.explain!.context.events).toEqual(store.events);
    expect(second.meta.explain!.context.visitor!.visits).toBe(store.visits);
  });

  it('shows an acknowledged event in the very next answer', async () => {
    const visitor = newVisitor();
    const anonymous = await resolve(visitor);
    expect(anonymous.meta.persona).toBeNull();
    expect(profiles().cached(visitor)).toBe(true);
    await track(visitor, views('hero-developer', 3));
    const next = await resolve(visitor);
    expect(next.meta.persona).toBe('developer');
    expect(next.meta.explain!.persona.source).toBe('affinity');
  });

  it('shows trusted traits in the very next answer', async () => {
    const visitor = newVisitor();
    await resolve(visitor);
    const identified = await api()
      .post('/api/mosaic/identify')
      .set(trusted())
      .send({ visitorId: visitor, traits: { persona: 'marketer' } });
    expect(identified.status).toBe(200);
    const next = await resolve(visitor);
    expect(next.meta.persona).toBe('marketer');
    expect(next.meta.explain!.persona.source).toBe('trait');
  });

  it('keeps no trace of an erased profile in the next answer', async () => {
    const visitor = newVisitor();
    await track(visitor, views('hero-developer', 4));
    await api()
      .post('/api/mosaic/identify')
      .set(trusted())
      .send({ visitorId: visitor, traits: { plan: 'enterprise' } });
    const known = await resolve(visitor);
    expect(known.meta.persona).toBe('developer');
    expect(profiles().cached(visitor)).toBe(true);

    const erased = await api().delete(`/api/mosaic/profiles/${visitor}`).set(trusted());
    expect(erased.status).toBe(200);
    expect(profiles().cached(visitor)).toBe(false);

    const next = await resolve(visitor);
    expect(next.meta.persona).toBeNull();
    expect(next.meta.explain!.context).toMatchObject({
      events: [],
      traits: {},
      visitor: { visits: 1, new: true },
    });
  });

  it('uses nothing of a cached profile once consent is withdrawn', async () => {
    const visitor = newVisitor();
    await track(visitor, views('hero-developer', 3));
    expect((await resolve(visitor)).meta.persona).toBe('developer');
    const declined = await resolve(visitor, 'denied');
    expect(declined.meta.persona).toBeNull();
    expect(declined.meta.explain!.profile).toBe(false);
  });

  it('answers, after any sequence of batches, events and visits equal to the store', async () => {
    const chunks = ['hero-developer', 'hero-marketer', 'feature-api', 'feature-campaigns'];
    const event = fc.record({
      name: fc.constantFrom('view', 'click', 'signup_started'),
      chunk: fc.constantFrom(...chunks),
      // Late events (an offline queue) land before the newest ones: out of order in the log.
      lateMs: fc.integer({ min: 0, max: 48 * HOUR }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(event, { minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 6 }),
        async (batches) => {
          const visitor = newVisitor();
          await resolve(visitor);
          for (const batch of batches) {
            const now = Date.now();
            await track(
              visitor,
              batch.map(({ lateMs, ...rest }) => ({ ...rest, ts: now - lateMs }))
            );
            const answer = await resolve(visitor);
            const store = await stored(visitor);
            expect(answer.meta.explain!.context.events).toEqual(store.events);
            expect(answer.meta.explain!.context.visitor!.visits).toBe(store.visits);
          }
          expect(profiles().cached(visitor)).toBe(true);
        }
      ),
      { numRuns: 12 }
    );
  }, 120000);
});

/**
 * Two instances on one PostgreSQL database and the machine's Redis: what one writes, the other's
 * next answer shows.
 */
describe('two instances', () => {
  const SCHEMA = 'mosaic_profile_cache_instances';
  const children: ChildProcess[] = [];
  let a: string;
  let b: string;
  let token: string;

  async function startInstance(extraEnv: Record<string, string>): Promise<string> {
    const instance = await start(SCHEMA, {
      ...extraEnv,
      MOSAIC_REDIS_URL: 'redis://127.0.0.1:6379',
      MOSAIC_RATE_LIMIT: '100000',
      MOSAIC_RATE_LIMIT_PER_ADDRESS: '100000',
    });
    children.push(instance.child);
    return instance.url;
  }

  const persona = async (url: string, visitor: string) => {
    const res = await request(url)
      .get('/api/mosaic/assets/home?format=text&explain=true')
      .set({
        'X-Mosaic-Visitor': visitor,
        'X-Mosaic-Consent': 'granted',
        Authorization: `Bearer ${token}`,
      });
    expect(res.status).toBe(200);
    return {
      persona: res.body.meta.persona as string | null,
      events: res.body.meta.explain.context.events as unknown[],
    };
  };

  const track = async (url: string, visitor: string, events: unknown[]) => {
    const res = await request(url)
      .post('/api/mosaic/events')
      .set({ 'X-Mosaic-Visitor': visitor, 'X-Mosaic-Consent': 'granted' })
      .send({ events });
    expect(res.status).toBe(202);
  };

  beforeAll(async () => {
    // The instances run on PostgreSQL's `test` database whatever this run's database is: not on
    // the MariaDB database this file's first Strapi was given (DATABASE_NAME, set by bootStrapi).
    process.env.DATABASE_NAME = 'test';
    await freshPostgresSchema(SCHEMA);
    // A creates the schema and seeds the demo (its admin included); B starts after it.
    a = await startInstance({ MOSAIC_DEMO: 'true' });
    b = await startInstance({});
    const login = await request(a)
      .post('/admin/login')
      .send({ email: 'admin@mosaic.local', password: 'Mosaic-demo-1' });
    expect(login.status).toBe(200);
    const created = await request(a)
      .post('/admin/api-tokens')
      .set('Authorization', `Bearer ${login.body.data.token}`)
      .send({ name: 'cache instances', type: 'full-access', lifespan: null, description: '' });
    expect(created.status).toBe(201);
    token = created.body.data.accessKey;
  }, 240000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it("shows on B, in its next answer, events acknowledged by A; an erasure on A leaves no trace on B's", async () => {
    const visitor = newVisitor();
    // B reads the profile (none yet) and keeps it.
    expect(await persona(b, visitor)).toEqual({ persona: null, events: [] });
    expect(await persona(b, visitor)).toEqual({ persona: null, events: [] });

    await track(a, visitor, views('hero-developer', 3));
    const known = await persona(b, visitor);
    expect(known.persona).toBe('developer');
    expect(known.events).toHaveLength(3);
    // B keeps it again.
    expect((await persona(b, visitor)).persona).toBe('developer');

    const manifestOf = async (url: string) => {
      const res = await request(url)
        .get('/api/mosaic/manifest')
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return res.body.data as { version: string; settings: { summaryNotBefore: number | null } };
    };
    const before = await manifestOf(b);
    const erased = await request(a)
      .delete(`/api/mosaic/profiles/${visitor}`)
      .set('Authorization', `Bearer ${token}`);
    expect(erased.status).toBe(200);
    expect(await persona(b, visitor)).toEqual({ persona: null, events: [] });
    // B's manifest revokes the summaries issued before the erasure too, as A's does, once B has
    // heard of it over Redis (a moment after A answered).
    const onA = await manifestOf(a);
    expect(onA.settings.summaryNotBefore).toBeGreaterThan(before.settings.summaryNotBefore ?? 0);
    let onB = await manifestOf(b);
    for (let tries = 0; onB.version !== onA.version && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      onB = await manifestOf(b);
    }
    expect(onB.settings.summaryNotBefore).toBe(onA.settings.summaryNotBefore);
    expect(onB.version).toBe(onA.version);
  });

  it('shows on B, in its next answer, traits set on A', async () => {
    const visitor = newVisitor();
    expect((await persona(b, visitor)).persona).toBeNull();
    const identified = await request(a)
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${token}`)
      .send({ visitorId: visitor, traits: { persona: 'executive' } });
    expect(identified.status).toBe(200);
    expect((await persona(b, visitor)).persona).toBe('executive');
  });
});
