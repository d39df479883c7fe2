/**
 * What every browser test needs: the address of the server global-setup.js started, a headless
 * Chromium with a desktop-sized page, the demo admin's sign-in and where screenshots go.
 */
import fs from 'fs';
import path from 'path';

import { chromium, type Browser, type Page } from 'playwright-core';

export const URL = process.env.MOSAIC_E2E_URL as string;
export const SHOTS = path.join(__dirname, 'screenshots');
export const DEMO_ADMIN = { email: 'admin@mosaic.local', password: 'Mosaic-demo-1' };

/** Chromium and one page at 1440 × 1000 in English, waiting up to 20 s for what it looks for. */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  if (!URL) throw new Error('MOSAIC_E2E_URL is not set: run through `npm run test:e2e`.');
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  page.setDefaultTimeout(20000);
  return { browser, page };
}

export async function login(target: Page, { email, password } = DEMO_ADMIN) {
  await target.goto(`${URL}/admin/auth/login`);
  await target.locator('input[name="email"]').fill(email);
  await target.locator('input[name="password"]').fill(password);
  await target.getByRole('button', { name: 'Login' }).click();
  await target.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30000 });
}
