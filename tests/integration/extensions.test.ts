/**
 * What an app developer adds to Mosaic, over HTTP against the playground: fields added to chunks
 * (src/extensions/mosaic), and the extension points the playground registers (the CRM enricher,
 * the $semverGte operator, the mrkdwn format). Broken extensions — a throwing and a slow enricher,
 * a throwing operator, a throwing format and throwing hooks — are registered by this file once
 * Strapi is up, and stay registered for every test: none of them may break a resolution.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';

import {
  resolveAssetResponse,
  type DeliveredChunk,
  type ResolveAsset,
} from '../../contracts/delivery';
import type { MosaicExtensions } from '../../contracts/extensions';
import { bootStrapi } from './strapi';
import { parse, wireRequest, withHookedMeta, type WireResponse } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let seeded: { chunks: Record<string, string>; personas: Record<string, string> };
// This file's `afterResolve` hook adds `meta.resolvedBy` to the delivery answers.
const hooked = { resolvedBy: z.string() };
const api = () => wireRequest(strapi.server.httpServer, hooked);
const extensions = () => strapi.plugin('mosaic').service('extensions') as MosaicExtensions;

const chunkOf = (body: ResolveAsset.Response, slot: string, slug: string) =>
  body.data.slots
    .find((s) => s.key === slot)!
    .chunks.find((c) => c.slug === slug) as DeliveredChunk;

async function publishedChunk(slug: string, data: Record<string, unknown> = {}) {
  return strapi.documents('plugin::mosaic.chunk').create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: `This is ${slug}` }] }],
      ...data,
    } as never,
  });
}

async function segment(slug: string, rule: unknown) {
  return strapi
    .documents('plugin::mosaic.segment')
    .create({ data: { slug, name: slug, rule, priority: 1 } as never });
}

/** A one-slot page whose candidates are the given chunks, in order. */
async function page(slug: string, chunkIds: string[]) {
  return strapi.documents('plugin::mosaic.asset').create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      kind: 'page',
      slots: [{ key: 'main', mode: 'first', candidates: chunkIds.map((chunk) => ({ chunk })) }],
    } as never,
  });
}

const served = async (slug: string, query = '', headers: Record<string, string> = {}) => {
  const res = await api().get(`/api/mosaic/assets/${slug}${query}`).set(headers);
  expect(res.status).toBe(200);
  return res;
};
const mainSlot = (res: WireResponse) =>
  parse(withHookedMeta(resolveAssetResponse, hooked), res).data.slots[0].chunks.map((c) => c.slug);

beforeAll(async () => {
  strapi = await bootStrapi('extensions');
  seeded = await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);

  const broken = extensions();
  broken.registerEnricher('throws', () => {
    throw new Error('CRM is down');
  });
  broken.registerEnricher(
    'slow',
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return { traits: { slow: true } };
    },
    { timeoutMs: 20 }
  );
  broken.registerOperator('$broken', {
    validate: () => null,
    evaluate: () => {
      throw new Error('operator bug');
    },
  });
  broken.registerFormat('broken', {
    contentType: 'text/plain',
    render: () => {
      throw new Error('renderer bug');
    },
  });
  broken.beforeResolve(() => {
    throw new Error('hook bug');
  });
  broken.afterResolve(async () => {
    throw new Error('hook bug');
  });
  broken.afterResolve((result, ctx) => {
    result.meta.resolvedBy = `${ctx.kind}:${ctx.slug}`;
  });
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('fields an app adds to chunks', () => {
  it('serves the icon with its url, alternative text and size, and the cta component', async () => {
    const res = await served('home');
    const reuse = chunkOf(res.body, 'features', 'feature-reuse');
    expect(reuse.icon).toEqual({
      documentId: expect.any(String),
      name: 'favicon.png',
      alternativeText: 'Mosaic logo',
      caption: null,
      width: 16,
      height: 16,
      formats: null,
      mime: 'image/png',
      url: expect.stringMatching(/^\/uploads\/favicon_\w+\.png$/),
    });
    expect(reuse.cta).toEqual({ label: 'See how reuse works', url: '/docs/reuse' });
    const image = await api().get(String((reuse.icon as { url: string }).url));
    expect(image.status).toBe(200);

    const security = chunkOf(res.body, 'features', 'feature-security');
    expect(security).toMatchObject({ icon: null, cta: null, seeAlso: [] });
  });

  it('serves a relation as documentIds with the fields the config asks for, nothing more', async () => {
    const reuse = chunkOf((await served('home')).body, 'features', 'feature-reuse');
    expect(reuse.seeAlso).toEqual([
      {
        documentId: seeded.chunks['feature-api'],
        slug: 'feature-api',
        title: 'Feature: delivery API',
      },
    ]);
  });

  it('keeps them in the compiled cache: a second resolve reads nothing from the database', async () => {
    await served('home', '?format=html');
    const cache = strapi.plugin('mosaic').service('cache');
    const before = cache.stats();
    const again = await served('home', '?format=html');
    expect(cache.stats().misses).toBe(before.misses);
    expect(chunkOf(again.body, 'features', 'feature-reuse').cta).toEqual({
      label: 'See how reuse works',
      url: '/docs/reuse',
    });
  });

  it('serves a change to a related row (the image) on the next resolve', async () => {
    const icon = chunkOf((await served('home')).body, 'features', 'feature-reuse').icon as {
      documentId: string;
    };
    const file = await strapi.db
      .query('plugin::upload.file')
      .findOne({ where: { documentId: icon.documentId } });
    await strapi
      .plugin('upload')
      .service('upload')
      .updateFileInfo(file.id, { alternativeText: 'The Mosaic logo' });
    const after = chunkOf((await served('home')).body, 'features', 'feature-reuse');
    expect(after.icon).toMatchObject({ alternativeText: 'The Mosaic logo' });
    await strapi
      .plugin('upload')
      .service('upload')
      .updateFileInfo(file.id, { alternativeText: 'Mosaic logo' });
  });

  it('serves a field added to assets next to the asset slug', async () => {
    const res = await served('home', '?format=text');
    expect(res.body.data).toMatchObject({
      slug: 'home',
      summary: 'Personalized pages from reusable chunks, for every reader.',
    });
    expect(Object.keys(res.body.data)).not.toContain('title');
  });

  it('serves them on a single chunk too, whatever the format', async () => {
    const res = await api().get('/api/mosaic/chunks/feature-reuse?format=markdown');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      slug: 'feature-reuse',
      cta: { label: 'See how reuse works' },
      icon: { alternativeText: 'Mosaic logo' },
    });
  });
});

describe('the CRM enricher', () => {
  it('adds the company to the traits that merge fields and rules read', async () => {
    const enterprise = await segment('large-companies', {
      traits: { companySize: { $gte: 1000 } },
    });
    const forEnterprise = await publishedChunk('pitch-enterprise', {
      segments: [enterprise.documentId],
      body: [
        {
          type: 'paragraph',
          children: [{ type: 'text', text: 'Welcome, {{traits.company|friend}}' }],
        },
      ],
    });
    const fallback = await publishedChunk('pitch-default');
    await page('crm-page', [forEnterprise.documentId, fallback.documentId]);

    const acme = await served('crm-page', '?format=text&explain=true', {
      'X-Company-Domain': 'acme.com',
    });
    expect(mainSlot(acme)).toEqual(['pitch-enterprise']);
    expect(acme.body.data.slots[0].chunks[0].content).toBe('Welcome, Acme Corp');
    expect(acme.body.meta.segments).toEqual(['large-companies']);
    // What an enricher looked up about a reader is shown in an explanation to API tokens only.
    expect(acme.body.meta.explain.context.traits).toBeUndefined();

    const small = await served('crm-page', '', { 'X-Company-Domain': 'initech.com' });
    expect(mainSlot(small)).toEqual(['pitch-default']);
    const unknown = await served('crm-page');
    expect(mainSlot(unknown)).toEqual(['pitch-default']);
  });

  it('makes an enriched answer private, and varies every answer on the header it reads', async () => {
    const enriched = await served('home', '', { 'X-Company-Domain': 'acme.com' });
    expect(enriched.headers['cache-control']).toBe('private, no-cache');
    expect(enriched.headers.vary).toContain('X-Company-Domain');

    const plain = await served('home');
    expect(plain.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(plain.headers.vary).toContain('X-Company-Domain');
  });
});

describe('the $semverGte operator', () => {
  it('selects by version in a segment rule', async () => {
    const v2 = await segment('app-v2', { utm: { content: { $semverGte: '2.0.0' } } });
    const modern = await publishedChunk('app-v2-tips', { segments: [v2.documentId] });
    const legacy = await publishedChunk('app-v1-tips');
    await page('app-tips', [modern.documentId, legacy.documentId]);

    expect(mainSlot(await served('app-tips', '?utm_content=2.10.0'))).toEqual(['app-v2-tips']);
    expect(mainSlot(await served('app-tips', '?utm_content=1.9.3'))).toEqual(['app-v1-tips']);
    // A value the operator cannot read is unknown: no match.
    expect(mainSlot(await served('app-tips', '?utm_content=latest'))).toEqual(['app-v1-tips']);
  });

  it('refuses a segment with an operand it does not accept, with the path of the fault', async () => {
    await expect(
      segment('bad-version', { utm: { content: { $semverGte: 'two' } } })
    ).rejects.toMatchObject({
      name: 'ValidationError',
      details: {
        errors: [
          expect.objectContaining({
            path: ['rule', 'utm', 'content', '$semverGte'],
            message: 'rule.utm.content.$semverGte must be a version such as "2.1.0"',
          }),
        ],
      },
    });
  });

  it('is listed among the operators when a rule names one that does not exist', async () => {
    await expect(segment('typo', { utm: { content: { $semverGt: '2.0.0' } } })).rejects.toThrow(
      /unknown operator '\$semverGt'; use one of .*\$semverGte/
    );
  });
});

describe('the mrkdwn format', () => {
  it('renders an asset for Slack and says what it rendered', async () => {
    const res = await served('home', '?format=mrkdwn&persona=developer');
    expect(res.body.data.format).toBe('mrkdwn');
    expect(res.body.meta.contentType).toBe('text/x-slack-mrkdwn');
    const hero = res.body.data.slots.find((s: { key: string }) => s.key === 'hero').chunks[0];
    expect(hero.content).toMatch(/^\*Ship personalized pages with one API call\*\n\n/);
    const reuse = chunkOf(res.body, 'features', 'feature-reuse');
    expect(reuse.content).toBe(
      '*Write once, use everywhere*\n\n• Web pages\n• Emails\n• Landing pages and apps'
    );
  });

  it('gets its own variant key, and a chunk renders in it too', async () => {
    const json = await served('home');
    const mrkdwn = await served('home', '?format=mrkdwn');
    expect(mrkdwn.body.meta.variantKey).not.toBe(json.body.meta.variantKey);
    const chunk = await api().get('/api/mosaic/chunks/feature-reuse?format=mrkdwn');
    expect(chunk.status).toBe(200);
    expect(chunk.body.data.content).toContain('• Emails');
  });

  it('leaves unknown formats refused with the list of the known ones', async () => {
    const res = await api().get('/api/mosaic/assets/home?format=xml');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "Unknown format 'xml': use one of json, html, markdown, text, mrkdwn, broken"
    );
    expect(res.body.error.details.errors[0].path).toEqual(['format']);
  });
});

describe('broken extensions', () => {
  it('skip a throwing and a slow enricher without waiting for the slow one', async () => {
    const started = Date.now();
    const res = await served('home', '?explain=true');
    expect(Date.now() - started).toBeLessThan(900);
    expect(res.body.meta.explain.context.traits).toBeUndefined();
    // Nothing was added: the answer stays publicly cacheable.
    expect(res.headers['cache-control']).toMatch(/^public/);
  });

  it('treat a throwing operator as no match, even under $not', async () => {
    const never = await segment('broken-operator', { utm: { source: { $broken: 1 } } });
    const notBroken = await segment('not-broken-operator', {
      $not: { utm: { source: { $broken: 1 } } },
    });
    const a = await publishedChunk('behind-broken', { segments: [never.documentId] });
    const b = await publishedChunk('behind-not-broken', { segments: [notBroken.documentId] });
    const c = await publishedChunk('after-broken');
    await page('broken-operator-page', [a.documentId, b.documentId, c.documentId]);
    const res = await served('broken-operator-page', '?utm_source=twitter');
    expect(mainSlot(res)).toEqual(['after-broken']);
  });

  it('fail only their own format, with a 500 that names the format and the chunk', async () => {
    const res = await api().get('/api/mosaic/assets/home?format=broken');
    expect(res.status).toBe(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.error).toMatchObject({
      name: 'FormatRenderError',
      message: expect.stringMatching(
        /^Format 'broken' failed to render chunk '[\w-]+': renderer bug$/
      ),
      details: { format: 'broken' },
    });
    const chunk = await api().get('/api/mosaic/chunks/feature-reuse?format=broken');
    expect(chunk.status).toBe(500);
    expect((await api().get('/api/mosaic/assets/home?format=html')).status).toBe(200);
  });

  it('keep the answer when hooks throw, and let a hook add to meta', async () => {
    const res = await served('home', '?persona=marketer');
    expect(res.body.meta).toMatchObject({ persona: 'marketer', resolvedBy: 'asset:home' });
    const chunk = await api().get('/api/mosaic/chunks/feature-reuse');
    expect(chunk.body.meta.resolvedBy).toBe('chunk:feature-reuse');
  });
});

describe('registering', () => {
  it('refuses names that clash or do not fit, before anything runs', () => {
    expect(() =>
      extensions().registerOperator('$eq', { validate: () => null, evaluate: () => true })
    ).toThrow("[mosaic] operator '$eq' is built in");
    expect(() =>
      extensions().registerOperator('$semverGte', { validate: () => null, evaluate: () => true })
    ).toThrow("[mosaic] operator '$semverGte' is already registered");
    expect(() =>
      extensions().registerOperator('semver' as `$${string}`, {
        validate: () => null,
        evaluate: () => true,
      })
    ).toThrow(/must match/);
    expect(() =>
      extensions().registerFormat('html', { contentType: 'text/html', render: () => '' })
    ).toThrow(/is built in/);
    expect(() => extensions().registerEnricher('crm', () => undefined)).toThrow(
      /already registered/
    );
  });
});
