/**
 * Merge values come from readers (`?utm_campaign=…`, a Referer, a trait): whatever they hold, each
 * built-in format shows them as text, never as markup, a link or an image. And the headers an
 * answer varies on follow from the context fields it read, the same way for every route.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';

import {
  buildContext,
  requestContext,
  varyHeaders,
  VISITOR_HEADERS,
} from '../../server/src/core/context';
import { stripControlChars } from '../../server/src/core/merge';
import { compileTemplate, escapeMarkdownValue, fillTemplate } from '../../server/src/core/render';
import { CONTEXT_FIELDS, type Context } from '../../server/src/core/types';

const text = (value: string, marks: Record<string, boolean> = {}) => ({
  type: 'text',
  text: value,
  ...marks,
});
const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children });

/** One value in every place a merge field can sit: text, marks, a heading, a list, a link, a quote. */
const body = [
  { type: 'heading', level: 2, children: [text('Hi {{utm.campaign}}')] },
  paragraph(text('Plain {{utm.campaign}} text.')),
  paragraph(
    text('{{utm.campaign}}', { bold: true }),
    text(' and '),
    text('{{utm.campaign}}', { italic: true })
  ),
  {
    type: 'list',
    format: 'unordered',
    children: [{ type: 'list-item', children: [text('{{utm.campaign}}')] }],
  },
  paragraph({
    type: 'link',
    url: 'https://mosaic.example/offer',
    children: [text('See {{utm.campaign}}')],
  }),
  { type: 'quote', children: [text('{{utm.campaign}}')] },
];

const templates = {
  html: compileTemplate(body, 'html'),
  markdown: compileTemplate(body, 'markdown'),
};
const withValue = (value: string): Context => ({ utm: { campaign: value } });

/** GitHub-flavoured markdown as a site would render it: links found in bare text too. */
const gfm = new MarkdownIt({ linkify: true });
const TEMPLATE_LINK = '<a href="https://mosaic.example/offer">';
const tagsOf = (html: string) => (html.match(/<[^>]*>/g) ?? []).sort();

/** Reader-controlled strings, weighted towards what turns into markup, links and images. */
const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        'https://evil.example',
        'http://x.y/z?q=1',
        'www.evil.example',
        'evil.com',
        'someone@evil.example',
        'mailto:a@b.c',
        'javascript:alert(1)',
        '[click](https://evil.example)',
        '![img](https://evil.example/x.png)',
        '<img src=x onerror=alert(1)>',
        '<https://evil.example>',
        '**bold**',
        '_em_',
        '`code`',
        '# heading',
        '- item',
        '1. item',
        '> quote',
        '&lt;b&gt;',
        '&#58;',
        '\\',
        ' ',
        '\n',
        ':',
        '.',
        '@',
        'www',
        'x'
      ),
      { maxLength: 8 }
    )
    .map((parts) => parts.join(''))
);

describe('a merge value in markdown', () => {
  it('never becomes markup, a link or an image, even where GFM autolinks bare text', () => {
    const benign = gfm.render(fillTemplate(templates.markdown, withValue('campaign')));
    fc.assert(
      fc.property(hostile, (value) => {
        fc.pre(stripControlChars(value).trim() !== '');
        const rendered = gfm.render(fillTemplate(templates.markdown, withValue(value)));
        // Exactly the tags the editor's structure makes, whatever the value: no new link, image,
        // emphasis, code, heading or list, and the one editor link still points where it did.
        expect(tagsOf(rendered)).toEqual(tagsOf(benign));
        expect(rendered.split('<a ').length - 1).toBe(1);
        expect(rendered).toContain(TEMPLATE_LINK);
      }),
      { numRuns: 400 }
    );
  });

  it('is escaped so that no markup character is left bare and no URL shape survives', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const escaped = escapeMarkdownValue(stripControlChars(value));
        // Every ASCII punctuation character comes right after a backslash.
        const bare = escaped.replace(/\\[!-/:-@[-`{-~]/g, '');
        expect(bare).not.toMatch(/[!-/:-@[-`{-~]/);
        const shown = escaped.replace(/\\(.)/gs, '$1');
        expect(shown).not.toMatch(/:\/\/|www\.|\w@\w|\w\.\w/i);
        // What a reader sees: the value itself, runs of whitespace as one space.
        expect(shown.replace(/\u2060/g, '')).toBe(
          stripControlChars(value).replace(/[ \t\n\v\f\r]+/g, ' ')
        );
      }),
      { numRuns: 400 }
    );
  });

  it('shows a campaign URL as its text, not as a link', () => {
    const rendered = gfm.render(
      fillTemplate(compileTemplate([paragraph(text('C={{utm.campaign}}'))], 'markdown'), {
        utm: { campaign: 'https://evil.example' },
      })
    );
    expect(rendered).not.toContain('<a');
    expect(rendered.replace(/<[^>]*>|\u2060/g, '').trim()).toBe('C=https://evil.example');
  });
});

describe('a merge value in html', () => {
  it('adds no tag, no attribute and no javascript: URL', () => {
    const benign = fillTemplate(templates.html, withValue('campaign'));
    fc.assert(
      fc.property(hostile, (value) => {
        const html = fillTemplate(templates.html, withValue(value));
        // Values only ever hold text: the tags are the editor's, line breaks aside.
        expect(tagsOf(html).filter((t) => t !== '<br>')).toEqual(tagsOf(benign));
        expect(html).not.toMatch(/href="(?!https:\/\/mosaic\.example\/offer")/);
        expect(html).not.toMatch(/<[^>]*javascript:/i);
      }),
      { numRuns: 400 }
    );
  });
});

describe('the headers an answer varies on', () => {
  const geoHeaders = { country: 'cf-ipcountry', region: 'x-region' };
  const facts = (ref?: string) => ({
    query: ref === undefined ? {} : { ref },
    headers: {},
    now: new Date('2026-03-03T10:00:00Z'),
  });
  const field = fc.constantFrom(...CONTEXT_FIELDS, 'events');

  it('are exactly the sources of the fields read, and the visitor headers for a profile field', () => {
    const { headerSources } = buildContext(facts(), geoHeaders);
    const expected: Record<string, string[]> = {
      persona: [],
      locale: [],
      utm: [],
      time: [],
      referrer: ['Referer'],
      device: ['User-Agent'],
      geo: ['cf-ipcountry', 'x-region'],
    };
    fc.assert(
      fc.property(fc.uniqueArray(field), (fields) => {
        const vary = varyHeaders(new Set(fields), headerSources);
        const want = new Set(
          fields.flatMap((f) => (f in expected ? expected[f] : VISITOR_HEADERS))
        );
        expect(new Set(vary)).toEqual(want);
      })
    );
  });

  it('name every source when the whole context may show', () => {
    const { headerSources } = buildContext(facts(), geoHeaders);
    expect(new Set(varyHeaders('all', headerSources))).toEqual(
      new Set(['Referer', 'User-Agent', 'cf-ipcountry', 'x-region', ...VISITOR_HEADERS])
    );
  });

  it('leave out Referer when the ref parameter set the referrer', () => {
    const { headerSources } = buildContext(facts('newsletter'), geoHeaders);
    expect(varyHeaders(new Set(['referrer']), headerSources)).toEqual([]);
  });
});

describe('the context an explanation shows anyone', () => {
  it('keeps what the request carried and drops what a profile holds', () => {
    const context: Context = {
      utm: { campaign: 'spring' },
      geo: { country: 'DE' },
      persona: 'developer',
      visitor: { known: true, visits: 3 },
      traits: { plan: 'enterprise', lifetimeValue: 9000 },
      affinity: { personas: { developer: 0.9 } },
      events: [{ name: 'purchase', at: '2026-03-01T00:00:00Z', props: { sku: 'x' } }] as never,
    };
    expect(requestContext(context)).toEqual({
      utm: { campaign: 'spring' },
      geo: { country: 'DE' },
      persona: 'developer',
    });
  });
});
