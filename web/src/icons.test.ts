import fs from 'node:fs';
import path from 'node:path';
import * as AllIcons from '@element-plus/icons-vue';
import { describe, expect, it } from 'vitest';
import * as ICONS from './icons';

const SRC = path.dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(vue|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Icon names a source mentions: as a tag, an `icon`/`prefix-icon` prop, a route's `icon:` or a quoted name. */
function iconNamesIn(text: string): string[] {
  const known = new Set(Object.keys(AllIcons));
  const names = [
    ...text.matchAll(/<([A-Z][A-Za-z]+)[\s/>]/g),
    ...text.matchAll(/'([A-Z][A-Za-z]+)'/g),
    ...text.matchAll(/icon="([A-Z][A-Za-z]+)"/g),
  ].map((m) => m[1]);
  return names.filter((n) => known.has(n));
}

describe('icons registered by name', () => {
  it('every icon a page names is registered', () => {
    const missing = sources(SRC).flatMap((file) =>
      iconNamesIn(fs.readFileSync(file, 'utf8'))
        .filter((name) => !(name in ICONS))
        .map((name) => `${path.relative(SRC, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('a name the check knows about is found in a template', () => {
    expect(iconNamesIn('<el-button icon="Plus" /><el-icon><Bell /></el-icon>')).toEqual(['Bell', 'Plus']);
  });
});
