#!/usr/bin/env node
// `npx safeforest …`: the compiled CLI (built by `npm ci`) in this process, or the TypeScript
// source through tsx when it has not been built.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/main.js', import.meta.url);
if (fs.existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const require = createRequire(import.meta.url);
  const tsx = require.resolve('tsx/cli');
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const result = spawnSync(process.execPath, [tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
