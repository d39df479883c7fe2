/**
 * Mosaic's admin panel in a real headless Chromium, against the playground started once by
 * global-setup.js (demo seeded, demo admin). One editor session walks through the product in
 * order: the asset list, building and publishing an asset, previewing it as two personas, side by
 * side, coverage, where-used in the Content Manager, segment rules, settings; then an admin without
 * Mosaic's permissions is refused. Screenshots of each screen go to tests/e2e/screenshots/.
 */
import path from 'path';

import type { Browser, Locator, Page } from 'playwright-core';

import { DEMO_ADMIN as ADMIN, login, openBrowser, SHOTS, URL } from './browser';

jest.setTimeout(120000);

const ASSET = { title: 'Launch page', slug: 'launch' };

let browser: Browser;
let page: Page;

const shot = async (name: string, target: Page = page) => {
  // The tests wait for the content itself; this only lets transitions (modals, toasts) settle.
  await target.waitForTimeout(400);
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};

/** Picks an option of a design-system select (a Radix combobox, not a native <select>). */
async function choose(combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function adminToken(credentials: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${URL}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await response.json()) as { data: { token: string } };
  return body.data.token;
}

async function adminApi<T>(token: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${URL}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  // Leaving the builder with unsaved changes asks first; a test that moves on means it.
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
});

describe('an editor in the Mosaic admin panel', () => {
  it('logs in and finds the demo assets in Mosaic', async () => {
    await login(page, ADMIN);
    await page.getByRole('link', { name: 'Mosaic' }).first().click();
    await page.waitForURL(/\/admin\/plugins\/mosaic$/);
    await expectVisible(page.getByRole('link', { name: 'Home page' }));
    await expectVisible(page.getByRole('link', { name: 'Welcome email' }));
    await shot('list');
  });

  it('creates an asset and fills a slot from the picker, filtering by text and persona', async () => {
    await page.getByRole('button', { name: 'Create an asset' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill(ASSET.title);
    await dialog.getByLabel('Slug').fill(ASSET.slug);
    await dialog.getByRole('button', { name: 'Create and open' }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/assets\//);
    await expectVisible(page.getByText('This asset has no slots yet'));

    // A new slot is named in the picker, which opens right away.
    await page.getByRole('button', { name: 'Add a slot' }).click();
    const picker = page.getByRole('dialog');
    await picker.getByLabel('Slot key').fill('hero');
    await picker.getByPlaceholder('Search by title, slug or text').fill('hero');
    await picker.getByRole('checkbox', { name: 'Select Hero (default)' }).click();
    await choose(picker.getByRole('combobox', { name: 'Persona' }), 'Developer');
    await expectCount(picker.getByTestId('pick-hero-marketer'), 0);
    await expectVisible(picker.getByTestId('pick-hero-developer'));
    await picker.getByRole('checkbox', { name: 'Select Hero for developers' }).click();
    await choose(picker.getByRole('combobox', { name: 'Persona' }), 'Marketer');
    await picker.getByRole('checkbox', { name: 'Select Hero for marketers' }).click();
    await shot('picker');
    await picker.getByRole('button', { name: 'Add 3 items' }).click();

    // Targeted chunks go before the untagged default, whatever order they were ticked in.
    await expectOrder(['hero-developer', 'hero-marketer', 'hero-default']);
  });

  it('reorders candidates by drag and drop and by keyboard, then saves and publishes', async () => {
    await page.dragAndDrop(
      '[data-testid="candidate-hero-default"]',
      '[data-testid="candidate-hero-developer"]'
    );
    await expectOrder(['hero-default', 'hero-developer', 'hero-marketer']);
    // The untagged default first hides everything after it: the builder says so.
    await expectVisible(page.getByText(/Never served/).first());
    await page.dragAndDrop(
      '[data-testid="candidate-hero-default"]',
      '[data-testid="candidate-hero-marketer"]'
    );
    await expectOrder(['hero-developer', 'hero-marketer', 'hero-default']);
    expect(await page.getByText(/Never served/).count()).toBe(0);

    const handle = page.getByRole('button', { name: /^Reorder Hero for marketers/ });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    await expectOrder(['hero-marketer', 'hero-developer', 'hero-default']);
    await page.getByRole('button', { name: 'Move Hero for marketers down' }).click();
    await expectOrder(['hero-developer', 'hero-marketer', 'hero-default']);

    await expectVisible(page.getByTestId('dirty'));
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expectVisible(page.getByText('Draft saved'));
    expect(await page.getByTestId('dirty').count()).toBe(0);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expectVisible(page.getByText('Published: readers now get this assembly'));
    await shot('builder');

    // What readers get from the delivery API now.
    const deliver = async (persona: string) => {
      const response = await fetch(
        `${URL}/api/mosaic/assets/${ASSET.slug}?persona=${persona}&format=text`
      );
      const body = (await response.json()) as {
        data: { slots: Array<{ key: string; chunks: Array<{ slug: string }> }> };
      };
      return body.data.slots.find((slot) => slot.key === 'hero')?.chunks.map((c) => c.slug);
    };
    expect(await deliver('developer')).toEqual(['hero-developer']);
    expect(await deliver('marketer')).toEqual(['hero-marketer']);
    expect(await deliver('executive')).toEqual(['hero-default']);
  });

  it('previews the asset as two personas and sees different content, with the reasons', async () => {
    const preview = page.getByTestId('preview-panel');
    await choose(preview.getByRole('combobox', { name: 'Persona' }), 'Developer');
    await expectText(
      preview.getByTestId('preview-slot-hero').getByTestId('preview-chosen'),
      'Hero for developers'
    );
    await expectVisible(preview.getByText(/hero-marketer: for another persona/));
    await choose(preview.getByRole('combobox', { name: 'Persona' }), 'Marketer');
    await expectText(
      preview.getByTestId('preview-slot-hero').getByTestId('preview-chosen'),
      'Hero for marketers'
    );
    await shot('preview');
  });

  it('compares personas side by side, rendered, the slot that differs highlighted', async () => {
    await page.getByRole('tab', { name: 'Side by side' }).click();
    const row = page.getByTestId('compare-row-hero');
    await expectVisible(row);
    expect(await row.getAttribute('data-differs')).toBe('true');
    await expectVisible(row.getByText('differs'));
    // Each reader's chunk as the site renders it: its heading is a heading, not only its title.
    const developer = row.getByTestId('compare-chunk-hero-developer');
    await expectVisible(developer.getByText('Hero for developers'));
    await expectVisible(
      developer.getByRole('heading', { name: 'Ship personalized pages with one API call' })
    );
    await expectVisible(
      row
        .getByTestId('compare-chunk-hero-marketer')
        .getByRole('heading', { name: 'Launch a campaign page for every audience, today' })
    );
    await expectVisible(row.getByTestId('compare-chunk-hero-default').first());
    await expectText(page.getByTestId('compare-summary'), 'Different content in: hero');
  });

  it('shows coverage: who gets only the default', async () => {
    await page.getByRole('tab', { name: 'Coverage' }).click();
    const coverage = page.getByTestId('coverage-panel');
    await expectVisible(coverage.getByText('default only').first());
    await expectVisible(coverage.getByText('personalized').first());
    await shot('coverage');
  });

  it('adds a reader from a segment to side by side and sees what that segment gets', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic`);
    await page.getByRole('link', { name: 'Home page' }).click();
    await page.getByRole('tab', { name: 'Side by side' }).click();
    const hero = page.getByTestId('compare-row-hero');
    await expectVisible(hero);
    expect(await hero.getByTestId('compare-chunk-hero-twitter').count()).toBe(0);

    await choose(
      page.getByRole('combobox', { name: 'Add a reader from a segment' }),
      'Visitors from Twitter'
    );
    const header = page
      .getByTestId('compare-panel')
      .locator('th', { hasText: 'In segment: Visitors from Twitter' });
    await expectVisible(header);
    const twitter = hero.getByTestId('compare-chunk-hero-twitter');
    await expectVisible(twitter.getByRole('heading', { name: 'Saw us on Twitter? Welcome!' }));
    expect(await hero.getAttribute('data-differs')).toBe('true');
    await shot('side-by-side');

    // The reader goes as it came.
    await page.getByRole('button', { name: 'Remove the reader in Visitors from Twitter' }).click();
    await expectCount(header, 0);
  });

  it('is refused a nesting that would make a cycle, and shown the path', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic`);
    await page.getByRole('link', { name: 'Company footer' }).click();
    await page.getByRole('button', { name: 'Add chunks or assets' }).click();
    const picker = page.getByRole('dialog');
    await picker.getByRole('tab', { name: 'Assets (nested)' }).click();
    await picker.getByRole('checkbox', { name: 'Select Home page' }).click();
    await picker.getByRole('button', { name: 'Add 1 item' }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    const alert = page.getByTestId('cycle-error');
    await expectText(alert, 'company-footer → home → company-footer');
    await expectVisible(page.getByTestId('candidate-home').getByText(/would make a cycle/));
    await shot('builder-cycle');
  });

  it('sees where a chunk is used from its Content Manager edit view', async () => {
    await page.goto(
      `${URL}/admin/content-manager/collection-types/plugin::mosaic.chunk?page=1&pageSize=100&sort=title:ASC`
    );
    await page.getByRole('gridcell', { name: 'Hero for developers' }).first().click();
    await page.waitForURL(/plugin::mosaic\.chunk\/[a-z0-9]+/);
    const panel = page.getByTestId('where-used');
    await expectVisible(page.getByText('Where used'));
    await expectVisible(panel.getByRole('link', { name: ASSET.title }));
    await expectVisible(panel.getByRole('link', { name: 'Home page' }));
    await shot('where-used');
  });

  it('builds a segment rule, tests it on a sample reader and saves it', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic/segments`);
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill('Visitors from Canada');
    await choose(page.getByRole('combobox', { name: 'Field of condition 1' }), 'Country');
    await choose(page.getByRole('combobox', { name: 'Operator of condition 1' }), 'is one of');
    await page.getByRole('combobox', { name: 'Value of condition 1' }).click();
    await page.getByRole('option', { name: 'Canada (CA)', exact: true }).click();
    await page.getByRole('option', { name: 'United States (US)', exact: true }).click();
    await page.keyboard.press('Escape');
    const json = page.getByLabel('Rule as JSON');
    await expectText(json, '"$in"', 'value');
    expect(JSON.parse(await json.inputValue())).toEqual({
      geo: { country: { $in: ['CA', 'US'] } },
    });
    await expectVisible(page.getByText('✓ The rule is valid.'));

    await testSample('Canada (CA)', 'This reader is in the segment');
    await testSample('Germany (DE)', 'This reader is not in the segment');

    await page.getByRole('button', { name: 'Estimate' }).click();
    await expectText(page.getByTestId('audience'), 'profiles');

    await page.getByRole('button', { name: 'Save the segment' }).click();
    await expectVisible(page.getByText('Segment saved'));
    await expectVisible(
      page
        .getByRole('navigation', { name: 'Segments' })
        .getByRole('button', { name: 'Visitors from Canada' })
    );
    await shot('segments');
  });

  it('sees the server refuse a bad rule, with the path of the fault', async () => {
    await page.getByLabel('Rule as JSON').fill(JSON.stringify({ geoo: { country: 'CA' } }));
    const alert = page.getByTestId('rule-check').getByRole('alert');
    await expectVisible(alert.getByText(/unknown context field 'geoo'/).first());
    await expectVisible(alert.getByText('rule.geoo', { exact: true }));
    expect(await page.getByRole('button', { name: 'Save the segment' }).isDisabled()).toBe(true);
    await shot('segments-invalid');
  });

  it('changes settings, with a clear message for a bad value', async () => {
    await page.goto(`${URL}/admin/settings/mosaic`);
    const retention = page.getByLabel('Profile retention (days)');
    await expectVisible(retention);
    await retention.fill('0');
    await expectVisible(page.getByText('Enter a whole number of days, at least 1.'));
    await retention.fill('45');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectVisible(page.getByText('Settings saved'));
    await page.reload();
    expect(await page.getByLabel('Profile retention (days)').inputValue()).toBe('45');
    await shot('settings');
  });
});

describe('an admin without Mosaic permissions', () => {
  it('finds no Mosaic in the menu, is refused the page and gets 403 from its routes', async () => {
    const token = await adminToken(ADMIN);
    const roles = await adminApi<{ data: Array<{ id: number; code: string }> }>(
      token,
      'GET',
      '/admin/roles'
    );
    const editor = roles.body.data.find((role) => role.code === 'strapi-editor');
    expect(editor).toBeDefined();
    const outsider = { email: 'outsider@mosaic.local', password: 'Outsider-pass-1' };
    const created = await adminApi<{ data: { registrationToken: string } }>(
      token,
      'POST',
      '/admin/users',
      {
        firstname: 'Out',
        lastname: 'Sider',
        email: outsider.email,
        roles: [editor?.id],
      }
    );
    expect(created.status).toBe(201);
    const registered = await adminApi(token, 'POST', '/admin/register', {
      registrationToken: created.body.data.registrationToken,
      userInfo: { firstname: 'Out', lastname: 'Sider', password: outsider.password },
    });
    expect(registered.status).toBe(200);

    const outsiderToken = await adminToken(outsider);
    for (const route of ['/mosaic/assets', '/mosaic/taxonomy', '/mosaic/settings']) {
      expect((await adminApi(outsiderToken, 'GET', route)).status).toBe(403);
    }

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await context.newPage();
    await login(other, outsider);
    expect(await other.getByRole('link', { name: 'Mosaic', exact: true }).count()).toBe(0);
    await other.goto(`${URL}/admin/plugins/mosaic`);
    await other
      .getByText(/don.t have the permissions/i)
      .first()
      .waitFor({ state: 'visible' });
    await shot('refused', other);
    await context.close();
  });
});

async function expectVisible(locator: Locator) {
  await locator.waitFor({ state: 'visible' });
}

async function expectCount(locator: Locator, count: number) {
  const deadline = Date.now() + 15000;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Expected ${count} of ${locator}, found ${last}`);
}

/**
 * Tests the rule on a sample reader. Changing the sample clears the last result; the click is
 * repeated if no answer shows within a few seconds (a loaded CI machine can drop the first one), and
 * whatever the page shows instead is reported.
 */
async function testSample(country: string, expected: string) {
  await choose(
    page.getByTestId('sample-reader').getByRole('combobox', { name: 'Country' }),
    country
  );
  await expectCount(page.getByTestId('test-result'), 0);
  const result = page.getByTestId('test-result');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await page.getByRole('button', { name: 'Test the rule' }).click();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await result.count()) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if ((await result.count()) > 0) break;
  }
  await expectText(result, expected);
}

async function expectText(locator: Locator, text: string, mode: 'text' | 'value' = 'text') {
  // textContent, not innerText: badges are upper-cased by CSS only.
  const read = async () =>
    mode === 'value' ? locator.inputValue() : ((await locator.textContent()) ?? '');
  const deadline = Date.now() + 15000;
  let last = '';
  while (Date.now() < deadline) {
    last = await read().catch(() => '');
    if (last.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Expected "${text}" in ${locator}, found "${last}"`);
}

async function expectOrder(slugs: string[]) {
  const read = () =>
    page
      .locator('[data-testid^="candidate-"]')
      .evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-testid')?.slice('candidate-'.length))
      );
  const deadline = Date.now() + 10000;
  let last: Array<string | undefined> = [];
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(slugs)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Expected candidates ${slugs.join(', ')}, found ${last.join(', ')}`);
}
