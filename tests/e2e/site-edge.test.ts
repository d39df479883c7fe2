/**
 * The example site's edge mode (examples/next, `MOSAIC_RESOLVE=edge`): a second `next start` of
 * the same build, whose proxy resolves the home page with the standalone resolver (the manifest
 * fetched with an API token, a consenting visitor's signed profile summary), against the suite's
 * site in server mode, in real headless Chromium. For the same reader — anonymous, a persona by
 * query, a campaign, a country and a phone, a consenting visitor whose profile points to a
 * persona — both show the same page: the same chunks in every slot, the same text, the same
 * persona, segments and experiment variant.
 */
import type { ChildProcess } from 'child_process';

import { chromium, type Browser, type BrowserContext } from 'playwright-core';

import { DEMO_ADMIN } from './browser';

/* eslint-disable @typescript-eslint/no-require-imports */
const { freePort } = require('./playground');
const { startSite } = require('./site');
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(120000);

const STRAPI = process.env.MOSAIC_E2E_URL as string;
const SITE = process.env.MOSAIC_E2E_SITE_URL as string;
const DESKTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let browser: Browser;
let edge: { url: string; child: ChildProcess };
const contexts: BrowserContext[] = [];

interface Reader {
  path: string;
  userAgent?: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  /** Without the page's script: nothing is tracked from the browser. */
  noScript?: boolean;
}

/** What a reader sees of the home page: every slot's chunks and text, and why. */
async function pageFor(site: string, reader: Reader) {
  const context = await browser.newContext({
    userAgent: reader.userAgent ?? DESKTOP,
    locale: 'en-US',
    extraHTTPHeaders: reader.headers ?? {},
    javaScriptEnabled: !reader.noScript,
  });
  contexts.push(context);
  const { hostname } = new URL(site);
  await context.addCookies(
    Object.entries(reader.cookies ?? {}).map(([name, value]) => ({
      name,
      value,
      domain: hostname,
      path: '/',
    }))
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const response = await page.goto(`${site}${reader.path}`);
  expect(response!.status()).toBe(200);
  const slots = await page.locator('[data-slot]').evaluateAll((nodes) =>
    nodes.map((node) => ({
      slot: node.getAttribute('data-slot'),
      chunks: [...node.querySelectorAll('[data-chunk]')].map((c) => c.getAttribute('data-chunk')),
      text: (node as HTMLElement).innerText,
    }))
  );
  const why = await page
    .locator('aside.reader')
    .innerText()
    .catch(() => '');
  return {
    resolution: response!.headers()['x-mosaic-resolution'] ?? 'server',
    persona: await page.getByTestId('persona').textContent(),
    slots,
    why,
    cookies: await context.cookies(),
  };
}

/**
 * `fetch`, asked twice if the first attempt finds its socket closed: global-setup's health polls
 * (same process with --runInBand) leave keep-alive sockets that Strapi closes when idle.
 */
async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

/** A consenting visitor who read three developer chunks (tracked as the site's client sends them). */
async function developerReader(prefix: string): Promise<string> {
  const visitor = `${prefix}-${Date.now().toString(36)}`;
  const events = ['hero-developer', 'feature-api', 'cta-developer'].map((chunk) => ({
    name: 'view',
    chunk,
  }));
  const tracked = await call(`${STRAPI}/api/mosaic/events`, {
    method: 'POST',
    headers: {
      'User-Agent': DESKTOP,
      'X-Mosaic-Visitor': visitor,
      'X-Mosaic-Consent': 'granted',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ events }),
  });
  expect(tracked.status).toBe(202);
  return visitor;
}

async function adminJwt(): Promise<string> {
  const login = await call(`${STRAPI}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_ADMIN),
  });
  return ((await login.json()) as { data: { token: string } }).data.token;
}

/** A custom API token holding only these permissions. */
async function apiToken(name: string, permissions: string[]): Promise<string> {
  const jwt = await adminJwt();
  const created = await call(`${STRAPI}/admin/api-tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
    body: JSON.stringify({
      name: `${name} ${Date.now()}`,
      description: name,
      type: 'custom',
      lifespan: null,
      permissions,
    }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { data: { accessKey: string } }).data.accessKey;
}

beforeAll(async () => {
  if (!SITE || !STRAPI) throw new Error('Run through `npm run test:e2e`: no site or Strapi.');
  edge = await startSite({
    port: await freePort(),
    strapiUrl: STRAPI,
    env: {
      MOSAIC_RESOLVE: 'edge',
      MOSAIC_MANIFEST_TOKEN: await apiToken('The example site resolving at the edge', [
        'plugin::mosaic.manifest.read',
        'plugin::mosaic.tracking.impressions',
      ]),
      MOSAIC_SUMMARY_SECRET: process.env.MOSAIC_SUMMARY_SECRET,
    },
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120000);

afterAll(async () => {
  while (contexts.length) await contexts.pop()?.close();
  await browser?.close();
  edge?.child.kill();
});

describe('the example site resolving at the edge', () => {
  const readers: Array<[string, Reader]> = [
    ['an anonymous reader', { path: '/' }],
    ['a persona by query', { path: '/?persona=marketer' }],
    ['a campaign reader', { path: '/?utm_source=twitter' }],
    [
      'a reader in Germany on a phone',
      { path: '/', userAgent: PHONE, headers: { 'CF-IPCountry': 'DE' } },
    ],
    [
      'a consenting visitor without a profile yet',
      { path: '/', cookies: { mosaic_vid: `edge-new-${Date.now()}`, mosaic_consent: 'granted' } },
    ],
  ];

  it.each(readers)('shows %s the page server resolution shows', async (_, reader) => {
    const atEdge = await pageFor(edge.url, reader);
    const onServer = await pageFor(SITE, reader);
    expect(atEdge.resolution).toBe('edge');
    expect(onServer.resolution).toBe('server');
    expect(atEdge.slots.length).toBeGreaterThan(3);
    expect(atEdge.slots).toEqual(onServer.slots);
    expect(atEdge.why).toEqual(onServer.why);
  });

  it('shows a consenting visitor whose reading points to a persona the same page, from a signed summary', async () => {
    const visitor = await developerReader('edge-reader');

    const reader: Reader = {
      path: '/',
      cookies: { mosaic_vid: visitor, mosaic_consent: 'granted' },
    };
    const atEdge = await pageFor(edge.url, reader);
    expect(atEdge.resolution).toBe('edge');
    expect(atEdge.persona).toBe('developer');
    const summary = atEdge.cookies.find((c) => c.name === 'mosaic_summary');
    expect(summary).toMatchObject({ httpOnly: true });
    // The summary holds conclusions only: no event, no chunk read.
    const payload = Buffer.from(summary!.value.split('.')[0], 'base64url').toString('utf8');
    expect(payload).not.toContain('hero-developer');

    const onServer = await pageFor(SITE, reader);
    expect(onServer.persona).toBe('developer');
    expect(atEdge.slots).toEqual(onServer.slots);
    expect(atEdge.why).toEqual(onServer.why);

    // A forged summary is not taken: the site drops it and asks the server for the visitor's own.
    const [, signature] = summary!.value.split('.');
    const promoted = Buffer.from(
      JSON.stringify({ ...JSON.parse(payload), persona: 'executive' })
    ).toString('base64url');
    const forged = await pageFor(edge.url, {
      ...reader,
      cookies: { ...reader.cookies, mosaic_summary: `${promoted}.${signature}` },
    });
    expect(forged.resolution).toBe('edge');
    expect(forged.persona).toBe('developer');
    // Its cookie now holds the server's token, not the forged one.
    const replaced = forged.cookies.find((c) => c.name === 'mosaic_summary');
    expect(replaced!.value.split('.')[0]).not.toBe(promoted);
  });

  it('takes no summary issued before the visitor was erased, within a few manifest polls', async () => {
    const visitor = await developerReader('edge-erased');
    const headers = {
      'User-Agent': DESKTOP,
      'X-Mosaic-Visitor': visitor,
      'X-Mosaic-Consent': 'granted',
    };
    const issued = await call(`${STRAPI}/api/mosaic/profile/summary`, { headers });
    expect(issued.status).toBe(200);
    const { token } = ((await issued.json()) as { data: { token: string } }).data;
    // Script off: the browser tracks nothing, so nothing writes the visitor back.
    const reader: Reader = {
      path: '/',
      cookies: { mosaic_vid: visitor, mosaic_consent: 'granted', mosaic_summary: token },
      noScript: true,
    };
    expect((await pageFor(edge.url, reader)).persona).toBe('developer');

    const eraser = await apiToken('Erasure', ['plugin::mosaic.tracking.eraseProfile']);
    const erased = await call(`${STRAPI}/api/mosaic/profile`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${eraser}`, 'X-Mosaic-Visitor': visitor },
    });
    expect(erased.status).toBe(200);
    // The edge polls the manifest every 2 s: within a few polls (8 s, for a loaded machine) the
    // summary the browser still holds is refused and dropped, and none is issued in its place
    // (the visitor has no profile).
    const deadline = Date.now() + 8000;
    let after = await pageFor(edge.url, reader);
    while (after.persona !== 'none' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await pageFor(edge.url, reader);
    }
    expect(after.resolution).toBe('edge');
    expect(after.persona).toBe('none');
    expect(after.cookies.find((c) => c.name === 'mosaic_summary')).toBeUndefined();
  });

  it('has Strapi count the experiment impressions it served', async () => {
    const jwt = await adminJwt();
    const home = await call(`${STRAPI}/api/mosaic/assets/home`, {});
    const [offer] = ((await home.json()) as { meta: { experiments: Array<{ asset: string }> } })
      .meta.experiments;
    const counted = async () => {
      const res = await call(`${STRAPI}/mosaic/insights/${offer.asset}`, {
        headers: { Authorization: `Bearer ${jwt}` },
      });
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: { totals: { impressions: number } } };
      return data.totals.impressions;
    };
    // Earlier tests' readers were counted too, written with the server's next flush (every
    // second): start from a count that has settled.
    let before = await counted();
    for (let settled = false; !settled; ) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const again = await counted();
      settled = again === before;
      before = again;
    }
    const readers = [1, 2, 3].map((n) => `edge-offer-${Date.now().toString(36)}-${n}`);
    for (const visitor of readers) {
      const page = await pageFor(edge.url, {
        path: '/',
        cookies: { mosaic_vid: visitor, mosaic_consent: 'granted' },
        noScript: true,
      });
      expect(page.resolution).toBe('edge');
    }
    // Reported after each answer, written with the server's next flush (every second).
    const deadline = Date.now() + 10000;
    let after = await counted();
    while (after < before + readers.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await counted();
    }
    expect(after).toBe(before + readers.length);
  });
});
