import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Operation = { operationId: string; method: string; path: string };

/** Every operation of the API document, with its path parameters filled by `value`. */
async function operations(): Promise<Operation[]> {
  const doc = (await t.get(null, '/api/openapi.json')).json() as { paths: Record<string, Record<string, { operationId: string }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ operationId: op.operationId, method: method.toUpperCase(), path })),
  );
}

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

/**
 * Bad input never makes a 500: every route of the API is called as the administrator with
 * malformed JSON, a body of the wrong shape, nonsense query parameters and malformed ids.
 */
describe('bad input on every route', () => {
  it('answers 4xx with the error shape, never 5xx', async () => {
    const failures: string[] = [];
    const ops = (await operations()).filter((o) => !['signOut', 'changePassword'].includes(o.operationId));
    expect(ops.length).toBeGreaterThan(40);
    for (const op of ops) {
      for (const id of ['not-an-id', '00000000-0000-0000-0000-000000000000', '-1', '999999999']) {
        const url = fill(op.path, id);
        const attempts =
          op.method === 'GET' || op.method === 'DELETE'
            ? [{ url: `${url}?page=-1&pageSize=abc&from=yesterday&bbox=1,2&kind=%00&limit=1e99&month=2026-13&date=x` }, { url }]
            : [
                { url, payload: '{"name":', headers: { 'content-type': 'application/json' } },
                {
                  url,
                  payload: JSON.stringify({ name: [1, 2], location: 'here', lon: 'x', version: -1, fixes: 'none' }),
                  headers: { 'content-type': 'application/json' },
                },
                { url, payload: JSON.stringify([null, 1, 'x']), headers: { 'content-type': 'application/json' } },
                { url, payload: 'a=b&c', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
              ];
        for (const attempt of attempts) {
          const res = await t.request('admin', { method: op.method as 'GET', ...attempt });
          if (res.statusCode >= 500) failures.push(`${op.method} ${attempt.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (res.statusCode >= 400 && !res.json().error?.code)
            failures.push(`${op.method} ${attempt.url} → ${res.statusCode} without the error shape`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('what a 400 says', () => {
  it('names the field and says how to write a date that did not parse', async () => {
    const res = await t.get('hongta', '/api/positions?uniqueId=YX5304020001&from=yesterday');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'querystring.from', message: expect.stringMatching(/a date-time such as 2026-/) }]);
  });
});
