import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText, storableText } from './text.js';

describe('text PostgreSQL cannot store', () => {
  it('is U+0000 and a surrogate without its pair; a paired surrogate (an emoji) is fine', () => {
    expect(isStorableText('护林员 🌲')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udc00y')).toBe(false);
    expect(isStorableText('\udc00\ud800')).toBe(false);
  });

  it('is cleaned the way a UTF-8 decoder would: U+0000 dropped, a lone surrogate replaced by U+FFFD', () => {
    expect(storableText('a\u0000b\ud800c🌲')).toBe('ab\ufffdc🌲');
    expect(storableText('plain')).toBe('plain');
  });

  it('is found at any depth of a body, in values and in keys, by its path', () => {
    expect(findUnstorableText({ a: [1, { b: 'ok' }, { c: 'x\u0000' }] })).toEqual(['a', '2', 'c']);
    expect(findUnstorableText({ a: { 'k\u0000': 1 } })).toEqual(['a', 'k']);
    expect(findUnstorableText('\ud83c')).toEqual([]);
    expect(findUnstorableText({ a: ['fine', 2, null, true] })).toBeNull();
    // Deep nesting is walked without recursion.
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toHaveLength(50_000);
  });
});
