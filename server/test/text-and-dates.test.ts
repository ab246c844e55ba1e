import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_SHEET_COLUMNS } from '../src/modules/sites/sites.schema.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The one problem of a 400: its field path and message. */
async function refusal(res: { statusCode: number; json(): { error: { code: string; details: { path: string; message: string }[] } } }) {
  expect(res.statusCode).toBe(400);
  const { error } = res.json();
  expect(error.code).toBe('validation_failed');
  return error.details[0];
}

describe('text PostgreSQL cannot store is refused at the edge with a 400 naming the field', () => {
  it('in a body: a site name holding U+0000', async () => {
    const hongta = await t.unit('530402');
    const res = await t.post('hongta', '/api/sites', {
      name: 'a\u0000b',
      kind: 'police_post',
      orgUnitId: hongta.id,
      location: { type: 'Point', coordinates: [102.55, 24.35] },
    });
    expect(await refusal(res)).toEqual({ path: 'body.name', message: expect.stringMatching(/U\+0000/) });
  });

  it('in a query, on every kind of filter', async () => {
    const cases: [string, string, string][] = [
      ['hongta', '/api/sites?q=a%00b', 'querystring.q'],
      ['admin', '/api/audit?actor=x%00', 'querystring.actor'],
      ['admin', '/api/audit?entity=%00', 'querystring.entity'],
      ['hongta', '/api/positions?uniqueId=YX%0053', 'querystring.uniqueId'],
      ['hongta', '/api/devices?q=%00', 'querystring.q'],
      ['hongta', '/api/sites?kind=%00', 'querystring.kind'],
    ];
    for (const [as, url, path] of cases) expect((await refusal(await t.get(as, url))).path, url).toBe(path);
  });

  it('in a path parameter', async () => {
    expect((await refusal(await t.get('hongta', '/api/sites/a%00b'))).path).toBe('params.id');
  });

  it('a lone surrogate in the note of an SOS, and U+0000 in a key of a body', async () => {
    const sos = await t.post('ranger1', '/api/me/sos', { lon: 102.55, lat: 24.35, note: 'help \ud800' });
    expect((await refusal(sos)).path).toBe('body.note');
    const report = await t.post('ranger1', '/api/field-reports', { kind: 'other', lon: 102.55, lat: 24.35, 'x\u0000y': 1 });
    expect((await refusal(report)).path).toBe('body.xy');
    expect((await t.get(null, '/api/health')).statusCode).toBe(200);
  });

  it('a site import cell holding U+0000 (written _x0000_ in the workbook) is a row problem', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('站点');
    sheet.addRow(SITE_SHEET_COLUMNS.map((c) => c.header));
    const row: Record<string, unknown> = { 名称: '坏_x0000_名', 类型: '林区警务站', 所属单位编码: '530402001', 经度: 102.55, 纬度: 24.35 };
    sheet.addRow(SITE_SHEET_COLUMNS.map((c) => row[c.header] ?? null));
    const job = await importSites(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(job).toMatchObject({ state: 'failed', problems: [{ row: 2, field: '名称', message: expect.stringMatching(/U\+0000/) }] });
  });
});

describe('one date reader for the API', () => {
  const dateFilters: [string, string][] = [
    ['admin', '/api/audit?'],
    ['hongta', '/api/patrols?'],
    ['hongta', '/api/field-reports?'],
    ['hongta', '/api/alerts?'],
    ['hongta', '/api/positions?uniqueId=YX5304020001&'],
  ];

  it('a year out of range is a 400 on the field, on every list with a date filter', async () => {
    for (const [as, url] of dateFilters) {
      const problem = await refusal(await t.get(as, `${url}from=99999-01-01`));
      expect(problem, url).toEqual({ path: 'querystring.from', message: 'year 99999 is outside 1900–2200' });
    }
  });

  it('a day that is not on the calendar is a 400, not rolled over into March', async () => {
    for (const [as, url] of dateFilters) {
      const problem = await refusal(await t.get(as, `${url}to=2026-02-30`));
      expect(problem, url).toEqual({ path: 'querystring.to', message: 'no such date: 2026-02-30' });
    }
    expect((await t.get('hongta', '/api/patrols?from=2026-02-28T00:00:00Z&to=2026-03-01')).statusCode).toBe(200);
  });

  it('the ranger page cannot store a fix dated 9999 or 30 February', async () => {
    const fix = (fixTime: string) => ({ fixes: [{ fixTime, lon: 102.55, lat: 24.35 }] });
    expect((await refusal(await t.post('ranger1', '/api/me/positions', fix('9999-01-01T00:00:00Z')))).path).toBe('body.fixes.0.fixTime');
    expect(await refusal(await t.post('ranger1', '/api/me/positions', fix('2026-02-30T08:00:00+08:00')))).toEqual({
      path: 'body.fixes.0.fixTime',
      message: 'no such date: 2026-02-30',
    });
    const dayAhead = new Date(Date.now() + 25 * 3600_000).toISOString();
    expect((await refusal(await t.post('ranger1', '/api/me/positions', fix(dayAhead)))).message).toMatch(/more than a day in the future/);
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM positions WHERE fix_time > now() + interval '1 day' OR fix_time < '2000-01-01'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('a body date is read the same way: a mobile checkpoint active from 30 February is refused', async () => {
    const hongta = await t.unit('530402');
    const res = await t.post('hongta', '/api/sites', {
      name: '流动检查点',
      kind: 'mobile_checkpoint',
      orgUnitId: hongta.id,
      location: { type: 'Point', coordinates: [102.55, 24.35] },
      activeFrom: '2026-02-30',
      activeTo: '2026-05-01',
    });
    expect(await refusal(res)).toEqual({ path: 'body.activeFrom', message: 'no such date: 2026-02-30' });
  });

  it('the site import refuses 2026-02-30 and a year 99999, naming row and column', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('站点');
    sheet.addRow(SITE_SHEET_COLUMNS.map((c) => c.header));
    const base = { 类型: '流动检查点', 所属单位编码: '530402001', 经度: 102.55, 纬度: 24.35 };
    const rows: Record<string, unknown>[] = [
      { ...base, 名称: '检查点一', 启用时间: '2026-02-30', 停用时间: '2026-05-01' },
      { ...base, 名称: '检查点二', 启用时间: '2026-01-01', 停用时间: '99999-01-01' },
    ];
    for (const row of rows) sheet.addRow(SITE_SHEET_COLUMNS.map((c) => row[c.header] ?? null));
    const job = await importSites(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(job.state).toBe('failed');
    expect(job.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, field: '启用时间', message: 'no such date: 2026-02-30' }),
        expect.objectContaining({ row: 3, field: '停用时间', message: 'year 99999 is outside 1900–2200' }),
      ]),
    );
  });
});

async function importSites(data: Buffer) {
  const boundary = '----safeforest-test';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sites.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.request('hongta', {
    method: 'POST',
    url: '/api/sites/import',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  expect(res.statusCode).toBe(202);
  const { jobId } = res.json();
  const me = (await t.get('hongta', '/api/auth/me')).json();
  await t.jobs.settled(me.id, jobId);
  return (await t.get('hongta', `/api/jobs/${jobId}`)).json();
}
