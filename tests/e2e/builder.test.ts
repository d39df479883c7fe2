/**
 * The assembly builder's slots in a real headless Chromium, against the playground global-setup.js
 * started (demo seeded): slot keys are hinted as the server would refuse them, each slot keeps its
 * own card when another is removed, and the server's refusal stays on the slot it is about. Nothing
 * of the demo is saved (the one save is refused): the demo stays as it was for the other browser
 * tests; what must be saved is saved on an asset of this file's own (`scratch`).
 * Then: no way out of a dirty builder loses work without asking; a new slot is named and filled in
 * one dialog; targeted chunks go before the default; warnings offer the fix that is right; the
 * picker opens on its search box, shows many chunks at once and filters the shared ones.
 */
import type { Browser, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { DEMO_ADMIN, login, openBrowser, URL } from './browser';

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
    // Named as it is added: the picker refuses the key before the slot exists.
    await page.getByRole('button', { name: 'Add a slot' }).click();
    const picker = page.getByRole('dialog');
    await picker.getByLabel('Slot key').fill('Hero');
    const hint = picker.getByText('Use lower-case letters, digits, "-" and "_" only');
    await hint.waitFor();
    expect(await picker.getByRole('button', { name: 'Add an empty slot' }).isDisabled()).toBe(true);
    await picker.getByLabel('Slot key').fill('hero');
    await hint.waitFor({ state: 'detached' });
    await picker.getByRole('button', { name: 'Add an empty slot' }).click();

    // Renamed in its card, the same rule holds.
    const key = page.getByTestId('slot-hero').getByLabel('Slot key');
    await key.fill('Hero');
    await page.getByText('Use lower-case letters, digits, "-" and "_" only').waitFor();
    expect(await page.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);

    await page.getByTestId('slot-Hero').getByLabel('Slot key').fill('hero');
    await page.getByText('Use lower-case letters, digits, "-" and "_" only').waitFor({
      state: 'detached',
    });
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

/** The asset and its builder's address, made through the admin API for the tests that save. */
async function scratchAsset(): Promise<string> {
  const login = await fetch(`${URL}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_ADMIN),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const created = await fetch(`${URL}/mosaic/assets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Scratch', slug: `scratch-${Date.now()}` }),
  });
  expect(created.status).toBeLessThan(300);
  const { data } = (await created.json()) as { data: { documentId: string } };
  return `${URL}/admin/plugins/mosaic/assets/${data.documentId}`;
}

const titleField = () => page.getByRole('textbox', { name: 'Title' });

/** axe's critical and serious findings in what the builder and its dialogs render. */
const violations = () => axeViolations(page);
const leaveDialog = () => page.getByRole('alertdialog');

describe('no unsaved work is lost', () => {
  it('asks before the Back link leaves a dirty builder; Stay keeps the changes', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic`);
    await page.getByRole('link', { name: 'Welcome email' }).click();
    await page.getByTestId('slot-greeting').waitFor();
    await titleField().fill('Welcome email, edited');
    await page.getByRole('link', { name: 'Back' }).click();
    await leaveDialog().getByText('Leave with unsaved changes?').waitFor();
    expect(await violations()).toEqual([]);
    await leaveDialog().getByRole('button', { name: 'Stay' }).click();
    await leaveDialog().waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/\/plugins\/mosaic\/assets\//);
    expect(await titleField().inputValue()).toBe('Welcome email, edited');
  });

  it('asks before the admin menu leaves it; "Leave without saving" leaves and saves nothing', async () => {
    await page.getByRole('link', { name: 'Content Manager' }).first().click();
    await leaveDialog().getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL(/\/content-manager/);
    await page.goBack();
    await page.getByTestId('slot-greeting').waitFor();
    expect(await titleField().inputValue()).toBe('Welcome email');
    expect(await page.getByTestId('dirty').count()).toBe(0);
  });

  it('"Save and leave" saves the draft, then leaves', async () => {
    const address = await scratchAsset();
    await page.goto(address);
    await titleField().fill('Scratch, saved on the way out');
    await page.getByRole('link', { name: 'Mosaic' }).first().click();
    await leaveDialog().getByRole('button', { name: 'Save and leave' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/plugins/mosaic'));
    await page.goto(address);
    await page.getByText('This asset has no slots yet').waitFor();
    expect(await titleField().inputValue()).toBe('Scratch, saved on the way out');
  });

  it('saves the draft when Side by side or Coverage opens, and says plainly when it could not', async () => {
    await titleField().fill('Scratch, changed again');
    await page.getByRole('tab', { name: 'Side by side' }).click();
    await page.getByTestId('dirty').waitFor({ state: 'detached' });
    expect(await page.getByTestId('last-save').count()).toBe(0);
    await page.getByRole('tab', { name: 'Assembly' }).click();
    // A title the server refuses: the draft is not saved, and Coverage says what it shows.
    await titleField().fill('');
    await page.getByRole('tab', { name: 'Coverage' }).click();
    const notice = page.getByTestId('last-save');
    await notice.getByText('Coverage shows the last saved draft').waitFor();
    await page.getByRole('tab', { name: 'Assembly' }).click();
    // Back to what was saved: nothing left unsaved.
    await titleField().fill('Scratch, changed again');
    await page.getByTestId('dirty').waitFor({ state: 'detached' });
  });
});

const rowOrder = (slot: string) =>
  page
    .getByTestId(`slot-${slot}`)
    .locator('li[data-testid^="candidate-"]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')?.slice(10)));

describe('slots that explain themselves, and warnings with the right fix', () => {
  it('names a new slot with a suggested key and opens the picker on its search box', async () => {
    await page.getByRole('button', { name: 'Add a slot' }).click();
    const picker = page.getByRole('dialog');
    expect(await picker.getByLabel('Slot key').inputValue()).toBe('hero');
    await page.locator('input[name="picker-q"]:focus').waitFor();
    // A suggested key sets the mode it usually wants.
    await picker.getByRole('button', { name: 'body', exact: true }).click();
    expect(await picker.getByLabel('Slot key').inputValue()).toBe('body');
    await picker.getByRole('combobox', { name: 'Mode' }).getByText('All that fit').waitFor();
    await picker.getByRole('button', { name: 'cta', exact: true }).click();
    expect(await violations()).toEqual([]);

    // The default ticked first still lands after the targeted chunk.
    await page.locator('input[name="picker-q"]').fill('cta');
    await picker.getByRole('checkbox', { name: 'Select CTA (default)' }).click();
    await picker.getByRole('checkbox', { name: 'Select CTA for developers' }).click();
    await picker.getByRole('button', { name: 'Add 2 items' }).click();
    expect(await rowOrder('cta')).toEqual(['cta-developer', 'cta-default']);
    await page.getByTestId('slot-cta').getByTestId('order-hint').waitFor();
    expect(await page.getByText(/Never served/).count()).toBe(0);
  });

  it('offers "Move the default last" only for a default above targeted chunks', async () => {
    await page.getByRole('button', { name: /^Move CTA \(default\) up$/ }).click();
    expect(await rowOrder('cta')).toEqual(['cta-default', 'cta-developer']);
    const fix = page.getByTestId('hint-default-first');
    await fix.getByRole('button', { name: 'Move the default last' }).click();
    await fix.waitFor({ state: 'detached' });
    expect(await rowOrder('cta')).toEqual(['cta-developer', 'cta-default']);
    // The first row cannot move up: its button is dimmed, with no fill that reads as pressed.
    const up = page.getByRole('button', { name: /^Move CTA for developers up$/ });
    expect(await up.isDisabled()).toBe(true);
    // The row just moved: let the button's colour transition finish before reading its look.
    const look = await up.evaluate(async (button) => {
      await Promise.all(button.getAnimations().map((animation) => animation.finished));
      const style = getComputedStyle(button);
      return { opacity: Number(style.opacity), background: style.backgroundColor };
    });
    expect(look.opacity).toBeLessThan(0.6);
    expect(look.background).toBe('rgba(0, 0, 0, 0)');
  });

  it('says two shared chunks in a "first" slot show only one, and fixes it in one click', async () => {
    await page.getByRole('button', { name: 'Add a slot' }).click();
    const picker = page.getByRole('dialog');
    await picker.getByLabel('Slot key').fill('aside');
    await page.locator('input[name="picker-q"]').fill('feature');
    await picker.getByRole('checkbox', { name: 'Select Feature: write once' }).click();
    await picker.getByRole('checkbox', { name: 'Select Feature: privacy' }).click();
    await picker.getByRole('button', { name: 'Add 2 items' }).click();
    const warning = page.getByTestId('slot-aside').getByTestId('hint-shared-first');
    await warning.getByText('Only one of these shared chunks will show').waitFor();
    expect(
      await page
        .getByTestId('slot-aside')
        .getByText(/Move the default last/)
        .count()
    ).toBe(0);
    expect(await violations()).toEqual([]);
    await warning.getByRole('button', { name: 'Show all that fit' }).click();
    await warning.waitFor({ state: 'detached' });
    await page
      .getByTestId('slot-aside')
      .getByRole('combobox', { name: 'Mode' })
      .getByText('All that fit')
      .waitFor();
  });

  it('personalises an existing slot from its candidates, with no id or JSON', async () => {
    await page
      .getByTestId('slot-cta')
      .getByRole('button', { name: 'Personalise this slot' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Personalise the slot "cta"').waitFor();
    await dialog.getByTestId('variant-persona:developer').waitFor();
    await dialog.getByRole('button', { name: 'Add a variant for a persona or segment' }).click();
    await dialog.getByRole('combobox', { name: 'Variant 2: for' }).click();
    await page.getByRole('option', { name: 'Persona: Marketer', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Chunk for Marketer' }).click();
    await page.getByRole('option').first().click();
    expect(await violations()).toEqual([]);
    await dialog.getByRole('button', { name: 'Use these variants' }).click();
    expect(await rowOrder('cta')).toEqual(['cta-developer', 'cta-marketer', 'cta-default']);
  });
});

describe('the picker scales', () => {
  it('shows more than five chunks at once and filters the shared ones', async () => {
    await page
      .getByTestId('slot-cta')
      .getByRole('button', { name: 'Add chunks or assets' })
      .click();
    const picker = page.getByRole('dialog');
    await picker.getByTestId('pick-hero-developer').waitFor();
    const visible = await picker.locator('[data-testid^="pick-"]').evaluateAll(
      (rows) =>
        rows.filter((row) => {
          const box = row.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length
    );
    expect(visible).toBeGreaterThan(5);
    // From the search box, Tab reaches the buttons without walking every chunk; the arrows walk them.
    await page.locator('input[name="picker-q"]').focus();
    let presses = 0;
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    while ((await focused()) !== 'Cancel' && presses < 30) {
      await page.keyboard.press('Tab');
      presses += 1;
    }
    expect(presses).toBeLessThanOrEqual(12);
    await picker.getByTestId('pick-feature-reuse').getByRole('checkbox').focus();
    const label = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    const first = await label();
    await page.keyboard.press('ArrowDown');
    expect(await label()).not.toBe(first);
    expect(await label()).toMatch(/^(Select|Open) /);

    await picker.getByRole('checkbox', { name: /^Only shared chunks/ }).click();
    await picker.getByTestId('pick-feature-reuse').waitFor();
    expect(await picker.getByTestId('pick-hero-developer').count()).toBe(0);
    expect(await violations()).toEqual([]);
    await page.keyboard.press('Escape');
  });
});

describe('opening a chunk from the builder, and coming back', () => {
  it('opens a candidate in the Content Manager inside the admin; Back returns to the builder', async () => {
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const stayed = () => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed);
    const builder = page.url();
    // The builder holds unsaved work: opening a chunk asks first, and saving on the way keeps it.
    await page.getByRole('link', { name: 'Open CTA for developers' }).click();
    await leaveDialog().getByRole('button', { name: 'Save and leave' }).click();
    await page.waitForURL(/content-manager\/collection-types\/plugin::mosaic\.chunk\/[a-z0-9]+/);
    const panel = page.getByTestId('where-used');
    await panel.getByRole('link', { name: 'Scratch, changed again' }).waitFor();
    expect(await stayed()).toBe(true);

    // Where-used links stay inside the admin too, and Back walks the way back.
    await panel.getByRole('link', { name: 'Scratch, changed again' }).click();
    await page.getByTestId('slot-cta').waitFor();
    expect(page.url()).toBe(builder);
    expect(await stayed()).toBe(true);
    await page.goBack();
    await page.waitForURL(/content-manager/);
    await page.goBack();
    await page.getByTestId('slot-cta').waitFor();
    expect(await stayed()).toBe(true);
  });

  it('opens a chunk from the picker', async () => {
    await page
      .getByTestId('slot-cta')
      .getByRole('button', { name: 'Add chunks or assets' })
      .click();
    await page.getByRole('dialog').getByRole('link', { name: 'Open Feature: privacy' }).click();
    await page.waitForURL(/content-manager\/collection-types\/plugin::mosaic\.chunk\/[a-z0-9]+/);
    await page.getByText('Where used').waitFor();
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
      true
    );
  });

  it('opens a chunk in the locale the picker lists it in', async () => {
    await page.goBack();
    await page
      .getByTestId('slot-cta')
      .getByRole('button', { name: 'Add chunks or assets' })
      .click();
    const picker = page.getByRole('dialog');
    await picker.getByRole('combobox', { name: 'Locale' }).click();
    await page.getByRole('option', { name: /French/ }).click();
    const open = picker.getByRole('link', { name: 'Open Appel à l’action (par défaut)' });
    expect(decodeURIComponent((await open.getAttribute('href'))!)).toMatch(
      /plugin::mosaic\.chunk\/[a-z0-9]+\?plugins\[i18n\]\[locale\]=fr$/
    );
    await open.click();
    await page.waitForURL((url) => decodeURIComponent(url.href).includes('[locale]=fr'));
    // The French version, not the default locale's.
    await page.waitForFunction(
      () =>
        (document.querySelector('input[name="title"]') as HTMLInputElement | null)?.value ===
        'Appel à l’action (par défaut)'
    );
  });
});
