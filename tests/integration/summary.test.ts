/**
 * Signed profile summaries over real HTTP (GET /api/mosaic/profile/summary) and the standalone
 * resolver that takes them: issued only to a consenting visitor with a profile (not after erasure,
 * which also revokes every summary issued before it, through the manifest),
 * holding the server's conclusions and no trait value or event; verified by the resolver (forged,
 * tampered, expired, another visitor's or consent withdrawn: refused); and with one, the resolver
 * answers a profiled reader as the server does (persona, segments, variant, data).
 */
import type { Core } from '@strapi/strapi';

import { resolveAssetResponse } from '../../contracts/delivery';
import { getManifestResponse } from '../../contracts/manifest';
import { getProfileSummaryResponse } from '../../contracts/summary';
import { createResolver, ResolverError, type Resolver } from '../../resolver/index';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

const SECRET = 'summary-test-secret-0123456789abcdefghij';
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36';
const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1';

let strapi: Core.Strapi;
let apiToken: string;
let resolver: Resolver;
const api = () => wireRequest(strapi.server.httpServer);

let visitorCount = 0;
const newVisitor = () => `summary-${Date.now().toString(36)}-${(visitorCount += 1)}`;
const reader = (visitor: string, consent = 'granted') => ({
  'User-Agent': DESKTOP,
  'X-Mosaic-Visitor': visitor,
  'X-Mosaic-Consent': consent,
});

const askSummary = (headers: Record<string, string>) =>
  api().get('/api/mosaic/profile/summary').set(headers);

async function issue(visitor: string) {
  const res = await askSummary(reader(visitor));
  expect(res.status).toBe(200);
  return { res, body: parse(getProfileSummaryResponse, res).data };
}

const track = (visitor: string, chunks: string[]) =>
  api()
    .post('/api/mosaic/events')
    .set(reader(visitor))
    .send({ events: chunks.map((chunk) => ({ name: 'view', chunk })) })
    .expect(202);

/** Moves the visitor's last request two hours back: their next one starts a new visit. */
async function lastSeenLongAgo(visitor: string) {
  const profiles = strapi.plugin('mosaic').service('profiles');
  await profiles.settled();
  const meta = strapi.db.metadata.get('plugin::mosaic.profile' as never);
  const column = (name: string) =>
    (meta.attributes as Record<string, { columnName: string }>)[name].columnName;
  await strapi.db
    .connection(meta.tableName)
    .where(column('visitorHash'), profiles.hash(visitor))
    .update({ [column('lastSeen')]: new Date(Date.now() - 2 * 60 * 60 * 1000) });
}

/** A developer-content reader on their second visit, with traits a summary must not carry. */
async function profiledReader() {
  const visitor = newVisitor();
  await api().get('/api/mosaic/assets/home').set(reader(visitor)).expect(200);
  await track(visitor, ['hero-developer', 'feature-api', 'cta-developer']);
  await api()
    .post('/api/mosaic/identify')
    .set('Authorization', `Bearer ${apiToken}`)
    .send({ visitorId: visitor, traits: { plan: 'enterprise-gold', lifetimeValue: 4321.5 } })
    .expect(200);
  await lastSeenLongAgo(visitor);
  return visitor;
}

const decode = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

beforeAll(async () => {
  strapi = await bootStrapi('summary');
  await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  strapi.config.set('plugin::mosaic.profileSummary', { secret: SECRET });
  const token = await strapi
    .service('admin::api-token')
    .create({ name: 'edge', type: 'full-access', lifespan: null, description: '' });
  apiToken = (token as { accessKey: string }).accessKey;
  const manifest = await api()
    .get('/api/mosaic/manifest')
    .set('Authorization', `Bearer ${apiToken}`);
  resolver = createResolver(parse(getManifestResponse, manifest).data, { summaryKey: SECRET });
}, 180_000);

afterAll(async () => {
  await strapi?.destroy();
});

describe('who gets a summary', () => {
  it('is refused without a visitor id, without consent, and to a visitor never seen', async () => {
    const visitor = newVisitor();
    const noId = await askSummary({ 'User-Agent': DESKTOP, 'X-Mosaic-Consent': 'granted' });
    expect(noId.status).toBe(400);
    expect(noId.body.error.message).toMatch(/visitor id/);

    await track(visitor, ['hero-developer']);
    for (const consent of ['denied', '']) {
      const headers: Record<string, string> = {
        'User-Agent': DESKTOP,
        'X-Mosaic-Visitor': visitor,
      };
      if (consent) headers['X-Mosaic-Consent'] = consent;
      const res = await askSummary(headers);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/consent/);
    }

    const stranger = newVisitor();
    const unknown = await askSummary(reader(stranger));
    expect(unknown.status).toBe(404);
    // Asking wrote nothing: no profile for the stranger.
    await strapi.plugin('mosaic').service('profiles').settled();
    const hash = strapi.plugin('mosaic').service('profiles').hash(stranger);
    expect(
      await strapi.db
        .query('plugin::mosaic.profile' as never)
        .count({ where: { visitorHash: hash } } as never)
    ).toBe(0);
  });

  it('is refused after erasure', async () => {
    const visitor = await profiledReader();
    await issue(visitor);
    await api()
      .delete('/api/mosaic/profile')
      .set('Authorization', `Bearer ${apiToken}`)
      .set('X-Mosaic-Visitor', visitor)
      .expect(200);
    const res = await askSummary(reader(visitor));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/erased/);
  });

  it('one issued before an erasure is useless after it, wherever it is held', async () => {
    const manifestNow = async () => {
      const res = await api()
        .get('/api/mosaic/manifest')
        .set('Authorization', `Bearer ${apiToken}`);
      return { etag: res.headers.etag as string, manifest: parse(getManifestResponse, res).data };
    };
    const pastRevocation = async (manifest: { settings: { summaryNotBefore: number | null } }) => {
      const at = (manifest.settings.summaryNotBefore ?? 0) * 1000;
      while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    // An earlier erasure in this file may have revoked up to the coming second: wait it out.
    await pastRevocation((await manifestNow()).manifest);
    const erased = await profiledReader();
    const bystander = await profiledReader();
    const held = [(await issue(erased)).body, (await issue(bystander)).body];
    const before = await manifestNow();
    await api()
      .delete('/api/mosaic/profile')
      .set('Authorization', `Bearer ${apiToken}`)
      .set('X-Mosaic-Visitor', erased)
      .expect(200);

    // The erasure is in the next manifest (a new version and ETag): every summary issued up to it
    // is refused there, the erased visitor's and everyone else's, who ask for another.
    const after = await manifestNow();
    expect(after.etag).not.toBe(before.etag);
    expect(after.manifest.version).not.toBe(before.manifest.version);
    expect(after.manifest.settings.summaryNotBefore).toBeGreaterThan(held[1].summary.iat);
    const edge = createResolver(after.manifest, { summaryKey: SECRET });
    for (const [visitor, { token }] of [
      [erased, held[0]],
      [bystander, held[1]],
    ] as const) {
      expect(await edge.verifySummary(token, { visitorId: visitor, consent: true })).toEqual({
        ok: false,
        reason: 'revoked',
      });
    }
    // The bystander's next summary is taken once issued after the erasure's second.
    const notBefore = after.manifest.settings.summaryNotBefore!;
    await pastRevocation(after.manifest);
    const fresh = (await issue(bystander)).body;
    expect(
      (await edge.verifySummary(fresh.token, { visitorId: bystander, consent: true })).ok
    ).toBe(true);
    // Erasing someone with no profile revokes nothing.
    await api()
      .delete('/api/mosaic/profile')
      .set('Authorization', `Bearer ${apiToken}`)
      .set('X-Mosaic-Visitor', newVisitor())
      .expect(404);
    expect((await manifestNow()).manifest.settings.summaryNotBefore).toBe(notBefore);
  });
});

describe('what a summary holds', () => {
  it('the server’s conclusions, short-lived, and no trait value, visit count or event', async () => {
    const visitor = await profiledReader();
    const { res, body } = await issue(visitor);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const { summary, token } = body;
    expect(decode(token)).toEqual(summary);
    expect(summary.persona).toBe('developer');
    expect(summary.segments).toEqual(['returning-visitors']);
    expect(summary.affinity.personas.developer).toBeGreaterThan(0.5);
    expect(summary.exp - summary.iat).toBe(15 * 60);
    expect(new Date(body.expiresAt).getTime()).toBe(summary.exp * 1000);
    expect(Object.keys(summary).sort()).toEqual(
      ['affinity', 'consent', 'exp', 'iat', 'kid', 'persona', 'segments', 'sub', 'v'].sort()
    );
    const text = Buffer.from(token.split('.')[0], 'base64url').toString('utf8');
    for (const secret of ['enterprise-gold', '4321', visitor, 'hero-developer', 'view']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('the resolver verifies a summary', () => {
  it('takes the server’s, and refuses tampered, forged, expired, another visitor’s or without consent', async () => {
    const visitor = await profiledReader();
    const { token, summary } = (await issue(visitor)).body;
    const ok = await resolver.verifySummary(token, { visitorId: visitor, consent: true });
    expect(ok).toEqual({ ok: true, summary });

    const [, signature] = token.split('.');
    const promoted = `${encode({ ...summary, persona: 'executive' })}.${signature}`;
    expect(await resolver.verifySummary(promoted, { visitorId: visitor, consent: true })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const forger = createResolver(
      parse(
        getManifestResponse,
        await api().get('/api/mosaic/manifest').set('Authorization', `Bearer ${apiToken}`)
      ).data,
      { summaryKey: 'another-secret-of-at-least-32-characters' }
    );
    expect((await forger.verifySummary(token, { visitorId: visitor, consent: true })).ok).toBe(
      false
    );
    expect(
      await resolver.verifySummary('not.a-token!', { visitorId: visitor, consent: true })
    ).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const later = (summary.exp + 1) * 1000;
    expect(
      await resolver.verifySummary(token, { visitorId: visitor, consent: true, now: later })
    ).toEqual({ ok: false, reason: 'expired' });
    expect(await resolver.verifySummary(token, { visitorId: newVisitor(), consent: true })).toEqual(
      { ok: false, reason: 'other-visitor' }
    );
    for (const consent of [false, undefined]) {
      expect(await resolver.verifySummary(token, { visitorId: visitor, consent })).toEqual({
        ok: false,
        reason: 'no-consent',
      });
    }
    // A resolver without the key takes none.
    const keyless = createResolver(
      parse(
        getManifestResponse,
        await api().get('/api/mosaic/manifest').set('Authorization', `Bearer ${apiToken}`)
      ).data
    );
    expect(await keyless.verifySummary(token, { visitorId: visitor, consent: true })).toEqual({
      ok: false,
      reason: 'no-key',
    });
    // Only a verified summary is taken: a look-alike object is refused.
    expect(() => resolver.resolve('home', {}, { summary: { ...summary } })).toThrow(ResolverError);
  });

  it('the server’s lifetime setting bounds it', async () => {
    strapi.config.set('plugin::mosaic.profileSummary', { secret: SECRET, ttlSeconds: 30 });
    try {
      const { summary } = (await issue(await profiledReader())).body;
      expect(summary.exp - summary.iat).toBe(30);
    } finally {
      strapi.config.set('plugin::mosaic.profileSummary', { secret: SECRET });
    }
  });
});

describe('with a summary, the resolver answers as the server', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['a profiled reader', '', {}],
    ['from Germany on a phone', '', { 'CF-IPCountry': 'DE', 'User-Agent': MOBILE }],
    ['with a persona parameter', '?persona=marketer', {}],
    ['in French, as text', '?locale=fr&format=text', {}],
  ];

  it.each(cases)('%s: same persona, segments, variant and data', async (_, query, extra) => {
    const visitor = await profiledReader();
    const { token } = (await issue(visitor)).body;
    const headers = { ...reader(visitor), ...extra };
    const server = parse(
      resolveAssetResponse,
      await api().get(`/api/mosaic/assets/home${query}`).set(headers).expect(200)
    );
    const edge = await resolver.resolveWithSummary('home', {
      query: new URLSearchParams(query.slice(1)),
      headers: { ...headers, 'X-Mosaic-Summary': token },
    });
    expect(edge!.summary).toMatchObject({ ok: true });
    // As the server's, but a resolver counts no impression.
    const { experiments, ...same } = server.meta;
    expect(edge!.meta).toEqual({
      ...same,
      ...(experiments ? { experiments: experiments.map((e) => ({ ...e, counted: false })) } : {}),
    });
    expect(edge!.meta.segments).toContain('returning-visitors');
    expect(JSON.parse(JSON.stringify(edge!.data))).toEqual(server.data);

    // Without the summary the resolver knows no profile: the answer differs.
    const anonymous = resolver.resolveRequest('home', {
      query: new URLSearchParams(query.slice(1)),
      headers,
    })!;
    expect(anonymous.meta.segments).not.toContain('returning-visitors');
  });

  it('a summary carried in the cookie is read as the header is; a withdrawn consent drops it', async () => {
    const visitor = await profiledReader();
    const { token } = (await issue(visitor)).body;
    const cookie = `mosaic_vid=${visitor}; mosaic_consent=granted; mosaic_summary=${token}`;
    const taken = await resolver.resolveWithSummary('home', {
      headers: { 'User-Agent': DESKTOP, Cookie: cookie },
    });
    expect(taken!.meta.persona).toBe('developer');
    const withdrawn = await resolver.resolveWithSummary('home', {
      headers: {
        'User-Agent': DESKTOP,
        Cookie: cookie.replace('mosaic_consent=granted', 'mosaic_consent=denied'),
      },
    });
    expect(withdrawn!.summary).toEqual({ ok: false, reason: 'no-consent' });
    expect(withdrawn!.meta.persona).toBeNull();
  });
});
