/**
 * The Content Manager's blocks editor, driven as an editor drives it: used by the playground's
 * browser suite and by the install test, which both check that it works beside Mosaic (a second
 * slate next to the Content Manager's once crashed it).
 */
import type { Page } from 'playwright-core';

/**
 * Opens a chunk in the Content Manager, types `addition` at the end of the paragraph reading
 * `text`, sees the editor show it and publishes. The page must be logged in.
 */
export async function typeInChunkBody(
  page: Page,
  url: string,
  documentId: string,
  text: string,
  addition: string
): Promise<void> {
  await page.goto(
    `${url}/admin/content-manager/collection-types/plugin::mosaic.chunk/${documentId}`
  );
  const editor = page.locator('[role="textbox"][contenteditable="true"]');
  await editor.getByText(text).click();
  await caretToEnd(page, text);
  await page.keyboard.type(addition);
  await editor.getByText(`${text}${addition}`).waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published document').first().waitFor();
}

/**
 * Slate takes in a caret the browser moved (a click, the End key) on a throttled selectionchange,
 * and until it has, puts the caret back where its own selection was whenever it renders. So: End,
 * until the caret stays at the end of `text` across two looks a moment apart.
 */
async function caretToEnd(page: Page, text: string): Promise<void> {
  const atEnd = () =>
    page.evaluate((expected) => {
      const selection = window.getSelection();
      return (
        selection !== null &&
        selection.isCollapsed &&
        selection.focusNode?.textContent === expected &&
        selection.focusOffset === expected.length
      );
    }, text);
  for (let attempt = 0; attempt < 20; attempt++) {
    await page.keyboard.press('End');
    await page.waitForTimeout(250);
    if (!(await atEnd())) continue;
    await page.waitForTimeout(250);
    if (await atEnd()) return;
  }
  throw new Error(`The caret does not stay at the end of "${text}" in the blocks editor`);
}
