/**
 * Many instances behind a load balancer: two playground processes on one PostgreSQL database and
 * the machine's Redis (through a TCP proxy this test can cut, the shared server staying up). A
 * change published on A is served by B within a second, because A's invalidation reaches B's
 * compiled cache over Redis pub/sub; with Redis gone, within seconds all the same, and nothing
 * fails. An instance killed under load loses no event it acknowledged, and starts again cleanly.
 */
import Redis from 'ioredis';
import knex, { type Knex } from 'knex';
import request from 'supertest';

import { freshPostgresSchema } from '../../playground/scripts/databases';
import { PG_CONNECTION, startInstance as start, type Instance } from './instances';
import { tcpProxy, type Proxy } from './proxy';

const SCHEMA = 'mosaic_instances';
/** Each instance's process and what it logged, by its URL. */
const instances = new Map<string, Instance>();
let redisProxy: Proxy;

async function startInstance(extraEnv: Record<string, string>): Promise<string> {
  const instance = await start(SCHEMA, {
    ...extraEnv,
    MOSAIC_REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
    MOSAIC_RATE_LIMIT: '4',
    // Every request here comes from one address: the per-visitor limit is the one under test.
    MOSAIC_RATE_LIMIT_PER_ADDRESS: '100000',
  });
  instances.set(instance.url, instance);
  return instance.url;
}

const heroText = async (url: string) => {
  const res = await request(url).get('/api/mosaic/assets/home?format=text');
  expect(res.status).toBe(200);
  return res.body.data.slots.find((s: { key: string }) => s.key === 'hero').chunks[0].content;
};

/** Polls `read` until it answers `expected`, for at most `ms`; answers what it read last. */
async function eventually<T>(read: () => Promise<T>, expected: T, ms: number): Promise<T> {
  const started = Date.now();
  let seen = await read();
  while (seen !== expected && Date.now() - started < ms) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await read();
  }
  return seen;
}

/** Edits and publishes the hero's default chunk through instance `url`'s Content Manager. */
async function publishHero(url: string, text: string) {
  const login = await request(url)
    .post('/admin/login')
    .send({ email: 'admin@mosaic.local', password: 'Mosaic-demo-1' });
  expect(login.status).toBe(200);
  const auth = { Authorization: `Bearer ${login.body.data.token}` };
  const cm = '/content-manager/collection-types/plugin::mosaic.chunk';
  const list = await request(url).get(`${cm}?filters[slug][$eq]=hero-default`).set(auth);
  const { documentId } = list.body.results[0];
  const body = [{ type: 'paragraph', children: [{ type: 'text', text }] }];
  expect(
    (await request(url).put(`${cm}/${documentId}?locale=en`).set(auth).send({ body })).status
  ).toBe(200);
  const published = await request(url)
    .post(`${cm}/${documentId}/actions/publish?locale=en`)
    .set(auth)
    .send({ body });
  expect(published.status).toBe(200);
}

const track = (url: string, visitor: string, event: Record<string, unknown> = { name: 'view' }) =>
  request(url)
    .post('/api/mosaic/events')
    .set({ 'X-Mosaic-Visitor': visitor, 'X-Mosaic-Consent': 'true' })
    .send({ events: [event] });

let a: string;
let b: string;

beforeAll(async () => {
  await freshPostgresSchema(SCHEMA);
  redisProxy = await tcpProxy({ host: '127.0.0.1', port: 6379 });
  // Rate-limit counters of an earlier run may still be in Redis for a few seconds.
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys('mosaic-track:*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  // A creates the schema and seeds the demo; B starts on the same database after it.
  a = await startInstance({ MOSAIC_DEMO: 'true' });
  b = await startInstance({});
}, 180000);

afterAll(async () => {
  for (const { child } of instances.values()) child.kill('SIGKILL');
  await redisProxy.close();
});

it('serves on B, within a second, a change published on A', async () => {
  expect(await heroText(b)).toContain('The right content for every reader');
  expect(await heroText(a)).toContain('The right content for every reader');

  await publishHero(a, 'Edited on instance A');
  expect(await eventually(() => heroText(b), 'Edited on instance A', 1000)).toBe(
    'Edited on instance A'
  );
  expect(await heroText(a)).toBe('Edited on instance A');
});

it('shares the tracking rate limit between the instances', async () => {
  const send = (url: string) =>
    request(url)
      .post('/api/mosaic/events')
      .set('X-Mosaic-Visitor', 'shared-limit-visitor')
      .send({ events: [{ name: 'view' }] })
      .then((res) => res.status);
  // Four batches per ten seconds in all, wherever the load balancer sends them.
  expect([await send(a), await send(b), await send(a), await send(b)]).toEqual([
    202, 202, 202, 202,
  ]);
  expect(await send(a)).toBe(429);
  expect(await send(b)).toBe(429);
});

describe('when Redis goes away and comes back', () => {
  const count = (text: string, part: string) => text.split(part).length - 1;

  it('fails no request, shows what the other instance published within seconds, and resubscribes', async () => {
    await redisProxy.cut();
    for (const url of [a, b]) {
      expect(await heroText(url)).toBe('Edited on instance A');
      // The rate limit falls back to each instance's own memory.
      expect((await track(url, `redis-outage-${url.split(':').pop()}`)).status).toBe(202);
    }
    // Without pub/sub, B's cache entries expire on their own: a few seconds, not a restart.
    await publishHero(a, 'Edited while Redis was away');
    expect(await eventually(() => heroText(b), 'Edited while Redis was away', 6000)).toBe(
      'Edited while Redis was away'
    );

    await redisProxy.restore();
    const back = (url: string) => async () =>
      instances.get(url)!.log.includes('redis reachable again');
    for (const url of [a, b]) expect(await eventually(back(url), true, 10000)).toBe(true);
    for (const url of [a, b]) {
      expect(count(instances.get(url)!.log, 'redis unreachable')).toBe(1);
      expect(count(instances.get(url)!.log, 'redis reachable again')).toBe(1);
    }
    // Pub/sub again: within a second.
    await publishHero(a, 'Edited once Redis was back');
    expect(await eventually(() => heroText(b), 'Edited once Redis was back', 1000)).toBe(
      'Edited once Redis was back'
    );
  }, 60000);
});

describe('an instance killed under load', () => {
  let db: Knex;

  beforeAll(() => {
    db = knex({
      client: 'pg',
      connection: PG_CONNECTION,
      searchPath: [SCHEMA],
    });
  });
  afterAll(() => db.destroy());

  /** How many rows of the event log hold each `props.n` of the events named `name`. */
  async function storedCounts(name: string) {
    const rows: Array<{ props: unknown }> = await db('mosaic_events')
      .select('props')
      .where({ name });
    const counts = new Map<number, number>();
    for (const { props } of rows) {
      const { n } = (typeof props === 'string' ? JSON.parse(props) : props) as { n: number };
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    return counts;
  }

  it('stores every acknowledged event exactly once; the other serves on; it restarts cleanly', async () => {
    const total = 600;
    const acknowledged = new Set<number>();
    const survivorFailures: string[] = [];
    let next = 0;
    let killed = false;
    const victim = a;
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const url = n % 2 ? b : victim;
        if (n === Math.floor(total / 3)) {
          instances.get(victim)!.child.kill('SIGKILL');
          killed = true;
        }
        try {
          const res = await track(url, `load-visitor-${n}`, { name: 'under-load', props: { n } });
          if (res.status === 202) acknowledged.add(n);
          else if (url === b) survivorFailures.push(`${n}: ${res.status}`);
        } catch (error) {
          if (url === b || !killed) survivorFailures.push(`${n}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    expect(survivorFailures).toEqual([]);
    // The victim acknowledged some before it died, and nothing after.
    const fromVictim = [...acknowledged].filter((n) => n % 2 === 0);
    expect(fromVictim.length).toBeGreaterThan(0);
    expect(fromVictim.length).toBeLessThan(total / 2);

    const counts = await storedCounts('under-load');
    for (const n of acknowledged) expect([n, counts.get(n)]).toEqual([n, 1]);
    // An event the victim took but did not acknowledge is stored once or not at all.
    expect([...counts.values()].filter((c) => c > 1)).toEqual([]);

    // The survivor serves on; the victim starts again on the same database and serves too.
    expect(await heroText(b)).toBe('Edited once Redis was back');
    const restarted = await startInstance({});
    expect(await heroText(restarted)).toBe('Edited once Redis was back');
    expect(
      (await track(restarted, 'after-restart', { name: 'under-load', props: { n: -1 } })).status
    ).toBe(202);
    expect((await storedCounts('under-load')).get(-1)).toBe(1);
  }, 120000);
});
