import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { cstMonth } from '../../platform/dates.js';
import { monthPartition } from './captures.partitions.js';
import { createS3SnapshotStore } from './captures.store.js';
import { type Checkpoint, capture, checkpointsOf, WHOLE_JPEG } from './captures.test-helpers.js';

let t: TestApp;
let hongta: Checkpoint[];
let jiangchuan: Checkpoint[];
const MINUTE = 60_000;
const ingest = (as: string, body: unknown) => t.post(as, '/api/ingest/captures', body);
const search = (as: string, query: string) => t.get(as, `/api/captures?${query}`);
const plates = (res: { json(): { items: { plate: string }[] } }) => res.json().items.map((c) => c.plate);

beforeAll(async () => {
  t = await createTestApp();
  hongta = await checkpointsOf(t, '530402');
  jiangchuan = await checkpointsOf(t, '530403');
  await t.addAccount('kakou-hongta', ['captures:ingest'], '530402');
});
afterAll(() => t?.close());

describe('capture ingest', () => {
  it('stores a batch, counts repeats as duplicates (also within one batch) and a single capture sent alone', async () => {
    const at = new Date(Date.now() - 10 * MINUTE);
    const batch = [
      capture(hongta[0].id, '云F·A0001', at, { lane: 2, speed: 48.5 }),
      capture(hongta[0].id, '云FA0002', at),
      capture(hongta[0].id, '云FA0002', at),
    ];
    expect((await ingest('kakou-hongta', batch)).json()).toEqual({ stored: 2, duplicates: 1, hits: 0 });
    expect((await ingest('kakou-hongta', batch)).json()).toEqual({ stored: 0, duplicates: 3, hits: 0 });
    const single = await ingest('kakou', capture(hongta[1].id, '云FA0001', at, { plateColor: 'yellow', direction: 'out' }));
    expect(single.json()).toEqual({ stored: 1, duplicates: 0, hits: 0 });
    const found = (await search('hongta', 'plate=云FA0001')).json();
    expect(found.total).toBe(2);
    expect(found.items.find((c: { checkpointId: string }) => c.checkpointId === hongta[0].id)).toMatchObject({
      plate: '云FA0001',
      plateColor: 'blue',
      vehicleType: '小型轿车',
      direction: 'in',
      lane: 2,
      speed: 48.5,
      countyCode: '530402',
      checkpointName: hongta[0].name,
      hasSnapshot: false,
    });
  });

  it('refuses a malformed batch whole, naming the item and field, and stores none of it', async () => {
    const at = new Date(Date.now() - 5 * MINUTE);
    const good = capture(hongta[0].id, '云FB0001', at);
    const refused = async (bad: Record<string, unknown>, field: string, status = 400) => {
      const res = await ingest('kakou-hongta', [good, { ...good, plate: '云FB0002', ...bad }]);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(`body.1.${field}`);
    };
    await refused({ plate: '云F<B0002' }, 'plate');
    await refused({ plateColor: '蓝' }, 'plateColor');
    await refused({ direction: 'up' }, 'direction');
    await refused({ at: '2026-02-30T08:00:00' }, 'at');
    await refused({ at: new Date(Date.now() + 3600_000).toISOString() }, 'at');
    await refused({ snapshot: 'not base64!' }, 'snapshot');
    await refused({ snapshot: Buffer.from('<html>hello</html>').toString('base64') }, 'snapshot');
    await refused({ snapshot: WHOLE_JPEG.subarray(0, 20).toString('base64') }, 'snapshot');
    await refused({ checkpointId: '00000000-0000-0000-0000-000000000000' }, 'checkpointId', 404);
    // Another county's checkpoint is unknown to 红塔区's platform; a site that is no checkpoint too.
    await refused({ checkpointId: jiangchuan[0].id }, 'checkpointId', 404);
    const { rows } = await t.database.pool.query<{ id: string }>("SELECT id FROM sites WHERE kind = 'police_station' LIMIT 1");
    await refused({ checkpointId: rows[0].id }, 'checkpointId', 404);
    expect((await search('hongta', 'plate=云FB0001')).json().total).toBe(0);
    expect((await ingest('kakou-hongta', [])).statusCode).toBe(400);
    // Only a checkpoint platform's account pushes captures.
    expect((await ingest('hongta', [good])).statusCode).toBe(403);
  });

  it('keeps the snapshot in the store, not the row, and serves it to who sees the capture', async () => {
    const at = new Date(Date.now() - 3 * MINUTE);
    const res = await ingest('kakou-hongta', [capture(hongta[0].id, '云FC0001', at, { snapshot: WHOLE_JPEG.toString('base64') })]);
    expect(res.json().stored).toBe(1);
    const [c] = (await search('hongta', 'plate=云FC0001')).json().items;
    expect(c.hasSnapshot).toBe(true);
    const picture = await t.get('police1', `/api/captures/${c.id}/snapshot`);
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/jpeg');
    expect(picture.rawPayload.equals(WHOLE_JPEG)).toBe(true);
    expect((await t.get('jiangchuan', `/api/captures/${c.id}/snapshot`)).statusCode).toBe(404);
    const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
    expect(fs.readdirSync(path.join(t.dataDir, 'captures', day, hongta[0].id))).toHaveLength(1);
    const { rows } = await t.database.pool.query('SELECT snapshot_key FROM captures WHERE id = $1', [c.id]);
    expect(rows[0].snapshot_key).toMatch(new RegExp(`^${day}/${hongta[0].id}/[0-9a-f]{32}\\.jpg$`));
  });
});

describe('searching captures', () => {
  beforeAll(async () => {
    const at = Date.now() - 60 * MINUTE;
    const seen = (cp: Checkpoint, plate: string, minutes: number, extra: Record<string, unknown> = {}) =>
      capture(cp.id, plate, new Date(at + minutes * MINUTE), extra);
    await ingest('kakou', [
      seen(hongta[0], '云FD1234', 0),
      seen(hongta[1], '云FD1234', 20, { direction: 'out' }),
      seen(jiangchuan[0], '云FD1234', 40),
      seen(hongta[0], '云FD1235', 1, { plateColor: 'green', vehicleType: '新能源轿车' }),
      seen(hongta[0], '云FE1234', 2, { plateColor: 'yellow', vehicleType: '重型货车' }),
      seen(hongta[0], '云FD12345', 3, { plateColor: 'green' }),
      seen(jiangchuan[0], '云FD1299', 4),
    ]);
  });

  it('finds a plate exactly, by prefix, and with ? for unknown characters', async () => {
    expect(plates(await search('city', 'plate=云FD1234'))).toEqual(['云FD1234', '云FD1234', '云FD1234']);
    expect(new Set(plates(await search('city', 'plate=云FD12&match=prefix')))).toEqual(
      new Set(['云FD1234', '云FD1235', '云FD12345', '云FD1299']),
    );
    expect(new Set(plates(await search('city', 'plate=云FD12*')))).toEqual(new Set(['云FD1234', '云FD1235', '云FD12345', '云FD1299']));
    expect(new Set(plates(await search('city', `plate=${encodeURIComponent('云F?1234')}`)))).toEqual(new Set(['云FD1234', '云FE1234']));
    expect(new Set(plates(await search('city', `plate=${encodeURIComponent('云FD12?5')}`)))).toEqual(new Set(['云FD1235']));
    // Known ends longer than known starts are searched on the reversed plate too, character by character.
    expect(new Set(plates(await search('city', `plate=${encodeURIComponent('云??1234')}`)))).toEqual(new Set(['云FD1234', '云FE1234']));
    expect(new Set(plates(await search('city', `plate=${encodeURIComponent('?FD1234')}`)))).toEqual(new Set(['云FD1234']));
    const bad = await search('city', 'plate=云F*12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.plate');
  });

  it('filters by colour, vehicle type, direction, checkpoint and time window; newest first', async () => {
    expect(plates(await search('city', 'plate=云FD12*&plateColor=green'))).toEqual(['云FD12345', '云FD1235']);
    expect(plates(await search('city', `vehicleType=${encodeURIComponent('重型货车')}&plate=云F*`))).toEqual(['云FE1234']);
    const out = (await search('city', 'plate=云FD1234&direction=out')).json().items;
    expect(out.map((c: { checkpointId: string }) => c.checkpointId)).toEqual([hongta[1].id]);
    expect((await search('city', `plate=云FD1234&checkpointId=${jiangchuan[0].id}`)).json().total).toBe(1);
    const first = (await search('city', 'plate=云FD1234')).json().items;
    const from = new Date(new Date(first[2].capturedAt).getTime() + 1).toISOString();
    expect((await search('city', `plate=云FD1234&from=${encodeURIComponent(from)}`)).json().total).toBe(2);
    expect(new Date(first[0].capturedAt).getTime()).toBeGreaterThan(new Date(first[1].capturedAt).getTime());
  });

  it('a county sees the captures at its own checkpoints only', async () => {
    const own = (await search('hongta', 'plate=云FD1234')).json();
    expect(own.total).toBe(2);
    expect((await search('jiangchuan', 'plate=云FD1234')).json().total).toBe(1);
    expect((await search('ranger1', 'plate=云FD1234')).statusCode).toBe(403);
  });

  it('follows a vehicle through the checkpoints as a timeline and a path', async () => {
    const res = await t.get('city', '/api/captures/passages?plate=云F·D1234');
    expect(res.statusCode, res.body).toBe(200);
    const track = res.json();
    expect(track.passages.map((p: { checkpointId: string }) => p.checkpointId)).toEqual([hongta[0].id, hongta[1].id, jiangchuan[0].id]);
    const line = track.path.features.find((f: { geometry: { type: string } }) => f.geometry.type === 'LineString');
    expect(line.geometry.coordinates).toEqual(
      [
        [hongta[0].lon, hongta[0].lat],
        [hongta[1].lon, hongta[1].lat],
        [jiangchuan[0].lon, jiangchuan[0].lat],
      ].map(([lon, lat]) => [expect.closeTo(lon, 6), expect.closeTo(lat, 6)]),
    );
    expect((await t.get('hongta', '/api/captures/passages?plate=云FD1234')).json().passages).toHaveLength(2);
  });

  it('exports the search as a workbook', async () => {
    const res = await t.get('hongta', '/api/captures/export?plate=云FD12*');
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('号牌');
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r[1]).sort()).toEqual(['云FD1234', '云FD1234', '云FD12345', '云FD1235']);
    expect(rows.find((r) => r[1] === '云FD1235')?.[2]).toBe('绿');
  });
});

describe('monthly partitions and retention', () => {
  const partitionsNow = async () =>
    (
      await t.database.pool.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'captures' ORDER BY 1",
      )
    ).rows.map((r) => r.name);
  const whereIs = async (plate: string) =>
    (await t.database.pool.query<{ p: string }>('SELECT tableoid::regclass::text AS p FROM captures WHERE plate = $1', [plate])).rows.map(
      (r) => r.p,
    );

  it('this month and the next two have partitions; a capture of long ago goes to the default one, never refused', async () => {
    const names = await partitionsNow();
    for (const ahead of [0, 1, 2]) expect(names).toContain(monthPartition(cstMonth(new Date()), ahead).name);
    expect(names).toContain('captures_default');
    const old = new Date(Date.now() - 3 * 365 * 86_400_000);
    expect((await ingest('kakou', [capture(hongta[0].id, '云FZ0001', old)])).json().stored).toBe(1);
    expect(await whereIs('云FZ0001')).toEqual(['captures_default']);
    expect((await search('hongta', 'plate=云FZ0001')).json().total).toBe(1);
  });

  it('a month that gets its partition later takes its captures out of the default partition', async () => {
    // Last month is within retention but has no partition yet (only this month and the next two are made ahead).
    const lastMonth = monthPartition(cstMonth(new Date()), -1);
    expect(await partitionsNow()).not.toContain(lastMonth.name);
    const early = new Date(lastMonth.from.getTime() + 3600_000);
    // A capture that reached the default partition (stored while the month had none).
    await t.database.pool.query(
      `INSERT INTO captures (checkpoint_id, org_unit_id, county_code, plate, plate_color, direction, captured_at)
       SELECT id, org_unit_id, '530402', '云FZ0002', 'blue', 'in', $2 FROM sites WHERE id = $1`,
      [hongta[0].id, early],
    );
    expect(await whereIs('云FZ0002')).toEqual(['captures_default']);
    const res = await ingest('kakou', [capture(hongta[0].id, '云FZ0003', new Date(early.getTime() + 1000))]);
    expect(res.json().stored).toBe(1);
    expect(await whereIs('云FZ0002')).toEqual([lastMonth.name]);
    expect(await whereIs('云FZ0003')).toEqual([lastMonth.name]);
  });

  it('the purge drops months past the retention and snapshots past theirs', async () => {
    const ancient = monthPartition({ year: 2020, month: 1 });
    await t.database.pool.query(
      `CREATE TABLE ${ancient.name} PARTITION OF captures FOR VALUES FROM ('${ancient.from.toISOString()}') TO ('${ancient.to.toISOString()}')`,
    );
    const oldDay = path.join(t.dataDir, 'captures', '2020', '01', '05', hongta[0].id);
    fs.mkdirSync(oldDay, { recursive: true });
    fs.writeFileSync(path.join(oldDay, 'x.jpg'), WHOLE_JPEG);
    const res = await t.post('admin', '/api/captures/purge');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().droppedPartitions).toEqual([ancient.name]);
    expect(await partitionsNow()).not.toContain(ancient.name);
    expect(res.json().deletedCaptures).toBeGreaterThanOrEqual(1); // 云FZ0001, three years old, in the default partition
    expect(res.json().deletedSnapshots).toBe(1);
    expect(fs.existsSync(oldDay)).toBe(false);
    expect(await whereIs('云FZ0001')).toEqual([]);
    expect((await t.post('hongta', '/api/captures/purge')).statusCode).toBe(403);
  });

  it('retention is a setting; snapshots are never kept longer than captures', async () => {
    expect((await t.get('city', '/api/settings/captures')).json()).toEqual({ retentionDays: 365, snapshotRetentionDays: 90 });
    const bad = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/captures',
      payload: { retentionDays: 60, snapshotRetentionDays: 90 },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/captures',
      payload: { retentionDays: 400, snapshotRetentionDays: 30 },
    });
    expect(ok.json()).toEqual({ retentionDays: 400, snapshotRetentionDays: 30 });
  });
});

describe('an S3-compatible snapshot store', () => {
  it('puts, gets and deletes old days of snapshots on a server speaking S3 (s3rver)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeforest-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'snapshots' }] });
    const { port } = await server.run();
    try {
      const store = createS3SnapshotStore({
        endpoint: `http://127.0.0.1:${port}`,
        bucket: 'snapshots',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        prefix: 'safeforest',
      });
      await store.put('2026/01/02/cp/a.jpg', WHOLE_JPEG);
      await store.put('2026/03/04/cp/b.jpg', WHOLE_JPEG);
      expect((await store.get('2026/01/02/cp/a.jpg'))?.equals(WHOLE_JPEG)).toBe(true);
      expect(await store.get('2026/01/02/cp/missing.jpg')).toBeNull();
      expect(await store.deleteDaysBefore('2026/03/01')).toBe(1);
      expect(await store.get('2026/01/02/cp/a.jpg')).toBeNull();
      expect((await store.get('2026/03/04/cp/b.jpg'))?.length).toBe(WHOLE_JPEG.length);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
