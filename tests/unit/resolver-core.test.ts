/**
 * What the core needs to run outside Node and without dependencies (the standalone resolver): its
 * SHA-256 gives node:crypto's digests, so variant keys are the same on both sides, and its blocks
 * guards answer as Slate's do for any JSON whose elements hold nodes.
 */
import { createHash } from 'node:crypto';

import fc from 'fast-check';
import { Element as SlateElement, Node as SlateNode, Text as SlateText } from 'slate';

import { Element, Node, Text } from '../../server/src/core/blocks';
import { base64url, sha256 } from '../../server/src/core/sha256';

const nodeDigest = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('the core SHA-256', () => {
  it('gives the published test vectors', () => {
    expect(Buffer.from(sha256('')).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    );
    expect(Buffer.from(sha256('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    );
  });

  it("gives node:crypto's base64url digest for any text, at every padding boundary", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(base64url(sha256(text))).toBe(nodeDigest(text));
      }),
      { seed: 17, numRuns: 500 }
    );
    for (let n = 0; n < 200; n++)
      expect(base64url(sha256('x'.repeat(n)))).toBe(nodeDigest('x'.repeat(n)));
  });
});

describe("the core's blocks guards", () => {
  it("answer as Slate's for any JSON value", () => {
    const node = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.record({ text: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
        fc.record(
          {
            type: fc.constantFrom('paragraph', 'list', 'link'),
            children: fc.array(tie('value'), { maxLength: 3 }),
          },
          { requiredKeys: [] }
        )
      ),
    })).value;
    fc.assert(
      fc.property(node, (value) => {
        expect(Text.isText(value)).toBe(SlateText.isText(value));
        // Slate (0.94, the Content Manager's) also requires every child to be a node, recursively:
        // the guards agree with it wherever the children are nodes, and otherwise look one level
        // down only (the renderer skips a malformed child when it reaches it).
        const children = (value as { children?: unknown } | null)?.children;
        if (!Array.isArray(children) || SlateNode.isNodeList(children)) {
          expect(Element.isElement(value)).toBe(SlateElement.isElement(value));
          expect(Node.isNode(value)).toBe(SlateNode.isNode(value));
        } else {
          expect(Element.isElement(value)).toBe(typeof value === 'object' && value !== null);
        }
      }),
      { seed: 17, numRuns: 1000 }
    );
  });
});
