/**
 * Impressions from a resolver outside Strapi (POST /api/mosaic/impressions): what a standalone
 * resolver served a visitor, from its answer's `meta`, counted exactly as a delivery answer's
 * impressions are — once per visitor, asset, slot and day, with consent — and only when every
 * experiment is one the published asset runs, with one of its candidates and the visitor's own
 * holdout. API tokens only; bad input refused whole with its path, nothing counted.
 */
import type { Core } from '@strapi/strapi';

import { getInsightsResponse, type GetInsights } from '../../contracts/insights';
import { getManifestResponse } from '../../contracts/manifest';
import { createResolver, type Resolver } from '../../resolver/index';
import { bootStrapi, publishedChunk } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let adminJwt: string;
let reporter: string;
let resolver: Resolver;
let page: string;
const variants: string[] = [];
const api = () => wireRequest(strapi.server.httpServer);

const visitor = (n: number) => `edge-visitor-${String(n).padStart(6, '0')}`;

const chunk = (slug: string) => publishedChunk(strapi, slug);

/** What the resolver served the visitor, as the report's body. */
function served(id: string) {
  const answer = resolver.resolveRequest('edge-exp', {
    headers: { 'X-Mosaic-Visitor': id, 'X-Mosaic-Consent': 'granted' },
  })!;
  const { persona, segments, experiments } = answer.meta;
  return { asset: 'edge-exp', persona, segments, experiments: experiments! };
}

const report = (id: string, body: unknown, consent = 'granted', auth = reporter) =>
  api()
    .post('/api/mosaic/impressions')
    .set('Authorization', `Bearer ${auth}`)
    .set('X-Mosaic-Visitor', id)
    .set('X-Mosaic-Consent', consent)
    .send(body as object);

async function insights(): Promise<GetInsights.Response['data']> {
  await strapi.plugin('mosaic').service('experiments').flush();
  const res = await api()
    .get(`/mosaic/insights/${page}`)
    .set('Authorization', `Bearer ${adminJwt}`);
  expect(res.status).toBe(200);
  return parse(getInsightsResponse, res).data;
}
const impressions = async () => (await insights()).totals;

/** Impressions per arm of the `offer` slot: each variant's, and the holdout's. */
async function arms(): Promise<Map<string, number>> {
  const offer = (await insights()).slots.find((slot) => slot.key === 'offer')!;
  const counts = new Map(offer.variants.map((v) => [v.id, v.impressions]));
  counts.set('holdout', offer.holdoutGroup?.impressions ?? 0);
  return counts;
}

beforeAll(async () => {
  strapi = await bootStrapi('impressions');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const admin = await api().post('/admin/register-admin').send({
    email: 'impressions@mosaic.local',
    password: 'Mosaic-impressions-1',
    firstname: 'Impressions',
  });
  adminJwt = admin.body.data.token;
  variants.push(await chunk('edge-offer-a'), await chunk('edge-offer-b'));
  const created = await strapi.documents('plugin::mosaic.asset').create({
    locale: 'en',
    status: 'published',
    data: {
      slug: 'edge-exp',
      title: 'edge-exp',
      kind: 'page',
      slots: [
        {
          key: 'offer',
          mode: 'experiment',
          holdout: 20,
          candidates: variants.map((documentId) => ({ chunk: documentId, weight: 1 })),
        },
      ],
    },
  } as never);
  page = created.documentId as string;
  const tokens = strapi.service('admin::api-token');
  const full = await tokens.create({
    name: 'manifest reader',
    type: 'full-access',
    lifespan: null,
    description: '',
  });
  const edge = await tokens.create({
    name: 'edge impressions',
    type: 'custom',
    lifespan: null,
    description: '',
    permissions: ['plugin::mosaic.tracking.impressions'],
  });
  reporter = edge.accessKey;
  const manifest = await api()
    .get('/api/mosaic/manifest')
    .set('Authorization', `Bearer ${full.accessKey}`)
    .expect(200);
  resolver = createResolver(parse(getManifestResponse, manifest).data);
}, 180_000);

afterAll(async () => {
  await strapi?.destroy();
});

describe('impressions a standalone resolver served', () => {
  it('are counted as a delivery answer’s: once per visitor and day, with consent', async () => {
    const before = await impressions();
    // Ten visitors at the edge, each reported twice (a reload): ten impressions.
    for (let n = 0; n < 10; n++) {
      const body = served(visitor(n));
      for (let twice = 0; twice < 2; twice++) {
        const res = await report(visitor(n), body).expect(202);
        expect(res.body).toEqual({ data: { counted: 1 }, meta: {} });
      }
    }
    // One more served by Strapi itself: the same rollup, the same rule.
    await api()
      .get('/api/mosaic/assets/edge-exp')
      .set('X-Mosaic-Visitor', visitor(100))
      .set('X-Mosaic-Consent', 'granted')
      .expect(200);
    expect((await impressions()).impressions).toBe(before.impressions + 11);

    // Without consent: checked, not counted.
    const denied = await report(visitor(200), served(visitor(200)), 'denied').expect(202);
    expect(denied.body.data.counted).toBe(0);
    expect((await impressions()).impressions).toBe(before.impressions + 11);
  });

  it('count each arm the resolver chose, which the server would have chosen', async () => {
    const start = await arms();
    const expected = new Map<string, number>();
    for (let n = 300; n < 340; n++) {
      const body = served(visitor(n));
      const [e] = body.experiments;
      const arm = e.holdout ? 'holdout' : e.variant;
      expected.set(arm, (expected.get(arm) ?? 0) + 1);
      await report(visitor(n), body).expect(202);
      // Strapi, asked for the same visitor without consent (nothing counted), serves the same arm.
      const onServer = await api()
        .get('/api/mosaic/assets/edge-exp')
        .set('X-Mosaic-Visitor', visitor(n));
      expect(onServer.body.meta.experiments[0]).toMatchObject({
        variant: e.variant,
        holdout: e.holdout,
      });
    }
    // Forty visitors over two variants and a 20 % holdout: every arm drawn.
    expect(expected.size).toBe(3);
    const end = await arms();
    for (const [arm, count] of expected) {
      expect({ arm, counted: end.get(arm)! - (start.get(arm) ?? 0) }).toEqual({
        arm,
        counted: count,
      });
    }
  });

  it('refuse an experiment, variant, holdout, persona or segment the asset does not have', async () => {
    const before = await impressions();
    const id = visitor(400);
    const good = served(id);
    const [e] = good.experiments;
    const other = variants.find((v) => v !== e.variant)!;
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'experiments.0.key',
        { ...good, experiments: [{ ...e, key: `${e.asset}:hero`, slot: 'hero' }] },
        /runs no experiment/,
      ],
      [
        'experiments.0.variant',
        { ...good, experiments: [{ ...e, variant: 'not-a-candidate' }] },
        /no candidate/,
      ],
      [
        'experiments.0.holdout',
        { ...good, experiments: [{ ...e, holdout: !e.holdout, variant: other }] },
        /bucket/,
      ],
      ['persona', { ...good, persona: 'astronaut' }, /no persona/],
      ['segments.0', { ...good, segments: ['mobile'] }, /no segment/],
      ['asset', { ...good, asset: 'no-such-page' }, /no published asset/],
      ['experiments', { ...good, experiments: [] }, /at least one/],
    ];
    for (const [path, body, message] of cases) {
      const res = await report(id, body);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.message.startsWith(path)).toBe(true);
    }
    expect((await impressions()).impressions).toBe(before.impressions);
  });

  it('take API tokens with the permission only, and a visitor id', async () => {
    const body = served(visitor(500));
    const anonymous = await api()
      .post('/api/mosaic/impressions')
      .set('X-Mosaic-Visitor', visitor(500))
      .send(body);
    expect(anonymous.status).toBe(403);
    const readOnly = await strapi.service('admin::api-token').create({
      name: 'read only',
      type: 'read-only',
      lifespan: null,
      description: '',
    });
    expect((await report(visitor(500), body, 'granted', readOnly.accessKey)).status).toBe(403);
    const noVisitor = await api()
      .post('/api/mosaic/impressions')
      .set('Authorization', `Bearer ${reporter}`)
      .send(body);
    expect(noVisitor.status).toBe(400);
    expect(noVisitor.body.error.message).toMatch(/X-Mosaic-Visitor/);
  });
});
