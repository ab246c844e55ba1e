/**
 * The standard editor works on flat rows (each with its depth: 0 category, 1 item, 2 sub-item)
 * that are turned back into the tree on save; a curve is edited as text `min~max:points; …`.
 */
import type { Category, CurveStep, ItemKind, StandardInput } from '@/api/assessment';

export type Row = {
  depth: 0 | 1 | 2;
  code: string;
  title: string;
  maxPoints: number;
  kind: ItemKind;
  indicator: string;
  pointsPerCase: number | null;
  curve: string;
  guidance: string;
  evidence: string;
};

type Node = Omit<Category, 'children'> & { children?: Node[] };

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function curveText(curve: CurveStep[] | null | undefined): string {
  return (curve ?? []).map((s) => `${fmt(s.min)}~${fmt(s.max)}:${s.points}`).join('; ');
}

/** The curve in the text, or the index (from 0) of the first step it cannot read. */
export function parseCurve(text: string): CurveStep[] | number {
  const steps: CurveStep[] = [];
  const parts = text
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const m = /^(-?[\d.]*)\s*[~～]\s*(-?[\d.]*)\s*[:：]\s*([\d.]+)$/.exec(part);
    if (!m) return i;
    const num = (s: string) => (s === '' ? null : Number(s));
    const [min, max, points] = [num(m[1]), num(m[2]), Number(m[3])];
    if ([min, max, points].some((v) => v !== null && Number.isNaN(v))) return i;
    steps.push({ min, max, points });
  }
  return steps;
}

export function toRows(items: Node[], depth: 0 | 1 | 2 = 0): Row[] {
  return items.flatMap((item) => [
    {
      depth,
      code: item.code,
      title: item.title,
      maxPoints: item.maxPoints,
      kind: item.kind,
      indicator: item.indicator ?? '',
      pointsPerCase: item.pointsPerCase ?? null,
      curve: curveText(item.curve),
      guidance: item.guidance ?? '',
      evidence: item.evidence ?? '',
    },
    ...(item.children?.length && depth < 2 ? toRows(item.children, (depth + 1) as 1 | 2) : []),
  ]);
}

/** The tree of the rows: a row's parent is the nearest row above it one level up. Answers the row of each tree path too. */
export function toTree(rows: Row[]): { items: StandardInput['items']; rowOf: Map<string, number> } {
  const items: Node[] = [];
  const rowOf = new Map<string, number>();
  const stack: { node: Node; path: string }[] = [];
  rows.forEach((row, index) => {
    const curve = row.kind === 'indicator' && row.curve.trim() ? parseCurve(row.curve) : null;
    const node: Node = {
      code: row.code.trim(),
      title: row.title.trim(),
      maxPoints: row.maxPoints,
      kind: row.kind,
      indicator: row.kind === 'manual' ? null : row.indicator.trim() || null,
      pointsPerCase: row.kind === 'deduction' ? row.pointsPerCase : null,
      curve: Array.isArray(curve) ? curve : null,
      guidance: row.guidance.trim() || null,
      evidence: row.evidence.trim() || null,
    };
    stack.length = Math.min(stack.length, row.depth);
    const parent = stack[row.depth - 1];
    let path: string;
    if (row.depth === 0 || !parent) {
      path = `items.${items.length}`;
      items.push(node);
    } else {
      parent.node.children ??= [];
      path = `${parent.path}.children.${parent.node.children.length}`;
      parent.node.children.push(node);
    }
    rowOf.set(path, index);
    stack[row.depth] = { node, path };
  });
  return { items: items as StandardInput['items'], rowOf };
}

export const newRow = (depth: 0 | 1 | 2, code: string): Row => ({
  depth,
  code,
  title: '',
  maxPoints: 0,
  kind: 'manual',
  indicator: '',
  pointsPerCase: null,
  curve: '',
  guidance: '',
  evidence: '',
});

/** The rows that belong under row `index` (its children and their children). */
export function subtreeEnd(rows: Row[], index: number): number {
  let end = index + 1;
  while (end < rows.length && rows[end].depth > rows[index].depth) end++;
  return end;
}
