/**
 * Formats an app registers, as the core renders them: from the chunk's blocks with merge fields
 * filled, fingerprinted by the format's name and the merge values, and failing by name.
 */
import fc from 'fast-check';

import { AppFormatFailure, deliverChunk, type AppFormat } from '../../server/src/core/delivery';
import type { BlocksContent } from '../../server/src/core/types';
import { compiledChunk, paragraph } from './fixtures';

const greeting = () =>
  compiledChunk('greeting', {
    title: 'Greeting',
    body: paragraph('Hi {{traits.firstName|there}}'),
    extra: { cta: { label: 'Go', url: '/go' } },
  });

/** Plain text of the blocks it is given, shouting: enough to see what the renderer received. */
const shout: AppFormat = {
  name: 'shout',
  contentType: 'text/plain',
  render: (blocks: BlocksContent) =>
    JSON.stringify(blocks)
      .match(/"text":"([^"]*)"/g)!
      .map((t) => t.slice(8, -1).toUpperCase())
      .join(' '),
};

describe('an app format', () => {
  it('renders the blocks with merge fields filled, and keeps the extra fields', () => {
    const { chunk } = deliverChunk(greeting(), shout, { traits: { firstName: 'Ada' } });
    expect(chunk.content).toBe('HI ADA');
    expect(chunk.cta).toEqual({ label: 'Go', url: '/go' });
  });

  it('cannot change the compiled chunk it renders', () => {
    const compiled = greeting();
    const body = structuredClone(compiled.body);
    const vandal: AppFormat = {
      name: 'vandal',
      contentType: 'text/plain',
      render: (blocks) => {
        blocks.length = 0;
        return '';
      },
    };
    deliverChunk(compiled, vandal, {});
    expect(compiled.body).toEqual(body);
  });

  it('gives equal variant keys exactly when the merge values are equal', () => {
    const name = fc.stringMatching(/^[A-Za-z]{1,8}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const keyOf = (name: string) =>
          deliverChunk(greeting(), shout, { traits: { firstName: name } }).variantKey;
        expect(keyOf(a) === keyOf(b)).toBe(a === b);
      })
    );
  });

  it('is fingerprinted apart from the built-in formats and other app formats', () => {
    const keys = [shout, { ...shout, name: 'other' }, 'text' as const, 'json' as const].map(
      (format) => deliverChunk(greeting(), format, {}).variantKey
    );
    expect(new Set(keys).size).toBe(4);
  });

  it('fails by name when its renderer throws or returns something other than a string', () => {
    const throwing: AppFormat = {
      name: 'broken',
      contentType: 'text/plain',
      render: () => {
        throw new Error('bug');
      },
    };
    expect(() => deliverChunk(greeting(), throwing, {})).toThrow(AppFormatFailure);
    const numeric = { ...throwing, render: () => 42 as unknown as string };
    expect(() => deliverChunk(greeting(), numeric, {})).toThrow(
      "format 'broken' failed on chunk 'greeting'"
    );
  });
});
