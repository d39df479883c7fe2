/**
 * The insights page in a real headless Chromium, against the playground global-setup.js started
 * (demo seeded: the home page's `offer` experiment with four weeks of traffic): an editor opens it
 * from Mosaic's home, picks the asset, reads the results and downloads the CSV. The screenshot
 * goes to tests/e2e/screenshots/insights.png.
 */
import fs from 'fs';
import path from 'path';

import type { Browser, Page } from 'playwright-core';

import { login, openBrowser, SHOTS, URL } from './browser';

jest.setTimeout(120000);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
});

afterAll(async () => {
  await browser?.close();
});

describe('an editor reading experiment results', () => {
  it('opens insights from Mosaic, picks the home page and sees the winning variant', async () => {
    await login(page);
    await page.goto(`${URL}/admin/plugins/mosaic`);
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/insights$/);

    await page.getByRole('combobox', { name: 'Asset' }).click();
    await page.getByRole('option', { name: 'Home page', exact: true }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/insights\/[a-z0-9]+$/);
    await page.getByRole('heading', { name: 'Slot offer' }).waitFor();

    const winner = page.getByRole('row').filter({ hasText: 'offer-demo' });
    await winner.getByText('Winner').waitFor();
    await page.getByRole('row').filter({ hasText: 'offer-trial' }).getByText('Control').waitFor();
    await page.getByText(/Holdout \(served the control/).waitFor();
    // recharts draws its lines and bars as SVG paths once the data is in.
    await page.locator('.recharts-line').first().waitFor();
    await page.locator('.recharts-bar-rectangle').first().waitFor();

    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: path.join(SHOTS, 'insights.png'), fullPage: true });
  });

  it('downloads the rows the page shows as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^insights-home-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/
    );
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const [header, ...lines] = text.trim().split('\r\n');
    expect(header).toBe(
      'day,slot,variant,variantSlug,segments,persona,impressions,conversions,value'
    );
    expect(lines.some((line) => line.includes(',offer-demo,'))).toBe(true);
  });

  it('charts the same traffic by persona', async () => {
    await page.getByRole('combobox', { name: 'Charts by' }).click();
    await page.getByRole('option', { name: 'Persona', exact: true }).click();
    await page.locator('.recharts-legend-item').filter({ hasText: 'developer' }).first().waitFor();
  });
});
