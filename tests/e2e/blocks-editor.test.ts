/**
 * The Content Manager's blocks editor in the playground, where npm workspaces hoist packages to the
 * top of node_modules: an editor types in a chunk's body and publishes, and readers get the edit.
 * The plugin once brought its own slate, which landed at the top beside the Content Manager's and
 * crashed this editor.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

import { typeInChunkBody } from './blocks-editor';

jest.setTimeout(120000);

const URL = process.env.MOSAIC_E2E_URL as string;
const CHUNK = { title: 'Typed in the editor', slug: 'typed-in-the-editor', text: 'Typed once.' };

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!URL) throw new Error('MOSAIC_E2E_URL is not set: run through `npm run test:e2e`.');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  page.setDefaultTimeout(20000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
});

it('edits a chunk in the blocks editor, and readers get the edit', async () => {
  const login = await fetch(`${URL}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'admin@mosaic.local', password: 'Mosaic-demo-1' }),
  });
  const { token } = ((await login.json()) as { data: { token: string } }).data;
  const created = await fetch(`${URL}/content-manager/collection-types/plugin::mosaic.chunk`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      title: CHUNK.title,
      slug: CHUNK.slug,
      body: [{ type: 'paragraph', children: [{ type: 'text', text: CHUNK.text }] }],
    }),
  });
  expect(created.status).toBe(201);
  const { documentId } = ((await created.json()) as { data: { documentId: string } }).data;

  await page.goto(`${URL}/admin/auth/login`);
  await page.locator('input[name="email"]').fill('admin@mosaic.local');
  await page.locator('input[name="password"]').fill('Mosaic-demo-1');
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30000 });
  await typeInChunkBody(page, URL, documentId, CHUNK.text, ' And again.');

  // The demo's public role may read chunks.
  const delivered = await fetch(`${URL}/api/mosaic/chunks/${CHUNK.slug}?format=text`);
  expect(delivered.status).toBe(200);
  const body = (await delivered.json()) as { data: { content: string } };
  expect(body.data.content).toBe('Typed once. And again.');
  expect(pageErrors).toEqual([]);
});
