/**
 * Nesting between assets, as a graph of plain ids: the cycle a save would create (refused, with its
 * path), and where a chunk or an asset is used, directly and through the assets that nest those.
 */

/** Children of a node (the assets an asset nests), by id. */
export type Children = (id: string) => readonly string[];

/**
 * A cycle through `start`, as the ids from `start` back to `start` (first repeated at the end), or
 * null when no path leads from `start` back to itself. Cycles elsewhere in the graph are not ours
 * to report: only one through the asset being saved is something this save creates.
 */
export function cycleThrough(start: string, children: Children): string[] | null {
  const visited = new Set<string>();
  const path: string[] = [start];
  // Iterative depth-first search: deep nesting must not exhaust the stack.
  const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const kids = children(top.id);
    if (top.next >= kids.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const child = kids[top.next];
    top.next += 1;
    if (child === start) return [...path, start];
    if (visited.has(child)) continue;
    visited.add(child);
    stack.push({ id: child, next: 0 });
    path.push(child);
  }
  return null;
}

export interface UsageAsset<Ref> {
  ref: Ref;
  id: string;
  slug: string;
  /** Slot key → the ids of the chunks and assets its candidates name. */
  slots: Array<{ key: string; uses: readonly string[] }>;
}

export interface Usage<Ref> {
  direct: Array<{ asset: Ref; slots: string[] }>;
  nested: Array<{ asset: Ref; path: string[] }>;
}

/**
 * Where `target` (a chunk's or an asset's id) is used: the assets whose slots name it, and, breadth
 * first so each path is a shortest one, the assets that nest those, with the slugs from the outer
 * asset down to the one that uses `target` directly. Each asset is listed once.
 */
export function whereUsed<Ref>(target: string, assets: Array<UsageAsset<Ref>>): Usage<Ref> {
  const direct: Usage<Ref>['direct'] = [];
  const seen = new Set<string>([target]);
  let frontier: Array<{ asset: UsageAsset<Ref>; path: string[] }> = [];
  for (const asset of assets) {
    const slots = asset.slots.filter((s) => s.uses.includes(target)).map((s) => s.key);
    if (!slots.length || seen.has(asset.id)) continue;
    seen.add(asset.id);
    direct.push({ asset: asset.ref, slots });
    frontier.push({ asset, path: [asset.slug] });
  }
  const nested: Usage<Ref>['nested'] = [];
  while (frontier.length) {
    const next: typeof frontier = [];
    for (const { asset: child, path } of frontier) {
      for (const parent of assets) {
        if (seen.has(parent.id) || !parent.slots.some((s) => s.uses.includes(child.id))) continue;
        seen.add(parent.id);
        const parentPath = [parent.slug, ...path];
        nested.push({ asset: parent.ref, path: parentPath });
        next.push({ asset: parent, path: parentPath });
      }
    }
    frontier = next;
  }
  return { direct, nested };
}
