/**
 * The server words an import's failure and its row problems in English (the API's language);
 * the dialog shows them in the UI language. Each pattern matches one sentence the server writes
 * (`platform/sheet-import.ts`, the registers' row checks, the cell readers' zod messages) and
 * names the i18n key of `common.import.messages` that says it, with the parts it carries. A
 * sentence no pattern knows is shown as the server wrote it.
 */
type Pattern = [RegExp, string, ...string[]];

const PATTERNS: Pattern[] = [
  [/^The file is not an Excel workbook \(\.xlsx\)$/, 'notWorkbook'],
  [/^Columns missing from the first row$/, 'columnsMissing'],
  [/^The sheet has no rows$/, 'noRows'],
  [/^At most (\d+) rows per import$/, 'tooManyRows', 'max'],
  [/^(\d+) problems in (\d+) rows; nothing was imported$/, 'rowsFailed', 'problems', 'rows'],
  [/^(\d+) (?:sites|cameras) imported$/, 'imported', 'count'],
  [/^column missing$/, 'columnMissing'],
  [/^no org unit (.+) in your area$/, 'noUnit', 'code'],
  [/^the location lies outside the area of (.+)$/, 'outsideUnit', 'unit'],
  [/^the location lies outside your area$/, 'outsideArea'],
  [/^another camera is registered with this id$/, 'idTaken'],
  [/^no site (.+) in your area$/, 'noSite', 'name'],
  [/^(\d+) sites are named (.+): leave the cell empty and link the site in the form$/, 'siteAmbiguous', 'count', 'name'],
  [/^the same id as row (\d+)$/, 'idRepeated', 'row'],
  [/^a number cell: format the column as text and type the 20 digits again$/, 'idAsNumber'],
  [/^a GB\/T 28181 id is 20 digits$/, 'idDigits'],
  [/^the first two digits \((\d+)\) are no province/, 'idProvince', 'digits'],
  [/^the first six digits \((\d+)\) are no administrative division code$/, 'idDivision', 'digits'],
  [/^digits 11–13 \((\d+)\) are no camera device type/, 'idType', 'digits'],
  [/^Invalid option: expected one of /, 'notOneOf'],
  [/^Invalid input: expected (?:string|number), received undefined$/, 'required'],
  [/^Invalid input: expected number, received NaN$/, 'notNumber'],
  [/^Too big: expected string to have <=(\d+) characters$/, 'tooLong', 'max'],
  [/^Too small: expected string to have >=1 characters$/, 'required'],
  [/^Too big: expected number to be <=(-?[\d.]+)$/, 'tooLarge', 'max'],
  [/^Too small: expected number to be >=(-?[\d.]+)$/, 'tooSmall', 'min'],
  [/^Invalid URL$|^a URL \(/, 'notUrl'],
  [/^text must not contain U\+0000/, 'unstorable'],
  [/^no such date: (.+)$/, 'noSuchDate', 'date'],
  [/^no such time of day: (.+)$/, 'noSuchTime', 'time'],
  [/^year (-?\d+) is outside (\d+)–(\d+)$/, 'yearOutside', 'year', 'earliest', 'latest'],
  [/^not a UTC offset: (.+)$/, 'notOffset', 'offset'],
  [/^expected a date-time such as /, 'notDateTime'],
  [/^the end of the active period is before its start$/, 'endBeforeStart'],
  [/^digits, spaces and \+ - \( \) only$/, 'phone'],
  [/^a timber checkpoint has grade 1 or 2$/, 'gradeNeeded'],
  [/^only timber checkpoints have a grade$/, 'gradeNotAllowed'],
  [/^a mobile checkpoint needs the (start|end) of its active period$/, 'mobilePeriod'],
];

type Translate = (key: string, params: Record<string, string>) => string;

/** The server's sentence in the UI language (through `t`), or as written when it is not one the dialog knows. */
export function importMessage(message: string, t: Translate): string {
  for (const [pattern, key, ...names] of PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, match[i + 1]]));
    return t(`common.import.messages.${key}`, params);
  }
  return message;
}
