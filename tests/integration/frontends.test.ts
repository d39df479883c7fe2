/**
 * What a frontend developer builds on, against the playground over real HTTP: the GraphQL query
 * (same data and meta as REST, same permission), the OpenAPI description of the delivery API, and
 * the typed client (resolve, track, visitor id cookie and consent).
 */
import fs from 'fs';
import type { AddressInfo } from 'net';
import path from 'path';

import type { Core } from '@strapi/strapi';

import { createMosaicClient, MosaicError, type CookieStore } from '../../client/index';
import { getChunkResponse, resolveAssetResponse } from '../../contracts/delivery';
import { identifyResponse, trackEventsResponse } from '../../contracts/tracking';
import { bootStrapi } from './strapi';
import { wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let baseUrl: string;
const api = () => wireRequest(strapi.server.httpServer);

const MOSAIC_ASSET = /* GraphQL */ `
  query Home($slug: String!, $format: String, $persona: String, $context: JSON) {
    mosaicAsset(slug: $slug, format: $format, persona: $persona, context: $context) {
      data {
        slug
        locale
        format
        slots {
          key
          chunks
        }
        fields
      }
      meta {
        persona
        segments
        variantKey
        warnings
        experiments {
          key
          asset
          slot
          variant
          holdout
          bucketed
          counted
        }
      }
    }
  }
`;

const graphql = (variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api().post('/graphql').set(headers).send({ query: MOSAIC_ASSET, variables });

beforeAll(async () => {
  strapi = await bootStrapi('frontends');
  await demo.seedDemo(strapi);
  const { port } = strapi.server.httpServer.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('GraphQL', () => {
  it('is forbidden to the public role until it is granted the asset delivery', async () => {
    const res = await graphql({ slug: 'home' });
    expect(res.body.data?.mosaicAsset ?? null).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      message: 'Forbidden access',
      extensions: { code: 'FORBIDDEN' },
    });
    await demo.grantPublicDelivery(strapi);
  });

  it.each([
    [{ slug: 'home' }, ''],
    [{ slug: 'home', format: 'html', persona: 'developer' }, '?format=html&persona=developer'],
    [
      { slug: 'home', format: 'text', context: { utm_source: 'twitter' } },
      '?format=text&utm_source=twitter',
    ],
    [{ slug: 'home', persona: 'nobody' }, '?persona=nobody'],
  ])('answers %j with the data and meta REST answers to %s', async (variables, query) => {
    const headers = { 'CF-IPCountry': 'DE' };
    const rest = await api().get(`/api/mosaic/assets/home${query}`).set(headers);
    expect(rest.status).toBe(200);
    const res = await graphql(variables, headers);
    expect(res.body.errors).toBeUndefined();
    const { data, meta } = res.body.data.mosaicAsset;
    const { fields, ...own } = data;
    expect({ ...fields, ...own }).toEqual(rest.body.data);
    expect(fields).toEqual({
      summary: 'Personalized pages from reusable chunks, for every reader.',
    });
    expect(meta).toEqual({ warnings: null, ...rest.body.meta });
  });

  it('answers bad input as REST does, with a message to act on', async () => {
    const format = await graphql({ slug: 'home', format: 'xml' });
    expect(format.body.errors[0].message).toMatch(/^Unknown format 'xml': use one of json, html/);
    const missing = await graphql({ slug: 'no-such-page' });
    expect(missing.body.errors[0].message).toBe("No published asset with slug 'no-such-page'");
    const context = await graphql({ slug: 'home', context: ['utm_source'] });
    expect(context.body.errors[0].message).toMatch(/'context' must be an object/);
  });

  it("keeps Mosaic's content types out of the generated schema", async () => {
    const res = await api()
      .post('/graphql')
      .send({ query: '{ __schema { queryType { fields { name } } } }' });
    const fields: string[] = res.body.data.__schema.queryType.fields.map(
      (f: { name: string }) => f.name
    );
    expect(fields).toContain('mosaicAsset');
    expect(fields.filter((name) => /mosaic/i.test(name))).toEqual(['mosaicAsset']);
    expect(fields.some((name) => /^(profile|segment|chunk|event|counter)/i.test(name))).toBe(false);
  });
});

describe('OpenAPI', () => {
  it('describes the delivery API with its parameters, in the documentation the plugin generates', async () => {
    const file = path.join(
      strapi.dirs.app.extensions,
      'documentation/documentation/1.0.0/full_documentation.json'
    );
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const resolve = doc.paths['/mosaic/assets/{slug}'].get;
    const parameters = resolve.parameters.map(
      (p: { in: string; name: string }) => `${p.in}:${p.name}`
    );
    expect(parameters).toEqual(
      expect.arrayContaining([
        'path:slug',
        'query:format',
        'query:locale',
        'query:persona',
        'query:explain',
        'query:tz',
        'query:utm_source',
        'header:X-Mosaic-Visitor',
        'header:X-Mosaic-Consent',
      ])
    );
    expect(resolve.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/MosaicAssetResponse',
    });
    expect(doc.components.schemas.MosaicDeliveredChunk.required).toContain('content');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/mosaic/chunks/{slug}', '/mosaic/events'])
    );
  });
});

describe('the typed client', () => {
  function cookieJar(): CookieStore & { values: Map<string, string> } {
    const values = new Map<string, string>();
    return {
      values,
      get: (name) => values.get(name),
      set: (name, value, maxAge) =>
        void (maxAge > 0 ? values.set(name, value) : values.delete(name)),
    };
  }

  it('resolves an asset and a chunk as REST does', async () => {
    const client = createMosaicClient({ baseUrl });
    const body = resolveAssetResponse.parse(
      await client.asset('home', {
        format: 'markdown',
        persona: 'developer',
        context: { utm_source: 'twitter' },
        explain: true,
      })
    );
    const rest = await api().get(
      '/api/mosaic/assets/home?format=markdown&persona=developer&utm_source=twitter&explain=true'
    );
    expect(body.data).toEqual(rest.body.data);
    expect(body.meta.segments).toEqual(['from-twitter']);
    expect(body.meta.explain?.persona.source).toBe('param');

    const chunk = getChunkResponse.parse(await client.chunk('feature-reuse', { format: 'mrkdwn' }));
    expect(chunk.data.content).toContain('• Emails');
  });

  it('throws the server error, with its status and message', async () => {
    const client = createMosaicClient({ baseUrl });
    const failure = await client.asset('home', { format: 'xml' }).catch((e) => e);
    expect(failure).toBeInstanceOf(MosaicError);
    expect(failure).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(failure.message).toMatch(/^Unknown format 'xml'/);
  });

  it('keeps no visitor id before consent, then one id in its cookie, sent with every call', async () => {
    const cookies = cookieJar();
    const client = createMosaicClient({ baseUrl, cookies, visitorCookie: 'site_vid' });
    expect(client.visitorId()).toBeNull();
    const anonymous = trackEventsResponse.parse(
      await client.track({ name: 'view', chunk: 'hero-developer' })
    );
    expect(anonymous.data).toEqual({ accepted: 1, profile: false });
    expect(cookies.values.has('site_vid')).toBe(false);

    client.setConsent('granted');
    const id = client.visitorId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(cookies.values.get('site_vid')).toBe(id);
    expect(cookies.values.get('mosaic_consent')).toBe('granted');

    for (const chunk of ['hero-developer', 'feature-api', 'cta-developer']) {
      const tracked = trackEventsResponse.parse(await client.track([{ name: 'view', chunk }]));
      expect(tracked.data).toEqual({ accepted: 1, profile: true });
    }
    // The server knows this visitor by the id the client keeps: a segment of one.
    const home = resolveAssetResponse.parse(await client.asset('home', { explain: true }));
    expect(home.meta.persona).toBe('developer');
    expect(home.meta.explain?.persona.source).toBe('affinity');

    // A second client over the same cookies is the same visitor.
    expect(createMosaicClient({ baseUrl, cookies, visitorCookie: 'site_vid' }).visitorId()).toBe(
      id
    );
  });

  it('forgets the visitor id when consent is denied, and the server keeps no profile', async () => {
    const cookies = cookieJar();
    const client = createMosaicClient({ baseUrl, cookies });
    client.setConsent('granted');
    expect(client.visitorId()).not.toBeNull();
    client.setConsent('denied');
    expect(client.visitorId()).toBeNull();
    expect(cookies.values.has('mosaic_vid')).toBe(false);
    const tracked = trackEventsResponse.parse(
      await client.track({ name: 'view', chunk: 'feature-api' })
    );
    expect(tracked.data.profile).toBe(false);
  });

  it('queues events and sends them in one request, a batch refused whole', async () => {
    const sent: string[] = [];
    const counting: typeof fetch = (input, init) => {
      sent.push(String(input));
      return fetch(input, init);
    };
    const cookies = cookieJar();
    const client = createMosaicClient({ baseUrl, cookies, fetch: counting, batchDelayMs: 20 });
    client.setConsent('granted');
    const visitorId = client.visitorId()!;
    const profiles = strapi.plugin('mosaic').service('profiles');

    // Three events queued in a row go after the delay, together.
    const answers = await Promise.all(
      ['hero-developer', 'feature-api', 'cta-developer'].map((chunk) =>
        client.queue({ name: 'view', chunk })
      )
    );
    expect(sent.filter((url) => url.endsWith('/mosaic/events'))).toHaveLength(1);
    for (const answer of answers) expect(answer.data).toEqual({ accepted: 3, profile: true });
    expect((await profiles.exportProfile(visitorId))?.events).toHaveLength(3);

    // One unknown chunk: its batch-mates are refused with it, and nothing is stored.
    const good = client.queue({ name: 'view', chunk: 'feature-api' });
    const bad = client.queue({ name: 'view', chunk: 'no-such-chunk' });
    await client.flush();
    await expect(good).rejects.toMatchObject({ status: 400 });
    await expect(bad).rejects.toThrow("events.1.chunk: no chunk 'no-such-chunk'");
    expect((await profiles.exportProfile(visitorId))?.events).toHaveLength(3);

    // At `maxBatch` events a batch leaves without waiting for the delay.
    const eager = createMosaicClient({ baseUrl, cookies, maxBatch: 2, batchDelayMs: 60_000 });
    const [first, second] = await Promise.all([
      eager.queue({ name: 'view', chunk: 'feature-api' }),
      eager.queue({ name: 'view', chunk: 'feature-api' }),
    ]);
    expect(first.data.accepted).toBe(2);
    expect(second).toBe(first);
    expect((await profiles.exportProfile(visitorId))?.events).toHaveLength(5);
  });

  it('sends an API token, which identify needs', async () => {
    const token = await strapi
      .service('admin::api-token')
      .create({ name: 'client test', type: 'full-access', lifespan: null, description: '' });
    const cookies = cookieJar();
    const client = createMosaicClient({ baseUrl, cookies, token: token.accessKey });
    client.setConsent('granted');
    const identified = identifyResponse.parse(
      await client.identify({ firstName: 'Ada', plan: 'pro' })
    );
    expect(identified.data.traits).toMatchObject({ firstName: 'Ada', plan: 'pro' });

    const anonymous = createMosaicClient({ baseUrl, cookies });
    await expect(anonymous.identify({ plan: 'free' })).rejects.toMatchObject({ status: 403 });
  });
});
