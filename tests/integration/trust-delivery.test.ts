/**
 * The delivery API is safe to put behind a CDN and in front of the public (issue 13): a public
 * answer varies on every header that shaped it and its ETag names its exact bytes; explanations
 * show no stored profile to anyone without an API token; live URLs come from published content
 * only; a reader's merge values never become links; unknown slugs cannot push content out of
 * the cache.
 */
import type { Core } from '@strapi/strapi';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';

import { getChunkResponse, resolveAssetResponse } from '../../contracts/delivery';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let apiToken: string;
const api = () => wireRequest(strapi.server.httpServer);
const CHUNK = 'plugin::mosaic.chunk' as const;
const ASSET = 'plugin::mosaic.asset' as const;

const paragraph = (value: string) => ({
  type: 'paragraph',
  children: [{ type: 'text', text: value }],
});

/** A chunk whose text holds one merge field for every request-borne context field. */
const MERGE_TEXT =
  'H={{referrer.host|none}} D={{device.type|none}} G={{geo.country|none}} C={{utm.campaign|none}}';

async function publishedChunk(slug: string, text: string) {
  return strapi.documents(CHUNK).create({
    locale: 'en',
    status: 'published',
    data: { slug, title: slug, body: [paragraph(text)] } as never,
  });
}

async function publishedAsset(slug: string, chunkIds: string[]) {
  return strapi.documents(ASSET).create({
    locale: 'en',
    status: 'published',
    data: {
      slug,
      title: slug,
      slots: [{ key: 'body', mode: 'all', candidates: chunkIds.map((chunk) => ({ chunk })) }],
    } as never,
  });
}

const cacheStats = () => strapi.plugin('mosaic').service('cache').stats();

beforeAll(async () => {
  strapi = await bootStrapi('trust-delivery');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const token = await strapi
    .service('admin::api-token')
    .create({ name: 'trusted frontend', type: 'full-access', lifespan: null, description: '' });
  apiToken = token.accessKey;
  const merge = await publishedChunk('trust-merge', MERGE_TEXT);
  await publishedAsset('trust-page', [merge.documentId]);
});

afterAll(async () => {
  await strapi?.destroy();
});

const varyOf = (res: request.Response) =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
const isPublic = (res: request.Response) => /^public\b/.test(res.headers['cache-control'] ?? '');

describe('a shared cache', () => {
  it('is never handed a body filled from a header it does not vary on', async () => {
    const res = await api()
      .get('/api/mosaic/chunks/trust-merge?format=text')
      .set('Referer', 'https://evil.example/x');
    expect(res.status).toBe(200);
    expect(parse(getChunkResponse, res).data.content).toContain('H=evil.example');
    if (isPublic(res)) expect(varyOf(res)).toContain('referer');

    const page = await api()
      .get('/api/mosaic/assets/trust-page?format=text')
      .set('CF-IPCountry', 'FR')
      .set('User-Agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile');
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body.data)).toContain('D=mobile G=FR');
    if (isPublic(page))
      expect(varyOf(page)).toEqual(expect.arrayContaining(['cf-ipcountry', 'user-agent']));
  });

  const referers = [undefined, 'https://evil.example/x', 'https://t.co/abc', 'newsletter'];
  const agents = [
    undefined,
    'Mozilla/5.0 (iPhone) Mobile',
    'Mozilla/5.0 (X11; Linux)',
    'Googlebot',
  ];
  const countries = [undefined, 'DE', 'FR', 'US'];
  const headerPool = {
    Referer: fc.constantFrom(...referers),
    'User-Agent': fc.constantFrom(...agents),
    'CF-IPCountry': fc.constantFrom(...countries),
  };
  const headers = fc.record(headerPool);
  const url = fc
    .record({
      path: fc.constantFrom(
        '/api/mosaic/chunks/trust-merge',
        '/api/mosaic/assets/trust-page',
        '/api/mosaic/assets/home'
      ),
      format: fc.constantFrom('json', 'html', 'markdown', 'text'),
      campaign: fc.constantFrom(undefined, 'spring', 'https://evil.example'),
      persona: fc.constantFrom(undefined, 'developer', 'ghost-a', 'ghost-b'),
      explain: fc.boolean(),
    })
    .map(({ path, format, campaign, persona, explain }) => {
      const query = new URLSearchParams({ format });
      if (campaign) query.set('utm_campaign', campaign);
      if (persona) query.set('persona', persona);
      if (explain) query.set('explain', 'true');
      return `${path}?${query}`;
    });

  const send = (target: string, sent: Record<string, string | undefined>) => {
    const req = api().get(target);
    for (const [name, value] of Object.entries(sent)) if (value !== undefined) req.set(name, value);
    return req;
  };

  it('gets the same bytes for every request that shares the URL and the varied headers', async () => {
    /** ETag -> body seen with it: one ETag must always name the same bytes. */
    const seen = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(url, headers, headers, async (target, first, other) => {
        const a = await send(target, first);
        expect(a.status).toBe(200);
        const vary = varyOf(a);
        // The second request keeps every varied header and draws the others afresh.
        const second: Record<string, string | undefined> = {};
        for (const name of Object.keys(headerPool) as Array<keyof typeof headerPool>) {
          second[name] = vary.includes(name.toLowerCase()) ? first[name] : other[name];
        }
        const b = await send(target, second);
        for (const res of [a, b]) {
          const known = seen.get(res.headers.etag);
          if (known !== undefined) expect(res.text).toBe(known);
          seen.set(res.headers.etag, res.text);
        }
        if (isPublic(a)) expect(b.text).toBe(a.text);
      }),
      { numRuns: 60 }
    );
  });

  it('gives answers whose meta differs different ETags, and a 304 only for the same bytes', async () => {
    const a = await api().get('/api/mosaic/assets/home?persona=ghost-a');
    const b = await api().get('/api/mosaic/assets/home?persona=ghost-b');
    expect(parse(resolveAssetResponse, a).meta.variantKey).toBe(
      parse(resolveAssetResponse, b).meta.variantKey
    );
    expect(a.body.meta.warnings).not.toEqual(b.body.meta.warnings);
    expect(a.headers.etag).not.toBe(b.headers.etag);

    const stale = await api()
      .get('/api/mosaic/assets/home?persona=ghost-b')
      .set('If-None-Match', a.headers.etag);
    expect(stale.status).toBe(200);
    const fresh = await api()
      .get('/api/mosaic/assets/home?persona=ghost-a')
      .set('If-None-Match', a.headers.etag);
    expect(fresh.status).toBe(304);
  });

  it('varies an explanation on every header its context came from', async () => {
    const res = await api().get('/api/mosaic/assets/home?explain=true');
    expect(res.status).toBe(200);
    if (isPublic(res)) {
      expect(varyOf(res)).toEqual(
        expect.arrayContaining(['referer', 'user-agent', 'cf-ipcountry', 'x-mosaic-visitor'])
      );
    }
  });
});

describe('an explanation without an API token', () => {
  const secrets = ['secret-enterprise', '987654', 'secret-sku'];
  let visitor: string;

  beforeAll(async () => {
    visitor = `trust-visitor-${Date.now().toString(36)}`;
    const identified = await api()
      .post('/api/mosaic/identify')
      .set('Authorization', `Bearer ${apiToken}`)
      .send({ visitorId: visitor, traits: { plan: 'secret-enterprise', lifetimeValue: 987654 } });
    expect(identified.status).toBe(200);
    const tracked = await api()
      .post('/api/mosaic/events')
      .set('X-Mosaic-Visitor', visitor)
      .set('X-Mosaic-Consent', 'granted')
      .send({
        events: [{ name: 'purchase', chunk: 'hero-developer', props: { sku: 'secret-sku' } }],
      });
    expect(tracked.status).toBe(202);
  });

  const explained = (headers: Record<string, string>) =>
    api()
      .get('/api/mosaic/assets/home?explain=true')
      .set('X-Mosaic-Visitor', visitor)
      .set('X-Mosaic-Consent', 'granted')
      .set(headers);

  it('says which segments matched and where the persona came from, but shows no stored profile', async () => {
    const res = await explained({ Referer: 'https://t.co/x' });
    expect(res.status).toBe(200);
    const { explain } = parse(resolveAssetResponse, res).meta;
    expect(explain!.profile).toBe(true);
    expect(explain!.persona).toHaveProperty('source');
    expect(explain!.segments).toContainEqual({ slug: 'from-twitter', matched: true });
    expect(explain!.context).toMatchObject({ referrer: { host: 't.co' } });
    for (const field of ['traits', 'events', 'visitor', 'affinity']) {
      expect(explain!.context).not.toHaveProperty(field);
    }
    for (const secret of secrets) expect(res.text).not.toContain(secret);
  });

  it('shows the stored profile to an API token, privately', async () => {
    const res = await explained({ Authorization: `Bearer ${apiToken}` });
    expect(res.status).toBe(200);
    expect(res.body.meta.explain.context.traits).toMatchObject({ plan: 'secret-enterprise' });
    expect(res.body.meta.explain.context.events).toHaveLength(1);
    expect(res.headers['cache-control']).toMatch(/^private/);
  });

  it('shows no stored profile through GraphQL either', async () => {
    const res = await api()
      .post('/graphql')
      .set('X-Mosaic-Visitor', visitor)
      .set('X-Mosaic-Consent', 'granted')
      .send({
        query: 'query { mosaicAsset(slug: "home", explain: true) { meta { persona explain } } }',
      });
    expect(res.status).toBe(200);
    expect(res.body.data.mosaicAsset.meta.explain.profile).toBe(true);
    for (const secret of secrets) expect(res.text).not.toContain(secret);
  });
});

describe('live URLs', () => {
  it('come from the published chunk, not from a slug changed in its draft', async () => {
    const chunk = await publishedChunk('trust-live-chunk', 'The published words.');
    await strapi.documents(CHUNK).update({
      documentId: chunk.documentId,
      locale: 'en',
      data: { slug: 'trust-draft-chunk', body: [paragraph('Unpublished words.')] } as never,
    });
    const live = await api().get('/api/mosaic/chunks/trust-live-chunk?format=text');
    expect(live.status).toBe(200);
    expect(live.body.data).toMatchObject({
      slug: 'trust-live-chunk',
      content: 'The published words.',
    });
    expect((await api().get('/api/mosaic/chunks/trust-draft-chunk')).status).toBe(404);

    // What tracking reads about a chunk (its topics) follows the same published version.
    const content = strapi.plugin('mosaic').service('content');
    expect(await content.chunkTopics('trust-live-chunk')).not.toBeNull();
    expect(await content.chunkTopics('trust-draft-chunk')).toBeNull();
  });

  it('come from the published asset, not from a slug changed in its draft', async () => {
    const chunk = await publishedChunk('trust-asset-body', 'Asset body.');
    const asset = await publishedAsset('trust-live-page', [chunk.documentId]);
    await strapi.documents(ASSET).update({
      documentId: asset.documentId,
      locale: 'en',
      data: { slug: 'trust-draft-page' } as never,
    });
    const live = await api().get('/api/mosaic/assets/trust-live-page?format=text');
    expect(live.status).toBe(200);
    expect(live.body.data.slug).toBe('trust-live-page');
    expect((await api().get('/api/mosaic/assets/trust-draft-page')).status).toBe(404);
  });
});

describe('a merge value a reader controls', () => {
  const gfm = new MarkdownIt({ linkify: true });
  const campaigns = [
    'https://evil.example',
    'www.evil.example',
    'someone@evil.example',
    'evil.com',
    '[win](https://evil.example)',
    '![x](https://evil.example/x.png)',
    '<img src=x onerror=alert(1)>',
  ];

  it.each(campaigns)(
    '%s is shown as text in markdown and html, never as a link or image',
    async (campaign) => {
      const query = `utm_campaign=${encodeURIComponent(campaign)}`;
      const markdown = await api().get(`/api/mosaic/chunks/trust-merge?format=markdown&${query}`);
      expect(markdown.status).toBe(200);
      const rendered = gfm.render(markdown.body.data.content as string);
      expect(rendered).not.toMatch(/<a |<img/);
      expect(rendered.replace(/<[^>]*>|\u2060/g, '')).toContain(
        `C=${campaign.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`
      );

      const html = await api().get(`/api/mosaic/chunks/trust-merge?format=html&${query}`);
      expect(html.body.data.content).not.toMatch(/<a |<img/);
    }
  );
});

describe('the compiled cache', () => {
  const inBatches = async (count: number, send: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < count; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, j) => send(i + j)));
    }
  };

  it('keeps real content through a flood of unknown slugs and of one-off renderings', async () => {
    expect((await api().get('/api/mosaic/assets/home')).status).toBe(200);
    const random = () => Math.random().toString(36).slice(2);
    await inBatches(1100, async () => {
      expect((await api().get(`/api/mosaic/assets/no-such-${random()}`)).status).toBe(404);
    });
    await inBatches(300, async () => {
      expect((await api().get(`/api/mosaic/chunks/no-such-${random()}`)).status).toBe(404);
    });
    // Each one-off campaign leaves two renderings (the data and the whole answer).
    await inBatches(600, async () => {
      const res = await api().get(`/api/mosaic/assets/trust-page?utm_campaign=${random()}`);
      expect(res.status).toBe(200);
    });

    const before = cacheStats();
    expect((await api().get('/api/mosaic/assets/home')).status).toBe(200);
    const after = cacheStats();
    // No database read: the compiled home page, the locales and the personas were all still there.
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBeGreaterThan(before.hits);
  }, 240_000);
});
