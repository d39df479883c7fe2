/**
 * The first real task of an editor new to Mosaic, in a real headless Chromium (issue #15's "Done
 * when"): from a logged-in admin, build a new asset from the demo's chunks with two slots — `hero`,
 * where developers and marketers each get their own hero and everyone else the default, and `body`
 * with two shared chunks — look at it for the three personas side by side and publish it. The test
 * counts its own UI actions (a click, filling one field, a key sequence, a drag: one each) and
 * holds them to at most 15, with no JSON and no id typed; then it asks the delivery API, as each
 * persona, what readers now get.
 */
import path from 'path';

import type { Browser, Locator, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { DEMO_ADMIN, login, openBrowser, SHOTS, URL } from './browser';

jest.setTimeout(180000);

const ASSET = { title: 'Spring offer', slug: 'spring-offer' };

let browser: Browser;
let page: Page;

/** Every UI action the editor takes goes through here, and is counted. */
const actions: string[] = [];
const typed: string[] = [];
const act = {
  click: async (target: Locator, what: string) => {
    actions.push(`click ${what}`);
    await target.click();
  },
  fill: async (target: Locator, text: string) => {
    actions.push(`fill "${text}"`);
    typed.push(text);
    await target.fill(text);
  },
  press: async (keys: string) => {
    actions.push(`press ${keys}`);
    typed.push(keys);
    await page.keyboard.press(keys);
  },
};

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  await login(page, DEMO_ADMIN);
});

afterAll(async () => {
  await browser?.close();
});

async function documentIds(): Promise<string[]> {
  const login = await fetch(`${URL}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_ADMIN),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const answer = await fetch(`${URL}/mosaic/library?type=chunk&pageSize=100`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await answer.json()) as { data: Array<{ documentId: string }> };
  return body.data.map((item) => item.documentId);
}

describe('a new editor personalises a page', () => {
  it('builds, publishes and compares a two-slot personalised asset in at most 15 actions', async () => {
    // Where a signed-in admin lands: the admin's home.
    await page.waitForURL((url) => url.pathname.startsWith('/admin'));

    await act.click(page.getByRole('link', { name: 'Mosaic' }).first(), 'Mosaic in the menu');
    await act.click(page.getByRole('button', { name: 'Create an asset' }).first(), 'Create');
    const create = page.getByRole('dialog');
    await act.fill(create.getByLabel('Title'), ASSET.title);
    await act.click(create.getByRole('button', { name: 'Create and open' }), 'Create and open');
    await page.getByText('This asset has no slots yet').waitFor();

    // hero: named for the editor, then personalised in one dialog.
    await act.click(page.getByRole('button', { name: 'Add a slot' }), 'Add a slot');
    const picker = page.getByRole('dialog');
    expect(await picker.getByLabel('Slot key').inputValue()).toBe('hero');
    await act.click(
      picker.getByRole('button', { name: 'Personalise this slot…' }),
      'Personalise this slot'
    );
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Personalise the slot "hero"').waitFor();
    // The chunks named like the slot are suggested: the default, and one per persona.
    await dialog.getByTestId('variant-persona:executive').waitFor();
    await act.click(
      dialog.getByRole('button', { name: 'Remove the variant for Executive' }),
      'Remove the executive variant'
    );
    await dialog
      .getByText(
        'The slot will offer, in this order: Hero for developers → Hero for marketers → Hero (default)'
      )
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'personalise.png') });
    await act.click(
      dialog.getByRole('button', { name: 'Use these variants' }),
      'Use these variants'
    );
    const hero = page.getByTestId('slot-hero');
    await hero.getByTestId('candidate-hero-default').waitFor();
    expect(
      await hero
        .locator('li[data-testid^="candidate-"]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')))
    ).toEqual(['candidate-hero-developer', 'candidate-hero-marketer', 'candidate-hero-default']);

    // body: the next common key, showing every chunk that fits; two shared chunks.
    await act.click(page.getByRole('button', { name: 'Add a slot' }), 'Add a slot');
    const bodyPicker = page.getByRole('dialog');
    expect(await bodyPicker.getByLabel('Slot key').inputValue()).toBe('body');
    // The search box has the focus: the editor types straight away.
    await act.fill(page.locator('input[name="picker-q"]:focus'), 'feature');
    await act.click(
      bodyPicker.getByRole('checkbox', { name: 'Select Feature: write once' }),
      'tick Feature: write once'
    );
    await act.click(
      bodyPicker.getByRole('checkbox', { name: 'Select Feature: privacy' }),
      'tick Feature: privacy'
    );
    await act.click(bodyPicker.getByRole('button', { name: 'Add 2 items' }), 'Add 2 items');
    const body = page.getByTestId('slot-body');
    await body.getByTestId('candidate-feature-security').waitFor();
    // Every chunk that fits is shown: no "only one will show" warning to fix.
    expect(await page.getByTestId('hint-shared-first').count()).toBe(0);

    // Side by side saves the draft on the way in and shows the three personas' pages.
    await act.click(page.getByRole('tab', { name: 'Side by side' }), 'Side by side');
    for (const name of ['Hero for developers', 'Hero for marketers', 'Hero (default)'])
      await page.getByRole('tabpanel').getByText(name).first().waitFor();
    await page.getByRole('tabpanel').getByText('Feature: write once').first().waitFor();
    expect(await page.getByTestId('last-save').count()).toBe(0);

    await act.click(page.getByRole('button', { name: 'Publish' }), 'Publish');
    await page.getByText('Published: readers now get this assembly').waitFor();

    expect(actions.length).toBeLessThanOrEqual(15);
    // No JSON and no id was typed: only a title and a search.
    const ids = await documentIds();
    for (const text of typed) {
      expect(text).not.toMatch(/[{}[\]]/);
      expect(ids.some((id) => text.includes(id))).toBe(false);
    }
    expect(typed).toEqual([ASSET.title, 'feature']);
  });

  it('serves each persona its hero and both shared body chunks from the published API', async () => {
    const deliver = async (persona?: string) => {
      const query = persona ? `?persona=${persona}&format=text` : '?format=text';
      const answer = await fetch(`${URL}/api/mosaic/assets/${ASSET.slug}${query}`);
      expect(answer.status).toBe(200);
      return (await answer.json()) as {
        data: { slots: Array<{ key: string; chunks: Array<{ slug: string }> }> };
      };
    };
    const slugs = (answer: Awaited<ReturnType<typeof deliver>>, key: string) =>
      (answer.data.slots.find((slot) => slot.key === key)?.chunks ?? []).map((c) => c.slug);
    const expected: Array<[string | undefined, string]> = [
      ['developer', 'hero-developer'],
      ['marketer', 'hero-marketer'],
      ['executive', 'hero-default'],
      [undefined, 'hero-default'],
    ];
    for (const [persona, heroSlug] of expected) {
      const answer = await deliver(persona);
      expect(slugs(answer, 'hero')).toEqual([heroSlug]);
      expect(slugs(answer, 'body').sort()).toEqual(['feature-reuse', 'feature-security']);
    }
  });
});
