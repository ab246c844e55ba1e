import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointIn, rangerOfAccount, type TestRanger } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';

let t: TestApp;
let ranger: TestRanger;
let neighbourGrid: { id: number };
let jiangchuanGrid: { id: number };

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

async function upload(as: string, data: Buffer, fileName: string): Promise<string> {
  const boundary = '----safeforest-reports';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.request(as, {
    method: 'POST',
    url: '/api/files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  t = await createTestApp();
  ranger = await rangerOfAccount(t, 'ranger1');
  neighbourGrid = await t.unit('53040200102');
  jiangchuanGrid = await t.unit('53040300101');
});
afterAll(() => t.close());

describe('a ranger reports from the field', () => {
  it('reports with a photo; the report belongs to the grid where it is, and the county sees it live', async () => {
    const live = await t.listen('hongta', ['reports']);
    const elsewhere = await t.listen('jiangchuan', ['reports']);
    const photoFileId = await upload('ranger1', PNG, '火情隐患.png');
    const [lon, lat] = await pointIn(t, neighbourGrid.id);
    const res = await t.post('ranger1', '/api/field-reports', { kind: 'fire_hazard', lon, lat, note: '林下可燃物堆积', photoFileId });
    expect(res.statusCode).toBe(201);
    const report = res.json();
    expect(report).toMatchObject({
      kind: 'fire_hazard',
      rangerId: ranger.id,
      rangerName: ranger.name,
      orgUnitId: neighbourGrid.id,
      location: { type: 'Point', coordinates: [expect.closeTo(lon, 6), expect.closeTo(lat, 6)] },
      note: '林下可燃物堆积',
      photoFileId,
      status: 'new',
    });
    await expect.poll(() => live.received.length).toBeGreaterThan(0);
    expect(live.received[0]).toMatchObject({ type: 'report.created', topic: 'reports', report: { id: report.id, kind: 'fire_hazard' } });
    await elsewhere.settle();
    expect(elsewhere.received).toEqual([]);
    live.close();
    elsewhere.close();
    const audit = await t.database.pool.query('SELECT action, actor_name FROM audit_log WHERE entity_id = $1', [report.id]);
    expect(audit.rows).toEqual([{ action: 'field_report.create', actor_name: 'ranger1' }]);
  });

  it('a report outside the ranger’s county belongs to the ranger’s own unit', async () => {
    const [lon, lat] = await pointIn(t, jiangchuanGrid.id);
    const res = await t.post('ranger1', '/api/field-reports', { kind: 'wildlife', lon, lat });
    expect(res.statusCode).toBe(201);
    expect(res.json().orgUnitId).toBe(ranger.orgUnitId);
    expect((await t.get('jiangchuan', `/api/field-reports/${res.json().id}`)).statusCode).toBe(404);
  });

  it('refuses a photo that is a PDF or not the ranger’s, naming the field', async () => {
    const [lon, lat] = await pointIn(t, ranger.orgUnitId);
    const pdf = await upload('ranger1', PDF, 'a.pdf');
    const notPhoto = await t.post('ranger1', '/api/field-reports', { kind: 'pests', lon, lat, photoFileId: pdf });
    expect(notPhoto.json().error.details).toEqual([{ path: 'body.photoFileId', message: 'the file is not a photo' }]);
    const foreign = await upload('jiangchuan', PNG, 'b.png');
    const notTheirs = await t.post('ranger1', '/api/field-reports', { kind: 'pests', lon, lat, photoFileId: foreign });
    expect(notTheirs.json().error.details).toEqual([{ path: 'body.photoFileId', message: 'no such file of yours' }]);
  });

  it('bad input is a 400 with the field; officers and strangers are refused', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'ufo', lon: 102.5, lat: 24.3 }, 'body.kind'],
      [{ kind: 'pests', lon: 102.5, lat: 100 }, 'body.lat'],
      [{ kind: 'pests', lat: 24.3 }, 'body.lon'],
      [{ kind: 'pests', lon: 102.5, lat: 24.3, photoFileId: 'photo.jpg' }, 'body.photoFileId'],
      [{ kind: 'pests', lon: 102.5, lat: 24.3, reportedAt: '2999-01-01T00:00:00Z' }, 'body.reportedAt'],
      [{ kind: 'pests', lon: 102.5, lat: 24.3, note: 'x'.repeat(2001) }, 'body.note'],
    ];
    for (const [body, path] of cases) {
      const res = await t.post('ranger1', '/api/field-reports', body);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await t.post('hongta', '/api/field-reports', { kind: 'pests', lon: 102.5, lat: 24.3 })).statusCode).toBe(403);
    expect((await t.post(null, '/api/field-reports', { kind: 'pests', lon: 102.5, lat: 24.3 })).statusCode).toBe(401);
  });
});

describe('officers handling reports', () => {
  let reportId: string;
  beforeAll(async () => {
    const [lon, lat] = await pointIn(t, ranger.orgUnitId);
    reportId = (
      await t.post('ranger1', '/api/field-reports', { kind: 'illegal_logging', lon, lat, reportedAt: '2025-04-02T03:00:00Z' })
    ).json().id;
  });

  it('the county lists and filters its reports; another county sees none of them', async () => {
    const all = (await t.get('hongta', '/api/field-reports?pageSize=100')).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
    const logging = (await t.get('hongta', '/api/field-reports?kind=illegal_logging')).json();
    expect(logging.items.map((r: { id: string }) => r.id)).toEqual([reportId]);
    const april = (await t.get('hongta', '/api/field-reports?from=2025-04-01T00:00:00Z&to=2025-05-01T00:00:00Z')).json();
    expect(april.items.map((r: { id: string }) => r.id)).toEqual([reportId]);
    const inGrid = (await t.get('hongta', `/api/field-reports?orgUnitId=${neighbourGrid.id}`)).json();
    expect(inGrid.items.every((r: { orgUnitId: number }) => r.orgUnitId === neighbourGrid.id)).toBe(true);
    expect((await t.get('hongta', `/api/field-reports?rangerId=${ranger.id}&status=new&pageSize=1`)).json().items).toHaveLength(1);
    expect((await t.get('jiangchuan', '/api/field-reports?pageSize=500')).json().items.map((r: { id: string }) => r.id)).not.toContain(
      reportId,
    );
    expect((await t.get('jiangchuan', `/api/field-reports/${reportId}`)).statusCode).toBe(404);
    expect((await t.get('ranger1', '/api/field-reports')).statusCode).toBe(403);
  });

  it('a forest police officer verifies and closes a report; each change is audited', async () => {
    const verified = await t.patch('police1', `/api/field-reports/${reportId}`, { status: 'verified' });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().status).toBe('verified');
    expect((await t.patch('police1', `/api/field-reports/${reportId}`, { status: 'verified' })).statusCode).toBe(200);
    expect((await t.patch('duty', `/api/field-reports/${reportId}`, { status: 'closed' })).json().status).toBe('closed');
    const audit = await t.database.pool.query(
      `SELECT actor_name, before->>'status' AS before, after->>'status' AS after FROM audit_log WHERE entity_id = $1 AND action = 'field_report.status' ORDER BY at`,
      [reportId],
    );
    expect(audit.rows).toEqual([
      { actor_name: 'police1', before: 'new', after: 'verified' },
      { actor_name: 'duty', before: 'verified', after: 'closed' },
    ]);
  });

  it('refuses a change from an account without reports:write, an unknown status, and an id out of scope', async () => {
    expect((await t.patch('hongta', `/api/field-reports/${reportId}`, { status: 'closed' })).statusCode).toBe(403);
    const bad = await t.patch('police1', `/api/field-reports/${reportId}`, { status: 'solved' });
    expect(bad.json().error.details[0].path).toBe('body.status');
    expect((await t.patch('police1', `/api/field-reports/${crypto.randomUUID()}`, { status: 'closed' })).statusCode).toBe(404);
    expect((await t.get('hongta', '/api/field-reports?kind=ufo')).statusCode).toBe(400);
  });
});
