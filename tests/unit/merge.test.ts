import fc from 'fast-check';
import {
  parseMergeText,
  readMergeValue,
  stripControlChars,
  type MergeField,
} from '../../server/src/core/merge';
import type { Context } from '../../server/src/core/types';

const field = (path: string, fallback = ''): MergeField => ({ path, fallback });

const ada: Context = {
  persona: 'developer',
  geo: { country: 'DE' },
  utm: { campaign: 'spring-sale' },
  traits: {
    firstName: 'Ada',
    visits: 3,
    vip: true,
    empty: '',
    nothing: null,
    nested: { plan: 'pro' },
  },
};

describe('finding merge fields in editor text', () => {
  it('splits a greeting into text and the first-name field with its fallback', () => {
    expect(parseMergeText('Hi {{traits.firstName|there}}!')).toEqual([
      'Hi ',
      field('traits.firstName', 'there'),
      '!',
    ]);
  });

  it('allows whitespace around the path and the fallback, keeping spaces inside the fallback', () => {
    expect(parseMergeText('{{ traits.firstName | dear reader }}')).toEqual([
      field('traits.firstName', 'dear reader'),
    ]);
    expect(parseMergeText('{{ geo.country }}')).toEqual([field('geo.country')]);
  });

  it('finds several fields in order, with an empty fallback when none is given', () => {
    expect(parseMergeText('{{persona}} in {{geo.country|}} via {{utm.campaign}}')).toEqual([
      field('persona'),
      ' in ',
      field('geo.country'),
      ' via ',
      field('utm.campaign'),
    ]);
  });

  it('keeps a "{{" without a valid closing as plain text', () => {
    expect(parseMergeText('Use {{ to open')).toEqual(['Use {{ to open']);
    expect(parseMergeText('{{traits.firstName')).toEqual(['{{traits.firstName']);
    expect(parseMergeText('{{traits.first name}}')).toEqual(['{{traits.first name}}']);
    expect(parseMergeText('{{}}')).toEqual(['{{}}']);
    expect(parseMergeText('{{ {{persona}}')).toEqual(['{{ ', field('persona')]);
  });

  it('keeps paths that could reach an object prototype, or have empty segments, as plain text', () => {
    for (const text of [
      '{{__proto__.polluted|x}}',
      '{{traits.constructor}}',
      '{{traits.prototype|x}}',
      '{{traits..firstName}}',
      '{{.persona}}',
    ]) {
      expect(parseMergeText(text)).toEqual([text]);
    }
  });

  it('text made of literals and fields parses back into exactly those pieces', () => {
    const literal = fc.string().filter((s) => s !== '' && !/[{}]/.test(s));
    // At most 8 characters: never one of the refused segments.
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
    const mergeField = fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.')),
      fallback: fc
        .string()
        .filter((s) => !/[{}]/.test(s))
        .map((s) => s.trim()),
    });
    const space = fc.constantFrom('', ' ', '  ', '\t');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(literal, mergeField)),
        space,
        space,
        (pieces, before, after) => {
          const text = pieces
            .map((p) =>
              typeof p === 'string'
                ? p
                : `{{${before}${p.path}${after}|${before}${p.fallback}${after}}}`
            )
            .join('');
          const merged = pieces.reduce<Array<string | MergeField>>((out, p) => {
            const last = out[out.length - 1];
            if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
            else out.push(p);
            return out;
          }, []);
          expect(parseMergeText(text)).toEqual(merged);
        }
      )
    );
  });
});

describe('reading a merge value from the request context', () => {
  it("reads the visitor's first name, country, campaign and persona", () => {
    expect(readMergeValue(ada, field('traits.firstName', 'there'))).toBe('Ada');
    expect(readMergeValue(ada, field('geo.country'))).toBe('DE');
    expect(readMergeValue(ada, field('utm.campaign'))).toBe('spring-sale');
    expect(readMergeValue(ada, field('persona'))).toBe('developer');
    expect(readMergeValue(ada, field('traits.nested.plan'))).toBe('pro');
  });

  it('turns numbers and booleans into text', () => {
    expect(readMergeValue(ada, field('traits.visits'))).toBe('3');
    expect(readMergeValue(ada, field('traits.vip'))).toBe('true');
    expect(readMergeValue({ traits: { vip: false } }, field('traits.vip', 'x'))).toBe('false');
  });

  it('uses the fallback when the value is missing, empty or not text-like', () => {
    const fallback = (ctx: Context, path: string) => readMergeValue(ctx, field(path, 'there'));
    expect(fallback({}, 'traits.firstName')).toBe('there');
    expect(fallback(ada, 'traits.empty')).toBe('there');
    expect(fallback(ada, 'traits.nothing')).toBe('there');
    expect(fallback(ada, 'traits.nested')).toBe('there');
    expect(fallback(ada, 'geo')).toBe('there');
    expect(fallback({ traits: { n: NaN } }, 'traits.n')).toBe('there');
    expect(fallback({ traits: { n: Infinity } }, 'traits.n')).toBe('there');
    expect(fallback({ traits: { list: ['a'] } }, 'traits.list')).toBe('there');
    expect(readMergeValue({}, field('traits.firstName'))).toBe('');
  });

  it('reads own properties only, never what an object inherits', () => {
    const traits = Object.create({ firstName: 'inherited' }) as Record<string, unknown>;
    expect(readMergeValue({ traits }, field('traits.firstName', 'there'))).toBe('there');
    expect(readMergeValue(ada, field('traits.toString', 'there'))).toBe('there');
    expect(readMergeValue(ada, field('traits.hasOwnProperty', 'there'))).toBe('there');
    const polluted = JSON.parse('{"traits":{"__proto__":{"x":"y"},"constructor":"c"}}') as Context;
    expect(readMergeValue(polluted, field('traits.__proto__.x', 'safe'))).toBe('safe');
    expect(readMergeValue(polluted, field('traits.constructor', 'safe'))).toBe('safe');
  });

  it('drops control characters from values and fallbacks, keeping tabs and line breaks', () => {
    const ctx: Context = { traits: { name: 'A\u0000d\u0007a\r\n\tL' } };
    expect(readMergeValue(ctx, field('traits.name'))).toBe('Ada\n\tL');
    expect(
      readMergeValue({ traits: { name: '\u0000\u0001' } }, field('traits.name', 'x\u0000'))
    ).toBe('x');
  });

  it('never throws and always answers clean text, whatever the context and path', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.string(),
        fc.string({ unit: 'binary-ascii' }),
        (ctx, path, fallback) => {
          const value = readMergeValue(ctx as Context, { path, fallback });
          expect(typeof value).toBe('string');
          expect(stripControlChars(value)).toBe(value);
        }
      )
    );
  });
});
