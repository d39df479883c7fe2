/**
 * axe-core on every Mosaic page, in a real headless Chromium against the playground global-setup.js
 * started (demo seeded): the asset list, the builder, the picker, preview, side by side, coverage,
 * segments, settings, insights and the where-used panel in the Content Manager. No critical or
 * serious violation inside Mosaic's own UI (the plugin page's `main` and the dialogs it opens; in
 * the Content Manager, Mosaic's panel only). Nothing is saved: the demo stays as it was.
 */
import type { Browser, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { login, openBrowser, URL } from './browser';

jest.setTimeout(120000);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  page.on('dialog', (dialog) => void dialog.accept());
  await login(page);
});

afterAll(async () => {
  await browser?.close();
});

/** Lets transitions (tabs, modals) settle before axe reads colours. */
const settle = () => page.waitForTimeout(400);

const openHome = async () => {
  await page.goto(`${URL}/admin/plugins/mosaic`);
  await page.getByRole('link', { name: 'Home page' }).click();
  await page.getByTestId('slot-hero').waitFor();
};

describe('every Mosaic page has no critical or serious axe-core violation', () => {
  it('the asset list', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic`);
    await page.getByRole('link', { name: 'Home page' }).waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the builder, with its preview', async () => {
    await openHome();
    await page.getByTestId('preview-panel').getByTestId('preview-slot-hero').waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the picker, on its chunks and on its assets', async () => {
    await page
      .getByTestId('slot-hero')
      .getByRole('button', { name: 'Add chunks or assets' })
      .click();
    const picker = page.getByRole('dialog');
    try {
      await picker.getByRole('checkbox').first().waitFor();
      await settle();
      expect(await axeViolations(page)).toEqual([]);
      await picker.getByRole('tab', { name: 'Assets (nested)' }).click();
      await picker.getByRole('checkbox', { name: 'Select Company footer' }).waitFor();
      await settle();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'detached' });
    }
  });

  it('side by side', async () => {
    await page.getByRole('tab', { name: 'Side by side' }).click();
    await page.getByTestId('compare-row-hero').waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('coverage', async () => {
    await page.getByRole('tab', { name: 'Coverage' }).click();
    await page.getByTestId('coverage-panel').getByText('default only').first().waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('segments', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic/segments`);
    await page.getByRole('navigation', { name: 'Segments' }).getByRole('button').first().click();
    await page.getByLabel('Name').waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('settings', async () => {
    await page.goto(`${URL}/admin/settings/mosaic`);
    await page.getByLabel('Profile retention (days)').waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('insights', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic/insights`);
    await page.getByRole('combobox', { name: 'Asset' }).click();
    await page.getByRole('option', { name: 'Home page', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'offer-demo' }).getByText('Winner').waitFor();
    await page.locator('.recharts-line').first().waitFor();
    await settle();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('where used, in the Content Manager', async () => {
    await page.goto(
      `${URL}/admin/content-manager/collection-types/plugin::mosaic.chunk?page=1&pageSize=100&sort=title:ASC`
    );
    await page.getByRole('gridcell', { name: 'Hero for developers' }).first().click();
    await page.waitForURL(/plugin::mosaic\.chunk\/[a-z0-9]+/);
    await page.getByTestId('where-used').getByRole('link', { name: 'Home page' }).waitFor();
    await settle();
    expect(await axeViolations(page, ['[data-testid="where-used"]'])).toEqual([]);
  });
});
