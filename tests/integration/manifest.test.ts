/**
 * The manifest, against the playground over real HTTP: who may read it (a token holding the
 * `manifest` permission, not the public), what it holds (published content in every locale, the
 * rules, personas and settings resolution reads; no draft, no profile data), its revalidation
 * (ETag, 304, a new version on every publish), and a standalone resolver polling it: a publish
 * reaches a running resolver within 5 seconds.
 */
import type { AddressInfo } from 'net';

import type { Core } from '@strapi/strapi';
import { resolveAssetResponse } from '../../contracts/delivery';
import { getManifestResponse, type Manifest } from '../../contracts/manifest';
import { createResolver, type Resolver } from '../../resolver/index';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

const CHUNK = 'plugin::mosaic.chunk';
const ASSET = 'plugin::mosaic.asset';

let strapi: Core.Strapi;
let baseUrl: string;
let token: string;
const api = () => wireRequest(strapi.server.httpServer);

async function createToken(body: Record<string, unknown>) {
  const created = await strapi
    .service('admin::api-token')
    .create({ lifespan: null, description: '', ...body });
  return (created as { accessKey: string }).accessKey;
}

const manifest = (headers: Record<string, string> = {}) =>
  api()
    .get('/api/mosaic/manifest')
    .set({ Authorization: `Bearer ${token}`, ...headers });

async function chunkId(slug: string): Promise<string> {
  const doc = await strapi.documents(CHUNK).findFirst({ filters: { slug }, locale: 'en' } as never);
  return (doc as unknown as { documentId: string }).documentId;
}

/** Changes a chunk's English title; published, or left as a draft. */
async function retitle(slug: string, title: string, publish: boolean) {
  const documentId = await chunkId(slug);
  await strapi.documents(CHUNK).update({ documentId, locale: 'en', data: { title } } as never);
  if (publish) await strapi.documents(CHUNK).publish({ documentId, locale: 'en' } as never);
}

beforeAll(async () => {
  strapi = await bootStrapi('manifest');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  token = await createToken({
    name: 'edge resolver',
    type: 'custom',
    permissions: ['plugin::mosaic.manifest.read'],
  });
  const { port } = strapi.server.httpServer.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  // Booting and seeding a fresh MariaDB database takes over a minute on a loaded machine.
}, 180_000);

afterAll(async () => {
  await strapi?.destroy();
});

describe('who may read the manifest', () => {
  it('is refused to the public role, even one granted delivery, and to a delivery-only token', async () => {
    expect((await api().get('/api/mosaic/manifest')).status).toBe(403);
    const deliveryOnly = await createToken({
      name: 'delivery only',
      type: 'custom',
      permissions: ['plugin::mosaic.delivery.asset', 'plugin::mosaic.delivery.chunk'],
    });
    const res = await api()
      .get('/api/mosaic/manifest')
      .set('Authorization', `Bearer ${deliveryOnly}`);
    expect(res.status).toBe(403);
  });

  it('is served to a token holding the manifest permission, kept from shared caches', async () => {
    const res = await manifest();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const answer = parse(getManifestResponse, res);
    expect(res.headers.etag).toBe(`"${answer.meta.version}"`);
    expect(answer.data.version).toBe(answer.meta.version);
  });
});

describe('what the manifest holds', () => {
  let body: Manifest;
  beforeAll(async () => {
    body = parse(getManifestResponse, await manifest()).data;
  });

  it('every published asset in every locale, with the chunks they offer, once each', () => {
    expect(body.settings).toMatchObject({
      defaultLocale: 'en',
      locales: ['en', 'fr'],
      allowPersonaParam: true,
    });
    for (const locale of ['en', 'fr']) {
      expect(Object.keys(body.assets[locale]).sort()).toEqual([
        'company-footer',
        'home',
        'welcome-email',
      ]);
    }
    const home = body.assets.en.home;
    expect(home.slots.map((s) => s.key)).toEqual([
      'hero',
      'features',
      'proof',
      'cta',
      'offer',
      'footer',
    ]);
    const offer = home.slots.find((s) => s.key === 'offer')!;
    expect(offer).toMatchObject({ mode: 'experiment', holdout: 10 });
    expect(offer.candidates.map((c) => c.weight)).toEqual([1, 1]);
    // French chunks where they are translated, the English one where they are not.
    const frHero = body.assets.fr.home.slots[0].candidates.map((c) =>
      c.kind === 'chunk' ? body.chunks[c.chunk!].locale : null
    );
    expect(frHero).toContain('fr');
    const slugs = new Set(Object.values(body.chunks).map((c) => c.slug));
    expect(slugs.has('hero-developer')).toBe(true);
    expect(body.personas).toEqual(['developer', 'executive', 'marketer']);
  });

  it('the segment rules as saved, with their priority', () => {
    const twitter = body.segments.find((s) => s.slug === 'from-twitter');
    expect(twitter).toMatchObject({ rule: expect.any(Object), priority: expect.any(Number) });
    expect(JSON.stringify(twitter!.rule)).toContain('twitter');
  });

  it('no draft, no private field, no profile data', async () => {
    await strapi.documents(ASSET).create({
      locale: 'en',
      data: { slug: 'draft-only', title: 'Draft only', kind: 'page', slots: [] },
    } as never);
    await retitle('hero-default', 'An unpublished draft title', false);
    const visitor = 'manifest-visitor-0001';
    const admin = await createToken({ name: 'identify', type: 'full-access' });
    const identified = await api()
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${admin}`)
      .send({ visitorId: visitor, traits: { firstName: 'Zebulon-the-reader' } });
    expect(identified.status).toBe(200);

    const res = await manifest();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('draft-only');
    expect(text).not.toContain('An unpublished draft title');
    expect(text).not.toContain('Zebulon-the-reader');
    expect(text).not.toContain(visitor);
    // The system fields Strapi keeps on every document (and the private ones) are not served.
    expect(text).not.toMatch(/"(createdBy|updatedBy|publishedAt|password)"/);
    // A draft changes nothing that is served: the version stays.
    expect(parse(getManifestResponse, res).meta.version).toBe(body.version);
  });
});

describe('revalidation', () => {
  it('answers 304 to its ETag, and a new version once something is published', async () => {
    const first = await manifest();
    const again = await manifest({ 'If-None-Match': first.headers.etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    await retitle('cta-default', 'Start today', true);
    const after = await manifest({ 'If-None-Match': first.headers.etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    const cta = Object.values(parse(getManifestResponse, after).data.chunks).find(
      (c) => c.slug === 'cta-default' && c.locale === 'en'
    );
    expect(cta!.title).toBe('Start today');
  });
});

describe('a resolver polling the manifest', () => {
  let resolver: Resolver | undefined;
  afterAll(() => resolver?.close());

  it('refuses to start without the permission', async () => {
    await expect(createResolver({ url: baseUrl, pollMs: 0 })).rejects.toMatchObject({
      status: 403,
    });
  });

  it('serves a publish within 5 seconds', async () => {
    resolver = await createResolver({ url: baseUrl, token, pollMs: 500 });
    const titleOf = () =>
      resolver!.resolve('home', {}, { persona: 'developer' })!.data.slots[0].chunks[0].title;
    expect(titleOf()).not.toBe('Hello, developers');
    const before = resolver.version;

    await retitle('hero-developer', 'Hello, developers', true);
    const published = Date.now();
    while (titleOf() !== 'Hello, developers' && Date.now() - published < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(titleOf()).toBe('Hello, developers');
    expect(Date.now() - published).toBeLessThan(5000);
    expect(resolver.version).not.toBe(before);

    // And it answers as the server does.
    const server = await api().get('/api/mosaic/assets/home?persona=developer');
    expect(resolver.resolve('home', {}, { persona: 'developer' })!.meta.variantKey).toBe(
      parse(resolveAssetResponse, server).meta.variantKey
    );
  });
});
