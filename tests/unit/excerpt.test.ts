import { excerpt } from '../../server/src/core/excerpt';

const paragraph = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

describe('the excerpt the library shows', () => {
  it('is the chunk’s plain text, merge fields shown with their fallback', () => {
    expect(
      excerpt([
        {
          type: 'heading',
          level: 1,
          children: [{ type: 'text', text: 'Hello {{traits.firstName|there}}' }],
        },
        paragraph('Welcome   aboard.'),
      ])
    ).toBe('Hello there Welcome aboard.');
  });

  it('is cut at a word, with an ellipsis, when the text is long', () => {
    const long = excerpt([paragraph('word '.repeat(100))], 42);
    expect(long).toBe(`${'word '.repeat(8).trim()}…`);
    expect(excerpt([paragraph('x'.repeat(50))], 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('is empty for an empty or broken body', () => {
    expect(excerpt(null)).toBe('');
    expect(excerpt('not blocks')).toBe('');
  });
});
