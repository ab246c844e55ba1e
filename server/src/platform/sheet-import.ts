/**
 * What every spreadsheet import of a register shares: the columns a sheet has (the export's
 * layout, header and field), reading the cells through a zod schema, and the three ways an import
 * fails before anything is written (not a workbook, a required column missing, no rows or too
 * many). Each problem names its row and column, as an office fixes it in the sheet.
 */
import { z } from 'zod';
import { checkDate, readDateTime } from './dates.js';
import type { JobProblem } from './jobs.js';
import { readWorkbook, type SheetRow } from './spreadsheet.js';
import { isStorableText, UNSTORABLE_MESSAGE } from './text.js';

/** A column of an import sheet: its header in the first row and the field it fills. */
export type ImportColumn = { readonly header: string; readonly field: string };

/** Why a sheet cannot be imported at all, with the problems found (a job's failure). */
export type ImportFailure = { failed: true; message: string; problems?: JobProblem[] };

export const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** A spreadsheet cell as text (numbers typed into a text column are taken as written), refused when PostgreSQL cannot store it. */
export const cellText = <T extends z.ZodType>(inner: T) =>
  z
    .preprocess((v) => (isBlank(v) ? undefined : String(v).trim()), inner)
    .refine((v) => typeof v !== 'string' || isStorableText(v), UNSTORABLE_MESSAGE);

/** A spreadsheet cell as a number (text holding a number is accepted). */
export const cellNumber = <T extends z.ZodType>(inner: T) =>
  z.preprocess((v) => (isBlank(v) ? undefined : typeof v === 'string' ? Number(v.trim()) : v), inner);

/** A spreadsheet cell as a date: a date cell, or text the API's date reader takes. */
export const cellDate = z.unknown().transform((v, ctx) => {
  if (isBlank(v)) return undefined;
  const reading = v instanceof Date ? checkDate(v) : readDateTime(String(v));
  if (reading.ok) return reading.date;
  ctx.addIssue({ code: 'custom', message: reading.message });
  return z.NEVER;
});

/** Accepts a code or its Chinese label (`木材检查站` or `timber_checkpoint`). */
export function labelled<T extends string>(labels: Record<T, string>) {
  const byLabel = new Map(Object.entries(labels).map(([code, label]) => [label as string, code]));
  return (v: unknown) => (typeof v === 'string' ? (byLabel.get(v.trim()) ?? v.trim()) : v);
}

/** The workbook's first sheet, or why it cannot be imported (not a workbook, required columns missing, empty, too long). */
export async function readImportSheet(
  data: Buffer,
  columns: readonly ImportColumn[],
  required: readonly string[],
  maxRows: number,
): Promise<{ headers: string[]; rows: SheetRow[] } | ImportFailure> {
  let sheet: Awaited<ReturnType<typeof readWorkbook>>;
  try {
    sheet = await readWorkbook(data);
  } catch {
    return { failed: true, message: 'The file is not an Excel workbook (.xlsx)' };
  }
  const missing = columns.filter((c) => required.includes(c.field) && !sheet.headers.includes(c.header));
  if (missing.length)
    return {
      failed: true,
      message: 'Columns missing from the first row',
      problems: missing.map((c) => ({ row: 1, field: c.header, message: 'column missing' })),
    };
  if (sheet.rows.length === 0) return { failed: true, message: 'The sheet has no rows' };
  if (sheet.rows.length > maxRows) return { failed: true, message: `At most ${maxRows} rows per import` };
  return sheet;
}

/** Each row read through the sheet's schema: the rows that parse, and a problem per failed cell (named by its header). */
export function parseImportRows<S extends z.ZodType>(rows: SheetRow[], columns: readonly ImportColumn[], schema: S) {
  const headerOf = new Map(columns.map((c) => [c.field, c.header]));
  const problems: JobProblem[] = [];
  const parsed: { rowNumber: number; row: z.infer<S> }[] = [];
  for (const { rowNumber, cells } of rows) {
    const candidate = Object.fromEntries(columns.map((c) => [c.field, cells[c.header] ?? null]));
    const result = schema.safeParse(candidate);
    if (result.success) parsed.push({ rowNumber, row: result.data });
    else
      for (const issue of result.error.issues) {
        const field = String(issue.path[0]);
        problems.push({ row: rowNumber, field: headerOf.get(field) ?? field, message: issue.message });
      }
  }
  return { parsed, problems, headerOf: (field: string) => headerOf.get(field) ?? field };
}

/** The failure of an import whose rows have problems: all of them, by row; nothing is written. */
export function rowsFailed(problems: JobProblem[]): ImportFailure {
  problems.sort((a, b) => a.row - b.row);
  return {
    failed: true,
    problems,
    message: `${problems.length} problems in ${new Set(problems.map((p) => p.row)).size} rows; nothing was imported`,
  };
}
