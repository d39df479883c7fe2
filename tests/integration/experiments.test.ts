/**
 * Experiments over HTTP, against the playground: sticky buckets and what `meta` says, impressions
 * counted once per visitor and day, conversions attributed within the window, exact counts under
 * concurrent load, bad input refused with its path, the insights routes and promoting a winner.
 */
import type { Core } from '@strapi/strapi';

import type { ResolveAsset } from '../../contracts/delivery';
import { getInsightsResponse } from '../../contracts/insights';
import { bootStrapi, publishedChunk } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let token: string;
const api = () => wireRequest(strapi.server.httpServer);
const experiments = () => strapi.plugin('mosaic').service('experiments');

const visitor = (n: number, prefix = 'visitor') => `${prefix}-${String(n).padStart(6, '0')}`;
const consenting = (id: string) => ({ 'X-Mosaic-Visitor': id, 'X-Mosaic-Consent': 'granted' });

const chunk = (slug: string) => publishedChunk(strapi, slug);

async function experimentPage(
  slug: string,
  variants: string[],
  extra: Record<string, unknown> = {}
) {
  const created = await strapi.documents('plugin::mosaic.asset').create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      kind: 'page',
      slots: [
        {
          key: 'offer',
          mode: 'experiment',
          candidates: variants.map((documentId) => ({ chunk: documentId, weight: 1 })),
          ...extra,
        },
      ],
    },
  } as never);
  return created.documentId as string;
}

async function resolve(slug: string, headers: Record<string, string> = {}, query = '') {
  const res = await api().get(`/api/mosaic/assets/${slug}${query}`).set(headers);
  expect(res.status).toBe(200);
  return res as request.Response & { body: ResolveAsset.Response };
}

async function convert(id: string, event: Record<string, unknown>) {
  return api()
    .post('/api/mosaic/events')
    .set(consenting(id))
    .send({ events: [{ name: 'conversion', ...event }] });
}

async function insights(documentId: string, query = '') {
  await experiments().flush();
  const res = await api()
    .get(`/mosaic/insights/${documentId}${query}`)
    .set('Authorization', `Bearer ${token}`);
  expect(res.status).toBe(200);
  return parse(getInsightsResponse, res).data;
}

const arm = (data: GetInsights.Response['data'], id: string) =>
  data.slots.find((s) => s.key === 'offer')!.variants.find((v) => v.id === id)!;

let a: string;
let b: string;
let page: string;

beforeAll(async () => {
  strapi = await bootStrapi('experiments');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const admin = await api()
    .post('/admin/register-admin')
    .send({ email: 'insights@mosaic.local', password: 'Mosaic-insights-1', firstname: 'Insights' });
  token = admin.body.data.token;
  a = await chunk('exp-offer-a');
  b = await chunk('exp-offer-b');
  page = await experimentPage('exp-page', [a, b]);
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('serving an experiment', () => {
  const seen = new Map<string, string>();

  it('gives every visitor one variant, the same on every visit, and names it in meta', async () => {
    for (let i = 0; i < 120; i += 1) {
      const id = visitor(i);
      const first = await resolve('exp-page', consenting(id));
      const again = await resolve('exp-page', consenting(id));
      const [experiment] = first.body.meta.experiments!;
      expect(experiment).toEqual({
        key: `${page}:offer`,
        asset: page,
        slot: 'offer',
        variant: expect.stringMatching(new RegExp(`^(${a}|${b})$`)),
        holdout: false,
        bucketed: true,
        counted: true,
      });
      const served = first.body.data.slots.find((s) => s.key === 'offer')!.chunks;
      expect(served.map((c) => c.documentId)).toEqual([experiment.variant]);
      expect(again.body.meta.experiments![0].variant).toBe(experiment.variant);
      expect(first.headers['cache-control']).toMatch(/^private/);
      seen.set(id, experiment.variant);
    }
    const onA = [...seen.values()].filter((v) => v === a).length;
    expect(onA).toBeGreaterThan(30);
    expect(onA).toBeLessThan(90);
  });

  it('gives different variants different ETags and variant keys', async () => {
    const onA = [...seen].find(([, v]) => v === a)![0];
    const onB = [...seen].find(([, v]) => v === b)![0];
    const [ra, rb] = [
      await resolve('exp-page', consenting(onA)),
      await resolve('exp-page', consenting(onB)),
    ];
    expect(ra.body.meta.variantKey).not.toBe(rb.body.meta.variantKey);
    expect(ra.headers.etag).not.toBe(rb.headers.etag);
  });

  it('gives a visitor without an id the control, publicly cacheable and not counted', async () => {
    const res = await resolve('exp-page');
    expect(res.body.meta.experiments).toEqual([
      expect.objectContaining({ variant: a, bucketed: false, counted: false }),
    ]);
    expect(res.headers['cache-control']).toMatch(/^public/);
  });

  it('buckets a visitor who has not consented but does not count them', async () => {
    const res = await resolve('exp-page', { 'X-Mosaic-Visitor': visitor(1, 'silent') });
    expect(res.body.meta.experiments![0]).toMatchObject({ bucketed: true, counted: false });
    expect(res.headers['cache-control']).toMatch(/^private/);
  });

  it('explains the experiment on its slot', async () => {
    const res = await resolve('exp-page', consenting(visitor(0)), '?explain=true');
    const slot = res.body.meta.explain!.slots.find((s) => s.key === 'offer')!;
    expect(slot).toMatchObject({
      mode: 'experiment',
      experiment: { variant: seen.get(visitor(0)) },
    });
  });

  it('counts each consenting visitor once a day, per variant, as the insights page shows', async () => {
    const data = await insights(page);
    const expected = (v: string) => [...seen.values()].filter((x) => x === v).length;
    expect(data.totals.impressions).toBe(120);
    expect(arm(data, a).impressions).toBe(expected(a));
    expect(arm(data, b).impressions).toBe(expected(b));
    expect(arm(data, a).control).toBe(true);
    expect(data.rows.every((r) => r.day === new Date().toISOString().slice(0, 10))).toBe(true);
  });

  it('credits a conversion to the variant the visitor saw, once per day and goal', async () => {
    const converters = [...seen.keys()].slice(0, 40);
    for (const id of converters) {
      const res = await convert(id, { asset: 'exp-page', goal: 'signup', value: 10 });
      expect(res.status).toBe(202);
      expect(res.body.data).toMatchObject({ profile: true, attributed: 1 });
    }
    const again = await convert(converters[0], { asset: 'exp-page', goal: 'signup' });
    expect(again.body.data.attributed).toBe(0);
    const stranger = await convert(visitor(1, 'stranger'), {});
    expect(stranger.body.data.attributed).toBe(0);

    const data = await insights(page);
    const expected = (v: string) => converters.filter((id) => seen.get(id) === v).length;
    expect(arm(data, a).conversions).toBe(expected(a));
    expect(arm(data, b).conversions).toBe(expected(b));
    expect(arm(data, a).value + arm(data, b).value).toBe(400);
    const signups = await insights(page, '?goal=signup');
    expect(arm(signups, b).conversions).toBe(expected(b));
    const purchases = await insights(page, '?goal=purchase');
    expect(arm(purchases, b).conversions).toBe(0);
    expect(arm(purchases, b).impressions).toBe(arm(data, b).impressions);
  });

  it('refuses a conversion for an unknown asset with its path, and counts nothing', async () => {
    const before = await insights(page);
    const res = await api()
      .post('/api/mosaic/events')
      .set(consenting(visitor(2)))
      .send({
        events: [
          { name: 'conversion', asset: 'exp-page' },
          { name: 'conversion', asset: 'no-such-asset' },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors[0].path).toEqual(['events', '1', 'asset']);
    expect((await insights(page)).totals).toEqual(before.totals);
  });
});

describe('counting under concurrent load', () => {
  it('counts 200 visitors resolving twice at once and converting, exactly', async () => {
    const c = await chunk('load-offer-a');
    const d = await chunk('load-offer-b');
    const loaded = await experimentPage('exp-load', [c, d]);
    const ids = Array.from({ length: 200 }, (_, i) => visitor(i, 'load'));
    const variants = new Map<string, string>();
    const attributed = await Promise.all(
      ids.map(async (id, i) => {
        const [first] = await Promise.all([
          resolve('exp-load', consenting(id)),
          resolve('exp-load', consenting(id)),
        ]);
        variants.set(id, first.body.meta.experiments![0].variant);
        if (i % 2) return 0;
        const res = await convert(id, { asset: loaded });
        return res.body.data.attributed as number;
      })
    );
    expect(attributed.reduce((s, n) => s + n, 0)).toBe(100);
    const data = await insights(loaded);
    expect(data.totals).toEqual({ impressions: 200, conversions: 100 });
    for (const v of [c, d]) {
      expect(arm(data, v).impressions).toBe([...variants.values()].filter((x) => x === v).length);
      expect(arm(data, v).conversions).toBe(
        ids.filter((id, i) => i % 2 === 0 && variants.get(id) === v).length
      );
    }
  });
});

describe('the holdout', () => {
  it('serves the control to held-out visitors and counts them apart', async () => {
    const held = await experimentPage('exp-held', [a, b], { holdout: 100 });
    for (let i = 0; i < 10; i += 1) {
      const res = await resolve('exp-held', consenting(visitor(i, 'held')));
      expect(res.body.meta.experiments![0]).toMatchObject({ variant: a, holdout: true });
    }
    const data = await insights(held);
    const slot = data.slots.find((s) => s.key === 'offer')!;
    expect(slot.holdoutGroup).toMatchObject({ impressions: 10 });
    expect(slot.variants.map((v) => v.impressions)).toEqual([0, 0]);
  });
});

describe('saving an experiment slot', () => {
  const save = (slot: Record<string, unknown>) =>
    strapi.documents('plugin::mosaic.asset').create({
      locale: 'en',
      data: {
        slug: `bad-${Math.random().toString(36).slice(2)}`,
        title: 'Bad',
        kind: 'page',
        slots: [slot],
      },
    } as never);

  it.each([
    [
      { key: 'offer', mode: 'experiment', candidates: [{ weight: -1 }, { weight: 1 }] },
      ['slots', '0', 'candidates', '0', 'weight'],
    ],
    [
      { key: 'offer', mode: 'experiment', candidates: [{ weight: 'a lot' }, { weight: 1 }] },
      ['slots', '0', 'candidates', '0', 'weight'],
    ],
    [
      { key: 'offer', mode: 'experiment', holdout: 150, candidates: [{}, {}] },
      ['slots', '0', 'holdout'],
    ],
    [
      { key: 'offer', mode: 'experiment', candidates: [{ weight: 1 }] },
      ['slots', '0', 'candidates'],
    ],
  ])('refuses %j with the path', async (slot, path) => {
    const count = await strapi.documents('plugin::mosaic.asset').count({} as never);
    await expect(save(slot)).rejects.toMatchObject({
      name: 'ValidationError',
      details: { errors: [expect.objectContaining({ path })] },
    });
    expect(await strapi.documents('plugin::mosaic.asset').count({} as never)).toBe(count);
  });

  it('keeps the holdout the builder saves, and refuses one outside 0–100 with its path', async () => {
    const save = (holdout: number) =>
      api()
        .put(`/mosaic/assets/${page}`)
        .set('Authorization', `Bearer ${token}`)
        .send({
          slots: [
            {
              key: 'offer',
              mode: 'experiment',
              holdout,
              candidates: [
                { type: 'chunk', documentId: a, weight: 1 },
                { type: 'chunk', documentId: b, weight: 3 },
              ],
            },
          ],
        });
    const saved = await save(15);
    expect(saved.status).toBe(200);
    expect(saved.body.data.slots[0]).toMatchObject({ mode: 'experiment', holdout: 15 });
    const refused = await save(101);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors[0].path).toEqual(['slots', '0', 'holdout']);
  });

  it('is refused by the Content Manager too', async () => {
    const res = await api()
      .post('/content-manager/collection-types/plugin::mosaic.asset')
      .set('Authorization', `Bearer ${token}`)
      .send({
        title: 'One-armed test',
        slug: 'one-armed',
        kind: 'page',
        slots: [{ key: 'offer', mode: 'experiment', candidates: [{ weight: 1 }] }],
      });
    expect(res.status).toBe(400);
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ path: ['slots', '0', 'candidates'] }),
    ]);
  });
});

describe('the insights routes', () => {
  it('need an authenticated admin', async () => {
    expect((await api().get(`/mosaic/insights/${page}`)).status).toBe(401);
    expect((await api().get(`/mosaic/insights/${page}/export`)).status).toBe(401);
    expect(
      (await api().post(`/mosaic/insights/${page}/slots/offer/promote`).send({ variant: b })).status
    ).toBe(401);
  });

  it('refuse a bad date with its path, and answer 404 for an unknown asset', async () => {
    const bad = await api()
      .get(`/mosaic/insights/${page}?from=yesterday`)
      .set('Authorization', `Bearer ${token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['from']);
    const missing = await api()
      .get('/mosaic/insights/nope')
      .set('Authorization', `Bearer ${token}`);
    expect(missing.status).toBe(404);
  });

  it('export the same numbers as CSV', async () => {
    const data = await insights(page);
    for (const path of [`/mosaic/insights/${page}/export`, `/mosaic/insights/${page}?format=csv`]) {
      const res = await api().get(path).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const [header, ...lines] = res.text.trim().split('\r\n');
      expect(header).toBe(
        'day,slot,variant,variantSlug,segments,persona,impressions,conversions,value'
      );
      const sum = (column: number) => lines.reduce((s, l) => s + Number(l.split(',')[column]), 0);
      expect(sum(6)).toBe(data.totals.impressions);
      expect(sum(7)).toBe(data.totals.conversions);
      expect(lines.some((l) => l.includes('exp-offer-b'))).toBe(true);
    }
  });

  it('show the demo experiment with four weeks of seeded traffic and a winner', async () => {
    const home = await strapi
      .documents('plugin::mosaic.asset')
      .findFirst({ filters: { slug: 'home' } } as never);
    const data = await insights(home!.documentId);
    const offer = data.slots.find((s) => s.key === 'offer')!;
    expect(new Set(data.rows.map((r) => r.day)).size).toBe(29);
    expect(offer).toMatchObject({ running: true, enoughData: true, holdout: 10 });
    expect(offer.sampleRatio!.mismatch).toBe(false);
    expect(offer.variants.find((v) => v.id === offer.winner)!.slug).toBe('offer-demo');
  });
});

describe('retention', () => {
  it('purges exposures once they are older than the attribution window, keeping the rollups', async () => {
    const before = await insights(page);
    const exposures = () => strapi.db.query('plugin::mosaic.exposure').count({});
    expect(await exposures()).toBeGreaterThan(0);
    expect(await experiments().purge(Date.now())).toBe(0);
    const eightDaysOn = Date.now() + 8 * 24 * 60 * 60 * 1000;
    expect(await experiments().purge(eightDaysOn)).toBeGreaterThan(0);
    expect(await exposures()).toBe(0);
    expect((await insights(page)).totals).toEqual(before.totals);
  });
});

describe('promoting a winner', () => {
  it('refuses a variant that is not a candidate, and a slot that does not exist', async () => {
    const notCandidate = await api()
      .post(`/mosaic/insights/${page}/slots/offer/promote`)
      .set('Authorization', `Bearer ${token}`)
      .send({ variant: 'someone-else' });
    expect(notCandidate.status).toBe(400);
    expect(notCandidate.body.error.details.errors[0].path).toEqual(['variant']);
    const noSlot = await api()
      .post(`/mosaic/insights/${page}/slots/nope/promote`)
      .set('Authorization', `Bearer ${token}`)
      .send({ variant: b });
    expect(noSlot.status).toBe(404);
  });

  it('ends the experiment: the winner first, the slot in first mode, published', async () => {
    const res = await api()
      .post(`/mosaic/insights/${page}/slots/offer/promote`)
      .set('Authorization', `Bearer ${token}`)
      .send({ variant: b });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ asset: page, slot: 'offer', variant: b, mode: 'first' });
    for (let i = 0; i < 10; i += 1) {
      const served = await resolve('exp-page', consenting(visitor(i)));
      expect(served.body.data.slots[0].chunks.map((c) => c.documentId)).toEqual([b]);
      expect(served.body.meta.experiments).toBeUndefined();
    }
    const data = await insights(page);
    const slot = data.slots.find((s) => s.key === 'offer')!;
    expect(slot).toMatchObject({ mode: 'first', running: false });
    expect(slot.variants[0].id).toBe(b);
    expect(data.totals.impressions).toBe(120);
  });
});
