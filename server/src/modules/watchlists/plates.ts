/**
 * Chinese vehicle plates as SafeForest stores and compares them (docs: shared design formats,
 * "Chinese vehicle plates"): the province character, the office letter and 5 characters, or 6 for
 * new-energy vehicles (`云FA2345`, `云FD12345`). The dot is display only. Operators searching a
 * misread plate type `?` for one unknown character; a search may end in `*` for any rest.
 */

/** Characters a plate may hold: Han characters (province, 学, 警, 挂, 港, 澳…), capital letters and digits. */
const PLATE_CHARS = /^[\p{Script=Han}A-Z0-9]+$/u;

/** A plate as stored and compared: no dots, spaces or dashes, Latin letters in capitals (full-width ones too). */
export function normalizePlate(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s·•.\-_]/g, '')
    .toUpperCase();
}

/** Length in characters (code points), the unit plates are counted in. */
export const plateLength = (plate: string) => [...plate].length;

/** Why a normalized plate cannot be a captured plate, or null. */
export function plateProblem(plate: string): string | null {
  const n = plateLength(plate);
  if (n < 2 || n > 10) return 'a plate has 2 to 10 characters';
  if (!PLATE_CHARS.test(plate)) return 'a plate holds Chinese characters, capital letters and digits only';
  return null;
}

/** The fewest known characters a watchlist pattern keeps, so that no pattern watches every vehicle. */
export const PATTERN_MIN_KNOWN = 4;

/** Why a normalized watchlist entry (a plate, or a pattern with `?`) is not one, or null. */
export function entryProblem(entry: string): string | null {
  const n = plateLength(entry);
  if (n < 4 || n > 10) return 'a plate or pattern has 4 to 10 characters';
  const known = entry.replace(/\?/g, '');
  if (known && !PLATE_CHARS.test(known)) return 'a plate holds Chinese characters, capital letters, digits and ? for an unknown one';
  if (plateLength(known) < PATTERN_MIN_KNOWN) return `a pattern keeps at least ${PATTERN_MIN_KNOWN} known characters`;
  return null;
}

/** Whether an entry is a pattern (has unknown characters). */
export const isPattern = (entry: string) => entry.includes('?');

/** Whether a plate matches a pattern of the same length, `?` standing for any one character. */
export function matchesPattern(pattern: readonly string[], plate: string): boolean {
  const chars = [...plate];
  if (chars.length !== pattern.length) return false;
  for (let i = 0; i < chars.length; i++) if (pattern[i] !== '?' && pattern[i] !== chars[i]) return false;
  return true;
}

/** Why a normalized search (`云F?2345`, `云F12*`) is not one, or null. */
export function searchProblem(query: string): string | null {
  const n = plateLength(query);
  if (n < 1 || n > 10) return 'search 1 to 10 characters';
  const known = query.replace(/[?*]/g, '');
  if (known && !PLATE_CHARS.test(known))
    return 'a plate holds Chinese characters, capital letters, digits, ? for one unknown character and * for any rest';
  if (query.indexOf('*') >= 0 && query.indexOf('*') !== query.length - 1) return '* stands only at the end (any rest of the plate)';
  return null;
}

/**
 * A search as a SQL LIKE pattern: `?` is `_`, a trailing `*` (or `prefix`) is `%`. Plates hold no
 * `%`, `_` or `\`, so nothing else needs escaping. Answers null for an exact plate (compared with `=`).
 */
export function likePatternOf(query: string, prefix: boolean): string | null {
  const open = query.endsWith('*');
  const body = open ? query.slice(0, -1) : query;
  if (!open && !prefix && !body.includes('?')) return null;
  return `${body.replace(/\?/g, '_')}${open || prefix ? '%' : ''}`;
}
