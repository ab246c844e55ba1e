import ExcelJS from 'exceljs';

export type CellValue = string | number | boolean | Date | null;

/** One column of a register as it appears in a spreadsheet: its header and how a record fills it. */
export type SheetColumn<Row> = { header: string; width?: number; value(row: Row): CellValue };

/** Writes records as a one-sheet workbook with a bold, frozen header row. */
export async function writeWorkbook<Row>(sheetName: string, columns: SheetColumn<Row>[], rows: Iterable<Row>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'SafeForest';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export type SheetRow = { rowNumber: number; cells: Record<string, CellValue> };

/**
 * Reads the first sheet: the first row names the columns, every later non-empty row becomes a
 * record keyed by header. Rich text, formulas and hyperlinks are reduced to their plain value.
 */
export async function readWorkbook(data: Buffer): Promise<{ headers: string[]; rows: SheetRow[] }> {
  const workbook = new ExcelJS.Workbook();
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
