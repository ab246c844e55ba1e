/**
 * Filters a list page takes from its address (`/incidents?orgUnitId=12&from=…&to=…`): links from
 * elsewhere (an indicator's records, a dashboard figure) open the list already filtered. Lists are
 * comma-separated or repeated; anything unreadable is ignored.
 */
import type { LocationQuery } from 'vue-router';

const first = (value: LocationQuery[string]): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** A positive integer (an org unit id), or undefined. */
export function queryId(query: LocationQuery, key: string): number | undefined {
  const n = Number(first(query[key]));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A value out of `allowed`, or undefined. */
export function queryOneOf<T extends string>(query: LocationQuery, key: string, allowed: readonly T[]): T | undefined {
  const v = first(query[key]);
  return v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Every value of a list parameter (`a,b` or `?k=a&k=b`). */
export function queryList(query: LocationQuery, key: string): string[] {
  const raw = query[key];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  return values.flatMap((v) => v.split(',')).filter(Boolean);
}

/** `from` and `to` as a date range when both are readable instants. */
export function queryRange(query: LocationQuery): [Date, Date] | null {
  const from = new Date(first(query.from) ?? '');
  const to = new Date(first(query.to) ?? '');
  return Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) ? null : [from, to];
}

/** Whether the address names any of these filters. */
export const queryNames = (query: LocationQuery, keys: readonly string[]) => keys.some((k) => query[k] !== undefined);
