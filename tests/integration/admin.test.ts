/**
 * The admin API behind Mosaic's admin panel (contracts/admin.ts), on the demo content: every
 * route guarded by its permission, the assembly builder's reads and writes, preview of drafts as
 * any reader, coverage, rules, segments, where-used and settings that delivery honours.
 */
import type { Core } from '@strapi/strapi';

import { adminResponses, type EditorAsset, type EditorSlot } from '../../contracts/admin';
import { bootStrapi } from './strapi';
import { parse, wireRequest } from './wire';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require('../../playground/src/demo/seed');

let strapi: Core.Strapi;
let ids: {
  chunks: Record<string, string>;
  assets: Record<string, string>;
  segments: Record<string, string>;
};
const api = () => wireRequest(strapi.server.httpServer);
const tokens: Record<'admin' | 'none' | 'reader', string> = { admin: '', none: '', reader: '' };

const as = (who: keyof typeof tokens) => ({
  get: (url: string) => api().get(url).set('Authorization', `Bearer ${tokens[who]}`),
  post: (url: string, body?: object) =>
    api()
      .post(url)
      .set('Authorization', `Bearer ${tokens[who]}`)
      .send(body ?? {}),
  put: (url: string, body?: object) =>
    api()
      .put(url)
      .set('Authorization', `Bearer ${tokens[who]}`)
      .send(body ?? {}),
  delete: (url: string) => api().delete(url).set('Authorization', `Bearer ${tokens[who]}`),
});
const admin = as('admin');

async function adminWithRole(email: string, actions: string[]) {
  const role = await strapi
    .service('admin::role')
    .create({ name: `Role of ${email}`, description: 'test role' });
  if (actions.length) {
    await strapi.service('admin::role').assignPermissions(
      role.id,
      actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] }))
    );
  }
  await strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    password: 'Mosaic-test-1',
    isActive: true,
    registrationToken: null,
    roles: [role.id],
  });
  const login = await api().post('/admin/login').send({ email, password: 'Mosaic-test-1' });
  expect(login.status).toBe(200);
  return login.body.data.token as string;
}

beforeAll(async () => {
  strapi = await bootStrapi('admin');
  ids = await demo.seedDemo(strapi);
  await demo.grantPublicDelivery(strapi);
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'editor@mosaic.local', password: 'Mosaic-admin-1', firstname: 'Editor' });
  tokens.admin = registered.body.data.token;
  tokens.none = await adminWithRole('author@mosaic.local', []);
  tokens.reader = await adminWithRole('reader@mosaic.local', ['plugin::mosaic.read']);
});

afterAll(async () => {
  await strapi?.destroy();
});

/** A slot as the builder sends it. */
const slot = (
  key: string,
  candidates: Array<[type: 'chunk' | 'asset', slug: string]>,
  mode: EditorSlot['mode'] = 'first',
  limit?: number
) => ({
  key,
  mode,
  ...(limit !== undefined ? { limit } : {}),
  candidates: candidates.map(([type, slug]) => ({
    type,
    documentId: type === 'chunk' ? ids.chunks[slug] : ids.assets[slug],
  })),
});

const slugsOf = (asset: EditorAsset) =>
  Object.fromEntries(asset.slots.map((s) => [s.key, s.candidates.map((c) => c.slug)]));

describe('permissions', () => {
  const routes: Array<[method: 'get' | 'post' | 'put' | 'delete', path: string, action: string]> = [
    ['get', '/mosaic/taxonomy', 'read'],
    ['get', '/mosaic/assets', 'read'],
    ['get', '/mosaic/assets/{home}', 'read'],
    ['post', '/mosaic/assets', 'edit'],
    ['put', '/mosaic/assets/{home}', 'edit'],
    ['post', '/mosaic/assets/{home}/publish', 'edit'],
    ['post', '/mosaic/assets/{home}/copy', 'edit'],
    ['delete', '/mosaic/assets/{home}', 'edit'],
    ['get', '/mosaic/library', 'read'],
    ['post', '/mosaic/preview', 'preview'],
    ['post', '/mosaic/preview/compare', 'preview'],
    ['get', '/mosaic/coverage/{home}', 'read'],
    ['post', '/mosaic/rules/validate', 'read'],
    ['post', '/mosaic/rules/test', 'read'],
    ['post', '/mosaic/segments', 'edit'],
    ['put', '/mosaic/segments/{twitter}', 'edit'],
    ['post', '/mosaic/segments/{twitter}/duplicate', 'edit'],
    ['get', '/mosaic/segments/{twitter}/where-used', 'read'],
    ['delete', '/mosaic/segments/{twitter}', 'edit'],
    ['get', '/mosaic/where-used/{signature}', 'read'],
    ['get', '/mosaic/settings', 'settings'],
    ['put', '/mosaic/settings', 'settings'],
    ['get', '/mosaic/cache', 'settings'],
    ['post', '/mosaic/audience', 'read'],
    ['get', '/mosaic/insights/{home}', 'read'],
    ['get', '/mosaic/insights/{home}/export', 'read'],
    ['post', '/mosaic/insights/{home}/slots/{offer}/promote', 'edit'],
  ];

  /** Placeholders in the table, filled once the demo is seeded. */
  const url = (path: string) =>
    path
      .replace('{home}', ids.assets.home)
      .replace('{twitter}', ids.segments['from-twitter'])
      .replace('{signature}', ids.chunks.signature)
      .replace('{offer}', 'offer');

  it('lists every admin route of the plugin', () => {
    const served = strapi
      .plugin('mosaic')
      .routes.admin.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`);
    const tested = routes.map(
      ([method, path]) =>
        `${method.toUpperCase()} ${path
          .replace('/mosaic', '')
          .replace('{offer}', ':slotKey')
          .replace(/\{\w+\}/, ':documentId')}`
    );
    expect(tested.sort()).toEqual(served.sort());
  });

  it.each(routes)(
    '%s %s answers 403 to an admin without Mosaic permissions',
    async (method, path) => {
      const res = await as('none')[method](url(path));
      expect(res.status).toBe(403);
      const anonymous = await api()[method](url(path));
      expect(anonymous.status).toBe(401);
    }
  );

  it.each(routes)(
    '%s %s needs %s: a read-only role gets what it holds',
    async (method, path, action) => {
      const res = await as('reader')[method](url(path));
      if (action === 'read') expect(res.status).not.toBe(403);
      else expect(res.status).toBe(403);
    }
  );

  it('a read-only role changes nothing', async () => {
    const before = await admin.get(`/mosaic/assets/${ids.assets.home}`);
    await as('reader').put(`/mosaic/assets/${ids.assets.home}`, { slots: [] }).expect(403);
    await as('reader').post(`/mosaic/assets/${ids.assets.home}/publish`).expect(403);
    await as('reader').put('/mosaic/settings', { cacheMaxAge: 1 }).expect(403);
    const after = await admin.get(`/mosaic/assets/${ids.assets.home}`);
    expect(after.body.data).toEqual(before.body.data);
    expect((await admin.get('/mosaic/settings')).body.data.cacheMaxAge).toBe(60);
  });
});

describe('taxonomy and the library', () => {
  it('offers the personas, segments, tags, locales, context fields, operators and formats', async () => {
    const { body } = await admin.get('/mosaic/taxonomy').expect(200);
    expect(body.data.personas.map((p: { slug: string }) => p.slug).sort()).toEqual([
      'developer',
      'executive',
      'marketer',
    ]);
    expect(body.data.segments).toContainEqual(
      expect.objectContaining({
        slug: 'dach-visitors',
        documentId: ids.segments['dach-visitors'],
        priority: 10,
        rule: { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
      })
    );
    expect(body.data.tags).toContainEqual({ slug: 'api', name: 'API' });
    expect(body.data.locales).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'en', isDefault: true }),
        expect.objectContaining({ code: 'fr', isDefault: false }),
      ])
    );
    expect(body.data.contextFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'geo.country', type: 'string' }),
        expect.objectContaining({ field: 'time.hour', type: 'number' }),
        expect.objectContaining({ field: 'traits.lifetimeValue', type: 'number' }),
      ])
    );
    expect(body.data.operators).toEqual(expect.arrayContaining(['$eq', '$in', '$between']));
    expect(body.data.formats).toEqual(['json', 'html', 'markdown', 'text']);
  });

  it('finds chunks by text, persona, segment and tag, with their tags and an excerpt', async () => {
    const hero = await admin.get('/mosaic/library?type=chunk&q=hero&persona=developer').expect(200);
    expect(hero.body.data).toEqual([
      expect.objectContaining({
        type: 'chunk',
        slug: 'hero-developer',
        documentId: ids.chunks['hero-developer'],
        locale: 'en',
        status: 'published',
        personas: ['developer'],
        tags: ['api'],
        excerpt: expect.stringContaining('Ship personalized pages'),
      }),
    ]);
    const api_ = await admin.get('/mosaic/library?type=chunk&tag=api').expect(200);
    expect(api_.body.data.map((i: { slug: string }) => i.slug).sort()).toEqual([
      'feature-api',
      'hero-developer',
    ]);
    const dach = await admin.get('/mosaic/library?segment=dach-visitors').expect(200);
    expect(dach.body.data.map((i: { slug: string }) => i.slug).sort()).toEqual([
      'cta-dach',
      'hero-dach',
    ]);
    // Each item says its locale: the French versions, where asked for.
    const french = await admin
      .get('/mosaic/library?type=chunk&q=cta-default&locale=fr')
      .expect(200);
    expect(french.body.data).toEqual([
      expect.objectContaining({
        slug: 'cta-default',
        locale: 'fr',
        title: 'Appel à l’action (par défaut)',
      }),
    ]);
  });

  it('pages through chunks then assets as one list', async () => {
    const all = await admin.get('/mosaic/library?pageSize=100').expect(200);
    const total = all.body.meta.pagination.total;
    expect(total).toBe(all.body.data.length);
    expect(all.body.data.filter((i: { type: string }) => i.type === 'asset')).toHaveLength(3);
    const seen: string[] = [];
    for (let page = 1; (page - 1) * 7 < total; page += 1) {
      const res = await admin.get(`/mosaic/library?pageSize=7&page=${page}`).expect(200);
      expect(res.body.meta.pagination).toEqual({ page, pageSize: 7, total });
      seen.push(...res.body.data.map((i: { documentId: string }) => i.documentId));
    }
    expect(seen).toEqual(all.body.data.map((i: { documentId: string }) => i.documentId));
    const assets = await admin.get('/mosaic/library?type=asset&q=foot').expect(200);
    expect(assets.body.data).toEqual([
      expect.objectContaining({ type: 'asset', slug: 'company-footer', excerpt: '' }),
    ]);
  });

  it('refuses a bad page size with its path', async () => {
    const res = await admin.get('/mosaic/library?pageSize=1000').expect(400);
    expect(res.body.error.details.errors[0].path).toEqual(['pageSize']);
  });
});

describe('the assembly builder', () => {
  it('lists assets with their status and slot count', async () => {
    const { body } = await admin.get('/mosaic/assets').expect(200);
    const home = body.data.find((a: { slug: string }) => a.slug === 'home');
    expect(home).toEqual(
      expect.objectContaining({
        documentId: ids.assets.home,
        title: 'Home page',
        kind: 'page',
        locale: 'en',
        status: 'published',
        slotCount: 6,
      })
    );
    const found = await admin.get('/mosaic/assets?q=welcome').expect(200);
    expect(found.body.data.map((a: { slug: string }) => a.slug)).toEqual(['welcome-email']);
  });

  it('opens an asset with its candidates’ slugs, titles and tags', async () => {
    const { body } = await admin.get(`/mosaic/assets/${ids.assets.home}`).expect(200);
    const hero = body.data.slots.find((s: EditorSlot) => s.key === 'hero');
    expect(hero.mode).toBe('first');
    expect(hero.candidates[0]).toEqual(
      expect.objectContaining({
        type: 'chunk',
        documentId: ids.chunks['hero-developer'],
        slug: 'hero-developer',
        title: 'Hero for developers',
        personas: ['developer'],
        segments: [],
        tags: ['api'],
      })
    );
    expect(hero.candidates[3].segments).toEqual(['from-twitter']);
    const footer = body.data.slots.find((s: EditorSlot) => s.key === 'footer');
    expect(footer.candidates).toEqual([
      expect.objectContaining({ type: 'asset', slug: 'company-footer', title: 'Company footer' }),
    ]);
    expect(body.data.slots.find((s: EditorSlot) => s.key === 'features').limit).toBe(4);
    await admin.get('/mosaic/assets/nosuchdocument').expect(404);
  });

  it('creates, saves and publishes an asset, which the delivery API then serves', async () => {
    const created = await admin
      .post('/mosaic/assets', { title: 'Spring landing', kind: 'landing-page' })
      .expect(201);
    const asset = parse(adminResponses.createAsset, created).data;
    expect(asset).toEqual(
      expect.objectContaining({ slug: 'spring-landing', status: 'draft', slots: [] })
    );
    ids.assets['spring-landing'] = asset.documentId;
    const again = await admin.post('/mosaic/assets', { title: 'Spring landing' }).expect(201);
    expect(again.body.data.slug).toBe('spring-landing-2');

    const saved = await admin
      .put(`/mosaic/assets/${asset.documentId}`, {
        title: 'Spring landing page',
        slots: [
          slot('hero', [
            ['chunk', 'hero-marketer'],
            ['chunk', 'hero-default'],
          ]),
          slot(
            'features',
            [
              ['chunk', 'feature-api'],
              ['chunk', 'feature-reuse'],
            ],
            'all',
            1
          ),
          slot('footer', [['asset', 'company-footer']]),
        ],
      })
      .expect(200);
    expect(saved.body.data.title).toBe('Spring landing page');
    expect(slugsOf(saved.body.data)).toEqual({
      hero: ['hero-marketer', 'hero-default'],
      features: ['feature-api', 'feature-reuse'],
      footer: ['company-footer'],
    });
    expect(saved.body.data.slots[1]).toEqual(expect.objectContaining({ mode: 'all', limit: 1 }));
    await api().get('/api/mosaic/assets/spring-landing').expect(404);

    const published = await admin.post(`/mosaic/assets/${asset.documentId}/publish`).expect(200);
    expect(published.body.data.status).toBe('published');
    const served = await api()
      .get('/api/mosaic/assets/spring-landing?persona=marketer')
      .expect(200);
    expect(
      served.body.data.slots.map((s: { chunks: Array<{ slug: string }> }) =>
        s.chunks.map((c) => c.slug)
      )
    ).toEqual([['hero-marketer'], ['feature-reuse'], ['signature']]);
  });

  it('saves an asset’s first version in another locale, from chunks that exist in it', async () => {
    const home = ids.assets.home;
    await admin.get(`/mosaic/assets/${home}?locale=fr`).expect(404);
    const missing = await admin
      .put(`/mosaic/assets/${home}?locale=fr`, {
        slots: [slot('hero', [['chunk', 'hero-developer']])],
      })
      .expect(400);
    expect(missing.body.error.message).toContain("in locale 'fr'");
    await admin.get(`/mosaic/assets/${home}?locale=fr`).expect(404);

    const saved = await admin
      .put(`/mosaic/assets/${home}?locale=fr`, {
        slots: [slot('hero', [['chunk', 'hero-default']])],
      })
      .expect(200);
    expect(saved.body.data).toEqual(
      expect.objectContaining({ locale: 'fr', slug: 'home', title: 'Home page', status: 'draft' })
    );
    await admin.post(`/mosaic/assets/${home}/publish?locale=fr`).expect(200);
    const served = await api().get('/api/mosaic/assets/home?locale=fr').expect(200);
    expect(served.body.data.slots).toEqual([
      { key: 'hero', chunks: [expect.objectContaining({ title: 'Accroche (par défaut)' })] },
    ]);
    const english = await admin.get(`/mosaic/assets/${home}`).expect(200);
    expect(english.body.data.slots).toHaveLength(6);
    await admin.put(`/mosaic/assets/${home}?locale=xx`, { slots: [] }).expect(400);
  });

  describe('refuses a bad save, with the path, and writes nothing', () => {
    let before: EditorAsset;
    beforeAll(async () => {
      before = parse(
        adminResponses.getAsset,
        await admin.get(`/mosaic/assets/${ids.assets['company-footer']}`)
      ).data;
    });
    afterEach(async () => {
      const after = await admin.get(`/mosaic/assets/${ids.assets['company-footer']}`);
      expect(after.body.data).toEqual(before);
    });
    const save = (body: object) =>
      admin.put(`/mosaic/assets/${ids.assets['company-footer']}`, body);

    it('a nested asset that makes a cycle, with the cycle', async () => {
      const res = await save({
        slots: [slot('signature', [['chunk', 'signature']]), slot('more', [['asset', 'home']])],
      }).expect(400);
      expect(res.body.error.details.cycle).toEqual(['company-footer', 'home', 'company-footer']);
      expect(res.body.error.details.errors[0].path).toEqual([
        'slots',
        '1',
        'candidates',
        '0',
        'documentId',
      ]);
      expect(res.body.error.message).toContain('company-footer → home → company-footer');
      const self = await save({ slots: [slot('me', [['asset', 'company-footer']])] }).expect(400);
      expect(self.body.error.details.cycle).toEqual(['company-footer', 'company-footer']);
    });

    it('a slot key used twice, or empty', async () => {
      const twice = await save({
        slots: [slot('main', [['chunk', 'signature']]), slot('main', [])],
      }).expect(400);
      expect(twice.body.error.details.errors[0].path).toEqual(['slots', '1', 'key']);
      expect(twice.body.error.message).toContain("'main'");
      const empty = await save({ slots: [slot('', [])] }).expect(400);
      expect(empty.body.error.details.errors[0].path).toEqual(['slots', '0', 'key']);
    });

    it('an unknown mode, a limit that is not a positive whole number', async () => {
      const mode = await save({ slots: [{ ...slot('a', []), mode: 'random' }] }).expect(400);
      expect(mode.body.error.details.errors[0].path).toEqual(['slots', '0', 'mode']);
      expect(mode.body.error.message).toContain('first, best, all, experiment');
      for (const limit of [0, -2, 1.5]) {
        const res = await save({ slots: [slot('a', [], 'all', limit)] }).expect(400);
        expect(res.body.error.details.errors[0].path).toEqual(['slots', '0', 'limit']);
      }
    });

    it('a candidate that does not exist', async () => {
      const res = await save({
        slots: [
          {
            key: 'signature',
            mode: 'first',
            candidates: [
              { type: 'chunk', documentId: ids.chunks.signature },
              { type: 'chunk', documentId: 'nosuchchunk000000000000' },
            ],
          },
        ],
      }).expect(400);
      expect(res.body.error.details.errors[0].path).toEqual([
        'slots',
        '0',
        'candidates',
        '1',
        'documentId',
      ]);
      expect(res.body.error.message).toContain('no chunk nosuchchunk000000000000');
    });
  });

  it('previews a draft as a reader while the delivery API keeps the published version', async () => {
    const email = ids.assets['welcome-email'];
    const draft = parse(adminResponses.getAsset, await admin.get(`/mosaic/assets/${email}`)).data;
    const slots = draft.slots.map((s) =>
      s.key === 'intro' ? slot('intro', [['chunk', 'email-intro-default']]) : s
    );
    const saved = await admin.put(`/mosaic/assets/${email}`, { slots }).expect(200);
    expect(saved.body.data.status).toBe('modified');

    const introOf = (body: {
      data: { slots: Array<{ key: string; chunks: Array<{ slug: string }> }> };
    }) => body.data.slots.find((s) => s.key === 'intro')!.chunks.map((c) => c.slug);
    const preview = await admin
      .post('/mosaic/preview', { asset: 'welcome-email', reader: { persona: 'developer' } })
      .expect(200);
    expect(introOf(preview.body)).toEqual(['email-intro-default']);
    expect(preview.body.meta.explain.slots).toBeDefined();
    const published = await admin
      .post('/mosaic/preview', {
        asset: email,
        status: 'published',
        reader: { persona: 'developer' },
      })
      .expect(200);
    expect(introOf(published.body)).toEqual(['email-intro-developer']);
    const delivered = await api()
      .get('/api/mosaic/assets/welcome-email?persona=developer')
      .expect(200);
    expect(introOf(delivered.body)).toEqual(['email-intro-developer']);

    await admin.post(`/mosaic/assets/${email}/publish`).expect(200);
    const after = await api().get('/api/mosaic/assets/welcome-email?persona=developer').expect(200);
    expect(introOf(after.body)).toEqual(['email-intro-default']);
  });
});

describe('preview and side by side', () => {
  const heroOf = (data: { slots: Array<{ key: string; chunks: Array<{ slug: string }> }> }) =>
    data.slots.find((s) => s.key === 'hero')!.chunks.map((c) => c.slug);

  it('resolves as a persona, forced segments or a simulated context, in any format, explained', async () => {
    const cases: Array<[object, string]> = [
      [{ persona: 'developer' }, 'hero-developer'],
      [{ persona: 'marketer' }, 'hero-marketer'],
      [{ segments: ['from-twitter'] }, 'hero-twitter'],
      [{ context: { country: 'de' } }, 'hero-dach'],
      [{ context: { referrer: 'https://t.co/abc' } }, 'hero-twitter'],
      [{}, 'hero-default'],
    ];
    for (const [reader, hero] of cases) {
      const res = await admin.post('/mosaic/preview', { asset: 'home', reader }).expect(200);
      expect(heroOf(res.body.data)).toEqual([hero]);
      expect(res.body.meta.explain).toEqual(
        expect.objectContaining({ context: expect.any(Object), slots: expect.any(Array) })
      );
    }
    const forced = await admin
      .post('/mosaic/preview', { asset: 'home', reader: { segments: ['dach-visitors'] } })
      .expect(200);
    expect(forced.body.meta.segments).toContain('dach-visitors');

    const html = await admin
      .post('/mosaic/preview', { asset: 'home', format: 'html', reader: { persona: 'developer' } })
      .expect(200);
    expect(html.body.data.format).toBe('html');
    expect(html.body.data.slots[0].chunks[0].content).toContain('<h1>');
    const hero = html.body.meta.explain.slots.find((s: { key: string }) => s.key === 'hero');
    expect(hero.candidates[0]).toEqual(
      expect.objectContaining({ slug: 'hero-developer', chosen: true })
    );
    expect(hero.candidates[1]).toEqual(
      expect.objectContaining({ slug: 'hero-marketer', reason: 'persona-mismatch' })
    );
  });

  it('sees the time a simulated reader gives, in their time zone', async () => {
    const res = await admin
      .post('/mosaic/preview', {
        asset: 'home',
        reader: { context: { now: '2026-03-02T23:30:00Z', tz: 'Europe/Berlin' } },
      })
      .expect(200);
    expect(res.body.meta.explain.context.time).toEqual({ hour: 0, weekday: 2, date: '2026-03-03' });
  });

  it('refuses an unknown persona, segment, format, time zone or asset', async () => {
    const bad: Array<[object, string[]]> = [
      [{ asset: 'home', reader: { persona: 'astronaut' } }, ['reader', 'persona']],
      [{ asset: 'home', reader: { segments: ['nobody'] } }, ['reader', 'segments', '0']],
      [{ asset: 'home', format: 'pdf', reader: {} }, ['format']],
      [{ asset: 'home', reader: { context: { tz: 'Mars/Base' } } }, ['reader', 'context', 'tz']],
      [{ asset: 'home', reader: { context: { now: 'yesterday' } } }, ['reader', 'context', 'now']],
    ];
    for (const [body, path] of bad) {
      const res = await admin.post('/mosaic/preview', body).expect(400);
      expect(res.body.error.details.errors[0].path).toEqual(path);
    }
    await admin.post('/mosaic/preview', { asset: 'no-such-asset', reader: {} }).expect(404);
  });

  it('compares readers side by side and names the slots that differ', async () => {
    const res = await admin
      .post('/mosaic/preview/compare', {
        asset: ids.assets.home,
        readers: [{ persona: 'developer' }, { persona: 'marketer', label: 'Marketing' }],
      })
      .expect(200);
    const [developer, marketer] = res.body.data.readers;
    expect(developer.label).toBe('developer');
    expect(marketer.label).toBe('Marketing');
    expect(heroOf(developer.data)).toEqual(['hero-developer']);
    expect(heroOf(marketer.data)).toEqual(['hero-marketer']);
    expect(res.body.data.differingSlots.sort()).toEqual(['cta', 'features', 'hero']);
    await admin.post('/mosaic/preview/compare', { asset: 'home', readers: [] }).expect(400);
  });
});

describe('coverage', () => {
  it('shows the persona × segment matrix and who gets only the default', async () => {
    const { body } = await admin.get(`/mosaic/coverage/${ids.assets.home}`).expect(200);
    expect(body.data.personas).toEqual([null, 'developer', 'executive', 'marketer']);
    expect(body.data.segments).toEqual([
      null,
      'dach-visitors',
      'from-twitter',
      'mobile-visitors',
      'returning-visitors',
    ]);
    expect(body.data.cells).toHaveLength(4 * 5);
    const cell = (persona: string | null, segment: string | null) =>
      body.data.cells.find(
        (c: { persona: string | null; segment: string | null }) =>
          c.persona === persona && c.segment === segment
      );
    expect(cell(null, null)).toEqual(
      expect.objectContaining({
        defaultOnly: true,
        slots: expect.objectContaining({ hero: ['hero-default'] }),
      })
    );
    expect(cell('developer', null).defaultOnly).toBe(false);
    expect(cell(null, 'from-twitter').slots.hero).toEqual(['hero-twitter']);
    expect(body.data.unreachable).toEqual([]);
  });

  it('finds candidates no reader can reach', async () => {
    const created = await admin.post('/mosaic/assets', { title: 'Shadows' }).expect(201);
    const id = created.body.data.documentId;
    await admin
      .put(`/mosaic/assets/${id}`, {
        slots: [
          slot('hero', [
            ['chunk', 'hero-default'],
            ['chunk', 'hero-developer'],
          ]),
        ],
      })
      .expect(200);
    const { body } = await admin.get(`/mosaic/coverage/${id}`).expect(200);
    expect(body.data.unreachable).toEqual([
      {
        slot: 'hero',
        candidate: 'hero-developer',
        reason: 'shadowed',
        message:
          "'hero-developer' comes after the untagged 'hero-default', which every reader gets first",
      },
    ]);
    await admin.get(`/mosaic/coverage/${id}?status=published`).expect(404);
  });
});

describe('segment rules', () => {
  it('validates a rule and says where it is wrong', async () => {
    const ok = await admin
      .post('/mosaic/rules/validate', { rule: { geo: { country: { $in: ['DE'] } } } })
      .expect(200);
    expect(ok.body.data).toEqual({ valid: true, errors: [] });
    const bad = await admin
      .post('/mosaic/rules/validate', { rule: { time: { hour: { $between: [22] } } } })
      .expect(200);
    expect(bad.body.data).toEqual({
      valid: false,
      errors: [
        {
          path: ['rule', 'time', 'hour', '$between'],
          message: 'rule.time.hour.$between must be an array of exactly two bounds, e.g. [10, 20]',
        },
      ],
    });
  });

  it('tests a rule against a sample context', async () => {
    const test = (rule: object, context: object) =>
      admin.post('/mosaic/rules/test', { rule, context });
    const dach = { geo: { country: { $in: ['DE', 'AT'] } } };
    expect((await test(dach, { country: 'de' }).expect(200)).body.data).toEqual({ matches: true });
    expect((await test(dach, { country: 'fr' }).expect(200)).body.data).toEqual({ matches: false });
    const pro = { traits: { plan: 'pro' }, referrer: { host: 'x.com' } };
    expect(
      (await test(pro, { traits: { plan: 'pro' }, referrer: 'https://x.com/a' })).body.data
    ).toEqual({
      matches: true,
    });
    const night = { time: { hour: { $gte: 22 } } };
    expect((await test(night, { now: '2026-01-01T23:00:00Z' })).body.data.matches).toBe(true);
    const buyer = { $event: { name: 'purchase', within: '7d', $gte: 1 } };
    const events = [{ name: 'purchase', ts: Date.now() - 1000 }];
    expect((await test(buyer, { events })).body.data.matches).toBe(true);
    const bad = await test({ geo: { country: { $in: 'DE' } } }, {}).expect(400);
    expect(bad.body.error.details.errors[0].path).toEqual(['rule', 'geo', 'country', '$in']);
    const badContext = await test(dach, { planet: 'Mars' }).expect(400);
    expect(badContext.body.error.details.errors[0].path).toEqual(['context']);
  });

  it('creates and updates segments, refusing a bad rule with its path and writing nothing', async () => {
    const created = await admin
      .post('/mosaic/segments', { name: 'Night owls', rule: { time: { hour: { $gte: 22 } } } })
      .expect(201);
    expect(created.body.data).toEqual(
      expect.objectContaining({ slug: 'night-owls', name: 'Night owls', priority: 0 })
    );
    const id = created.body.data.documentId;
    const updated = await admin
      .put(`/mosaic/segments/${id}`, { priority: 7, rule: { time: { hour: { $gte: 23 } } } })
      .expect(200);
    expect(updated.body.data).toEqual(
      expect.objectContaining({ priority: 7, rule: { time: { hour: { $gte: 23 } } } })
    );

    const refused = await admin
      .put(`/mosaic/segments/${id}`, { rule: { time: { hour: { $between: [22] } } } })
      .expect(400);
    expect(refused.body.error.message).toBe(
      `segment '${id}': rule.time.hour.$between must be an array of exactly two bounds, e.g. [10, 20]`
    );
    expect(refused.body.error.details.errors[0].path).toEqual(['rule', 'time', 'hour', '$between']);
    const stored = await strapi
      .documents('plugin::mosaic.segment')
      .findOne({ documentId: id } as never);
    expect((stored as unknown as { rule: unknown }).rule).toEqual({ time: { hour: { $gte: 23 } } });

    const badNew = await admin
      .post('/mosaic/segments', { name: 'Broken', rule: { geoo: { country: 'DE' } } })
      .expect(400);
    expect(badNew.body.error.details.errors[0].path[0]).toBe('rule');
    const noRule = await admin.post('/mosaic/segments', { name: 'No rule' }).expect(400);
    expect(noRule.body.error.details.errors[0].path).toEqual(['rule']);
    expect(
      await strapi
        .documents('plugin::mosaic.segment')
        .count({ filters: { name: { $in: ['Broken', 'No rule'] } } } as never)
    ).toBe(0);
    const taken = await admin
      .post('/mosaic/segments', { name: 'Again', slug: 'night-owls', rule: {} })
      .expect(400);
    expect(taken.body.error.details.errors[0].path).toEqual(['slug']);
  });
});

describe('where used', () => {
  it('lists the assets and slots using a chunk, and the assets nesting those', async () => {
    const { body } = await admin.get(`/mosaic/where-used/${ids.chunks.signature}`).expect(200);
    expect(body.data.direct).toEqual([
      {
        asset: {
          documentId: ids.assets['company-footer'],
          slug: 'company-footer',
          title: 'Company footer',
        },
        slots: ['signature'],
      },
    ]);
    const nested = body.data.nested.map((n: { path: string[] }) => n.path).sort();
    expect(nested).toEqual([
      ['home', 'company-footer'],
      ['spring-landing', 'company-footer'],
      ['welcome-email', 'company-footer'],
    ]);
    const hero = await admin.get(`/mosaic/where-used/${ids.chunks['hero-dach']}`).expect(200);
    expect(hero.body.data.direct).toEqual([
      expect.objectContaining({
        asset: expect.objectContaining({ slug: 'home' }),
        slots: ['hero'],
      }),
    ]);
    await admin.get('/mosaic/where-used/nosuchdocument').expect(404);
  });
});

describe('settings', () => {
  afterAll(async () => {
    await admin
      .put('/mosaic/settings', {
        allowPersonaParam: true,
        consent: 'required',
        cacheMaxAge: 60,
        retentionDays: 180,
        geoHeaders: { country: 'cf-ipcountry' },
      })
      .expect(200);
  });

  it('starts from the config file', async () => {
    const { body } = await admin.get('/mosaic/settings').expect(200);
    expect(body.data).toEqual({
      allowPersonaParam: true,
      consent: 'required',
      geoHeaders: { country: 'cf-ipcountry' },
      cacheMaxAge: 60,
      retentionDays: 180,
    });
  });

  it('changes what delivery does, and keeps the change in the plugin store', async () => {
    const heroFor = async (query: string, headers: Record<string, string> = {}) => {
      const res = await api().get(`/api/mosaic/assets/home${query}`).set(headers).expect(200);
      return { res, hero: res.body.data.slots[0].chunks[0].slug };
    };
    expect((await heroFor('?persona=developer')).hero).toBe('hero-developer');
    const profiles = strapi.plugin('mosaic').service('profiles');
    const now = Date.now();
    await profiles.identify('seen-sixty-days-ago', { plan: 'free' }, now - 60 * 86_400_000);
    expect((await profiles.purge(now)).profiles).toBe(0);

    const put = await admin
      .put('/mosaic/settings', {
        allowPersonaParam: false,
        cacheMaxAge: 5,
        geoHeaders: { country: 'X-Country' },
        retentionDays: 30,
      })
      .expect(200);
    expect(put.body.data).toEqual({
      allowPersonaParam: false,
      consent: 'required',
      geoHeaders: { country: 'x-country' },
      cacheMaxAge: 5,
      retentionDays: 30,
    });
    const ignored = await heroFor('?persona=developer');
    expect(ignored.hero).toBe('hero-default');
    expect(ignored.res.body.meta.warnings[0]).toContain('persona parameter is disabled');
    expect(ignored.res.headers['cache-control']).toBe('public, max-age=5');
    expect((await heroFor('', { 'X-Country': 'DE' })).hero).toBe('hero-dach');
    expect((await heroFor('', { 'CF-IPCountry': 'DE' })).hero).toBe('hero-default');
    expect((await profiles.purge(now)).profiles).toBe(1);

    const stored = await strapi.store({ type: 'plugin', name: 'mosaic', key: 'settings' }).get({});
    expect(stored).toEqual(
      expect.objectContaining({ allowPersonaParam: false, retentionDays: 30 })
    );

    await admin.put('/mosaic/settings', { consent: 'implied' }).expect(200);
    expect(profiles.consented(undefined)).toBe(true);
    expect((await admin.get('/mosaic/settings')).body.data.cacheMaxAge).toBe(5);
  });

  it('refuses bad settings with the path and keeps the old ones', async () => {
    const before = parse(adminResponses.settings, await admin.get('/mosaic/settings')).data;
    const bad: Array<[object, string[]]> = [
      [{ cacheMaxAge: -1 }, ['cacheMaxAge']],
      [{ retentionDays: 0 }, ['retentionDays']],
      [{ consent: 'maybe' }, ['consent']],
      [{ allowPersonaParam: 'yes' }, ['allowPersonaParam']],
      [{ geoHeaders: { country: 'not a header' } }, ['geoHeaders', 'country']],
      [{ cacheMaxAge: 10, colour: 'blue' }, []],
    ];
    for (const [body, path] of bad) {
      const res = await admin.put('/mosaic/settings', body).expect(400);
      expect(res.body.error.details.errors[0].path).toEqual(path);
    }
    expect((await admin.get('/mosaic/settings')).body.data).toEqual(before);
  });
});
