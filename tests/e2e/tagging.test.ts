/**
 * Tagging with foresight (issue #15, item 7): in the Content Manager, tagging a chunk that is the
 * untagged default of some assets says, before it is saved, who stops getting it.
 */
import type { Browser, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { login, openBrowser, URL } from './browser';

jest.setTimeout(120000);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  await login(page);
});

afterAll(async () => {
  await browser?.close();
});

it('says what tagging an untagged default does, before it is saved', async () => {
  await page.goto(
    `${URL}/admin/content-manager/collection-types/plugin::mosaic.chunk?page=1&pageSize=100&sort=title:ASC`
  );
  await page.getByRole('gridcell', { name: 'Feature: privacy' }).first().click();
  await page.waitForURL(/plugin::mosaic\.chunk\/[a-z0-9]+/);
  const panel = page.getByTestId('where-used');
  await panel.getByRole('link').first().waitFor();
  const direct = await panel.locator('a').count();
  expect(await page.getByTestId('tagging-foresight').count()).toBe(0);

  await page.getByRole('combobox', { name: 'Personas' }).click();
  await page.getByRole('option', { name: 'Executive' }).click();
  const foresight = page.getByTestId('tagging-foresight');
  await foresight.waitFor();
  const text = (await foresight.textContent()) ?? '';
  expect(text).toMatch(
    /^Feature: privacy: the untagged default in ([1-9]\d*) assets?; tagging it Executive removes it for every other reader there\.$/
  );
  expect(Number(/in (\d+) asset/.exec(text)?.[1])).toBeLessThanOrEqual(direct);
  expect(await axeViolations(page, ['[data-testid="where-used"]'])).toEqual([]);

  // Taking the persona off again: nothing left to foresee.
  await page
    .locator('li')
    .filter({ hasText: 'Executive' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await foresight.waitFor({ state: 'detached' });
});
