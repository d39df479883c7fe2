/**
 * axe-core in the page: every critical or serious accessibility violation inside Mosaic's own UI
 * (the plugin page's `main` and any dialog or alert dialog it opened), as readable lines, so a test can assert the
 * list is empty and show what failed when it is not.
 */
import fs from 'fs';

import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Critical and serious violations in `main` and open (alert) dialogs, one line per element. */
export async function axeViolations(
  page: Page,
  include: string[] = ['main', '[role="dialog"]', '[role="alertdialog"]']
) {
  await page.evaluate(AXE_SOURCE);
  const present = [];
  for (const selector of include)
    if ((await page.locator(selector).count()) > 0) present.push(selector);
  const violations = (await page.evaluate(
    async (selectors) => {
      const axe = (
        window as unknown as {
          axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> };
        }
      ).axe;
      const result = await axe.run(
        { include: selectors.map((s) => [s]) },
        {
          resultTypes: ['violations'],
          runOnly: {
            type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
          },
        }
      );
      return result.violations;
    },
    present.length ? present : ['body']
  )) as Violation[];
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')}`));
}
