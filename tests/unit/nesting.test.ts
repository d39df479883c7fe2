import fc from 'fast-check';

import { cycleThrough, whereUsed, type UsageAsset } from '../../server/src/core/nesting';

const graphOf = (edges: Array<[string, string]>) => {
  const children = new Map<string, string[]>();
  for (const [from, to] of edges) children.set(from, [...(children.get(from) ?? []), to]);
  return (id: string) => children.get(id) ?? [];
};

/** Every node reachable from `start` in one or more steps, by a plain breadth-first walk. */
function reachable(start: string, children: (id: string) => readonly string[]) {
  const seen = new Set<string>();
  let frontier = [...children(start)];
  while (frontier.length) {
    const next: string[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      next.push(...children(id));
    }
    frontier = next;
  }
  return seen;
}

describe('cycles of nested assets', () => {
  it('finds the path from the saved asset back to itself', () => {
    const children = graphOf([
      ['home', 'footer'],
      ['footer', 'legal'],
      ['legal', 'home'],
      ['home', 'hero'],
    ]);
    expect(cycleThrough('home', children)).toEqual(['home', 'footer', 'legal', 'home']);
    expect(cycleThrough('hero', children)).toBeNull();
  });

  it('refuses an asset that nests itself', () => {
    expect(cycleThrough('a', graphOf([['a', 'a']]))).toEqual(['a', 'a']);
  });

  it('reports a cycle exactly when the asset can reach itself, along real edges', () => {
    const node = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 15 }), node, (edges, start) => {
        const children = graphOf(edges);
        const cycle = cycleThrough(start, children);
        expect(cycle !== null).toBe(reachable(start, children).has(start));
        if (!cycle) return;
        expect(cycle[0]).toBe(start);
        expect(cycle[cycle.length - 1]).toBe(start);
        for (let i = 0; i + 1 < cycle.length; i += 1) {
          expect(children(cycle[i])).toContain(cycle[i + 1]);
        }
        // A simple cycle: nothing but the start repeats.
        expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
      })
    );
  });
});

describe('where a chunk is used', () => {
  const asset = (slug: string, slots: Record<string, string[]>): UsageAsset<string> => ({
    ref: slug,
    id: `id-${slug}`,
    slug,
    slots: Object.entries(slots).map(([key, uses]) => ({ key, uses })),
  });

  it('lists the slots using it and the assets nesting those, outer asset first', () => {
    const assets = [
      asset('footer', { signature: ['signature', 'legal'] }),
      asset('home', { hero: ['hero'], footer: ['id-footer'] }),
      asset('landing', { main: ['id-home'] }),
      asset('email', { sign: ['signature'], bottom: ['id-footer'] }),
      asset('blog', { body: ['other'] }),
    ];
    const usage = whereUsed('signature', assets);
    expect(usage.direct).toEqual([
      { asset: 'footer', slots: ['signature'] },
      { asset: 'email', slots: ['sign'] },
    ]);
    expect(usage.nested).toEqual([
      { asset: 'home', path: ['home', 'footer'] },
      { asset: 'landing', path: ['landing', 'home', 'footer'] },
    ]);
  });

  it('ends on a cycle of nested assets instead of looping', () => {
    const assets = [asset('a', { x: ['chunk', 'id-b'] }), asset('b', { y: ['id-a'] })];
    expect(whereUsed('chunk', assets)).toEqual({
      direct: [{ asset: 'a', slots: ['x'] }],
      nested: [{ asset: 'b', path: ['b', 'a'] }],
    });
  });
});
