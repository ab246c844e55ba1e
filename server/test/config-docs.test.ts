import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../src/config.js';

/** The variables named in the first column of README's configuration table. */
function readmeVariables(): string[] {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration'));
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]);
}

describe('configuration documentation', () => {
  it("README's configuration table lists exactly the variables the server reads", () => {
    const documented = readmeVariables();
    expect({
      undocumented: CONFIG_VARIABLES.filter((v) => !documented.includes(v)),
      documentedButUnread: documented.filter((v) => !CONFIG_VARIABLES.includes(v)),
    }).toEqual({ undocumented: [], documentedButUnread: [] });
  });
});
