/** What `plainArray` writes without quoting: numbers, booleans, times, and text known to need none (uuids, digit codes). */
export type PlainValue = string | number | boolean | Date | null;

/**
 * A PostgreSQL array literal (`{1.5,NULL,t}`) of values that never need quoting — numbers,
 * booleans, uuids, ISO times — sent as one text parameter and cast in SQL. The driver would
 * otherwise escape every element of every column of a 10,000-row batch one by one. Free text and
 * JSON keep the driver's escaping. `pick` reads each value from its item, so a column of a batch
 * is written without building an array of it first.
 */
export function plainArray<T>(items: readonly T[], pick: (item: T) => PlainValue): string;
export function plainArray(values: readonly PlainValue[]): string;
export function plainArray<T>(items: readonly T[], pick?: (item: T) => PlainValue): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    const v = pick ? pick(items[i]) : (items[i] as PlainValue);
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) out += 'NULL';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (v instanceof Date) out += v.toISOString();
    else out += v;
  }
  return `${out}}`;
}
