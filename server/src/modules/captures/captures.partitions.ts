/**
 * The monthly partitions of `captures`, by month of capture time in China Standard Time (UTC+8,
 * no daylight saving). Partitions are created ahead (this month and the next two) when the module
 * first stores or searches, and on demand for a month a batch needs; a capture of a month that has
 * none (far in the past, or a camera clock years ahead) goes to the default partition, so no
 * capture is ever refused for lack of one.
 */
import { cstMonth, cstMonthStart } from '../../platform/dates.js';
import type { MonthPartition } from './captures.repo.js';

/** The partition of a month, `months` after it (negative: before). */
export function monthPartition(at: { year: number; month: number }, months = 0): MonthPartition {
  const index = at.year * 12 + (at.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const from = cstMonthStart(year, month);
  const to = cstMonthStart(year, month + 1);
  return { name: `captures_p${year}_${String(month).padStart(2, '0')}`, from, to };
}

/** The partition a capture time belongs in. */
export const partitionOf = (at: Date) => monthPartition(cstMonth(at));

/** The partitions made ahead: this month and the next `ahead`. */
export function partitionsAhead(now: Date, ahead = 2): MonthPartition[] {
  const month = cstMonth(now);
  return Array.from({ length: ahead + 1 }, (_, i) => monthPartition(month, i));
}

/** Whether a month gets its own partition on demand: from the retention cutoff to a month ahead of now. */
export function partitionWanted(p: MonthPartition, now: Date, retentionDays: number): boolean {
  return p.to.getTime() > now.getTime() - retentionDays * 86_400_000 && p.from.getTime() <= now.getTime() + 31 * 86_400_000;
}

/** The end of a monthly partition, read from its name. */
export function partitionEnd(name: string): Date | null {
  const m = /^captures_p(\d{4})_(\d{2})$/.exec(name);
  return m ? monthPartition({ year: Number(m[1]), month: Number(m[2]) }).to : null;
}
