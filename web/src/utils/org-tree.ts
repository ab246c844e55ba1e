import type { MapLayerName, OrgUnit, OrgUnitKind } from '@/api/org';

export type OrgTreeNode = OrgUnit & { children: OrgTreeNode[] };

/**
 * Builds the org tree from the flat list the API returns. Units whose parent is outside the list
 * (the top of the user's own subtree) become roots. Children are sorted by code, then name.
 */
export function buildOrgTree(units: OrgUnit[]): OrgTreeNode[] {
  const nodes = new Map<number, OrgTreeNode>(units.map((u) => [u.id, { ...u, children: [] }]));
  const roots: OrgTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId !== null ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const order = (a: OrgTreeNode, b: OrgTreeNode) => (a.code ?? '~').localeCompare(b.code ?? '~') || a.name.localeCompare(b.name, 'zh-CN');
  const sort = (list: OrgTreeNode[]) => {
    list.sort(order);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The boundary layer that holds a unit of this kind, if its kind has areas on the map. */
export function layerOfKind(kind: OrgUnitKind): MapLayerName | null {
  switch (kind) {
    case 'city':
    case 'county':
      return 'counties';
    case 'township':
      return 'townships';
    case 'grid':
      return 'grids';
    case 'nature_reserve':
      return 'reserves';
    case 'forest_farm':
      return 'forest_farms';
    default:
      return null;
  }
}
