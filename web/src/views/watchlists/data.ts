/** What the watchlist pages declare: state tags, the form's defaults and its conversion to the API. */
import type { CreateWatchlistInput, WatchlistState } from '@/api/watchlists';

type TagType = 'danger' | 'warning' | 'info' | 'success' | 'primary';

export const STATE_TAG: Record<WatchlistState, TagType> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  revoked: 'info',
};

export interface WatchlistForm {
  name: string;
  reason: string;
  period: [Date, Date] | null;
  /** One plate or pattern a line (? for an unknown character). */
  plates: string;
}

export const emptyForm = (): WatchlistForm => {
  const from = new Date();
  return { name: '', reason: '', period: [from, new Date(from.getTime() + 30 * 86_400_000)], plates: '' };
};

/** The plates typed, one a line (commas and spaces also separate them). */
export const platesOf = (text: string) =>
  text
    .split(/[\n,，;；]+/)
    .map((p) => p.trim())
    .filter(Boolean);

export function toCreateBody(f: WatchlistForm): CreateWatchlistInput {
  return {
    name: f.name.trim(),
    reason: f.reason.trim(),
    validFrom: (f.period?.[0] ?? new Date()).toISOString(),
    validTo: (f.period?.[1] ?? new Date()).toISOString(),
    entries: platesOf(f.plates).map((plate) => ({ plate })),
  };
}
