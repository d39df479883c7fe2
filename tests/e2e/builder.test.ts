/**
 * The assembly builder's slots in a real headless Chromium, against the playground global-setup.js
 * started (demo seeded): slot keys are hinted as the server would refuse them, each slot keeps its
 * own card when another is removed, and the server's refusal stays on the slot it is about. Nothing
 * is saved (the one save is refused): the demo stays as it was for the other browser tests.
 */
import type { Browser, Page } from 'playwright-core';

import { login, openBrowser, URL } from './browser';

jest.setTimeout(120000);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  // The builder asks before leaving unsaved changes; these tests leave them on purpose.
  page.on('dialog', (dialog) => void dialog.accept());
  await login(page);
  await page.goto(`${URL}/admin/plugins/mosaic`);
  await page.getByRole('link', { name: 'Welcome email' }).click();
  await page.getByTestId('slot-greeting').waitFor();
});

afterAll(async () => {
  await browser?.close();
});

const slotKeys = () =>
  page
    .locator('section[data-testid^="slot-"]')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-testid')?.slice(5)));

describe('slots in the assembly builder', () => {
  it('hints a slot key with capitals before saving, as the server refuses it', async () => {
    await page.getByRole('button', { name: 'Add a slot' }).click();
    const key = page.getByLabel('Slot key').last();
    await key.fill('Hero');
    const hint = page.getByText('Use lower-case letters, digits, "-" and "_" only');
    await hint.waitFor();
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);

    await key.fill('hero');
    await hint.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(false);
  });

  it('removes only the slot whose remove button was pressed, pressed twice from the keyboard', async () => {
    const before = await slotKeys();
    expect(before.slice(0, 2)).toEqual(['greeting', 'intro']);
    await page.getByRole('button', { name: 'Remove the slot greeting' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('slot-greeting').waitFor({ state: 'detached' });
    // The removed card's button is gone with it: the second press reaches no other slot's button.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await slotKeys()).toEqual(before.slice(1));
  });

  it('shows the server refusing a slot on that slot, still after another slot is removed', async () => {
    await page.reload();
    await page.getByTestId('slot-next-steps').waitFor();
    const steps = page.getByTestId('slot-next-steps');
    await steps.getByRole('combobox', { name: 'Mode' }).click();
    await page.getByRole('option', { name: 'Experiment (A/B)', exact: true }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Fix the fields marked in red below, then save again.').waitFor();
    const refusal = /slot 'next-steps': an experiment needs at least two candidates/;
    await steps.getByText(refusal).waitFor();

    await page.getByRole('button', { name: 'Remove the slot intro' }).click();
    await page.getByTestId('slot-intro').waitFor({ state: 'detached' });
    await steps.getByText(refusal).waitFor();
    expect(await page.getByText(refusal).count()).toBe(1);
  });
});
