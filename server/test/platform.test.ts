import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedClientFiles } from '../src/tools/generated-client.js';
import { testDatabaseMode } from './databases.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the platform', () => {
  it('reports health and which database it runs on', async () => {
    const res = await t.get(null, '/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: testDatabaseMode() });
    expect(res.json().postgis).toMatch(/^3\./);
  });

  it('answers unknown API paths with the error shape', async () => {
    const res = await t.get('city', '/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('publishes the OpenAPI document with every operation named', async () => {
    const doc = (await t.get(null, '/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((p) =>
      Object.values(p),
    );
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.filter((o) => !o.operationId)).toEqual([]);
    // Uploads document their form, though their handlers read the multipart stream themselves.
    for (const path of ['/api/files', '/api/sites/import']) {
      expect(doc.paths[path].post.requestBody.content['multipart/form-data'].schema.required, path).toEqual(['file']);
    }
  });

  it("keeps the web client's generated types in step with the API (run npm run gen:api)", async () => {
    for (const file of await generatedClientFiles(t.database)) {
      expect(fs.readFileSync(file.path, 'utf8'), `${file.path} is stale: run npm run gen:api`).toBe(file.content);
    }
  });
});
