/**
 * Whole assets from Mosaic's asset list, in a real headless Chromium against the playground
 * global-setup.js started (demo seeded): duplicate one (a draft under a new slug, opened in the
 * builder), delete one after a where-used check (an asset nested in others is not deleted; the
 * editor gets links to them), and start a new asset from another as its template. What the tests
 * create they delete again: the demo ends as it began for the other browser tests.
 */
import path from 'path';

import type { Browser, Locator, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { login, openBrowser, SHOTS, URL } from './browser';

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

const openList = async () => {
  await page.goto(`${URL}/admin/plugins/mosaic`);
  await page.getByRole('link', { name: 'Home page', exact: true }).waitFor();
};

const row = (title: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });

async function expectGone(locator: Locator) {
  await locator.first().waitFor({ state: 'detached' });
  expect(await locator.count()).toBe(0);
}

describe('assets from the asset list', () => {
  it('duplicates an asset: a draft under a new slug with the same slots, opened in the builder', async () => {
    await openList();
    await page.getByRole('button', { name: 'Duplicate Home page' }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/assets\/[a-z0-9]+/);
    await page.getByRole('heading', { name: 'Home page (copy)' }).waitFor();
    await page.getByText('home-copy', { exact: false }).first().waitFor();
    for (const slot of ['hero', 'features', 'cta', 'footer']) {
      await page.getByTestId(`slot-${slot}`).waitFor();
    }
    await openList();
    await row('Home page (copy)').getByText('Draft').waitFor();
  });

  it('does not delete an asset other assets nest, and links to them', async () => {
    await page.getByRole('button', { name: 'Delete Company footer' }).click();
    const dialog = page.getByRole('alertdialog');
    // The demo's home page and welcome email, and the duplicate of the home page made above.
    await dialog.getByText(/nested in 3 other assets/).waitFor();
    await dialog.getByRole('link', { name: 'Home page', exact: true }).waitFor();
    await dialog.getByRole('link', { name: 'Home page (copy)' }).waitFor();
    await dialog.getByRole('link', { name: 'Welcome email' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).toBe(
      true
    );
    expect(await axeViolations(page, ['[role="alertdialog"]'])).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'asset-delete-refused.png') });

    // The link opens that asset inside the admin, where the footer can be taken out.
    await dialog.getByRole('link', { name: 'Welcome email' }).click();
    await page.getByTestId('slot-signature').waitFor();
    await page.goBack();
    await row('Company footer').waitFor();
  });

  it('deletes an asset no other asset nests, after confirming', async () => {
    await page.getByRole('button', { name: 'Delete Home page (copy)' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/No other asset nests it/).waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('"Home page (copy)" deleted').waitFor();
    await expectGone(row('Home page (copy)'));
    await row('Home page').waitFor();
    expect((await fetch(`${URL}/api/mosaic/assets/home-copy?format=text`)).status).toBe(404);
  });

  it('starts a new asset from another one as its template', async () => {
    await page.getByRole('button', { name: 'Create an asset' }).first().click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Title').fill('Renewal email');
    await modal.getByRole('combobox', { name: 'Start from' }).click();
    await page.getByRole('option', { name: 'Welcome email', exact: true }).click();
    expect(await axeViolations(page)).toEqual([]);
    await modal.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/assets\/[a-z0-9]+/);
    await page.getByRole('heading', { name: 'Renewal email' }).waitFor();
    await page.getByTestId('slot-greeting').waitFor();
    await page.getByTestId('slot-signature').waitFor();

    // Cleaned up the way an editor would.
    await openList();
    await page.getByRole('button', { name: 'Delete Renewal email' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/No other asset nests it/).waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectGone(row('Renewal email'));
  });
});

describe('chunks in the Content Manager', () => {
  it('list title, slug, personas, segments, tags and status, more than 10 a page', async () => {
    await page.goto(`${URL}/admin/content-manager/collection-types/plugin::mosaic.chunk`);
    for (const column of ['Title', 'Slug', 'Personas', 'Segments', 'Topic tags']) {
      await page.getByRole('gridcell', { name: column, exact: true }).first().waitFor();
    }
    // The demo's 25 chunks on one page, not 10.
    await page.getByRole('gridcell', { name: 'Hero for developers' }).first().waitFor();
    expect(await page.getByRole('row').count()).toBeGreaterThan(20);
    await page.screenshot({ path: path.join(SHOTS, 'cm-chunks.png') });
    // The Content Manager's own status column.
    await page.getByRole('gridcell', { name: 'Published' }).first().waitFor();

    await page.getByRole('gridcell', { name: 'Hero for developers' }).first().click();
    await page.waitForURL(/plugin::mosaic\.chunk\/[a-z0-9]+/);
    await page.getByText('Shown only to readers of these personas', { exact: false }).waitFor();
    // A relation field's label carries its count once the relations load ("Personas (1)"), and a
    // trailing space while it has none.
    const top = async (label: string) =>
      (
        await page
          .getByText(new RegExp(`^\\s*${label}\\s*(\\(\\d+\\))?\\s*$`))
          .first()
          .boundingBox()
      )?.y ?? Infinity;
    expect(await top('Personas')).toBeLessThan(await top('Body'));
    expect(await top('Segments')).toBeLessThan(await top('Body'));
  });
});
