/**
 * Facts that live in one place on the server (issue #14), held on the playground app: one rule
 * entry point (the app's `$semverGte` is valid wherever a rule is checked, listed in the taxonomy,
 * and every route reports a rule's faults with the same paths), one assembly path (the preview
 * serves an app's asset fields as delivery does), one slot writer (promoting a winner keeps what
 * an app stores on slots and candidates, as the editor's save does), and one visit-count rule
 * (the count a resolve serves is the count the database stores).
 */
import type { Core } from '@strapi/strapi';
import request from 'supertest';

import { bootStrapi } from './strapi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

const ASSET = 'plugin::mosaic.asset';

let strapi: Core.Strapi;
let token = '';
let chunks: Record<string, string>;
const api = () => request(strapi.server.httpServer);
const admin = (method: 'get' | 'post', url: string) =>
  api()[method](url).set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  strapi = await bootStrapi('one-source', (app) => {
    // Fields an app adds to Mosaic's slot and candidate components (another feature's data).
    const components = app.get('components');
    (components.get('mosaic.slot').attributes as Record<string, unknown>).note = { type: 'string' };
    (components.get('mosaic.candidate').attributes as Record<string, unknown>).label = {
      type: 'string',
    };
  });
  ({ chunks } = await demo.seedDemo(strapi));
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'editor@mosaic.local', password: 'Mosaic-admin-1', firstname: 'Editor' });
  token = registered.body.data.token;
  // A fresh PostgreSQL or MariaDB schema with the demo takes a while on a busy machine.
}, 180_000);

afterAll(async () => {
  await strapi?.destroy();
});

const semver = { utm: { content: { $semverGte: '2.0.0' } } };

describe('one rule entry point', () => {
  it("accepts the app's operator in the admin's validator and rule test", async () => {
    const validated = await admin('post', '/mosaic/rules/validate').send({ rule: semver });
    expect(validated.status).toBe(200);
    expect(validated.body.data).toEqual({ valid: true, errors: [] });

    const test = (content: string) =>
      admin('post', '/mosaic/rules/test').send({ rule: semver, context: { utm: { content } } });
    expect((await test('2.10.0')).body.data).toEqual({ matches: true });
    expect((await test('1.9.3')).body.data).toEqual({ matches: false });
  });

  it("lists the app's operator in the taxonomy beside Strapi's", async () => {
    const res = await admin('get', '/mosaic/taxonomy');
    expect(res.status).toBe(200);
    expect(res.body.data.operators).toEqual(expect.arrayContaining(['$eq', '$in', '$semverGte']));
  });

  it('reports a fault at the root of a rule at the path `rule`, on every route', async () => {
    const validated = await admin('post', '/mosaic/rules/validate').send({ rule: 'everyone' });
    expect(validated.body.data.valid).toBe(false);
    const audience = await admin('post', '/mosaic/audience').send({ rule: 'everyone' });
    expect(audience.status).toBe(400);
    const tested = await admin('post', '/mosaic/rules/test').send({
      rule: 'everyone',
      context: {},
    });
    expect(tested.status).toBe(400);
    const saved = await admin('post', '/mosaic/segments').send({ name: 'All', rule: 'everyone' });
    expect(saved.status).toBe(400);

    const expected = validated.body.data.errors;
    expect(expected).toEqual([{ path: ['rule'], message: expect.stringMatching(/^rule\b/) }]);
    for (const refused of [audience, tested, saved]) {
      expect(refused.body.error.details.errors).toEqual(expected);
    }
  });

  it("reports a fault in the app's operand with the same path and message on every route", async () => {
    const rule = { utm: { content: { $semverGte: 'two' } } };
    const validated = await admin('post', '/mosaic/rules/validate').send({ rule });
    expect(validated.body.data.errors).toEqual([
      {
        path: ['rule', 'utm', 'content', '$semverGte'],
        message: 'rule.utm.content.$semverGte must be a version such as "2.1.0"',
      },
    ]);
    const audience = await admin('post', '/mosaic/audience').send({ rule });
    const saved = await admin('post', '/mosaic/segments').send({ name: 'Old app', rule });
    for (const refused of [audience, saved]) {
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors).toEqual(validated.body.data.errors);
    }
  });
});

describe('one assembly path and one slot writer', () => {
  let documentId = '';

  beforeAll(async () => {
    const created = await strapi.documents(ASSET).create({
      data: {
        title: 'App fields',
        slug: 'app-fields',
        summary: 'A page about app fields',
        slots: [
          {
            key: 'offer',
            mode: 'experiment',
            note: 'kept by the app',
            candidates: [
              { chunk: chunks['hero-developer'], weight: 1, label: 'developer' },
              { chunk: chunks['hero-marketer'], weight: 1, label: 'marketer' },
            ],
          },
          {
            key: 'footer',
            mode: 'first',
            note: 'untouched',
            candidates: [{ chunk: chunks['cta-developer'], label: 'footer cta' }],
          },
        ],
      },
    } as never);
    documentId = created.documentId;
  });

  it("shows the asset's app fields in the preview, as delivery serves them", async () => {
    const preview = await admin('post', '/mosaic/preview').send({
      asset: documentId,
      reader: { persona: 'developer' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({
      slug: 'app-fields',
      summary: 'A page about app fields',
    });

    await strapi.documents(ASSET).publish({ documentId } as never);
    await demo.grantPublicDelivery(strapi);
    const served = await api().get('/api/mosaic/assets/app-fields?persona=developer');
    expect(served.status).toBe(200);
    expect(served.body.data).toEqual(preview.body.data);
  });

  it('keeps what an app stores on slots and candidates when a winner is promoted', async () => {
    const promoted = await admin('post', `/mosaic/insights/${documentId}/slots/offer/promote`).send(
      { variant: chunks['hero-marketer'] }
    );
    expect(promoted.status).toBe(200);

    const published = await strapi.documents(ASSET).findOne({
      documentId,
      status: 'published',
      populate: { slots: { populate: { candidates: { populate: ['chunk'] } } } },
    } as never);
    const slots = (published as unknown as { slots: Array<Record<string, unknown>> }).slots;
    expect(
      slots.map((slot) => ({
        key: slot.key,
        mode: slot.mode,
        note: slot.note,
        candidates: (slot.candidates as Array<{ label: string; chunk: { slug: string } }>).map(
          (c) => [c.chunk.slug, c.label]
        ),
      }))
    ).toEqual([
      {
        key: 'offer',
        mode: 'first',
        note: 'kept by the app',
        candidates: [
          ['hero-marketer', 'marketer'],
          ['hero-developer', 'developer'],
        ],
      },
      {
        key: 'footer',
        mode: 'first',
        note: 'untouched',
        candidates: [['cta-developer', 'footer cta']],
      },
    ]);
  });
});

describe('one visit-count rule', () => {
  it('stores the visits a resolve counted, within and across the session gap', async () => {
    const profiles = strapi.plugin('mosaic').service('profiles');
    const minute = 60 * 1000;
    const start = Date.parse('2026-06-01T12:00:00Z');
    const visitor = 'visit-rule-0001';
    // A profile that events created (no visit yet), then requests 1, 29, 31 and 90 minutes apart.
    await profiles.track(visitor, [{ name: 'view', ts: start - minute }], start - minute);
    const counted: number[] = [];
    const stored: number[] = [];
    for (const at of [0, 1, 30, 61, 151].map((m) => start + m * minute)) {
      counted.push((await profiles.forResolve(visitor, at)).visitor.visits);
      await profiles.settled();
      stored.push((await profiles.exportProfile(visitor)).visits);
    }
    expect(counted).toEqual([1, 1, 1, 2, 3]);
    expect(stored).toEqual(counted);
  });
});
