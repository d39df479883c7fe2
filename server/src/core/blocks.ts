/**
 * Slate's node guards (`Text.isText`, `Element.isElement`, `Node.isNode`) and types as they stand
 * for blocks JSON, without Slate: the core also runs in the standalone resolver, which has no
 * runtime dependency. An editor object (with methods) never comes out of JSON, so its guard is
 * left out.
 */
export type Text = { text: string; [key: string]: unknown };
export type Element = { children: Node[]; [key: string]: unknown };
export type Node = Text | Element;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export const Text = {
  isText: (value: unknown): value is Text => isObject(value) && typeof value.text === 'string',
};

// Slate 0.120 checks an element's children as this does; the Content Manager's Slate (0.94) also
// requires each child to be a node, recursively. The renderer checks each child as it walks, so a
// malformed child is skipped alone, and a deep tree costs no recursion before the walk's own bound.
export const Element = {
  isElement: (value: unknown): value is Element =>
    isObject(value) && typeof value.apply !== 'function' && Array.isArray(value.children),
};

export const Node = {
  isNode: (value: unknown): value is Node => Text.isText(value) || Element.isElement(value),
};
