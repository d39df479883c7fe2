/**
 * Renders chunk bodies (Strapi blocks JSON) to html, markdown and plain text, as templates whose
 * holes take merge values per request, and fills merge fields into the blocks themselves for
 * format=json. Owns output safety: whatever an editor or API client stored, html carries only the
 * tags, attributes and URL schemes written here, editor text cannot inject markdown markup, and
 * a merge value (which a reader may control: `?utm_campaign=…`) shows as text in every format,
 * never as markup, a link or an image.
 */
import { parseMergeText, readMergeValue, stripControlChars, type MergeField } from './merge';
import type { BlocksContent, Context } from './types';

export type TextFormat = 'html' | 'markdown' | 'text';

/**
 * A rendered body with holes where merge fields go:
 * output = parts[0] + v(fields[0]) + parts[1] + ... + parts[n]; parts.length === fields.length + 1.
 * Every format's template of one body holds the same fields in the same order.
 */
export interface Template {
  format: TextFormat;
  parts: string[];
  fields: MergeField[];
}

/** Real bodies nest a handful of levels; deeper input is hostile, neither rendered nor filled. */
const MAX_DEPTH = 50;

// A hole is NUL + field index + NUL. Every string taken from the input loses its NUL characters
// (stripControlChars) before it reaches the output, so a hole can only come from the renderer.
const HOLES = /\u0000(\d+)\u0000/g;

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const ALL_CONTROLS_AND_SPACE = /[\s\u0000-\u001f\u007f]/g;
// Entities a browser or markdown parser could decode into a scheme (`java&Tab;script&colon;`).
const NAMED_ENTITIES: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  nbsp: ' ',
  sol: '/',
  quest: '?',
  num: '#',
  amp: '&',
};

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Makes a string render as itself in CommonMark, wherever it lands in a line: whitespace runs
 * become one space (a value must not start a block or an indented code line), characters that are
 * always markup are backslash-escaped, and block markers (`#`, `-`, `+`, `=`, `1.`, `1)`) are
 * escaped where they could start a line. `&` is escaped when it could begin an entity, and a
 * final `!` because a link may follow it and turn into an image.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[ \t\n\v\f\r]+/g, ' ')
    .replace(/[\\`*_[\]<>~|]|(?<=^| )[#+=-]|(?<=^\d*| \d+)[.)]|&(?=[#A-Za-z0-9]|$)|!$/g, '\\$&');
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** U+2060 WORD JOINER: invisible, unbreakable, and neither a letter nor a separator to a linkifier. */
const WORD_JOINER = '\u2060';

/**
 * A merge value in markdown. Every ASCII punctuation character is backslash-escaped (CommonMark
 * shows any of them as itself), so no emphasis, link, image, code, html or block marker can start
 * inside it. Escapes alone do not stop autolinking: GFM renderers (GitHub, remark-gfm,
 * markdown-it's linkify) find `https://…`, `www.…` and `a@b.c` in the text once escapes are
 * read. A word joiner on both sides of every `:`, `.` and `@` breaks each of those patterns and
 * every bare `host.tld` while the text reads the same.
 */
export function escapeMarkdownValue(s: string): string {
  return s
    .replace(/[ \t\n\v\f\r]+/g, ' ')
    .replace(ASCII_PUNCTUATION, '\\$&')
    .replace(/\\[.:@]/g, `${WORD_JOINER}$&${WORD_JOINER}`);
}

/** Html for text: escaped, with the line breaks blocks-react-renderer would show. */
function htmlText(s: string): string {
  return escapeHtml(s).replace(/\n/g, '<br>');
}

const VALUE_ESCAPES: Record<TextFormat, (value: string) => string> = {
  html: htmlText,
  markdown: escapeMarkdownValue,
  text: (value) => value,
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (entity, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
    const code =
      body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/**
 * The URL to emit, or null when it is not safe to link to: only http, https, mailto and tel, or a
 * relative URL. The scheme is judged the way a browser or markdown parser could end up reading it:
 * entities decoded, backslash escapes, whitespace and control characters removed, any case.
 */
export function safeUrl(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const url = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (url === '') return null;
  const probe = decodeEntities(url)
    .replace(ALL_CONTROLS_AND_SPACE, '')
    .replace(/\\/g, '')
    .toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(probe);
  if (scheme) return SAFE_SCHEMES.has(scheme[1]) ? url : null;
  // No scheme: relative, unless what comes before the first / ? # could still become one.
  const head = probe.split(/[/?#]/)[0];
  return head.includes(':') || head.includes('&') ? null : url;
}

/** A link destination that CommonMark reads back as exactly `url`: no entities, no breaks. */
function markdownUrl(url: string): string {
  return url.replace(/[\\()&]/g, '\\$&').replace(/[\s<>]/g, (c) => encodeURIComponent(c));
}

type Props = Record<string, unknown>;

// Blocks are Slate-shaped. These guards are Slate's own `Text.isText` and `Element.isElement`,
// written out so that the plugin does not depend on slate: a second slate beside the Content
// Manager's, hoisted where its slate-react finds it, crashes the blocks editor.

/** A text leaf, with its marks (`bold`, `code`…) beside `text`. */
interface Text {
  text: string;
}

/** A block or inline element (paragraph, list, link…); `type` and the rest read with `prop`. */
interface Element {
  children: unknown[];
}

function isText(node: unknown): node is Text {
  return typeof node === 'object' && node !== null && typeof (node as Props).text === 'string';
}

function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && Array.isArray((node as Props).children);
}

function prop(node: object, key: string): unknown {
  return (node as Props)[key];
}

function typeOf(node: Element): string {
  const type = prop(node, 'type');
  return typeof type === 'string' ? type : '';
}

/** An image's children are never shown and code is shown verbatim: no merge fields in either. */
function mergesChildren(element: Element): boolean {
  const type = typeOf(element);
  return type !== 'image' && type !== 'code';
}

function mergePieces(leaf: Text, verbatim: boolean): Array<string | MergeField> {
  return verbatim || prop(leaf, 'code') ? [leaf.text] : parseMergeText(leaf.text);
}

// ---------------------------------------------------------------------------------------------
// Compiling to a template

interface Compilation {
  format: TextFormat;
  fields: MergeField[];
}

interface InlineOptions {
  /** A markdown heading is one line: editor line breaks become spaces instead of hard breaks. */
  oneLine: boolean;
  /** Inside a link: nested links render as their text. */
  inLink: boolean;
  /** Inside a code element: text is shown verbatim, without merge fields. */
  verbatim: boolean;
}

function hole(c: Compilation, field: MergeField): string {
  return `\u0000${c.fields.push(field) - 1}\u0000`;
}

function longestRun(s: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const ch of s) {
    run = ch === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

function markdownCodeSpan(code: string): string {
  const content = code.replace(/\n/g, ' ');
  if (content === '') return '';
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Whether markdown is blank, or only merge values that may be blank once filled. */
function mayFillEmpty(markdown: string): boolean {
  return markdown.replace(HOLES, '').trim() === '';
}

/** Emphasis only works when the delimiters hug the text, so surrounding spaces move outside. */
function markdownMarks(segment: string, leaf: Text): string {
  const [, lead, body, trail] = /^( *)(.*?)( *)$/s.exec(segment) ?? ['', '', segment, ''];
  // Around nothing but merge values, empty values would leave a bare delimiter run ('****',
  // '~~~~') that reads as a thematic break or opens a code fence: such text stays unmarked.
  if (mayFillEmpty(body)) return segment;
  // A value may begin with a space, and at the start of a line '* ' opens a list item, '_ ' not.
  const italic = body.startsWith('\u0000') ? '_' : '*';
  let marked = body;
  if (prop(leaf, 'strikethrough')) marked = `~~${marked}~~`;
  if (prop(leaf, 'italic')) marked = `${italic}${marked}${italic}`;
  if (prop(leaf, 'bold')) marked = `**${marked}**`;
  return lead + marked + trail;
}

/** A leaf in html or text. */
function renderLeaf(c: Compilation, leaf: Text, verbatim: boolean): string {
  const pieces = mergePieces(leaf, verbatim);
  if (c.format === 'text') {
    return pieces.map((p) => (typeof p === 'string' ? stripControlChars(p) : hole(c, p))).join('');
  }
  let html = pieces
    .map((p) => (typeof p === 'string' ? htmlText(stripControlChars(p)) : hole(c, p)))
    .join('');
  if (html === '') return '';
  if (verbatim || prop(leaf, 'code')) html = `<code>${html}</code>`;
  if (prop(leaf, 'strikethrough')) html = `<s>${html}</s>`;
  if (prop(leaf, 'underline')) html = `<u>${html}</u>`;
  if (prop(leaf, 'italic')) html = `<em>${html}</em>`;
  if (prop(leaf, 'bold')) html = `<strong>${html}</strong>`;
  return html;
}

/** A markdown leaf, escaped or as a code span, holes included, as lines: marks go on per line. */
function markdownLines(c: Compilation, leaf: Text, verbatim: boolean): string[] {
  if (verbatim || prop(leaf, 'code')) return [markdownCodeSpan(stripControlChars(leaf.text))];
  const lines = [''];
  for (const piece of mergePieces(leaf, false)) {
    if (typeof piece !== 'string') {
      lines[lines.length - 1] += hole(c, piece);
      continue;
    }
    stripControlChars(piece)
      .split('\n')
      .forEach((line, i) => {
        if (i > 0) lines.push('');
        lines[lines.length - 1] += escapeMarkdown(line);
      });
  }
  return lines;
}

/**
 * Side by side, or with only a value that may be filled empty between them, two code spans would
 * read as one longer run of backticks.
 */
function joinMarkdown(before: string, after: string): string {
  return /[`\u0000]$/.test(before) && after.startsWith('`') ? `${before} ${after}` : before + after;
}

const MARKDOWN_MARKS = ['bold', 'italic', 'strikethrough'];

function sameMarkdownMarks(a: Text, b: Text): boolean {
  return MARKDOWN_MARKS.every((mark) => Boolean(prop(a, mark)) === Boolean(prop(b, mark)));
}

/** Collects inline content in order: leaves, and pieces already rendered (links). */
interface InlineWriter {
  leaf(leaf: Text, verbatim: boolean): void;
  piece(rendered: string): void;
  done(): string;
}

function plainWriter(c: Compilation): InlineWriter {
  let out = '';
  return {
    leaf: (leaf, verbatim) => (out += renderLeaf(c, leaf, verbatim)),
    piece: (rendered) => (out += rendered),
    done: () => out,
  };
}

/**
 * Neighbouring leaves with the same marks share one pair of delimiters, whatever elements they sit
 * in: `**a****b**` would not parse as bold.
 */
function markdownWriter(c: Compilation, oneLine: boolean): InlineWriter {
  let out = '';
  let run: { leaf: Text; lines: string[] } | null = null;
  const endRun = () => {
    if (!run) return;
    const { leaf, lines } = run;
    out = joinMarkdown(
      out,
      lines.map((line) => markdownMarks(line, leaf)).join(oneLine ? ' ' : '\\\n')
    );
    run = null;
  };
  return {
    leaf(leaf, verbatim) {
      const [first, ...rest] = markdownLines(c, leaf, verbatim);
      if (run && sameMarkdownMarks(run.leaf, leaf)) {
        const last = run.lines.length - 1;
        run.lines[last] = joinMarkdown(run.lines[last], first);
        run.lines.push(...rest);
      } else {
        endRun();
        run = { leaf, lines: [first, ...rest] };
      }
    },
    piece(rendered) {
      endRun();
      out = joinMarkdown(out, rendered);
    },
    done() {
      endRun();
      return out;
    },
  };
}

function renderLink(c: Compilation, link: Element, depth: number, options: InlineOptions): string {
  const content = renderInline(c, link.children, depth + 1, { ...options, inLink: true });
  const url = safeUrl(prop(link, 'url'));
  if (url === null || options.inLink || c.format === 'text') return content;
  if (c.format === 'html') return `<a href="${escapeHtml(url)}">${content}</a>`;
  return `[${content}](${markdownUrl(url)})`;
}

/** Walks inline `nodes` (at `depth`): links render, other elements (known or not) show text. */
function walkInline(
  c: Compilation,
  writer: InlineWriter,
  nodes: unknown[],
  depth: number,
  options: InlineOptions
): void {
  if (depth > MAX_DEPTH) return;
  for (const node of nodes) {
    if (isText(node)) {
      writer.leaf(node, options.verbatim);
    } else if (isElement(node)) {
      const type = typeOf(node);
      if (type === 'link') writer.piece(renderLink(c, node, depth, options));
      else if (type !== 'image') {
        const verbatim = options.verbatim || type === 'code';
        walkInline(c, writer, node.children, depth + 1, { ...options, verbatim });
      }
    }
  }
}

function renderInline(
  c: Compilation,
  nodes: unknown[],
  depth: number,
  options: InlineOptions
): string {
  const writer = c.format === 'markdown' ? markdownWriter(c, options.oneLine) : plainWriter(c);
  walkInline(c, writer, nodes, depth, options);
  return writer.done();
}

/**
 * Line breaks and spaces at the edges of a block carry no meaning; in markdown they would leave a
 * stray backslash, or shift a list item's content so that its nested list falls out of it.
 */
function trimBlockEdges(c: Compilation, content: string): string {
  if (c.format === 'markdown') return content.replace(/^(?:\\\n| )+|(?:\\\n| )+$/g, '');
  if (c.format === 'text') return content.replace(/^\n+|\n+$/g, '');
  return content;
}

function inlineBlock(c: Compilation, nodes: unknown[], depth: number, oneLine = false): string {
  const options: InlineOptions = { oneLine, inLink: false, verbatim: false };
  return trimBlockEdges(c, renderInline(c, nodes, depth, options));
}

/** Prefixes every line but the first (blank lines stay blank). */
function indentFollowingLines(s: string, indent: string): string {
  return s.replace(/\n(?=[^\n])/g, `\n${indent}`);
}

interface ListItem {
  content: string;
  sublists: string[];
}

const isList = (node: unknown): node is Element => isElement(node) && typeOf(node) === 'list';

/**
 * Strapi puts a nested list beside the list-items (or inside one); either way it belongs to the
 * item before it, which is where html and markdown both need it.
 */
function renderList(c: Compilation, list: Element, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  const items: ListItem[] = [];
  for (const child of depth + 1 > MAX_DEPTH ? [] : list.children) {
    if (!isText(child) && !isElement(child)) continue;
    if (isList(child)) {
      const sublist = renderList(c, child, depth + 1);
      const last = items[items.length - 1];
      if (last) last.sublists.push(sublist);
      else items.push({ content: '', sublists: [sublist] });
    } else if (isElement(child) && typeOf(child) === 'list-item') {
      items.push({
        content: inlineBlock(
          c,
          child.children.filter((n) => !isList(n)),
          depth + 2
        ),
        sublists: child.children.filter(isList).map((sublist) => renderList(c, sublist, depth + 2)),
      });
    } else {
      items.push({ content: inlineBlock(c, [child], depth + 1), sublists: [] });
    }
  }
  const ordered = prop(list, 'format') === 'ordered';
  if (c.format === 'html') {
    const tag = ordered ? 'ol' : 'ul';
    const lis = items.map((item) => `<li>${item.content}${item.sublists.join('')}</li>`);
    return `<${tag}>${lis.join('')}</${tag}>`;
  }
  // Under a line of text, a bare '-' reads as a heading underline: empty items are dropped, and a
  // list whose first item may be filled empty uses '*' bullets.
  const bodies = items
    .map((item) => [item.content, ...item.sublists].filter((s) => s !== '').join('\n'))
    .filter((body) => body !== '');
  const bullet = bodies.length > 0 && mayFillEmpty(bodies[0].split('\n')[0]) ? '* ' : '- ';
  return bodies
    .map((body, i) => {
      const marker = ordered ? `${i + 1}. ` : bullet;
      return marker + indentFollowingLines(body, ' '.repeat(marker.length));
    })
    .join('\n');
}

/** All text under a node, verbatim: what a code block shows. */
function plainText(nodes: unknown[], depth: number): string {
  if (depth > MAX_DEPTH) return '';
  return nodes
    .map((node) => {
      if (isText(node)) return stripControlChars(node.text);
      return isElement(node) ? plainText(node.children, depth + 1) : '';
    })
    .join('');
}

function renderCode(c: Compilation, code: Element, depth: number): string {
  const text = plainText(code.children, depth + 1);
  const rawLanguage = prop(code, 'language');
  const language =
    typeof rawLanguage === 'string' ? rawLanguage.toLowerCase().replace(/[^a-z0-9-]/g, '') : '';
  if (c.format === 'html') {
    const cls = language ? ` class="language-${language}"` : '';
    return `<pre><code${cls}>${escapeHtml(text)}</code></pre>`;
  }
  if (c.format === 'text') return text;
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function dimension(name: string, value: unknown): string {
  const pixels = typeof value === 'number' ? Math.round(value) : NaN;
  return Number.isSafeInteger(pixels) && pixels > 0 ? ` ${name}="${pixels}"` : '';
}

/** An image whose URL is not safe is left out, in every format. */
function renderImage(c: Compilation, image: Element): string {
  const file = prop(image, 'image');
  if (typeof file !== 'object' || file === null) return '';
  const url = safeUrl(prop(file, 'url'));
  if (url === null) return '';
  const rawAlt = prop(file, 'alternativeText');
  const alt = typeof rawAlt === 'string' ? stripControlChars(rawAlt) : '';
  if (c.format === 'text') return alt.trim();
  if (c.format === 'markdown') return `![${escapeMarkdown(alt)}](${markdownUrl(url)})`;
  const size = dimension('width', prop(file, 'width')) + dimension('height', prop(file, 'height'));
  return `<img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"${size}>`;
}

function headingLevel(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 1;
  return Math.min(6, Math.max(1, Math.round(value)));
}

function renderHeading(c: Compilation, heading: Element, depth: number): string {
  const level = headingLevel(prop(heading, 'level'));
  const content = inlineBlock(c, heading.children, depth + 1, true);
  if (c.format === 'html') return `<h${level}>${content}</h${level}>`;
  if (c.format === 'text' || content === '') return content;
  return `${'#'.repeat(level)} ${content}`;
}

function renderQuote(c: Compilation, quote: Element, depth: number): string {
  const content = inlineBlock(c, quote.children, depth + 1);
  if (c.format === 'html') return `<blockquote>${content}</blockquote>`;
  if (c.format === 'text' || content === '') return content;
  return content.replace(/^/gm, '> ');
}

function renderParagraph(c: Compilation, nodes: unknown[], depth: number): string {
  const content = inlineBlock(c, nodes, depth);
  return c.format === 'html' ? `<p>${content}</p>` : content;
}

/** One top-level block. Unknown elements and stray inline nodes show their text as a paragraph. */
function renderBlock(c: Compilation, node: unknown): string {
  if (isText(node)) return renderParagraph(c, [node], 0);
  if (!isElement(node)) return '';
  switch (typeOf(node)) {
    case 'heading':
      return renderHeading(c, node, 0);
    case 'quote':
      return renderQuote(c, node, 0);
    case 'list':
      return renderList(c, node, 0);
    case 'code':
      return renderCode(c, node, 0);
    case 'image':
      return renderImage(c, node);
    case 'link':
      return renderParagraph(c, [node], 0);
    default:
      return renderParagraph(c, node.children, 1);
  }
}

/** Renders a body once (per content version and format); the caller caches the result. */
export function compileTemplate(blocks: unknown, format: TextFormat): Template {
  const c: Compilation = { format, fields: [] };
  const rendered = Array.isArray(blocks) ? blocks.map((block) => renderBlock(c, block)) : [];
  // In html an empty paragraph still takes its place, as blocks-react-renderer shows it.
  const body = rendered.filter((block) => block !== '').join(format === 'html' ? '\n' : '\n\n');
  const pieces = body.split(HOLES);
  return {
    format,
    parts: pieces.filter((_, i) => i % 2 === 0),
    fields: pieces.filter((_, i) => i % 2 === 1).map((index) => c.fields[Number(index)]),
  };
}

/** Per request: each hole gets its field's value or fallback, escaped for the template's format. */
export function fillTemplate(template: Template, ctx: Context): string {
  const escape = VALUE_ESCAPES[template.format];
  let out = template.parts[0] ?? '';
  template.fields.forEach((field, i) => {
    out += escape(readMergeValue(ctx, field)) + (template.parts[i + 1] ?? '');
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Filling blocks for format=json

function leafHasMergeField(leaf: Text): boolean {
  return leaf.text.includes('{{') && mergePieces(leaf, false).some((p) => typeof p !== 'string');
}

function anyMergeField(nodes: unknown[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  return nodes.some((node) =>
    isText(node)
      ? leafHasMergeField(node)
      : isElement(node) && mergesChildren(node) && anyMergeField(node.children, depth + 1)
  );
}

/** Whether any text the renderers show holds a merge field; if not, all readers get one body. */
export function hasMergeFields(blocks: unknown): boolean {
  return Array.isArray(blocks) && anyMergeField(blocks, 0);
}

/** Copy-on-write: null when no merge field sits under `nodes`; untouched subtrees stay shared. */
function fillNodes(nodes: unknown[], ctx: Context, depth: number): unknown[] | null {
  if (depth > MAX_DEPTH) return null;
  let filled: unknown[] | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    let next: unknown = null;
    if (isText(node)) {
      if (leafHasMergeField(node)) {
        const text = mergePieces(node, false)
          .map((p) => (typeof p === 'string' ? p : readMergeValue(ctx, p)))
          .join('');
        next = { ...node, text };
      }
    } else if (isElement(node) && mergesChildren(node)) {
      const children = fillNodes(node.children, ctx, depth + 1);
      if (children) next = { ...node, children };
    }
    if (next !== null) {
      filled ??= nodes.slice();
      filled[i] = next;
    }
  }
  return filled;
}

/**
 * The blocks for format=json: the same shape, for @strapi/blocks-react-renderer, with merge fields
 * in shown text replaced by their unescaped values. Without any merge field (or for input that is
 * not an array) the very same reference comes back, so callers can tell nothing was personalized.
 */
export function fillBlocks(blocks: unknown, ctx: Context): BlocksContent {
  if (!Array.isArray(blocks)) return blocks as BlocksContent;
  return (fillNodes(blocks, ctx, 0) ?? blocks) as BlocksContent;
}
