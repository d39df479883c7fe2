import fc from 'fast-check';
import { stripControlChars } from '../../server/src/core/merge';
import {
  compileTemplate,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownValue,
  fillBlocks,
  fillTemplate,
  hasMergeFields,
  safeUrl,
  type TextFormat,
} from '../../server/src/core/render';
import type { Context } from '../../server/src/core/types';

const FORMATS: TextFormat[] = ['html', 'markdown', 'text'];

const text = (value: string, marks: Record<string, boolean> = {}) => ({
  type: 'text',
  text: value,
  ...marks,
});
const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children });
const link = (url: unknown, ...children: unknown[]) => ({ type: 'link', url, children });
const item = (...children: unknown[]) => ({ type: 'list-item', children });
const list = (format: string, ...children: unknown[]) => ({ type: 'list', format, children });
const image = (file: Record<string, unknown>) => ({
  type: 'image',
  image: file,
  children: [text('')],
});

const render = (blocks: unknown, format: TextFormat, ctx: Context = {}) =>
  fillTemplate(compileTemplate(blocks, format), ctx);

/** What a reader of the html sees as text: tags dropped, line breaks kept, entities decoded. */
function readHtml(html: string): string {
  return decodeHtml(html.replace(/<br>/g, '\n').replace(/<[^>]*>/g, ''));
}

function decodeHtml(s: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    colon: ':',
    tab: '\t',
    newline: '\n',
  };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (entity, body: string) => {
    if (body[0] !== '#') return named[body.toLowerCase()] ?? entity;
    const code = /^#x/i.test(body) ? parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const unescapeMarkdown = (s: string) => s.replace(/\\(.)/gs, '$1');

const ALLOWED_TAG = new RegExp(
  '^<(?:' +
    [
      '/?(?:p|h[1-6]|ul|ol|li|blockquote|pre|code|strong|em|u|s|a)>',
      'br>',
      'code class="language-[a-z0-9-]+">',
      'a href="[^"<>]*">',
      'img src="[^"<>]*" alt="[^"<>]*"(?: width="\\d+")?(?: height="\\d+")?>',
    ].join('|') +
    ')'
);
const DANGEROUS_SCHEME = /^(?:javascript|data|vbscript):/;

/** A URL as a browser could end up reading it, however many times it is decoded. */
function normalizedUrl(url: string): string {
  let decoded = url;
  for (let previous = ''; previous !== decoded; ) {
    previous = decoded;
    decoded = decodeHtml(decoded);
  }
  return decoded.replace(/[\s\u0000-\u001f\u007f\\]/g, '').toLowerCase();
}

/** Link and image destinations in markdown, `](here)`, as a CommonMark parser reads them. */
function markdownDestinations(markdown: string): string[] {
  const destinations: string[] = [];
  for (let i = 0; i < markdown.length; i++) {
    if (markdown[i] === '\\') i++;
    else if (markdown.startsWith('](', i)) {
      let destination = '';
      for (i += 2; i < markdown.length && markdown[i] !== ')'; i++) {
        destination += markdown[i] === '\\' ? markdown[++i] : markdown[i];
      }
      destinations.push(destination);
    }
  }
  return destinations;
}

/** Every way the html could go wrong, as a list: empty when it is safe. */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    if (!ALLOWED_TAG.test(html.slice(i))) problems.push(`tag: ${html.slice(i, i + 40)}`);
  }
  if (/<script/i.test(html)) problems.push('script');
  const attributeNames = html.replace(/"[^"]*"/g, '""');
  if (/<[^>]*\son[a-z]*\s*=/i.test(attributeNames)) problems.push('event handler');
  if (/<[^>]*\sstyle\s*=/i.test(attributeNames)) problems.push('style');
  for (const [, url] of html.matchAll(/(?:href|src)="([^"]*)"/g)) {
    if (DANGEROUS_SCHEME.test(normalizedUrl(url))) problems.push(`url: ${url}`);
  }
  return problems;
}

describe('a chunk body rendered as html', () => {
  it('renders paragraphs, headings and marks as semantic tags, one block per line', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [text('Why Mosaic')] },
      paragraph(
        text('Write '),
        text('once', { bold: true }),
        text(', '),
        text('reuse', { italic: true }),
        text(' '),
        text('everywhere', { underline: true, strikethrough: true }),
        text(' with '),
        text('chunks', { code: true })
      ),
    ];
    expect(render(blocks, 'html')).toBe(
      '<h2>Why Mosaic</h2>\n' +
        '<p>Write <strong>once</strong>, <em>reuse</em> <u><s>everywhere</s></u> with <code>chunks</code></p>'
    );
  });

  it('renders lists with nested lists inside the item they follow, and quotes', () => {
    const blocks = [
      list(
        'unordered',
        item(text('Developers')),
        list('ordered', item(text('API first')), item(text('Typed'))),
        item(text('Marketers'))
      ),
      { type: 'quote', children: [text('Content once,\nformat at delivery.')] },
    ];
    expect(render(blocks, 'html')).toBe(
      '<ul><li>Developers<ol><li>API first</li><li>Typed</li></ol></li><li>Marketers</li></ul>\n' +
        '<blockquote>Content once,<br>format at delivery.</blockquote>'
    );
  });

  it('renders code blocks verbatim, with a sanitized language class', () => {
    const blocks = [
      { type: 'code', language: 'TypeScript', children: [text('const a = "<b>" && {{x}};')] },
      { type: 'code', language: '" onclick="alert(1)', children: [text('x')] },
      { type: 'code', children: [text('plain')] },
    ];
    expect(render(blocks, 'html')).toBe(
      '<pre><code class="language-typescript">const a = &quot;&lt;b&gt;&quot; &amp;&amp; {{x}};</code></pre>\n' +
        '<pre><code class="language-onclickalert1">x</code></pre>\n' +
        '<pre><code>plain</code></pre>'
    );
  });

  it('renders images with src, alt and size, and leaves out an image with an unsafe URL', () => {
    const blocks = [
      image({ url: '/uploads/cat.png', alternativeText: 'A "cat"', width: 640, height: 480.4 }),
      image({ url: 'https://cdn.example.com/a.png', alternativeText: null, width: -1 }),
      image({ url: 'data:image/svg+xml,<svg onload=alert(1)>', alternativeText: 'x' }),
      image({ url: 'javascript:alert(1)' }),
      { type: 'image', children: [] },
    ];
    expect(render(blocks, 'html')).toBe(
      '<img src="/uploads/cat.png" alt="A &quot;cat&quot;" width="640" height="480">\n' +
        '<img src="https://cdn.example.com/a.png" alt="">'
    );
  });

  it('links to http, https, mailto, tel and relative URLs', () => {
    for (const url of [
      'https://strapi.io/?a=1&b=2',
      'http://example.com',
      'mailto:team@example.com',
      'tel:+4930123',
      '/pricing',
      '#top',
      '?ref=mail',
      'docs/getting-started',
    ]) {
      expect(render([paragraph(link(url, text('go')))], 'html')).toBe(
        `<p><a href="${escapeHtml(url)}">go</a></p>`
      );
    }
  });

  it('renders a link with an unsafe URL as its text only, however the scheme is disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      ' \u0001javascript:alert(1)',
      'jav&#x09;ascript:alert(1)',
      '&#106;avascript:alert(1)',
      'javascript&colon;alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://example.com',
      '',
      42,
      null,
    ]) {
      expect(render([paragraph(link(url, text('click me')))], 'html')).toBe('<p>click me</p>');
    }
  });

  it('escapes whatever an editor typed, and drops control characters', () => {
    const blocks = [paragraph(text(`<script>alert(1)</script> " onerror="x' & \u0000\u0007done`))];
    expect(render(blocks, 'html')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot; onerror=&quot;x&#39; &amp; done</p>'
    );
  });

  it('shows the text of unknown elements and skips what is not a node', () => {
    const blocks = [
      {
        type: 'callout',
        children: [text('Heads up: '), { type: 'mention', children: [text('@ada')] }],
      },
      null,
      42,
      'paragraph',
      { type: 'paragraph' },
      { type: 'paragraph', children: [null, { type: 'text', text: 7 }, text('kept')] },
      text('stray text'),
    ];
    expect(render(blocks, 'html')).toBe('<p>Heads up: @ada</p>\n<p>kept</p>\n<p>stray text</p>');
  });

  it('renders anything that is not a list of blocks as nothing', () => {
    for (const garbage of [null, undefined, 'text', 42, { type: 'paragraph', children: [] }]) {
      for (const format of FORMATS) expect(render(garbage, format)).toBe('');
    }
  });

  it('survives absurdly deep nesting, rendering what sits at a sane depth', () => {
    let deep: unknown = text('bottom {{traits.firstName}}');
    for (let i = 0; i < 10_000; i++) deep = { type: 'quote', children: [deep] };
    let shallow: unknown = text('near');
    for (let i = 0; i < 20; i++) shallow = { type: 'unknown', children: [shallow] };
    const blocks = [deep, list('unordered', shallow), paragraph(shallow)];
    for (const format of FORMATS) expect(() => compileTemplate(blocks, format)).not.toThrow();
    expect(render(blocks, 'html')).toBe(
      '<blockquote></blockquote>\n<ul><li>near</li></ul>\n<p>near</p>'
    );
    expect(hasMergeFields(blocks)).toBe(false);
    expect(fillBlocks(blocks, { traits: { firstName: 'Ada' } })).toBe(blocks);
  });
});

describe('a chunk body rendered as markdown', () => {
  it('renders headings, marks, links, lists, quotes, code and images', () => {
    const blocks = [
      { type: 'heading', level: 3, children: [text('Pricing')] },
      paragraph(
        text('See '),
        link('https://example.com/a b(c)', text('the plans', { bold: true })),
        text(' and '),
        text('compare', { italic: true }),
        text(' '),
        text('old', { strikethrough: true }),
        text(' '),
        text('npm i', { code: true })
      ),
      list(
        'ordered',
        item(text('Pick a plan')),
        list('unordered', item(text('Monthly'))),
        item(text('Pay'))
      ),
      { type: 'quote', children: [text('Fast.\nReally fast.')] },
      { type: 'code', language: 'ts', children: [text('const s = "```";')] },
      image({ url: '/uploads/plans.png', alternativeText: 'The [plans]' }),
    ];
    expect(render(blocks, 'markdown')).toBe(
      [
        '### Pricing',
        'See [**the plans**](https://example.com/a%20b\\(c\\)) and *compare* ~~old~~ `npm i`',
        '1. Pick a plan\n   - Monthly\n2. Pay',
        '> Fast.\\\n> Really fast.',
        '````ts\nconst s = "```";\n````',
        '![The \\[plans\\]](/uploads/plans.png)',
      ].join('\n\n')
    );
  });

  it('escapes editor text so it cannot become markup', () => {
    const typed =
      '# Not a heading\n- not a list\n1. not a list\n<b>not html</b> *not bold* [x](javascript:alert(1)) &amp;';
    expect(render([paragraph(text(typed))], 'markdown')).toBe(
      '\\# Not a heading\\\n\\- not a list\\\n1\\. not a list\\\n' +
        '\\<b\\>not html\\</b\\> \\*not bold\\* \\[x\\](javascript:alert(1)) \\&amp;'
    );
  });

  it('drops links and images whose URL is unsafe', () => {
    const blocks = [
      paragraph(link('javascript:alert(1)', text('click'))),
      image({ url: 'data:image/png;base64,xx', alternativeText: 'x' }),
    ];
    expect(render(blocks, 'markdown')).toBe('click');
  });

  it('puts neighbouring text with the same marks, code included, under one pair of delimiters', () => {
    const blocks = [
      paragraph(
        text('Run ', { bold: true }),
        { type: 'mention', children: [text('npm i', { bold: true, code: true })] },
        text(' then ', { bold: true, underline: true }),
        text('a', { code: true }),
        text('b', { code: true, underline: true })
      ),
    ];
    expect(render(blocks, 'markdown')).toBe('**Run `npm i` then** `a` `b`');
  });

  it('keeps an exclamation mark before a link as text, not an image', () => {
    expect(render([paragraph(text('Wow!'), link('/go', text('go')))], 'markdown')).toBe(
      'Wow\\![go](/go)'
    );
  });

  it('drops empty list items: under a line of text a bare "-" would make that line a heading', () => {
    const blocks = [list('unordered', item(text('Parent')), list('unordered', item(text(''))))];
    expect(render(blocks, 'markdown')).toBe('- Parent');
    expect(render(blocks, 'text')).toBe('- Parent');
  });

  it('keeps structure when merge values are filled empty', () => {
    const blocks = [
      paragraph(text('{{traits.firstName}}', { bold: true, strikethrough: true })),
      list(
        'unordered',
        item(text('Parent')),
        list('unordered', item(text('{{traits.firstName}}')))
      ),
    ];
    const template = compileTemplate(blocks, 'markdown');
    // Marks around nothing but a value would leave '~~~~' (a code fence) when the value is empty.
    expect(fillTemplate(template, { traits: { firstName: 'Ada' } })).toBe(
      'Ada\n\n- Parent\n  * Ada'
    );
    expect(fillTemplate(template, {})).toBe('\n\n- Parent\n  * ');
  });

  it('escapeMarkdown loses nothing but repeated whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (s) => {
        expect(unescapeMarkdown(escapeMarkdown(s))).toBe(s.replace(/[ \t\n\v\f\r]+/g, ' '));
      })
    );
  });

  it('escapeMarkdown leaves no markup character unescaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (s) => {
        const escaped = escapeMarkdown(s);
        expect(escaped).not.toMatch(/^[#+=.)-]/);
        expect(escaped.replace(/\\./gs, '')).not.toMatch(/[\\`*_[\]<>~|\n]/);
      })
    );
  });
});

describe('a chunk body rendered as plain text', () => {
  it('separates blocks by blank lines and prefixes list items', () => {
    const blocks = [
      { type: 'heading', level: 1, children: [text('Hello', { bold: true })] },
      paragraph(text('Read '), link('https://example.com', text('the docs')), text('.')),
      list('unordered', item(text('one')), item(text('two\nlines'))),
      list(
        'ordered',
        item(text('first')),
        list('unordered', item(text('inner'))),
        item(text('second'))
      ),
      { type: 'code', language: 'js', children: [text('<b>raw</b>')] },
      image({ url: '/a.png', alternativeText: 'A cat' }),
      paragraph(text('')),
    ];
    expect(render(blocks, 'text')).toBe(
      [
        'Hello',
        'Read the docs.',
        '- one\n- two\n  lines',
        '1. first\n   - inner\n2. second',
        '<b>raw</b>',
        'A cat',
      ].join('\n\n')
    );
  });
});

describe('merge fields at delivery', () => {
  const greeting = [
    { type: 'heading', level: 2, children: [text('Hi {{ traits.firstName | there }}!')] },
    paragraph(text('Offers for {{geo.country|your country}}', { bold: true })),
  ];

  it('fills each field from the context, escaped for the format', () => {
    const ctx: Context = { traits: { firstName: '<b>*Ada*</b>' }, geo: { country: 'DE' } };
    expect(render(greeting, 'html', ctx)).toBe(
      '<h2>Hi &lt;b&gt;*Ada*&lt;/b&gt;!</h2>\n<p><strong>Offers for DE</strong></p>'
    );
    expect(render(greeting, 'markdown', ctx)).toBe(
      '## Hi \\<b\\>\\*Ada\\*\\<\\/b\\>\\!\n\n**Offers for DE**'
    );
    expect(render(greeting, 'text', ctx)).toBe('Hi <b>*Ada*</b>!\n\nOffers for DE');
  });

  it('uses the fallback when the context lacks the field', () => {
    expect(render(greeting, 'html')).toBe(
      '<h2>Hi there!</h2>\n<p><strong>Offers for your country</strong></p>'
    );
  });

  it('compiles once with a hole per field, in document order, the same in every format', () => {
    for (const format of FORMATS) {
      const template = compileTemplate(greeting, format);
      expect(template.fields).toEqual([
        { path: 'traits.firstName', fallback: 'there' },
        { path: 'geo.country', fallback: 'your country' },
      ]);
      expect(template.parts).toHaveLength(3);
    }
  });

  it('leaves fields inside code untouched, so code samples can show the syntax', () => {
    const blocks = [
      paragraph(text('Write '), text('{{traits.firstName|there}}', { code: true })),
      { type: 'code', children: [text('{{persona}}')] },
    ];
    expect(hasMergeFields(blocks)).toBe(false);
    expect(render(blocks, 'html', { persona: 'developer' })).toBe(
      '<p>Write <code>{{traits.firstName|there}}</code></p>\n<pre><code>{{persona}}</code></pre>'
    );
  });

  it('fills the text of a link whose URL was dropped as unsafe', () => {
    const blocks = [paragraph(link('javascript:x', text('Hi {{persona}}')))];
    expect(render(blocks, 'html', { persona: 'developer' })).toBe('<p>Hi developer</p>');
  });
});

describe('blocks for format=json', () => {
  it('replaces merge fields in text with their unescaped values and keeps everything else', () => {
    const blocks = [
      {
        type: 'heading',
        level: 2,
        children: [text('Hi {{traits.firstName|there}}', { bold: true })],
      },
      paragraph(link('https://example.com', text('for {{geo.country}}'))),
      paragraph(text('untouched')),
    ];
    const before = JSON.parse(JSON.stringify(blocks));
    const filled = fillBlocks(blocks, { traits: { firstName: '<Ada>' }, geo: { country: 'DE' } });
    expect(filled).toEqual([
      { type: 'heading', level: 2, children: [text('Hi <Ada>', { bold: true })] },
      paragraph(link('https://example.com', text('for DE'))),
      paragraph(text('untouched')),
    ]);
    expect(filled[2]).toBe(blocks[2]);
    expect(blocks).toEqual(before);
  });

  it('returns the very same blocks when there is no merge field', () => {
    const blocks = [
      paragraph(text('Hello {{ not closed')),
      { type: 'code', children: [text('{{x}}')] },
    ];
    expect(hasMergeFields(blocks)).toBe(false);
    expect(fillBlocks(blocks, { persona: 'x' })).toBe(blocks);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: whatever editors and API clients send

const hostile = fc.constantFrom(
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '" onerror="alert(1)',
  "' onload='alert(1)",
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  ' \u0001\u0000javascript:alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;avascript:alert(1)',
  '&#0000106avascript:alert(1)',
  'javascript&colon;alert(1)',
  'java&Tab;script:alert(1)',
  'java\\script:alert(1)',
  'data:text/html;base64,PHNjcmlwdD4=',
  'vbscript:msgbox(1)',
  'style="x:expression(alert(1))"',
  '\u0000',
  '\u0000\u00001\u0000',
  '</p><script>',
  '{{traits.x}}',
  '{{ traits.firstName | there }}',
  '{{__proto__.x|y}}',
  '{{',
  '}}',
  '\\',
  '`',
  '```',
  '**',
  '[x](javascript:alert(1))',
  '# h',
  '1. ',
  '- ',
  '> ',
  '&amp;',
  '\u202e',
  '😀'
);

const hostileText = fc.oneof(
  hostile,
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.array(fc.oneof(hostile, fc.string()), { maxLength: 4 }).map((a) => a.join(''))
);

const hostileUrl = fc.oneof(
  hostile,
  fc.constantFrom(
    'https://example.com/a?b=1&c=2',
    '/path',
    '#top',
    '?q=1',
    'mailto:a@b.c',
    'tel:+1',
    'docs/x'
  ),
  fc.string({ unit: 'binary-ascii' }),
  fc.webUrl(),
  fc.tuple(hostile, fc.webUrl()).map(([a, b]) => a + b)
);

const elementType = fc.constantFrom(
  'paragraph',
  'heading',
  'list',
  'list-item',
  'quote',
  'code',
  'image',
  'link',
  'text',
  'callout',
  '<script>'
);

const markedLeaf = (leafText: fc.Arbitrary<string>) =>
  fc.record(
    {
      type: fc.constant('text'),
      text: leafText,
      bold: fc.boolean(),
      italic: fc.boolean(),
      underline: fc.boolean(),
      strikethrough: fc.boolean(),
      code: fc.boolean(),
    },
    { requiredKeys: ['type', 'text'] }
  );

const garbage = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record({ type: elementType, children: fc.anything({ maxDepth: 1 }) }),
  fc.record({ type: fc.constant('text'), text: fc.anything({ maxDepth: 1 }) })
);

/** Block trees as an editor, a buggy client or an attacker could store them. */
function blockTrees(leafText: fc.Arbitrary<string>, withGarbage: boolean) {
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 5 },
      markedLeaf(leafText),
      tie('element'),
      ...(withGarbage ? [garbage] : [])
    ),
    element: fc.record(
      {
        type: elementType,
        children: fc.array(tie('node'), { maxLength: 4 }),
        url: hostileUrl,
        level: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.double(), fc.string()),
        format: fc.constantFrom('ordered', 'unordered', 'other'),
        language: hostileText,
        image: fc.record(
          {
            url: hostileUrl,
            alternativeText: leafText,
            width: fc.oneof(fc.integer(), fc.double()),
            height: fc.oneof(fc.integer(), fc.double()),
          },
          { requiredKeys: [] }
        ),
      },
      { requiredKeys: ['type', 'children'] }
    ),
  }));
  return fc.array(node, { maxLength: 5 });
}

const anyBlocks = fc.oneof(blockTrees(hostileText, true), fc.anything());
const hostileContext = fc.record(
  {
    persona: hostileText,
    geo: fc.record({ country: hostileText }),
    traits: fc.dictionary(fc.constantFrom('x', 'firstName'), fc.oneof(hostileText, fc.anything())),
  },
  { requiredKeys: [] }
) as fc.Arbitrary<Context>;

describe('rendering whatever is stored, as properties', () => {
  it('html never carries a script, an event handler, a style or an unsafe URL, and only known tags', () => {
    fc.assert(
      fc.property(anyBlocks, hostileContext, (blocks, ctx) => {
        expect(htmlProblems(render(blocks, 'html', ctx))).toEqual([]);
      }),
      { numRuns: 300 }
    );
  });

  it('markdown never links to an unsafe URL', () => {
    const plainWords = fc.stringMatching(/^[a-z ]{0,8}$/);
    fc.assert(
      fc.property(blockTrees(plainWords, false), (blocks) => {
        for (const url of markdownDestinations(render(blocks, 'markdown'))) {
          expect(normalizedUrl(url)).not.toMatch(DANGEROUS_SCHEME);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('a hostile merge value reaches the reader as plain text, in html and in markdown', () => {
    const blocks = [paragraph(text('Hi {{traits.x}}!'))];
    fc.assert(
      fc.property(hostileText, (value) => {
        const shown = stripControlChars(value);
        fc.pre(shown !== '');
        const html = render(blocks, 'html', { traits: { x: value } });
        expect(htmlProblems(html)).toEqual([]);
        expect(readHtml(html)).toBe(`Hi ${shown}!`);
        const markdown = render(blocks, 'markdown', { traits: { x: value } });
        expect(markdown).toBe(`Hi ${escapeMarkdownValue(shown)}\\!`);
        expect(unescapeMarkdown(markdown).replace(/\u2060/g, '')).toBe(
          `Hi ${shown.replace(/[ \t\n\v\f\r]+/g, ' ')}!`
        );
      })
    );
  });

  it('compiling, filling and filling blocks never throw on garbage', () => {
    fc.assert(
      fc.property(anyBlocks, fc.anything(), (blocks, ctx) => {
        for (const format of FORMATS) {
          expect(typeof fillTemplate(compileTemplate(blocks, format), ctx as Context)).toBe(
            'string'
          );
        }
        expect(() => fillBlocks(blocks, ctx as Context)).not.toThrow();
        expect(typeof hasMergeFields(blocks)).toBe('boolean');
      })
    );
  });

  it('every format holds the same merge fields in the same order, and a hole for each', () => {
    fc.assert(
      fc.property(blockTrees(hostileText, true), (blocks) => {
        const [html, markdown, plain] = FORMATS.map((format) => compileTemplate(blocks, format));
        expect(markdown.fields).toEqual(html.fields);
        expect(plain.fields).toEqual(html.fields);
        for (const template of [html, markdown, plain]) {
          expect(template.parts).toHaveLength(template.fields.length + 1);
        }
        expect(hasMergeFields(blocks)).toBe(html.fields.length > 0);
      })
    );
  });

  it('fillBlocks hands back the same blocks exactly when there is no merge field, and never mutates', () => {
    fc.assert(
      fc.property(blockTrees(hostileText, true), hostileContext, (blocks, ctx) => {
        const before = JSON.stringify(blocks);
        const filled = fillBlocks(blocks, ctx);
        expect(filled === blocks).toBe(!hasMergeFields(blocks));
        expect(JSON.stringify(blocks)).toBe(before);
      })
    );
  });

  // Bodies whose merge values cannot form new fields once filled in: no braces outside fields.
  const braceFree = hostileText.map((s) => s.replace(/[{}]/g, ''));
  const mergeText = fc
    .array(
      fc.oneof(
        braceFree,
        fc
          .tuple(
            fc.constantFrom(
              'traits.firstName',
              'traits.x',
              'geo.country',
              'persona',
              'utm.campaign'
            ),
            braceFree,
            fc.constantFrom('', ' ', '\t')
          )
          .map(([path, fallback, space]) => `{{${space}${path}${space}|${fallback}}}`)
      ),
      { maxLength: 4 }
    )
    .map((pieces) => pieces.join(''));
  const braceFreeContext = fc.record(
    {
      persona: braceFree,
      geo: fc.record({ country: braceFree }),
      traits: fc.dictionary(
        fc.constantFrom('x', 'firstName'),
        fc.oneof(braceFree, fc.integer(), fc.boolean(), fc.constant(null))
      ),
    },
    { requiredKeys: [] }
  ) as fc.Arbitrary<Context>;

  // A template cannot know a value will be empty, so it may keep marks around nothing.
  function withoutEmptyMarks(html: string): string {
    const emptyMark = /<(strong|em|u|s)><\/\1>/g;
    while (emptyMark.test(html)) html = html.replace(emptyMark, '');
    return html;
  }

  it('html from the template equals html of the filled json blocks, fallbacks included', () => {
    fc.assert(
      fc.property(blockTrees(mergeText, false), braceFreeContext, (blocks, ctx) => {
        for (const context of [ctx, {}]) {
          const filled = compileTemplate(fillBlocks(blocks, context), 'html');
          expect(filled.fields).toEqual([]);
          expect(withoutEmptyMarks(render(blocks, 'html', context))).toBe(filled.parts[0]);
        }
      }),
      { numRuns: 300 }
    );
  });
});

describe('safe URLs', () => {
  it('accepts only http, https, mailto, tel and relative URLs', () => {
    fc.assert(
      fc.property(hostileUrl, (url) => {
        const safe = safeUrl(url);
        if (safe === null) return;
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(normalizedUrl(safe));
        if (scheme) expect(['http', 'https', 'mailto', 'tel']).toContain(scheme[1]);
      }),
      { numRuns: 500 }
    );
  });
});
