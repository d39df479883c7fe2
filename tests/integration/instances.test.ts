/**
 * Many instances behind a load balancer: two playground processes on one PostgreSQL database and
 * the machine's Redis. A change published on A is served by B within a second, because A's
 * invalidation reaches B's compiled cache over Redis pub/sub.
 */
import { spawn, type ChildProcess } from 'child_process';
import net from 'net';
import path from 'path';

import Redis from 'ioredis';
import request from 'supertest';

import { freshPostgresSchema } from '../../playground/scripts/databases';

const SCHEMA = 'mosaic_instances';
const database = {
  DATABASE_CLIENT: 'postgres',
  DATABASE_HOST: '127.0.0.1',
  DATABASE_PORT: '5432',
  DATABASE_NAME: 'test',
  DATABASE_USERNAME: 'postgres',
  DATABASE_SCHEMA: SCHEMA,
};
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startInstance(extraEnv: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'instance.js')], {
    env: {
      ...process.env,
      ...database,
      ...extraEnv,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'development',
      CRON_ENABLED: 'false',
      STRAPI_TELEMETRY_DISABLED: 'true',
      MOSAIC_REDIS_URL: 'redis://127.0.0.1:6379',
      MOSAIC_RATE_LIMIT: '4',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt += 1) {
    const ok = await request(url)
      .get('/_health')
      .then((res) => res.status === 204)
      .catch(() => false);
    if (ok) return url;
    if (child.exitCode !== null)
      throw new Error(`instance on ${port} exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`instance on ${port} did not start`);
}

const heroText = async (url: string) => {
  const res = await request(url).get('/api/mosaic/assets/home?format=text');
  expect(res.status).toBe(200);
  return res.body.data.slots.find((s: { key: string }) => s.key === 'hero').chunks[0].content;
};

let a: string;
let b: string;

beforeAll(async () => {
  await freshPostgresSchema(SCHEMA);
  // Rate-limit counters of an earlier run may still be in Redis for a few seconds.
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys('mosaic-track:*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  // A creates the schema and seeds the demo; B starts on the same database after it.
  a = await startInstance({ MOSAIC_DEMO: 'true' });
  b = await startInstance({});
}, 180000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

it('serves on B, within a second, a change published on A', async () => {
  expect(await heroText(b)).toContain('The right content for every reader');
  expect(await heroText(a)).toContain('The right content for every reader');

  const login = await request(a)
    .post('/admin/login')
    .send({ email: 'admin@mosaic.local', password: 'Mosaic-demo-1' });
  expect(login.status).toBe(200);
  const auth = { Authorization: `Bearer ${login.body.data.token}` };
  const cm = '/content-manager/collection-types/plugin::mosaic.chunk';
  const list = await request(a).get(`${cm}?filters[slug][$eq]=hero-default`).set(auth);
  const { documentId } = list.body.results[0];

  const body = [{ type: 'paragraph', children: [{ type: 'text', text: 'Edited on instance A' }] }];
  expect(
    (await request(a).put(`${cm}/${documentId}?locale=en`).set(auth).send({ body })).status
  ).toBe(200);
  const published = await request(a)
    .post(`${cm}/${documentId}/actions/publish?locale=en`)
    .set(auth)
    .send({ body });
  expect(published.status).toBe(200);
  const publishedAt = Date.now();

  let seen = await heroText(b);
  while (seen !== 'Edited on instance A' && Date.now() - publishedAt < 1000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await heroText(b);
  }
  expect(seen).toBe('Edited on instance A');
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
