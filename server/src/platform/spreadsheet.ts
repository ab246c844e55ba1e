import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { AppError } from './errors.js';

const inflateRawAsync = promisify(inflateRaw);

/** ExcelJS is large to load: it is imported by the first export or import, not at every start. */
const excel = async () => (await import('exceljs')).default;

export type CellValue = string | number | boolean | Date | null;

/** One column of a register as it appears in a spreadsheet: its header and how a record fills it. */
export type SheetColumn<Row> = { header: string; width?: number; value(row: Row): CellValue };

/** Writes records as a one-sheet workbook with a bold, frozen header row. */
export async function writeWorkbook<Row>(sheetName: string, columns: SheetColumn<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const workbook = new (await excel()).Workbook();
  workbook.creator = 'SafeForest';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export type SheetRow = { rowNumber: number; cells: Record<string, CellValue> };

/**
 * How large the parts of a workbook may be once inflated. A register of ten thousand rows is a
 * few megabytes of sheet XML; a zip bomb of a few hundred kilobytes can inflate to gigabytes and
 * take the server's memory while being parsed.
 */
export const MAX_WORKBOOK_INFLATED_BYTES = 30 * 1024 * 1024;
const MAX_WORKBOOK_ENTRIES = 2_000;

type ZipEntry = { name: string; method: number; compressedSize: number; uncompressedSize: number; localHeader: number };

/** The entries of a zip's central directory, or null when the data is not a zip. */
function zipEntries(data: Buffer): ZipEntry[] | null {
  const lowest = Math.max(0, data.length - 22 - 0xffff);
  for (let end = data.length - 22; end >= lowest; end--) {
    if (data.readUInt32LE(end) !== 0x06054b50) continue;
    const count = data.readUInt16LE(end + 10);
    let at = data.readUInt32LE(end + 16);
    const entries: ZipEntry[] = [];
    for (let i = 0; i < count; i++) {
      if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
      const nameLength = data.readUInt16LE(at + 28);
      entries.push({
        name: data.toString('utf8', at + 46, at + 46 + nameLength),
        method: data.readUInt16LE(at + 10),
        compressedSize: data.readUInt32LE(at + 20),
        uncompressedSize: data.readUInt32LE(at + 24),
        localHeader: data.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    }
    return entries;
  }
  return null;
}

/**
 * Refuses (413, naming the file) a workbook that would inflate past MAX_WORKBOOK_INFLATED_BYTES,
 * before anything parses it: first by the sizes its directory declares, then by inflating each
 * part with a hard output limit, since those sizes can lie. Data that is not a zip passes; the
 * parser reports it.
 */
export async function assertWorkbookSize(data: Buffer, fileName: string): Promise<void> {
  const tooLarge = () =>
    new AppError(413, 'too_large', `${fileName} inflates to more than ${MAX_WORKBOOK_INFLATED_BYTES / 1024 / 1024} MB`, [
      { path: 'body.file', message: `${fileName}: more than ${MAX_WORKBOOK_INFLATED_BYTES / 1024 / 1024} MB once unpacked` },
    ]);
  const entries = zipEntries(data);
  if (!entries) return;
  if (entries.length > MAX_WORKBOOK_ENTRIES) throw tooLarge();
  let budget = MAX_WORKBOOK_INFLATED_BYTES;
  for (const entry of entries) {
    if (entry.uncompressedSize > budget) throw tooLarge();
    budget -= entry.uncompressedSize;
  }
  budget = MAX_WORKBOOK_INFLATED_BYTES;
  for (const entry of entries) {
    const local = entry.localHeader;
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) return;
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const compressed = data.subarray(start, start + entry.compressedSize);
    let size = compressed.length;
    if (entry.method === 8) {
      try {
        size = (await inflateRawAsync(compressed, { maxOutputLength: budget + 1 })).length;
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge();
        return; // a damaged part: the parser says the file is no workbook
      }
    }
    if (size > budget) throw tooLarge();
    budget -= size;
  }
}

/**
 * Reads the first sheet: the first row names the columns, every later non-empty row becomes a
 * record keyed by header. Rich text, formulas and hyperlinks are reduced to their plain value.
 */
export async function readWorkbook(data: Buffer): Promise<{ headers: string[]; rows: SheetRow[] }> {
  await assertWorkbookSize(data, 'workbook');
  const workbook = new (await excel()).Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [] };
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    headers[column - 1] = String(plain(cell.value) ?? '').trim();
  });
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, CellValue> = {};
    let empty = true;
    headers.forEach((header, i) => {
      if (!header) return;
      const value = plain(row.getCell(i + 1).value);
      const cleaned = typeof value === 'string' ? value.trim() || null : value;
      if (cleaned !== null) empty = false;
      cells[header] = cleaned;
    });
    if (!empty) rows.push({ rowNumber, cells });
  });
  return { headers, rows };
}

function plain(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return plain(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return null;
  }
  return String(value);
}
