/** The cheapest way from region `from` (its cost surface) into region `to`: the cell reached, and its cost. */
export interface RegionLink {
  from: number;
  to: number;
  cell: number;
  cost: number;
}

/**
 * Kruskal's minimum spanning tree over region links (regions 0…count−1): the cheapest links
 * joining every region that can be joined, the optimum network ArcGIS draws.
 */
export function minimumSpanningTree(count: number, links: RegionLink[]): RegionLink[] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const tree: RegionLink[] = [];
  for (const link of [...links].sort((a, b) => a.cost - b.cost)) {
    const a = find(link.from);
    const b = find(link.to);
    if (a === b) continue;
    parent[a] = b;
    tree.push(link);
  }
  return tree;
}
