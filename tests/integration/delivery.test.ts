/**
 * The delivery API over HTTP, against the playground with the demo content seeded: what a
 * frontend gets for each kind of reader, in each format, and what it gets for bad input.
 */
import type { Core } from '@strapi/strapi';
import fc from 'fast-check';

import {
  getChunkResponse,
  resolveAssetResponse,
  type ResolveAsset,
} from '../../contracts/delivery';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
const api = () => wireRequest(strapi.server.httpServer);

const asset = async (query = '', headers: Record<string, string> = {}) => {
  const res = await api().get(`/api/mosaic/assets/home${query}`).set(headers);
  expect(res.status).toBe(200);
  return parse(resolveAssetResponse, res);
};
const slot = (body: ResolveAsset.Response, key: string) =>
  body.data.slots.find((s) => s.key === key)!.chunks.map((c) => c.slug);

beforeAll(async () => {
  strapi = await bootStrapi('delivery');
  await demo.seedDemo(strapi);
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('the demo', () => {
  it('leaves one copy of its content when seeded twice', async () => {
    await demo.seedDemo(strapi);
    const count = (model: string) =>
      strapi.documents(`plugin::mosaic.${model}` as never).count({ locale: 'en' } as never);
    expect(await count('chunk')).toBe(27);
    expect(await count('asset')).toBe(3);
    expect(await count('persona')).toBe(3);
    expect(await count('segment')).toBe(4);
  });
});

describe('access', () => {
  it('is refused to the public role until it is granted the delivery routes', async () => {
    const res = await api().get('/api/mosaic/assets/home');
    expect(res.status).toBe(403);
    await demo.grantPublicDelivery(strapi);
    expect((await api().get('/api/mosaic/assets/home')).status).toBe(200);
  });
});

describe('resolving the demo home page', () => {
  it('gives an anonymous visitor the default hero and CTA, with the nested footer', async () => {
    const body = await asset();
    expect(body.data).toMatchObject({ slug: 'home', locale: 'en', format: 'json' });
    expect(slot(body, 'hero')).toEqual(['hero-default']);
    expect(slot(body, 'cta')).toEqual(['cta-default']);
    expect(slot(body, 'footer')).toEqual(['signature']);
    expect(slot(body, 'features')).toEqual(['feature-reuse', 'feature-security']);
    expect(body.meta).toMatchObject({ persona: null, segments: [] });
  });

  it.each([
    ['?persona=developer', {}, 'hero-developer', 'cta-developer'],
    ['?persona=marketer', {}, 'hero-marketer', 'cta-marketer'],
    ['?persona=executive', {}, 'hero-executive', 'cta-executive'],
    ['?utm_source=twitter', {}, 'hero-twitter', 'cta-twitter'],
    ['', { Referer: 'https://t.co/abc' }, 'hero-twitter', 'cta-twitter'],
    ['', { 'CF-IPCountry': 'DE' }, 'hero-dach', 'cta-dach'],
  ])('%s %j gets %s and %s', async (query, headers, hero, cta) => {
    const body = await asset(query, headers);
    expect(slot(body, 'hero')).toEqual([hero]);
    expect(slot(body, 'cta')).toEqual([cta]);
  });

  it('names the persona and the matched segments in meta', async () => {
    const body = await asset('?persona=developer&utm_source=Twitter', { 'CF-IPCountry': 'de' });
    expect(body.meta.persona).toBe('developer');
    expect(body.meta.segments.sort()).toEqual(['dach-visitors', 'from-twitter']);
    expect(slot(body, 'hero')).toEqual(['hero-developer']);
  });

  it('adds the mobile feature for a phone, within the slot limit', async () => {
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    const body = await asset('?persona=developer', { 'User-Agent': iphone });
    expect(slot(body, 'features')).toEqual([
      'feature-api',
      'feature-mobile',
      'feature-reuse',
      'feature-security',
    ]);
  });

  it.each(['json', 'html', 'markdown', 'text'] as const)(
    'renders the personalized hero in %s',
    async (format) => {
      const developer = await asset(`?persona=developer&format=${format}`);
      const marketer = await asset(`?persona=marketer&format=${format}`);
      const hero = (body: ResolveAsset.Response) =>
        body.data.slots.find((s) => s.key === 'hero')!.chunks[0].content;
      expect(developer.data.format).toBe(format);
      expect(hero(developer)).not.toEqual(hero(marketer));
      const content = hero(developer);
      if (format === 'json') {
        expect(content).toEqual([
          expect.objectContaining({ type: 'heading', level: 1 }),
          expect.objectContaining({ type: 'paragraph' }),
        ]);
      } else {
        expect(typeof content).toBe('string');
        const expected = {
          html: '<h1>Ship personalized pages with one API call</h1>',
          markdown: '# Ship personalized pages with one API call',
          text: 'Ship personalized pages with one API call',
        }[format];
        expect(content as string).toContain(expected);
      }
    }
  );

  it('gives the same variant key for the same context and another one for another reader', async () => {
    const a = await asset('?persona=developer');
    const b = await asset('?persona=developer');
    const c = await asset('?persona=marketer');
    expect(a.meta.variantKey).toBe(b.meta.variantKey);
    expect(a.meta.variantKey).not.toBe(c.meta.variantKey);
    expect((await asset('?persona=developer&format=html')).meta.variantKey).not.toBe(
      a.meta.variantKey
    );
  });

  it('explains why each candidate was chosen or skipped', async () => {
    const body = await asset('?utm_source=twitter&explain=true');
    const hero = body.meta.explain!.slots.find((s) => s.key === 'hero')!;
    expect(hero.candidates.map((c) => [c.slug, c.chosen, c.reason])).toEqual([
      ['hero-developer', false, 'persona-mismatch'],
      ['hero-marketer', false, 'persona-mismatch'],
      ['hero-executive', false, 'persona-mismatch'],
      ['hero-twitter', true, 'eligible'],
      ['hero-dach', false, 'segment-mismatch'],
      ['hero-default', false, 'not-chosen'],
    ]);
    expect(body.meta.explain!.segments).toContainEqual({ slug: 'from-twitter', matched: true });
    expect(body.meta.explain!.context).toMatchObject({ utm: { source: 'twitter' } });
  });

  it('reads time rules in the zone the frontend gives', async () => {
    const body = await asset('?tz=Asia/Tokyo&explain=true');
    const tokyoHour = Number(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'Asia/Tokyo',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date())
    );
    const hour = (body.meta.explain!.context.time as { hour: number }).hour;
    // The request and this check straddle an hour boundary at most once.
    expect([tokyoHour, (tokyoHour + 23) % 24]).toContain(hour);
  });

  it('serves French where a chunk has a French version and English elsewhere', async () => {
    const body = await asset('?locale=fr&format=text');
    const hero = body.data.slots.find((s) => s.key === 'hero')!.chunks[0];
    const features = body.data.slots.find((s) => s.key === 'features')!.chunks;
    expect(hero.content).toContain('Le bon contenu pour chaque lecteur');
    expect(hero.locale).toBe('fr');
    expect(features[0].locale).toBe('en');
  });
});

describe('HTTP caching', () => {
  it('answers 304 to a matching If-None-Match', async () => {
    const first = await api().get('/api/mosaic/assets/home?persona=marketer');
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    const again = await api()
      .get('/api/mosaic/assets/home?persona=marketer')
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
  });

  it('varies on the headers whose rules were evaluated', async () => {
    const res = await api().get('/api/mosaic/assets/home');
    const vary = String(res.headers.vary).toLowerCase();
    expect(vary).toContain('cf-ipcountry');
    expect(vary).toContain('referer');
    expect(vary).toContain('user-agent');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
  });
});

describe('chunks', () => {
  it('renders one chunk in a format, outside any asset', async () => {
    const res = await api().get('/api/mosaic/chunks/cta-default?format=markdown');
    expect(res.status).toBe(200);
    const body = parse(getChunkResponse, res);
    expect(body.data).toMatchObject({ slug: 'cta-default', format: 'markdown' });
    expect(body.data.content).toContain('[Start your free trial](/signup)');
  });

  it('fills merge fields with their fallback when the reader is unknown', async () => {
    const res = await api().get('/api/mosaic/chunks/email-greeting?format=html');
    expect(res.body.data.content).toBe('<p>Hi there,</p>');
  });
});

describe('bad input', () => {
  it('answers 404 for an unknown slug', async () => {
    const res = await api().get('/api/mosaic/assets/no-such-page');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("'no-such-page'");
    expect((await api().get('/api/mosaic/chunks/no-such-chunk')).status).toBe(404);
  });

  it('answers 400 naming the formats for an unknown format', async () => {
    const res = await api().get('/api/mosaic/assets/home?format=xml');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('ValidationError');
    expect(res.body.error.message).toBe(
      "Unknown format 'xml': use one of json, html, markdown, text, mrkdwn"
    );
  });

  it('answers 400 for a malformed time zone, a repeated parameter or an unknown locale', async () => {
    const tz = await api().get('/api/mosaic/assets/home?tz=Mars/Olympus_Mons');
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toContain('Mars/Olympus_Mons');
    const twice = await api().get('/api/mosaic/assets/home?format=html&format=text');
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toContain("'format' must be given once");
    const locale = await api().get('/api/mosaic/assets/home?locale=xx');
    expect(locale.status).toBe(400);
    expect(locale.body.error.message).toContain("Unknown locale 'xx'");
  });

  it('never answers 500, whatever a client puts in the query, headers or slug', async () => {
    const text = fc.string({
      unit: fc.constantFrom(...'aZ09 -_./:%&?=#[]{}$<>"\'éß'.split('')),
      maxLength: 40,
    });
    const param = fc.constantFrom(
      'format',
      'locale',
      'persona',
      'explain',
      'tz',
      'ref',
      'utm_source',
      'utm_campaign',
      'format[0]',
      'persona[$ne]',
      'explain[]',
      'tz[a]',
      'other'
    );
    const header = fc.constantFrom(
      'User-Agent',
      'Referer',
      'CF-IPCountry',
      'X-Mosaic-Visitor',
      'X-Mosaic-Consent',
      'Cookie',
      'If-None-Match'
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('home', 'welcome-email', 'no-such', '%E0%A4%A', 'a%2Fb', '..%2F..'),
        fc.constantFrom('assets', 'chunks'),
        fc.array(fc.tuple(param, text), { maxLength: 5 }),
        fc.array(
          fc.tuple(
            header,
            fc.string({ unit: fc.constantFrom(...'aZ09 -_=;,./:'.split('')), maxLength: 40 })
          ),
          { maxLength: 3 }
        ),
        async (slug, kind, query, headers) => {
          const search = query
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          const req = api().get(`/api/mosaic/${kind}/${slug}?${search}`);
          for (const [name, value] of headers) req.set(name, value);
          const res = await req;
          expect(res.status).toBeLessThan(500);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('resolves an unknown persona as no persona and says so', async () => {
    const body = await asset('?persona=astronaut');
    expect(body.meta.persona).toBeNull();
    expect(body.meta.warnings).toEqual(["Unknown persona 'astronaut': resolved without a persona"]);
    expect(slot(body, 'hero')).toEqual(['hero-default']);
  });
});

describe('segments', () => {
  it('refuses a rule that does not validate, naming the segment and the path, and writes nothing', async () => {
    const segments = strapi.documents('plugin::mosaic.segment');
    await expect(
      segments.create({
        data: {
          name: 'EU visitors',
          slug: 'eu-visitors',
          rule: { geo: { country: { $in: 'DE' } } },
        },
      } as never)
    ).rejects.toThrow("segment 'eu-visitors': rule.geo.country.$in must be an array");
    expect(await segments.count({ filters: { slug: 'eu-visitors' } } as never)).toBe(0);
  });

  it('refuses an update that breaks a rule and keeps the rule that worked', async () => {
    const segments = strapi.documents('plugin::mosaic.segment');
    const dach = (await segments.findFirst({ filters: { slug: 'dach-visitors' } }))!;
    await expect(
      segments.update({
        documentId: dach.documentId,
        data: { rule: { geoo: { country: 'DE' } } },
      } as never)
    ).rejects.toThrow("rule.geoo: unknown context field 'geoo'");
    const body = await asset('', { 'CF-IPCountry': 'AT' });
    expect(slot(body, 'hero')).toEqual(['hero-dach']);
  });
});

describe('drafts and changes', () => {
  it('never serves a draft, and serves a change once it is published', async () => {
    const chunks = strapi.documents('plugin::mosaic.chunk');
    const cta = (await chunks.findFirst({ filters: { slug: 'cta-default' } }))!;
    const newBody = [
      { type: 'paragraph', children: [{ type: 'text', text: 'Try it free for 30 days' }] },
    ];
    await chunks.update({
      documentId: cta.documentId,
      locale: 'en',
      data: { body: newBody } as never,
    });

    const ctaText = async () =>
      (await asset('?format=text')).data.slots.find((s) => s.key === 'cta')!.chunks[0].content;
    expect(await ctaText()).toContain('Start your free trial');

    await chunks.publish({ documentId: cta.documentId, locale: 'en' });
    expect(await ctaText()).toBe('Try it free for 30 days');

    await strapi.documents('plugin::mosaic.asset').create({
      locale: 'en',
      data: { title: 'Draft page', slug: 'draft-page', slots: [] } as never,
    });
    expect((await api().get('/api/mosaic/assets/draft-page')).status).toBe(404);
  });
});
