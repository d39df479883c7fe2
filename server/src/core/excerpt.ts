/** The first words of a chunk, as the library shows it: its plain text, cut at a word. */
import { compileTemplate, fillTemplate } from './render';

export function excerpt(body: unknown, maxLength = 160): string {
  // Merge fields show their fallbacks: an excerpt is read by editors, not by a visitor.
  const text = fillTemplate(compileTemplate(body ?? [], 'text'), {})
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}
