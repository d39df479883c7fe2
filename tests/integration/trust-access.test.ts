/**
 * Who may call what, and with which input, against the playground over real HTTP:
 * - a browser page on another origin resolves and tracks with the visitor headers (CORS), driven
 *   in a real headless Chromium;
 * - an API token that may only read deliveries resolves, and is refused identify, export and
 *   erasure;
 * - rules whose operands a declared trait's column would refuse are answered 400 with their path,
 *   by the audience estimate and on segment save alike, and datetime traits match live as the
 *   database counts them.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import type { Core } from '@strapi/strapi';
import { chromium, type Browser } from 'playwright-core';

import { bootStrapi } from './strapi';
import { wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let strapi: Core.Strapi;
let strapiUrl: string;
let page: http.Server;
let pageOrigin: string;
let adminToken: string;
const api = () => wireRequest(strapi.server.httpServer);
const admin = (method: 'post' | 'put', path: string) =>
  api()[method](path).set('Authorization', `Bearer ${adminToken}`);

/** A page with nothing on it: the browser's fetch() calls run from its origin. */
function listenPage(): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Another origin</title><p>A frontend elsewhere</p>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  page = await listenPage();
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  // The playground's documented line: the origins allowed to call from a browser.
  process.env.CORS_ORIGINS = pageOrigin;
  strapi = await bootStrapi('trust-access');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  strapiUrl = `http://127.0.0.1:${(strapi.server.httpServer.address() as AddressInfo).port}`;
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'trust@mosaic.local', password: 'Mosaic-trust-1', firstname: 'Trust' });
  adminToken = registered.body.data.token;
});

afterAll(async () => {
  await strapi?.destroy();
  await new Promise((resolve) => page?.close(resolve));
  delete process.env.CORS_ORIGINS;
});

const READER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

describe('a browser frontend on another origin', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Runs fetch() in a page of `origin` and answers the status and JSON body, or the error. */
  async function fetchFrom(origin: string, url: string, init: Record<string, unknown>) {
    // A reader's browser: a headless one says so in its user agent, and crawlers are not tracked.
    const tab = await browser.newPage({ userAgent: READER_AGENT });
    try {
      await tab.goto(origin);
      return await tab.evaluate(
        async ([target, options]) => {
          try {
            const response = await fetch(target, options as RequestInit);
            return { status: response.status, body: await response.json(), error: null };
          } catch (error) {
            return { status: 0, body: null, error: String(error) };
          }
        },
        [url, init] as const
      );
    } finally {
      await tab.close();
    }
  }

  const visitor = 'cross-origin-visitor-0001';
  const visitorHeaders = { 'X-Mosaic-Visitor': visitor, 'X-Mosaic-Consent': 'granted' };

  it('resolves personally with the visitor headers: the profile’s persona is applied', async () => {
    await strapi
      .plugin('mosaic')
      .service('profiles')
      .identify(visitor, { persona: 'developer' }, Date.now());
    const res = await fetchFrom(pageOrigin, `${strapiUrl}/api/mosaic/assets/home`, {
      headers: { Accept: 'application/json', ...visitorHeaders },
    });
    expect(res.error).toBeNull();
    expect(res.status).toBe(200);
    expect(res.body.meta.persona).toBe('developer');
  });

  it('tracks events under the visitor’s id', async () => {
    const res = await fetchFrom(pageOrigin, `${strapiUrl}/api/mosaic/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...visitorHeaders },
      body: JSON.stringify({ events: [{ name: 'view', chunk: 'hero-developer' }] }),
    });
    expect(res.error).toBeNull();
    expect(res.status).toBe(202);
    const profile = await strapi.plugin('mosaic').service('profiles').exportProfile(visitor);
    expect(profile.events).toEqual([expect.objectContaining({ name: 'view' })]);
  });

  it('is refused to an origin the app does not list', async () => {
    const other = await listenPage();
    try {
      const origin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const res = await fetchFrom(origin, `${strapiUrl}/api/mosaic/assets/home`, {
        headers: visitorHeaders,
      });
      expect(res.error).toMatch(/Failed to fetch/);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('the preflight allows the visitor headers, for the listed origin only', async () => {
    const preflight = (origin: string) =>
      api()
        .options('/api/mosaic/events')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,x-mosaic-visitor,x-mosaic-consent');
    const allowed = await preflight(pageOrigin);
    expect(allowed.headers['access-control-allow-origin']).toBe(pageOrigin);
    const headers = allowed.headers['access-control-allow-headers'].toLowerCase().split(',');
    expect(headers).toEqual(
      expect.arrayContaining([
        'content-type',
        'authorization',
        'x-mosaic-visitor',
        'x-mosaic-consent',
      ])
    );
    const refused = await preflight('http://evil.example');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('an API token for a server-side frontend', () => {
  async function createToken(body: Record<string, unknown>) {
    const token = await strapi
      .service('admin::api-token')
      .create({ lifespan: null, description: '', ...body });
    return (token as { accessKey: string }).accessKey;
  }

  const calls = (token: string) => {
    const auth = { Authorization: `Bearer ${token}` };
    const visitorId = 'token-visitor-0001';
    return {
      resolve: () => api().get('/api/mosaic/assets/home').set(auth),
      chunk: () => api().get('/api/mosaic/chunks/hero-developer').set(auth),
      events: () =>
        api()
          .post('/api/mosaic/events')
          .set({ ...auth, 'X-Mosaic-Visitor': visitorId, 'X-Mosaic-Consent': 'granted' })
          .send({ events: [{ name: 'view' }] }),
      identify: () =>
        api()
          .post('/api/mosaic/identify')
          .set(auth)
          .send({ visitorId, traits: { plan: 'pro' } }),
      exportProfile: () => api().get(`/api/mosaic/profiles/${visitorId}`).set(auth),
      erase: () => api().delete(`/api/mosaic/profiles/${visitorId}`).set(auth),
    };
  };

  it('a custom token with only the delivery (and events) actions resolves, and may not touch profiles', async () => {
    const token = await createToken({
      name: 'frontend delivery',
      type: 'custom',
      permissions: [
        'plugin::mosaic.delivery.asset',
        'plugin::mosaic.delivery.chunk',
        'plugin::mosaic.tracking.events',
      ],
    });
    const call = calls(token);
    expect((await call.resolve()).status).toBe(200);
    expect((await call.chunk()).status).toBe(200);
    expect((await call.events()).status).toBe(202);
    expect((await call.identify()).status).toBe(403);
    expect((await call.exportProfile()).status).toBe(403);
    expect((await call.erase()).status).toBe(403);
  });

  it('a custom token granted identify passes the API-token-only policy; one without it does not', async () => {
    const identifier = calls(
      await createToken({
        name: 'identify only',
        type: 'custom',
        permissions: ['plugin::mosaic.tracking.identify'],
      })
    );
    expect((await identifier.identify()).status).toBe(200);
    expect((await identifier.exportProfile()).status).toBe(403);
    expect((await identifier.erase()).status).toBe(403);
  });

  it('a read-only token may not identify, export or erase either', async () => {
    const call = calls(await createToken({ name: 'read only', type: 'read-only' }));
    expect((await call.identify()).status).toBe(403);
    expect((await call.exportProfile()).status).toBe(403);
    expect((await call.erase()).status).toBe(403);
  });
});

describe('rules checked against declared trait types', () => {
  const estimate = (rule: unknown) => admin('post', '/mosaic/audience').send({ rule });

  it.each([
    [{ lifetimeValue: { $gte: 'lots' } }, 'lifetimeValue', '$gte'],
    [{ lifetimeValue: true }, 'lifetimeValue'],
    [{ lifetimeValue: { $contains: '1e' } }, 'lifetimeValue', '$contains'],
    [{ orders: { $lt: 2.5 } }, 'orders', '$lt'],
    [{ orders: { $in: [1, 'many'] } }, 'orders', '$in', '1'],
    [{ subscribed: { $eq: 'yes' } }, 'subscribed', '$eq'],
    [{ subscribed: { $startsWith: 't' } }, 'subscribed', '$startsWith'],
    [{ signedUp: { $gt: '2026' } }, 'signedUp', '$gt'],
    [{ signedUp: { $between: ['2026-01-01', 'later'] } }, 'signedUp', '$between', '1'],
    [{ signedUp: { $contains: '2026' } }, 'signedUp', '$contains'],
  ])('the estimate of %j is a 400 at its path, never a 500', async (traits, ...path) => {
    const res = await estimate({ traits });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path)).toEqual([
      ['rule', 'traits', ...path],
    ]);
    expect(res.body.error.message).toContain(`rule.traits.${path.join('.')}`);
  });

  it('saving a segment with such a rule is a 400, through Mosaic’s route and the Content Manager, and writes nothing', async () => {
    const rule = { traits: { lifetimeValue: { $gt: 'a lot' } } };
    const viaMosaic = await admin('post', '/mosaic/segments').send({
      name: 'Big spenders',
      slug: 'big-spenders',
      rule,
    });
    expect(viaMosaic.status).toBe(400);
    expect(viaMosaic.body.error.message).toContain(
      'rule.traits.lifetimeValue.$gt must be a number'
    );
    const viaContentManager = await admin(
      'post',
      '/content-manager/collection-types/plugin::mosaic.segment'
    ).send({ name: 'Big spenders', slug: 'big-spenders', rule });
    expect(viaContentManager.status).toBe(400);
    expect(viaContentManager.body.error.details.errors[0].path).toEqual([
      'rule',
      'traits',
      'lifetimeValue',
      '$gt',
    ]);
    const saved = await strapi
      .documents('plugin::mosaic.segment')
      .count({ filters: { slug: 'big-spenders' } } as never);
    expect(saved).toBe(0);
  });

  it('a datetime trait matches live as the database counts it, whatever the spelling', async () => {
    const profiles = strapi.plugin('mosaic').service('profiles');
    await profiles.identify('dated-0001', { signedUp: '2026-06-15T14:00:00+02:00' }, Date.now());
    await profiles.identify('dated-0002', { signedUp: '2026-06-16T00:00:00.000Z' }, Date.now());
    const rules = [
      { traits: { signedUp: '2026-06-15T12:00:00.000Z' } },
      { traits: { signedUp: { $lte: '2026-06-16' } } },
      { traits: { signedUp: { $gt: '2026-06-15T13:00:00+02:00' } } },
      { traits: { signedUp: { $lt: '2026-06-15T12:00:00Z' } } },
    ];
    const traitsOf = async (visitor: string) =>
      (await profiles.exportProfile(visitor)).traits as Record<string, unknown>;
    const visitors = [await traitsOf('dated-0001'), await traitsOf('dated-0002')];
    for (const rule of rules) {
      const counted = await estimate(rule);
      expect(counted.status).toBe(200);
      let live = 0;
      for (const traits of visitors) {
        const tested = await admin('post', '/mosaic/rules/test').send({
          rule,
          context: { traits },
        });
        expect(tested.status).toBe(200);
        if (tested.body.data.matches) live += 1;
      }
      expect({ rule, matching: counted.body.data.matching }).toEqual({ rule, matching: live });
    }
    // The same answers, written down: 12:00Z is one instant however it is spelled.
    const matching = async (rule: unknown) => (await estimate(rule)).body.data.matching;
    expect(await matching(rules[0])).toBe(1);
    expect(await matching(rules[1])).toBe(2);
    expect(await matching(rules[2])).toBe(2);
    expect(await matching(rules[3])).toBe(0);
  });
});
