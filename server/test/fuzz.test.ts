import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiDocument, type Doc, type Leaf, type Path } from './api-document.js';
import { createTestApp, type TestApp } from './harness.js';

/**
 * Every route of the API document, every parameter and every text or date field of every body,
 * fed what attackers and broken clients send: U+0000, unpaired surrogates, years far outside any
 * calendar, days that do not exist, and broken multipart. Nothing may answer 5xx, nothing may end
 * the process, and the database must still answer afterwards.
 *
 * Kept to about a thousand requests so the whole suite still runs on two cores: text goes into
 * every parameter (or every text field of a body) at once — the first one refused is enough to
 * show the request never reaches the database — and each date field gets every bad date alone.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Text nothing may answer with a 5xx: U+0000 and surrogates without their pair. */
const BAD_TEXT = ['a\u0000b', '\ud800', 'x\udc00y'];
/** Dates nothing may answer with a 5xx: far years, days that do not exist, beyond what JavaScript holds. */
const BAD_DATES = ['99999-01-01', '2026-02-30', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:01Z', '0000-00-00T25:61:61+99:99'];
/** Text in a query string: a lone surrogate can only arrive there as bytes that are not UTF-8. */
const BAD_QUERY_TEXT = ['a%00b', '%ED%A0%80', '%C0%80'];
const BAD_PATH_VALUES = ['a%00b', '%ED%A0%80', '99999999999999999999999'];
/** Operations left out: they end the caller's own session. */
const SKIPPED = new Set(['signOut', 'changePassword']);

describe('fuzzing every route of the API document', () => {
  it('answers no 5xx to NUL, lone surrogates, impossible dates and broken multipart, and the database still answers', async () => {
    const crashes: unknown[] = [];
    const onCrash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();
    const send = async (as: string, label: string, options: InjectOptions) => {
      requests++;
      const res = await t.request(as, options);
      if (res.statusCode >= 500) failures.push(`${label} → ${res.statusCode} ${res.body.slice(0, 160)}`);
      else if (res.statusCode >= 400 && String(res.headers['content-type']).includes('json') && !res.json().error?.code) {
        failures.push(`${label} → ${res.statusCode} without the error shape`);
      }
    };
    try {
      const api = new ApiDocument(t.app.swagger() as unknown as Doc);
      for (const op of api.operations()) {
        if (SKIPPED.has(op.operationId) || op.template === '/api/live') continue;
        // The ranger page's own routes answer only a ranger; everything else the administrator may call.
        const as = op.template.startsWith('/api/me/') ? 'ranger1' : 'admin';
        const { method } = op;
        const url = op.url();
        const label = (what: string) => `${op.operationId} ${what}`;

        for (const p of op.parameters.filter((x) => x.in === 'path')) {
          for (const bad of BAD_PATH_VALUES) await send(as, label(`path ${p.name}=${bad}`), { method, url: op.url([p.name, bad]) });
        }

        const queryParams = op.parameters.filter((x) => x.in === 'query');
        // The usual names too, for routes that read their query themselves (OsmAnd).
        const names = [...new Set([...queryParams.map((p) => p.name), 'from', 'to', 'q', 'id'])];
        for (const bad of [...BAD_QUERY_TEXT, ...BAD_DATES.slice(0, 2).map(encodeURIComponent)]) {
          await send(as, label(`query *=${bad}`), { method, url: `${url}?${names.map((n) => `${n}=${bad}`).join('&')}` });
        }
        for (const p of queryParams.filter((x) => api.isDate(x.schema))) {
          for (const bad of BAD_DATES)
            await send(as, label(`query ${p.name}=${bad}`), { method, url: `${url}?${p.name}=${encodeURIComponent(bad)}` });
        }

        if (op.multipart) {
          for (const [what, options] of brokenMultipart(method, url)) await send(as, label(what), options);
          continue;
        }
        if (method === 'GET' || method === 'DELETE') continue;
        const leaves: Leaf[] = [];
        const base = op.jsonBody ? api.sample(op.jsonBody, leaves) : { note: 'x' };
        const json = (body: unknown): InjectOptions => ({
          method,
          url,
          payload: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        const every = leaves.map((l) => l.path);
        for (const bad of [...BAD_TEXT, ...BAD_DATES.slice(0, 2)])
          await send(as, label(`body *=${JSON.stringify(bad)}`), json(replaced(base, every, bad)));
        for (const leaf of leaves.filter((l) => l.date)) {
          for (const bad of BAD_DATES) await send(as, label(`body ${leaf.path.join('.')}=${bad}`), json(replaced(base, [leaf.path], bad)));
        }
        if (base && typeof base === 'object' && !Array.isArray(base))
          await send(as, label('body key with U+0000'), json({ ...base, 'k\u0000': 'v' }));
        // What the document cannot describe: the bodies of device protocols and batches.
        await send(as, label('body: an array of bad text'), json(['a\u0000', '\ud800', { 'x\u0000': '\udc00', fixTime: BAD_DATES[0] }]));
        for (const [what, options] of brokenMultipart(method, url).slice(0, 2)) await send(as, label(what), options);
      }

      console.log(`fuzz: ${requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(requests).toBeGreaterThan(500);
      expect(failures).toEqual([]);
      expect(crashes).toEqual([]);
      expect((await t.get(null, '/api/health')).statusCode).toBe(200);
      const { rows } = await t.database.pool.query<{ n: number }>('SELECT $1::int AS n', [7]);
      expect(rows[0].n).toBe(7);
    } finally {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    }
  }, 180_000);
});

/** `body` with the value at each of `paths` replaced by `bad`. */
function replaced(body: unknown, paths: Path[], bad: unknown): unknown {
  if (paths.some((p) => p.length === 0)) return bad;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  for (const path of paths) {
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]] = bad;
  }
  return copy;
}

/** Uploads that no browser sends: no boundary, a cut-off body, a file name holding U+0000, no file field, garbage. */
function brokenMultipart(method: InjectOptions['method'], url: string): [string, InjectOptions][] {
  const boundary = '----safeforest-fuzz';
  const part = (headers: string, data: string) => `--${boundary}\r\n${headers}\r\n\r\n${data}\r\n`;
  const multipart = (payload: string | Buffer, type = `multipart/form-data; boundary=${boundary}`): InjectOptions => ({
    method,
    url,
    payload,
    headers: { 'content-type': type },
  });
  const file = (disposition: string, type: string, data: string) =>
    multipart(`${part(`Content-Disposition: form-data; name="file"; ${disposition}\r\nContent-Type: ${type}`, data)}--${boundary}--\r\n`);
  return [
    ['multipart without a boundary', multipart('--x\r\n\r\n', 'multipart/form-data')],
    [
      'multipart cut off in a part',
      multipart(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004`),
    ],
    ['multipart with a file name holding U+0000', file('filename="a\u0000b.png"', 'image/png', 'x')],
    [
      'multipart with an encoded file name holding U+0000 and bad UTF-8',
      file("filename*=UTF-8''a%00b%ED%A0%80.pdf", 'application/pdf', '%PDF-1.4'),
    ],
    ['multipart without a file field', multipart(`${part('Content-Disposition: form-data; name="other"', 'a\u0000b')}--${boundary}--\r\n`)],
    ['multipart of garbage bytes', multipart(Buffer.from([0, 255, 254, 0, 13, 10, 45, 45]))],
  ];
}
