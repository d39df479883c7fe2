/**
 * The Content Manager's blocks editor, driven as an editor drives it: used by the playground's
 * browser suite and by the install test, which both check that it works beside Mosaic (a second
 * slate next to the Content Manager's once crashed it on the first keystroke).
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
  // Slate reads the caret a click placed on a throttled selectionchange (100 ms), and until it
  // has, it puts the caret back where its own selection was whenever it renders.
  await page.waitForTimeout(300);
  await page.keyboard.press('End');
  await page.keyboard.type(addition);
  await editor.getByText(`${text}${addition}`).waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published document').first().waitFor();
}
