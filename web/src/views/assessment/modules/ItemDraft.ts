import type { DeductionCase, EntryItem } from '@/api/assessment';

/** What the form holds for one scored item while it is being filled in. */
export type ItemDraft = {
  points: number | null;
  note: string;
  reason: string;
  evidenceFileIds: string[];
  cases: DeductionCase[];
};
export type FormMode = 'self' | 'review' | 'read';

/** A deduction item whose cases the unit lists itself (none counted by an indicator). */
export const listsCases = (item: EntryItem) => item.kind === 'deduction' && !item.indicator;

/** The points a computed item's indicator gives, when it gives any. */
export const computedPoints = (item: EntryItem) => (item.computed?.status === 'ok' ? item.computed.points : null);

/** The points a deduction earns from its listed cases: the maximum less the points per case, down to zero. */
export const pointsFromCases = (item: EntryItem, cases: DeductionCase[]) =>
  Math.max(0, item.maxPoints - cases.length * (item.pointsPerCase ?? 0));

export function draftFor(item: EntryItem, mode: FormMode): ItemDraft {
  if (mode === 'review')
    return {
      points: item.review?.points ?? item.self?.points ?? null,
      note: item.review?.note ?? '',
      reason: item.review?.reason ?? '',
      evidenceFileIds: [],
      cases: [],
    };
  return {
    points: item.self?.points ?? computedPoints(item),
    note: item.self?.note ?? '',
    reason: item.self?.reason ?? '',
    evidenceFileIds: [...(item.self?.evidenceFileIds ?? [])],
    cases: (item.self?.cases ?? []).map((c) => ({ ...c })),
  };
}

/** Whether the figure differs from what it is compared with (the indicator's, or the self score) and so needs a reason. */
export function needsReason(item: EntryItem, draft: ItemDraft, mode: FormMode): boolean {
  if (draft.points === null) return false;
  const expected = mode === 'review' ? (item.self?.points ?? null) : listsCases(item) ? null : computedPoints(item);
  return expected !== null && Math.abs(expected - draft.points) > 1e-9;
}
