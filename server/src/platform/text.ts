/**
 * Text PostgreSQL cannot store. `text` and `jsonb` refuse U+0000, and a UTF-16 surrogate without
 * its pair is no character at all: `pg` would silently write it as U+FFFD, and `jsonb` refuses its
 * `\ud800` escape. Every request is checked for both before validation (`installTextGuard`), so a
 * module cannot forget it; device protocols, which must not lose a fix over one stray attribute,
 * clean such text instead (`storableText`).
 */

// U+0000, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what is looked for
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when PostgreSQL can store `text` as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** `text` with U+0000 removed and each unpaired surrogate replaced by U+FFFD (as a UTF-8 decoder would). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replace(UNSTORABLE_ALL, (c) => (c === '\u0000' ? '' : '\ufffd'));
}

/** Why a text is refused, for the 400 that names its field. */
export const UNSTORABLE_MESSAGE = 'text must not contain U+0000 or unpaired UTF-16 surrogates';

/**
 * The path of the first string (value or object key) in `value` that PostgreSQL cannot store,
 * or null. Arrays and objects are walked to any depth, without recursion, so a deeply nested body
 * cannot exhaust the stack.
 */
export function findUnstorableText(value: unknown): string[] | null {
  type Visit = { value: unknown; key: string | null; parent: Visit | null };
  const pathOf = (visit: Visit, last?: string) => {
    const path: string[] = last === undefined ? [] : [last];
    for (let v: Visit | null = visit; v && v.key !== null; v = v.parent) path.unshift(v.key);
    return path;
  };
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    const current = visit.value;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return pathOf(visit);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: String(i), parent: visit });
    } else if (typeof current === 'object' && current !== null && !Buffer.isBuffer(current)) {
      const entries = Object.entries(current);
      for (const [key] of entries) if (!isStorableText(key)) return pathOf(visit, storableText(key));
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: visit });
    }
  }
  return null;
}
