/**
 * The asset list's actions on whole assets, over HTTP on the demo content, every answer held to
 * contracts/admin.ts: duplicate an asset (a new draft with the same slots, under a free slug),
 * start a new asset from another as its template, and delete one, refused with the assets that
 * nest it while it is nested. Refusals write nothing.
 */
import type { Core } from '@strapi/strapi';

import { adminResponses, type EditorAsset } from '../../contracts/admin';
import { bootStrapi } from './strapi';
import { parse, parseError, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let ids: { assets: Record<string, string>; chunks: Record<string, string> };
let token = '';
const api = () => wireRequest(strapi.server.httpServer);
const auth = (test: ReturnType<ReturnType<typeof api>['get']>) =>
  test.set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  strapi = await bootStrapi('asset_actions');
  ids = await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'editor@mosaic.local', password: 'Mosaic-admin-1', firstname: 'Editor' });
  token = registered.body.data.token;
});

afterAll(async () => {
  await strapi?.destroy();
});

const getAsset = async (documentId: string) =>
  parse(adminResponses.getAsset, await auth(api().get(`/mosaic/assets/${documentId}`)).expect(200))
    .data;

/** What the builder shows of the slots: keys, modes, limits and candidates, in order. */
const shape = (asset: EditorAsset) =>
  asset.slots.map((slot) => ({
    key: slot.key,
    mode: slot.mode,
    limit: slot.limit,
    holdout: slot.holdout,
    candidates: slot.candidates.map((c) => [c.type, c.documentId, c.weight]),
  }));

const listSlugs = async () =>
  parse(adminResponses.listAssets, await auth(api().get('/mosaic/assets')).expect(200)).data.map(
    (a) => a.slug
  );

describe('duplicating an asset', () => {
  it('makes a new draft with the same slots under a free slug, the original unchanged', async () => {
    const before = await getAsset(ids.assets.home);
    const res = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({})
      .expect(201);
    const copy = parse(adminResponses.copyAsset, res).data;
    expect(copy.documentId).not.toBe(ids.assets.home);
    expect(copy.title).toBe('Home page (copy)');
    expect(copy.slug).toBe('home-copy');
    expect(copy.status).toBe('draft');
    expect(shape(copy)).toEqual(shape(before));
    expect(copy.slots.length).toBeGreaterThan(2);
    expect(await getAsset(ids.assets.home)).toEqual(before);

    // A second duplicate gets the next free slug.
    const again = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({})
      .expect(201);
    expect(parse(adminResponses.copyAsset, again).data.slug).toBe('home-copy-2');

    // A draft: readers get nothing under its slug until it is published.
    await api().get('/api/mosaic/assets/home-copy').expect(404);
  });

  it('keeps experiment fields of the slots (holdout, weights)', async () => {
    const home = await getAsset(ids.assets.home);
    const offer = home.slots.find((slot) => slot.key === 'offer');
    expect(offer?.mode).toBe('experiment');
    const res = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({ title: 'Home for the spring campaign' })
      .expect(201);
    const copy = parse(adminResponses.copyAsset, res).data;
    expect(copy.slug).toBe('home-for-the-spring-campaign');
    expect(copy.slots.find((slot) => slot.key === 'offer')).toEqual(offer);
  });
});

describe('a new asset from a template', () => {
  it('starts with the template’s slots under the title and slug given, and can be published', async () => {
    const template = await getAsset(ids.assets['welcome-email']);
    const res = await auth(api().post(`/mosaic/assets/${ids.assets['welcome-email']}/copy`))
      .send({ title: 'Renewal email', slug: 'renewal-email' })
      .expect(201);
    const created = parse(adminResponses.copyAsset, res).data;
    expect(created).toMatchObject({ title: 'Renewal email', slug: 'renewal-email' });
    expect(shape(created)).toEqual(shape(template));

    await auth(api().post(`/mosaic/assets/${created.documentId}/publish`)).expect(200);
    const delivered = await api().get('/api/mosaic/assets/renewal-email?format=text').expect(200);
    const welcome = await api().get('/api/mosaic/assets/welcome-email?format=text').expect(200);
    expect(delivered.body.data.slots).toEqual(welcome.body.data.slots);
  });

  it('refuses a slug already used, with the field at fault, and creates nothing', async () => {
    const before = await listSlugs();
    const res = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({ title: 'Another home', slug: 'home' })
      .expect(400);
    const error = parseError(res).error;
    expect(error.message).toMatch(/slug 'home' is already used/);
    expect(error.details?.errors).toEqual([
      { path: ['slug'], message: "The slug 'home' is already used" },
    ]);
    expect(await listSlugs()).toEqual(before);
  });

  it('refuses bad input and an unknown template with a message', async () => {
    const bad = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({ title: '', colour: 'red' })
      .expect(400);
    expect(parseError(bad).error.message).toMatch(/title: must not be empty/);
    const unknown = await auth(api().post('/mosaic/assets/nosuchasset/copy')).send({}).expect(404);
    expect(parseError(unknown).error.message).toMatch(/No asset nosuchasset/);
  });
});

describe('deleting an asset', () => {
  it('is refused while other assets nest it, naming them, and deletes nothing', async () => {
    const res = await auth(api().delete(`/mosaic/assets/${ids.assets['company-footer']}`)).expect(
      409
    );
    const error = parseError(res).error;
    expect(error.message).toMatch(/'Company footer' is nested in/);
    expect(error.message).toMatch(/'Home page'/);
    const usedBy = parse(adminResponses.whereUsed, {
      ...res,
      body: { data: error.details?.usedBy },
    }).data;
    expect(usedBy.direct.map((use) => use.asset.slug).sort()).toEqual(
      expect.arrayContaining(['home', 'welcome-email'])
    );
    await getAsset(ids.assets['company-footer']);
    await api().get('/api/mosaic/assets/company-footer?format=text').expect(200);
  });

  it('deletes an asset no other asset nests, draft and published', async () => {
    const res = await auth(api().post(`/mosaic/assets/${ids.assets.home}/copy`))
      .send({ title: 'Short-lived page' })
      .expect(201);
    const { documentId } = parse(adminResponses.copyAsset, res).data;
    await auth(api().post(`/mosaic/assets/${documentId}/publish`)).expect(200);
    await api().get('/api/mosaic/assets/short-lived-page?format=text').expect(200);

    const deleted = await auth(api().delete(`/mosaic/assets/${documentId}`)).expect(200);
    expect(parse(adminResponses.deleteAsset, deleted).data).toMatchObject({
      documentId,
      slug: 'short-lived-page',
    });
    await auth(api().get(`/mosaic/assets/${documentId}`)).expect(404);
    await api().get('/api/mosaic/assets/short-lived-page?format=text').expect(404);
    expect(await listSlugs()).not.toContain('short-lived-page');
    await auth(api().delete(`/mosaic/assets/${documentId}`)).expect(404);
  });

  it('is open to editors only', async () => {
    await api().delete(`/mosaic/assets/${ids.assets.home}`).expect(401);
    await api().post(`/mosaic/assets/${ids.assets.home}/copy`).send({}).expect(401);
  });
});
