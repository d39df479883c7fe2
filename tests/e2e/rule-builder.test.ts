/**
 * The segment rule builder as an editor new to Mosaic uses it, in a real headless Chromium against
 * the demo: fields by human name in groups, values picked from known sets, a value that can never
 * match flagged with its fix, an empty rule that says it matches everyone, a sample reader form
 * by the rule's own fields, an audience estimate that says what it counts, and segments duplicated
 * and deleted with a where-used check. axe-core checks the page and its dialog on the way.
 */
import path from 'path';

import type { Browser, Locator, Page } from 'playwright-core';

import { axeViolations } from './axe';
import { DEMO_ADMIN, login, openBrowser, SHOTS, URL } from './browser';

jest.setTimeout(120000);

let browser: Browser;
let page: Page;

const SAVED = 'Weekend mobile readers in DACH';

const rule = () => page.getByLabel('Rule as JSON');
const field = (n: number) => page.getByRole('combobox', { name: `Field of condition ${n}` });
const operator = (n: number) => page.getByRole('combobox', { name: `Operator of condition ${n}` });
const value = (n: number) => page.getByRole('combobox', { name: `Value of condition ${n}` });

async function choose(combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Ticks options of a multi-select, then closes it. */
async function chooseMany(combobox: Locator, options: string[]) {
  await combobox.click();
  for (const option of options) {
    await page.getByRole('option', { name: option, exact: true }).click();
  }
  await page.keyboard.press('Escape');
}

async function expectRule(expected: unknown) {
  const deadline = Date.now() + 15000;
  let last = '';
  while (Date.now() < deadline) {
    last = await rule().inputValue();
    try {
      if (JSON.stringify(JSON.parse(last)) === JSON.stringify(expected)) return;
    } catch {
      // Mid-edit: read again.
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`The rule is ${last}, not ${JSON.stringify(expected)}`);
}

async function newSegment() {
  await page.goto(`${URL}/admin/plugins/mosaic/segments`);
  await page.getByRole('button', { name: 'New segment' }).click();
  await page.getByText('Checking the rule…').waitFor({ state: 'detached' });
}

/** Tests the rule on the sample reader, as often as the server needs to settle the rule. */
async function testReader(expected: string) {
  const result = page.getByTestId('test-result');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await page.getByRole('button', { name: 'Test the rule' }).click();
    try {
      await result.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch {
      // The check of a rule just changed was still on its way: the button was disabled.
    }
  }
  expect(await result.textContent()).toBe(expected);
}

/** No critical or serious axe-core violation; each one found is shown with its element. */
async function expectNoAxeViolations(include?: string[]) {
  // Let transitions (fades, toasts) settle and take the pointer off the last button clicked: a
  // half-faded text or a hover colour is not what a reader sees at rest.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  const found = await axeViolations(page, include);
  const shown = await Promise.all(
    found.map(async (line) => {
      const selector = line.slice(line.indexOf('): ') + 3);
      const html = await page
        .locator(selector)
        .first()
        .evaluate((el) => el.outerHTML.slice(0, 300))
        .catch(() => '');
      return `${line}\n    ${html}`;
    })
  );
  expect(shown).toEqual([]);
}

beforeAll(async () => {
  ({ browser, page } = await openBrowser());
  await login(page);
});

afterAll(async () => {
  await browser?.close();
  // The segment saved here is not the demo's: the other browser tests see the demo as seeded.
  const login = await fetch(`${URL}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_ADMIN),
  });
  const { data } = (await login.json()) as { data: { token: string } };
  const headers = { Authorization: `Bearer ${data.token}` };
  const taxonomy = (await (await fetch(`${URL}/mosaic/taxonomy`, { headers })).json()) as {
    data: { segments: Array<{ documentId: string; name: string }> };
  };
  for (const segment of taxonomy.data.segments.filter((s) => s.name === SAVED)) {
    await fetch(`${URL}/mosaic/segments/${segment.documentId}`, { method: 'DELETE', headers });
  }
});

describe('an editor building a segment rule', () => {
  it('sees that an empty rule matches every reader', async () => {
    await newSegment();
    await page.getByTestId('rule-everyone').waitFor();
    expect(await page.getByTestId('rule-everyone').textContent()).toContain(
      'this segment matches every reader'
    );
    await page.getByText('✓ The rule is valid: it matches every reader.').waitFor();
    await expectNoAxeViolations();
  });

  it('picks fields by human name, in groups, never by raw path', async () => {
    await field(1).click();
    const listbox = page.getByRole('listbox');
    for (const group of ['Location', 'Device', 'Campaign and referrer', 'Time', 'Behaviour']) {
      await listbox.getByText(group, { exact: true }).first().waitFor();
    }
    await listbox.getByText('Profile traits', { exact: true }).waitFor();
    const options = await listbox.getByRole('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining([
        'Country',
        'Device type',
        'Campaign source (utm_source)',
        'Day of the week',
        'Interest in Developer',
        'Lifetime value',
      ])
    );
    expect(options.filter((o) => /^[a-z]+\.[a-zA-Z.]+$/.test(o))).toEqual([]);
    await page.getByRole('option', { name: 'Country', exact: true }).click();
  });

  it('picks countries by name, device types and weekdays from their lists', async () => {
    await page.getByLabel('Name').fill(SAVED);
    await choose(operator(1), 'is one of');
    await chooseMany(value(1), ['Germany (DE)', 'Austria (AT)', 'Switzerland (CH)']);
    await expectRule({ geo: { country: { $in: ['DE', 'AT', 'CH'] } } });

    await page.getByRole('button', { name: 'Add a condition' }).first().click();
    await choose(field(2), 'Device type');
    await choose(value(2), 'Mobile');
    await page.getByRole('button', { name: 'Add a condition' }).first().click();
    await choose(field(3), 'Day of the week');
    await choose(operator(3), 'is one of');
    await chooseMany(value(3), ['Saturday (6)', 'Sunday (7)']);
    await expectRule({
      $and: [
        { geo: { country: { $in: ['DE', 'AT', 'CH'] } } },
        { device: { type: { $eq: 'mobile' } } },
        { time: { weekday: { $in: [6, 7] } } },
      ],
    });
    await page.getByText('✓ The rule is valid.').waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, 'rule-builder.png'), fullPage: true });
    await expectNoAxeViolations();
  });

  it('tries the rule on a sample reader described by the rule’s own fields', async () => {
    const form = page.getByTestId('sample-reader');
    await form.getByText('Country', { exact: true }).waitFor();
    await form.getByText('Device type', { exact: true }).waitFor();
    await form.getByText('Day of the week', { exact: true }).waitFor();
    await choose(form.getByRole('combobox', { name: 'Country' }), 'Germany (DE)');
    await choose(form.getByRole('combobox', { name: 'Device type' }), 'Mobile');
    await choose(form.getByRole('combobox', { name: 'Day of the week' }), 'Sunday (7)');
    await testReader('This reader is in the segment');
    await choose(form.getByRole('combobox', { name: 'Country' }), 'France (FR)');
    await testReader('This reader is not in the segment');
  });

  it('is told what the audience estimate counts, and why request conditions are not in it', async () => {
    await page.getByRole('button', { name: 'Estimate' }).click();
    const audience = page.getByTestId('audience');
    await audience.waitFor();
    const text = (await audience.textContent()) ?? '';
    expect(text).toContain('No profile-trait condition to count');
    expect(text).toContain('only known when a reader arrives, so they are not counted');

    await page.getByRole('button', { name: 'Add a condition' }).first().click();
    await choose(field(4), 'Lifetime value');
    await choose(operator(4), 'is at least');
    await page.getByRole('textbox', { name: 'Value of condition 4' }).fill('100');
    await page.getByText('✓ The rule is valid.').waitFor();
    await page.getByRole('button', { name: 'Estimate' }).click();
    await page
      .getByText(/at most \d+ of \d+ known visitor profiles match its profile-trait/)
      .waitFor();
  });

  it('is warned before saving of values that can never match, and fixes them in one click', async () => {
    await rule().fill(JSON.stringify({ device: { type: 'Mobile' }, geo: { country: 'Germany' } }));
    const warnings = page.getByTestId('value-warning');
    await page.getByText('“Germany” can never match Country: did you mean DE — Germany?').waitFor();
    await page
      .getByText('“Mobile” can never match Device type: did you mean mobile — Mobile?')
      .waitFor();
    await page.getByTestId('rule-warnings').waitFor();
    await expectNoAxeViolations();
    await page.getByRole('button', { name: 'Use DE' }).click();
    await page.getByRole('button', { name: 'Use mobile' }).click();
    await expectRule({
      $and: [{ device: { type: { $eq: 'mobile' } } }, { geo: { country: { $eq: 'DE' } } }],
    });
    await warnings.first().waitFor({ state: 'detached' });
    expect(await page.getByTestId('rule-warnings').count()).toBe(0);
    await page.getByRole('button', { name: 'Save the segment' }).click();
    await page.getByText('Segment saved').waitFor();
  });

  it('sets a yes/no trait with a toggle and a number trait with a number input', async () => {
    await newSegment();
    await choose(field(1), 'Subscribed');
    await expectRule({ traits: { subscribed: { $eq: true } } });
    await page.getByLabel('Value of condition 1').click();
    await expectRule({ traits: { subscribed: { $eq: false } } });
    await page.getByRole('button', { name: 'Add a condition' }).first().click();
    await choose(field(2), 'Orders');
    await choose(operator(2), 'is at least');
    await page.getByRole('textbox', { name: 'Value of condition 2' }).fill('3');
    await expectRule({
      $and: [{ traits: { subscribed: { $eq: false } } }, { traits: { orders: { $gte: 3 } } }],
    });
    await expectNoAxeViolations();
  });
});

describe('an editor managing segments', () => {
  const nav = () => page.getByRole('navigation', { name: 'Segments' });

  it('duplicates a segment and deletes the copy nothing targets', async () => {
    await page.goto(`${URL}/admin/plugins/mosaic/segments`);
    await nav()
      .getByRole('button', { name: /^Visitors from Twitter/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByText('Duplicated as “Visitors from Twitter (copy)”').waitFor();
    const copy = nav().getByRole('button', { name: /^Visitors from Twitter \(copy\)/ });
    await copy.waitFor();
    expect(await copy.getAttribute('aria-current')).toBe('true');
    await expectRule({
      $or: [
        { utm: { source: { $eqi: 'twitter' } } },
        { referrer: { host: { $in: ['twitter.com', 't.co', 'x.com'] } } },
      ],
    });

    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('No chunk is targeted at this segment.').waitFor();
    await expectNoAxeViolations(['main', '[role="alertdialog"]']);
    await dialog.getByRole('button', { name: 'Delete the segment' }).click();
    await page.getByText('Segment “Visitors from Twitter (copy)” deleted').waitFor();
    await copy.waitFor({ state: 'detached' });
  });

  it('cannot delete a segment chunks are targeted at, and is shown where it is used', async () => {
    await nav()
      .getByRole('button', { name: /^Visitors from Twitter/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(/chunks? (is|are) targeted at this segment/).waitFor();
    await dialog.getByRole('link', { name: 'Hero for visitors from Twitter' }).waitFor();
    await dialog.getByRole('link', { name: 'Home page' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Delete the segment' }).isDisabled()).toBe(
      true
    );
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, 'segment-delete.png') });
    await expectNoAxeViolations(['main', '[role="alertdialog"]']);

    await dialog.getByRole('link', { name: 'Home page' }).click();
    await page.waitForURL(/\/admin\/plugins\/mosaic\/assets\//);
  });
});
