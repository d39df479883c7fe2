/**
 * The example Next.js site (examples/next) on the suite's playground, in a real headless Chromium
 * that presents itself as a desktop browser (a headless user agent is a bot to Mosaic: served, not
 * tracked). Each visitor is a fresh browser context: their own cookies, nothing shared.
 */
import path from 'path';

import type { Knex } from 'knex';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { connectE2eDatabase } from './database';

jest.setTimeout(120000);

const SITE = process.env.MOSAIC_E2E_SITE_URL as string;
const DESKTOP =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let browser: Browser;
let db: Knex;
const contexts: BrowserContext[] = [];
const SHOTS = path.join(__dirname, 'screenshots');

async function newVisitor(): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  return page;
}

interface SentEvent {
  name: string;
  chunk?: string;
  goal?: string;
}

/** Waits for the batch of events holding one the test expects; answers Mosaic's reply. */
function eventsWith(page: Page, expected: (event: SentEvent) => boolean) {
  return page
    .waitForResponse((response) => {
      if (!response.url().includes('/api/mosaic/events')) return false;
      if (response.request().method() !== 'POST') return false;
      const sent = response.request().postDataJSON() as { events: SentEvent[] };
      return sent.events.some(expected);
    })
    .then(async (response) => ({
      status: response.status(),
      body: (await response.json()) as { data: { accepted: number; profile: boolean } },
      sent: response.request().postDataJSON() as { events: SentEvent[] },
    }));
}

/** Reads a page of the site as its reader does: the page tracks a view of `chunk`. */
async function read(page: Page, path: string, chunk: string) {
  const events = eventsWith(page, (event) => event.name === 'view' && event.chunk === chunk);
  await page.goto(`${SITE}${path}`);
  return events;
}

/** Opens a page of the site and waits until it answers clicks (hydrated). */
async function open(page: Page, path: string) {
  const response = await page.goto(`${SITE}${path}`);
  await page.locator('html[data-ready]').waitFor();
  return response;
}

const servedChunks = (page: Page, slot: string) =>
  page
    .locator(`[data-slot="${slot}"] > [data-chunk]`)
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-chunk')));

async function cookie(page: Page, name: string) {
  return (await page.context().cookies()).find((c) => c.name === name)?.value;
}

async function count(table: string): Promise<number> {
  const [row] = await db(table).count({ n: '*' });
  return Number(row.n);
}

beforeAll(async () => {
  if (!SITE) throw new Error('MOSAIC_E2E_SITE_URL is not set: run through `npm run test:e2e`.');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  db = connectE2eDatabase();
});

afterAll(async () => {
  while (contexts.length) await contexts.pop()?.close();
  await browser?.close();
  await db?.destroy();
});

describe('the example Next.js site on Mosaic', () => {
  it('shows a new visitor the default page, personalised on the server, and asks for consent', async () => {
    const page = await newVisitor();
    const response = await open(page, '/');
    // No flicker: the assembly is in the server's HTML, before any script runs.
    const html = (await response?.text()) ?? '';
    expect(html).toContain('data-chunk="hero-default"');
    expect(html).toContain('The right content for every reader');
    // The page depends on the reader's cookies: never kept by a shared cache.
    expect(response?.headers()['cache-control']).toMatch(/private/);
    expect(await servedChunks(page, 'hero')).toEqual(['hero-default']);
    expect(await page.getByTestId('persona').textContent()).toBe('none');
    expect(await page.getByRole('dialog', { name: 'Cookie consent' }).isVisible()).toBe(true);
    expect(await cookie(page, 'mosaic_vid')).toBeUndefined();

    // A click on the call to action is tracked on its chunk, then the visitor is on the signup page.
    const click = eventsWith(page, (event) => event.name === 'click');
    await page.locator('[data-slot="cta"] a').click();
    const clicked = await click;
    expect(clicked.status).toBe(202);
    expect(clicked.sent.events.find((event) => event.name === 'click')?.chunk).toBe('cta-default');
    await page.waitForURL(`${SITE}/signup`);
  });

  it("sends the welcome email as HTML with Mosaic's caching headers", async () => {
    const headers = { 'User-Agent': DESKTOP };
    const email = await fetch(`${SITE}/email`, { headers });
    const mosaic = await fetch(
      `${process.env.MOSAIC_E2E_URL}/api/mosaic/assets/welcome-email?format=html`,
      { headers }
    );
    expect(email.status).toBe(200);
    expect(email.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await email.text()).toContain('<p>Hi there,</p>');
    expect(email.headers.get('cache-control')).toBe(mosaic.headers.get('cache-control'));
    // Next adds its own entries to Vary; Mosaic's are all there.
    const vary = (response: Response) =>
      (response.headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase());
    expect(vary(email)).toEqual(expect.arrayContaining(vary(mosaic).filter(Boolean)));
    expect(vary(email)).toContain('cookie');
  });

  it('serves developer content, without ?persona, to a consenting visitor who read developer pages', async () => {
    const page = await newVisitor();
    await open(page, '/');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Personalisation from your reading').waitFor();
    expect(await cookie(page, 'mosaic_vid')).toMatch(/^[A-Za-z0-9_-]{24}$/);

    for (const [path, chunk] of [
      ['/docs/quickstart', 'hero-developer'],
      ['/docs/api', 'feature-api'],
    ]) {
      const events = await read(page, path, chunk);
      expect(events.status).toBe(202);
      expect(events.body.data.profile).toBe(true);
    }
    await page.goto(`${SITE}/`);

    expect(page.url()).toBe(`${SITE}/`);
    expect(await page.getByTestId('persona').textContent()).toBe('developer');
    expect(await servedChunks(page, 'hero')).toEqual(['hero-developer']);
    expect(await servedChunks(page, 'cta')).toEqual(['cta-developer']);
    await page.screenshot({ path: path.join(SHOTS, 'site.png'), fullPage: true });
  });

  it('stores nothing about a visitor who declined, and still counts them anonymously', async () => {
    // The earlier visitors leave, and what they still had queued or buffered lands first.
    while (contexts.length) await contexts.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const before = {
      profiles: await count('mosaic_profiles'),
      events: await count('mosaic_events'),
      exposures: await count('mosaic_exposures'),
    };
    const [{ total: countedBefore }] = await db('mosaic_counters').sum({ total: 'count' });

    const page = await newVisitor();
    await open(page, '/');
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByText('Personalisation from your reading').waitFor();
    for (const [path, chunk] of [
      ['/docs/quickstart', 'hero-developer'],
      ['/docs/api', 'feature-api'],
      ['/', 'hero-default'],
    ]) {
      const events = await read(page, path, chunk);
      expect(events.status).toBe(202);
      expect(events.body.data.profile).toBe(false);
    }
    // Impressions are written in batches, once a second.
    await page.waitForTimeout(2500);

    expect(await cookie(page, 'mosaic_consent')).toBe('denied');
    expect(await cookie(page, 'mosaic_vid')).toBeUndefined();
    expect({
      profiles: await count('mosaic_profiles'),
      events: await count('mosaic_events'),
      exposures: await count('mosaic_exposures'),
    }).toEqual(before);
    const [{ total: countedAfter }] = await db('mosaic_counters').sum({ total: 'count' });
    expect(Number(countedAfter)).toBeGreaterThan(Number(countedBefore));
  });

  it('keeps a consenting visitor in the same experiment variant across reloads, and credits their signup', async () => {
    const page = await newVisitor();
    await open(page, '/');
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Personalisation from your reading').waitFor();
    await page.reload();

    const variant = await page.getByTestId('variant').textContent();
    const offer = await servedChunks(page, 'offer');
    expect(variant).not.toMatch(/not in the test/);
    expect(offer).toHaveLength(1);
    // The holdout is served the first candidate, outside the test.
    const titles: Record<string, string> = {
      'offer-trial': 'Offer: free trial',
      'offer-demo': 'Offer: guided demo',
    };
    if (variant === 'holdout') expect(offer).toEqual(['offer-trial']);
    else expect(variant).toBe(titles[offer[0] as string]);
    for (let i = 0; i < 3; i += 1) {
      await page.reload();
      expect(await page.getByTestId('variant').textContent()).toBe(variant);
      expect(await servedChunks(page, 'offer')).toEqual(offer);
    }

    await open(page, '/signup');
    const conversion = eventsWith(page, (event) => event.name === 'conversion');
    await page.getByRole('button', { name: 'Create my account' }).click();
    const answer = await conversion;
    expect(answer.status).toBe(202);
    expect(answer.sent.events).toEqual([{ name: 'conversion', goal: 'signup', asset: 'home' }]);
    await page.getByRole('status').getByText('Welcome aboard').waitFor();
  });
});

describe("the example site in the Content Manager's preview", () => {
  const STRAPI = process.env.MOSAIC_E2E_URL as string;
  const ADMIN = { email: 'admin@mosaic.local', password: 'Mosaic-demo-1' };
  const DRAFT_TEXT = 'Draft: clone the starter and resolve your first asset';

  async function adminApi<T>(token: string, method: string, route: string, body?: unknown) {
    const response = await fetch(`${STRAPI}${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it('shows an edited chunk, as a draft, on its page, and switches the reader', async () => {
    const login = await fetch(`${STRAPI}/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const token = ((await login.json()) as { data: { token: string } }).data.token;
    const model = '/content-manager/collection-types/plugin::mosaic.chunk';
    const found = await adminApi<{ results: Array<{ documentId: string }> }>(
      token,
      'GET',
      `${model}?filters[slug][$eq]=cta-developer&locale=en`
    );
    const { documentId } = found.results[0];
    // An editor's unpublished change: the draft differs from what readers get.
    await adminApi(token, 'PUT', `${model}/${documentId}?locale=en`, {
      body: [{ type: 'paragraph', children: [{ type: 'text', text: DRAFT_TEXT }] }],
    });

    const page = await newVisitor();
    page.setDefaultTimeout(40000);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto(`${STRAPI}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30000 });
    await page.goto(`${STRAPI}/admin${model}/${documentId}?plugins[i18n][locale]=en`);
    await page.getByRole('link', { name: 'Open preview' }).click();
    await page.waitForURL(/\/preview/);

    const site = page.frameLocator('[data-testid="preview-iframe"]');
    await site.locator('html[data-ready]').waitFor();
    // The chunk on its page (the home page), as a developer, the reader it is written for.
    const previewed = site.locator('[data-chunk="cta-developer"].highlighted');
    await previewed.getByText(DRAFT_TEXT).waitFor();
    expect(await site.getByLabel('Persona').inputValue()).toBe('developer');
    expect(await site.locator('[data-slot="hero"] [data-chunk]').getAttribute('data-chunk')).toBe(
      'hero-developer'
    );

    await site.getByLabel('Persona').selectOption('marketer');
    await site.locator('[data-slot="hero"] [data-chunk="hero-marketer"]').waitFor();
    await site.getByRole('status').getByText('This reader does not see').waitFor();

    // A simulated context: no persona, a visitor located in Germany.
    await site.getByLabel('Persona').selectOption('');
    // Changed at once, before the first change has loaded: both count.
    await site.getByLabel('Country').selectOption('DE');
    await site.locator('[data-slot="hero"] [data-chunk="hero-dach"]').waitFor();
    expect(await site.getByTestId('segments').textContent()).toContain('dach-visitors');
    await page.screenshot({ path: path.join(SHOTS, 'site-preview.png') });

    // Readers still get the published chunk.
    const live = await (await fetch(`${SITE}/?persona=developer`)).text();
    expect(live).toContain('data-chunk="cta-developer"');
    expect(live).not.toContain(DRAFT_TEXT);
  });
});
