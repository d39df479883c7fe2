/**
 * Segments managed from Mosaic's Segments screen (contracts/admin.ts): duplicated, their uses
 * listed, and deleted only when no chunk is targeted at them; each route guarded by its permission.
 * The rule builder's context fields come with the group and the human name it shows.
 */
import type { Core } from '@strapi/strapi';

import { adminResponses } from '../../contracts/admin';
import { bootStrapi } from './strapi';
import { parse, parseError, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let ids: { chunks: Record<string, string>; segments: Record<string, string> };
const tokens = { admin: '', reader: '' };
const api = () => wireRequest(strapi.server.httpServer);

const as = (who: keyof typeof tokens) => ({
  get: (url: string) => api().get(url).set('Authorization', `Bearer ${tokens[who]}`),
  post: (url: string, body: object = {}) =>
    api().post(url).set('Authorization', `Bearer ${tokens[who]}`).send(body),
  delete: (url: string) => api().delete(url).set('Authorization', `Bearer ${tokens[who]}`),
});
const admin = as('admin');

const segmentCount = () => strapi.documents('plugin::mosaic.segment').count({} as never);

beforeAll(async () => {
  strapi = await bootStrapi('segments');
  ids = await demo.seedDemo(strapi);
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'editor@mosaic.local', password: 'Mosaic-admin-1', firstname: 'Editor' });
  tokens.admin = registered.body.data.token;
  const role = await strapi
    .service('admin::role')
    .create({ name: 'Readers', description: 'read Mosaic only' });
  await strapi
    .service('admin::role')
    .assignPermissions(role.id, [
      { action: 'plugin::mosaic.read', subject: null, properties: {}, conditions: [] },
    ]);
  await strapi.service('admin::user').create({
    email: 'reader@mosaic.local',
    firstname: 'Reader',
    password: 'Mosaic-test-1',
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  const login = await api()
    .post('/admin/login')
    .send({ email: 'reader@mosaic.local', password: 'Mosaic-test-1' });
  tokens.reader = login.body.data.token;
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('the rule builder’s fields', () => {
  it('come in groups with human names, app-declared traits and personas included', async () => {
    const { data } = parse(
      adminResponses.taxonomy,
      await admin.get('/mosaic/taxonomy').expect(200)
    );
    const byField = Object.fromEntries(data.contextFields.map((f) => [f.field, f]));
    expect(byField['geo.country']).toEqual({
      field: 'geo.country',
      type: 'string',
      group: 'location',
      label: 'Country',
    });
    expect(byField['device.type']).toMatchObject({ group: 'device', label: 'Device type' });
    expect(byField['utm.source']).toMatchObject({ group: 'campaign' });
    expect(byField['time.weekday']).toMatchObject({ group: 'time', label: 'Day of the week' });
    expect(byField['affinity.personas.developer']).toMatchObject({
      group: 'behaviour',
      type: 'number',
      label: 'Interest in Developer',
    });
    expect(byField['traits.lifetimeValue']).toMatchObject({
      group: 'traits',
      type: 'number',
      label: 'Lifetime value',
    });
    expect(byField['traits.subscribed']).toMatchObject({ type: 'boolean' });
    expect(byField['traits.signedUp']).toMatchObject({ type: 'datetime' });
  });
});

describe('segments on the Segments screen', () => {
  it('duplicates a segment: same rule and priority, a name and slug of its own', async () => {
    const before = await segmentCount();
    const res = await admin
      .post(`/mosaic/segments/${ids.segments['dach-visitors']}/duplicate`)
      .expect(201);
    const copy = parse(adminResponses.duplicateSegment, res).data;
    expect(copy).toEqual({
      documentId: expect.any(String),
      name: 'Visitors from Germany, Austria and Switzerland (copy)',
      slug: 'dach-visitors-copy',
      priority: 10,
      rule: { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
    });
    expect(copy.documentId).not.toBe(ids.segments['dach-visitors']);
    const again = parse(
      adminResponses.duplicateSegment,
      await admin.post(`/mosaic/segments/${ids.segments['dach-visitors']}/duplicate`).expect(201)
    ).data;
    expect(again.slug).toBe('dach-visitors-copy-2');
    expect(await segmentCount()).toBe(before + 2);
  });

  it('lists the chunks targeted at a segment and the assets offering them', async () => {
    const res = await admin
      .get(`/mosaic/segments/${ids.segments['from-twitter']}/where-used`)
      .expect(200);
    const uses = parse(adminResponses.segmentUses, res).data;
    expect(uses.chunks.map((c) => c.slug).sort()).toEqual(expect.arrayContaining(['hero-twitter']));
    expect(uses.assets).toContainEqual({
      asset: expect.objectContaining({ slug: 'home', title: 'Home page' }),
      slots: expect.arrayContaining(['hero']),
    });
  });

  it('refuses to delete a segment chunks are targeted at, naming them, and deletes nothing', async () => {
    const before = await segmentCount();
    const res = await admin.delete(`/mosaic/segments/${ids.segments['from-twitter']}`).expect(400);
    const { error } = parseError(res);
    expect(error.message).toMatch(/^Segment 'from-twitter' is still targeted by \d chunks? \(/);
    expect(error.message).toContain('take it off');
    expect(
      (error.details as { uses: { chunks: Array<{ slug: string }> } }).uses.chunks.map(
        (c) => c.slug
      )
    ).toContain('hero-twitter');
    expect(await segmentCount()).toBe(before);
  });

  it('deletes a segment nothing targets; the Segments screen no longer lists it', async () => {
    const copy = parse(
      adminResponses.duplicateSegment,
      await admin.post(`/mosaic/segments/${ids.segments['from-twitter']}/duplicate`).expect(201)
    ).data;
    const unused = parse(
      adminResponses.segmentUses,
      await admin.get(`/mosaic/segments/${copy.documentId}/where-used`).expect(200)
    ).data;
    expect(unused).toEqual({ chunks: [], assets: [] });
    const res = await admin.delete(`/mosaic/segments/${copy.documentId}`).expect(200);
    expect(parse(adminResponses.deleteSegment, res).data).toEqual({
      documentId: copy.documentId,
    });
    const { data } = parse(
      adminResponses.taxonomy,
      await admin.get('/mosaic/taxonomy').expect(200)
    );
    expect(data.segments.map((s) => s.documentId)).not.toContain(copy.documentId);
    await admin.delete(`/mosaic/segments/${copy.documentId}`).expect(404);
  });

  it('answers 404 for a segment that does not exist', async () => {
    await admin.post('/mosaic/segments/nope/duplicate').expect(404);
    await admin.get('/mosaic/segments/nope/where-used').expect(404);
    await admin.delete('/mosaic/segments/nope').expect(404);
  });

  it('lets a reader see the uses but not duplicate or delete', async () => {
    const reader = as('reader');
    const id = ids.segments['dach-visitors'];
    await reader.get(`/mosaic/segments/${id}/where-used`).expect(200);
    await reader.post(`/mosaic/segments/${id}/duplicate`).expect(403);
    await reader.delete(`/mosaic/segments/${id}`).expect(403);
  });
});
