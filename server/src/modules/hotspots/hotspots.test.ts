import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFile, north } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { clusterHotspots, distanceM } from './hotspots.clustering.js';
import { modisConfidence, parseFirmsCsv, satelliteName } from './hotspots.firms.js';
import { BULLETIN_SHEET_COLUMNS } from './hotspots.schema.js';

let t: TestApp;
let hongta: { id: number; path: string };
let jiangchuan: { id: number; path: string };
/** Points inside 红塔区 and 江川区, and one well outside Yuxi (Kunming). */
let inHongta: [number, number];
let inJiangchuan: [number, number];
/** A point inside each township of 红塔区 (several km apart), so tests do not share clusters by place either. */
let hongtaPlaces: [number, number][];
const KUNMING: [number, number] = [102.71, 25.04];
/** Far from Yuxi (Heilongjiang): counted, not stored. */
const HARBIN: [number, number] = [126.63, 45.75];

const VIIRS = 'latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight';
const MODIS = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight';
const COUNTRY_VIIRS = `country_id,${VIIRS}`;

/** One VIIRS row as FIRMS writes it: latitude first, `acq_time` without zero padding. */
const viirs = ([lon, lat]: [number, number], date: string, time: string, o: { sat?: string; conf?: string; frp?: number } = {}) =>
  `${lat.toFixed(5)},${lon.toFixed(5)},331.2,0.39,0.36,${date},${time},${o.sat ?? 'N'},VIIRS,${o.conf ?? 'n'},2.0NRT,290.1,${o.frp ?? 4.5},D`;
const csv = (header: string, rows: string[]) => `${header}\n${rows.join('\n')}\n`;

/** A multipart upload of one file in field `file`, as a browser sends it. */
function multipart(name: string, content: string | Buffer, field = 'file') {
  const boundary = '----hotspots-test';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const payload = Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (as: string, name: string, content: string | Buffer, url = '/api/hotspots/import') =>
  t.request(as, { method: 'POST', url, ...multipart(name, content) });

/** The hotspots of a time window, as the account sees them. */
const listed = async (as: string, from: string, to: string, extra = '') =>
  (await t.get(as, `/api/hotspots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&pageSize=500${extra}`)).json();

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  jiangchuan = await t.unit('530403');
  inHongta = await t.pointIn('530402001');
  inJiangchuan = await t.pointIn('530403');
  const { rows } = await t.database.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(area) AS p, code FROM org_units
     WHERE kind = 'township' AND parent_id = $1 AND area IS NOT NULL ORDER BY code) q`,
    [hongta.id],
  );
  hongtaPlaces = rows.map((r) => [r.lon, r.lat]);
});
afterAll(() => t.close());

describe('reading FIRMS files', () => {
  it('reads unpadded HHMM UTC times, both VIIRS confidence spellings and the satellite codes', () => {
    const { rows, bad } = parseFirmsCsv(
      csv(VIIRS, [
        viirs([102.5, 24.3], '2026-03-01', '659', { conf: 'l' }),
        viirs([102.5, 24.3], '2026-03-01', '5', { conf: 'nominal', sat: '1' }),
        viirs([102.5, 24.3], '2026-03-01', '1432', { conf: 'HIGH', sat: 'N21' }),
      ]),
      'area.csv',
    );
    expect(bad).toEqual([]);
    expect(rows.map((r) => [r.detectedAt.toISOString(), r.confidence, r.confidenceRaw, r.satellite, r.satelliteCode])).toEqual([
      ['2026-03-01T06:59:00.000Z', 'low', 'l', 'S-NPP', 'N'],
      ['2026-03-01T00:05:00.000Z', 'nominal', 'nominal', 'NOAA-20', '1'],
      ['2026-03-01T14:32:00.000Z', 'high', 'HIGH', 'NOAA-21', 'N21'],
    ]);
    expect(rows[0]).toMatchObject({
      lon: 102.5,
      lat: 24.3,
      frp: 4.5,
      brightness: 331.2,
      instrument: 'VIIRS',
      daynight: 'D',
      dataVersion: '2.0NRT',
    });
  });

  it('reads MODIS 0–100 confidence into FIRMS’s classes and keeps the number', () => {
    const { rows } = parseFirmsCsv(
      csv(MODIS, [
        '24.30000,102.50000,320.5,1.0,1.0,2026-03-01,305,A,MODIS,29,6.1NRT,295.0,12.3,D',
        '24.30000,102.50000,320.5,1.0,1.0,2026-03-01,305,T,MODIS,30,6.1NRT,295.0,12.3,N',
        '24.30000,102.50000,320.5,1.0,1.0,2026-03-01,305,T,MODIS,80,6.1NRT,295.0,12.3,N',
      ]),
      'modis.csv',
    );
    expect(rows.map((r) => [r.satellite, r.confidence, r.confidenceRaw, r.instrument])).toEqual([
      ['Aqua', 'low', '29', 'MODIS'],
      ['Terra', 'nominal', '30', 'MODIS'],
      ['Terra', 'high', '80', 'MODIS'],
    ]);
    expect([modisConfidence(0), modisConfidence(79), modisConfidence(100), satelliteName(' t ')]).toEqual([
      'low',
      'nominal',
      'high',
      'Terra',
    ]);
  });

  it('reads a country file (its first column is country_id)', () => {
    const { rows, bad } = parseFirmsCsv(csv(COUNTRY_VIIRS, [`CHN,${viirs([102.5, 24.3], '2026-03-01', '659')}`]), 'China.csv');
    expect(bad).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lon: 102.5, lat: 24.3, satellite: 'S-NPP' });
  });

  it('reports each bad row by line and reason and keeps the good ones', () => {
    const { rows, bad } = parseFirmsCsv(
      csv(VIIRS, [
        viirs([102.5, 24.3], '2026-03-01', '659'),
        ',102.5,331.2,0.39,0.36,2026-03-01,659,N,VIIRS,n,2.0NRT,290.1,4.5,D',
        viirs([102.5, 95], '2026-03-01', '659'),
        viirs([102.5, 24.3], '2026-02-30', '659'),
        viirs([102.5, 24.3], '2026-03-01', '2460'),
        viirs([102.5, 24.3], '2026-03-01', 'noon'),
        viirs([102.5, 24.3], '2099-03-01', '659'),
        viirs([102.5, 24.3], '2026-03-01', '659', { conf: 'maybe' }),
        viirs([102.5, 24.3], '2026-03-01', '659', { sat: 'N\u0000' }),
        'abc,102.5,331.2,0.39,0.36,2026-03-01,659,N,VIIRS,n,2.0NRT,290.1,4.5,D',
      ]),
      'bad.csv',
    );
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(bad.map((b) => b.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(bad[0].reason).toBe('latitude missing');
    expect(bad[1].reason).toMatch(/latitude 95 is outside/);
    expect(bad[2].reason).toBe('no such date: 2026-02-30');
    expect(bad[3].reason).toBe('no such time of day: 2460');
    expect(bad[4].reason).toMatch(/acq_time is not HHMM/);
    expect(bad[5].reason).toMatch(/future/);
    expect(bad[6].reason).toMatch(/confidence/);
    expect(bad[7].reason).toMatch(/cannot be stored/);
    expect(bad[8].reason).toMatch(/latitude is not a number/);
    // The same as codes with their values, which the web words in the reader's language.
    expect(bad.map((b) => b.code)).toEqual([
      'missing',
      'out_of_range',
      'no_such_date',
      'no_such_time',
      'not_a_time',
      'in_future',
      'bad_confidence',
      'unstorable',
      'not_a_number',
    ]);
    expect(bad[0].params).toEqual({ column: 'latitude' });
    expect(bad[1].params).toEqual({ column: 'latitude', value: '95', range: '−90…90' });
  });

  it('refuses a file whose header is not FIRMS’s, naming the file', () => {
    expect(() => parseFirmsCsv('name,lon,lat\nx,1,2\n', 'cameras.csv')).toThrow(/cameras\.csv/);
  });
});

describe('clustering: 1 km and 6 h', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 2, 1) + h * 3_600_000);
  const p0: [number, number] = [102.5, 24.3];
  it('joins a hotspot 900 m away within 6 h, and starts a new cluster past 1 km or past 6 h', () => {
    const near = north(p0, 900);
    const far = north(p0, 1_100);
    expect(distanceM({ lon: p0[0], lat: p0[1] }, { lon: near[0], lat: near[1] })).toBeCloseTo(900, -1);
    const ids = ['a', 'b', 'c', 'd'];
    const out = clusterHotspots(
      [
        { id: 'a', lon: p0[0], lat: p0[1], detectedAt: at(0) },
        { id: 'b', lon: near[0], lat: near[1], detectedAt: at(5.9) },
        { id: 'c', lon: far[0] + 0.02, lat: far[1], detectedAt: at(1) },
        { id: 'd', lon: p0[0], lat: p0[1], detectedAt: at(12.1) },
      ],
      [],
      () => `k-${ids.shift()}`,
    );
    expect(Object.fromEntries(out.clusterOf)).toEqual({ a: 'k-a', b: 'k-a', c: 'k-b', d: 'k-c' });
    expect(out.created.get('k-a')?.count).toBe(2);
  });

  it('joins the cluster of an earlier import', () => {
    const out = clusterHotspots(
      [{ id: 'n', lon: p0[0], lat: p0[1], detectedAt: at(3) }],
      [{ id: 'old', clusterId: 'k-old', lon: p0[0], lat: p0[1], detectedAt: at(0) }],
    );
    expect(out.clusterOf.get('n')).toBe('k-old');
    expect(out.joined.get('k-old')).toMatchObject({ added: 1 });
    expect(out.created.size).toBe(0);
  });
});

describe('importing FIRMS files', () => {
  it('stores each hotspot once, places it, marks those outside Yuxi, clusters and opens one incident per new cluster', async () => {
    const file = csv(VIIRS, [
      viirs(inHongta, '2026-03-02', '512', { conf: 'h', frp: 9.1 }),
      viirs(north(inHongta, 400), '2026-03-02', '700', { conf: 'n' }),
      viirs(inJiangchuan, '2026-03-02', '512', { conf: 'l' }),
      viirs(KUNMING, '2026-03-02', '512', { conf: 'h' }),
      viirs(inHongta, '2026-03-02', '512', { conf: 'h', frp: 9.1 }), // the same row twice in the file
      viirs(HARBIN, '2026-03-02', '512', { conf: 'h' }),
    ]);
    const res = await upload('duty', 'viirs-area.csv', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 4, duplicates: 1, outside: 2, farAway: 1, incidents: 1, clusters: 2, badRows: [] });

    const { items, total } = await listed('city', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z');
    expect(total).toBe(4);
    const hongtaSpots = items.filter((h: { countyCode: string }) => h.countyCode === '530402');
    expect(hongtaSpots).toHaveLength(2);
    expect(hongtaSpots[0].clusterId).toBe(hongtaSpots[1].clusterId);
    expect(hongtaSpots.map((h: { detectedAt: string }) => h.detectedAt).sort()).toEqual([
      '2026-03-02T05:12:00.000Z',
      '2026-03-02T07:00:00.000Z',
    ]);
    const outside = items.find((h: { countyCode: string | null }) => h.countyCode === null);
    expect(outside).toMatchObject({ satellite: 'S-NPP', confidence: 'high', clusterId: null, orgUnitId: null });
    const first = items.find(
      (h: { detectedAt: string; countyCode: string }) => h.countyCode === '530402' && h.detectedAt.endsWith('05:12:00.000Z'),
    );
    expect(first).toMatchObject({
      source: 'firms',
      satellite: 'S-NPP',
      satelliteCode: 'N',
      confidence: 'high',
      confidenceRaw: 'h',
      countyName: '红塔区',
    });
    expect(first.frp).toBeCloseTo(9.1, 3);
    expect(first.incidentId).toEqual(expect.any(String));
    // The low-confidence hotspot of 江川区 formed a cluster but opened nothing (below the default nominal).
    expect(items.find((h: { countyCode: string }) => h.countyCode === '530403').incidentId).toBeNull();

    // The incident: forest fire from the hotspot source, referring to the cluster, in 红塔区, seen by that county.
    const incidents = (await t.get('hongta', '/api/incidents?source=hotspot&pageSize=100')).json().items;
    const opened = incidents.filter((i: { sourceRef: string }) => i.sourceRef === first.clusterId);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      id: first.incidentId,
      category: 'forest_fire',
      source: 'hotspot',
      status: 'new',
      countyCode: '530402',
    });
    expect(new Date(opened[0].reportedAt).toISOString()).toBe('2026-03-02T05:12:00.000Z');

    const again = await upload('duty', 'viirs-area.csv', file);
    // The far row is counted again: it was never stored, so it is not a duplicate.
    expect(again.json()).toEqual({ imported: 0, duplicates: 5, outside: 1, farAway: 1, incidents: 0, clusters: 0, badRows: [] });
    const after = (await t.get('hongta', '/api/incidents?source=hotspot&pageSize=100')).json().items;
    expect(after.filter((i: { sourceRef: string }) => i.sourceRef === first.clusterId)).toHaveLength(1);
    expect((await listed('city', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z')).total).toBe(4);
    const { rows } = await t.database.pool.query(
      `SELECT kind, imported, duplicates FROM hotspot_feed_runs WHERE source = 'viirs-area.csv' ORDER BY at`,
    );
    expect(rows).toEqual([
      { kind: 'upload', imported: 4, duplicates: 1 },
      { kind: 'upload', imported: 0, duplicates: 5 },
    ]);
  });

  it('a later pass within 1 km and 6 h joins the open cluster and opens no second incident', async () => {
    const base = hongtaPlaces[1];
    const first = await upload('duty', 'pass1.csv', csv(VIIRS, [viirs(base, '2026-03-05', '600', { conf: 'h' })]));
    expect(first.json()).toMatchObject({ imported: 1, clusters: 1, incidents: 1 });
    const second = await upload(
      'duty',
      'pass2.csv',
      csv(MODIS, [`${north(base, 800)[1].toFixed(5)},${base[0].toFixed(5)},330,1,1,2026-03-05,1130,T,MODIS,95,6.1NRT,300,40,D`]),
    );
    expect(second.json()).toMatchObject({ imported: 1, clusters: 0, incidents: 0 });
    const later = await upload('duty', 'pass3.csv', csv(VIIRS, [viirs(base, '2026-03-05', '1801', { conf: 'h', sat: '1' })]));
    expect(later.json()).toMatchObject({ imported: 1, clusters: 1, incidents: 1 });
    const spots = (await listed('hongta', '2026-03-05T00:00:00Z', '2026-03-06T00:00:00Z')).items;
    expect(new Set(spots.map((h: { clusterId: string }) => h.clusterId)).size).toBe(2);
    expect(new Set(spots.map((h: { incidentId: string }) => h.incidentId)).size).toBe(2);
  });

  it('opens incidents by the FIRMS thresholds in the settings', async () => {
    const before = (await t.get('duty', '/api/settings/hotspots')).json();
    expect(before).toEqual({ firmsMinConfidence: 'nominal', firmsMinFrpMw: 0 });
    expect((await t.request('duty', { method: 'PUT', url: '/api/settings/hotspots', payload: before })).statusCode).toBe(403);
    const put = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/hotspots',
      payload: { firmsMinConfidence: 'low', firmsMinFrpMw: 20 },
    });
    expect(put.statusCode).toBe(200);
    const p = hongtaPlaces[2];
    const res = await upload(
      'duty',
      'thresholds.csv',
      csv(VIIRS, [
        viirs(p, '2026-03-06', '100', { conf: 'l', frp: 19 }),
        viirs(hongtaPlaces[3], '2026-03-06', '100', { conf: 'l', frp: 21 }),
      ]),
    );
    expect(res.json()).toMatchObject({ imported: 2, clusters: 2, incidents: 1 });
    await t.request('admin', { method: 'PUT', url: '/api/settings/hotspots', payload: before });
    const bad = await t.request('admin', {
      method: 'PUT',
      url: '/api/settings/hotspots',
      payload: { firmsMinConfidence: 'sure', firmsMinFrpMw: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['body.firmsMinConfidence', 'body.firmsMinFrpMw']);
  });

  it('imports the good rows of a file with bad rows and names each bad line', async () => {
    const res = await upload(
      'hongta',
      'mixed.csv',
      csv(COUNTRY_VIIRS, [
        `CHN,${viirs(KUNMING, '2026-03-07', '45')}`,
        `CHN,${viirs(KUNMING, '2026-02-29', '45')}`,
        `CHN,${viirs([102.7, -91], '2026-03-07', '45')}`,
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      imported: 1,
      duplicates: 0,
      outside: 1,
      farAway: 0,
      incidents: 0,
      clusters: 0,
      badRows: [
        { line: 3, reason: 'no such date: 2026-02-29', code: 'no_such_date', params: { value: '2026-02-29' } },
        {
          line: 4,
          reason: 'latitude -91 is outside −90…90',
          code: 'out_of_range',
          params: { column: 'latitude', value: '-91', range: '−90…90' },
        },
      ],
    });
  });

  it('answers 400 naming the file for an unknown header, an unreadable CSV, no file or an empty one', async () => {
    const unknown = await upload('duty', 'people.csv', 'name,phone\n张三,123\n');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/people\.csv/);
    const broken = await upload('duty', 'broken.csv', `${VIIRS}\n"24.3,102.5\n`);
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.message).toMatch(/broken\.csv/);
    const empty = await upload('duty', 'empty.csv', '');
    expect(empty.statusCode).toBe(400);
    const json = await t.post('duty', '/api/hotspots/import', { file: 'x' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.details).toEqual([{ path: 'body.file', message: 'required' }]);
    const nul = await upload('duty', 'nul.csv', Buffer.from(`${VIIRS}\n\u0000\u0000\n`));
    expect(nul.statusCode).toBe(200);
    expect(nul.json().badRows).toHaveLength(1);
  });

  it('refuses roles without hotspots:write', async () => {
    for (const as of ['city', 'police1', 'checkpoint1', 'ranger1']) {
      const res = await upload(as, 'x.csv', csv(VIIRS, [viirs(KUNMING, '2026-03-07', '45')]));
      expect([as, res.statusCode]).toEqual([as, 403]);
    }
    expect((await t.get('ranger1', '/api/hotspots')).statusCode).toBe(403);
  });
});

describe('who sees which hotspots', () => {
  let hongtaSpot: string;
  let outsideSpot: string;
  beforeAll(async () => {
    await upload(
      'duty',
      'scope.csv',
      csv(VIIRS, [viirs(hongtaPlaces[4], '2026-03-10', '300'), viirs([KUNMING[0], KUNMING[1] + 0.1], '2026-03-10', '300')]),
    );
    const { items } = await listed('city', '2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z');
    hongtaSpot = items.find((h: { countyCode: string | null }) => h.countyCode === '530402').id;
    outsideSpot = items.find((h: { countyCode: string | null }) => h.countyCode === null).id;
  });

  it('a county sees its own hotspots only; those outside Yuxi only the city-level accounts', async () => {
    const window = ['2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z'] as const;
    expect((await listed('hongta', ...window)).items.map((h: { id: string }) => h.id)).toEqual([hongtaSpot]);
    expect((await listed('jiangchuan', ...window)).total).toBe(0);
    expect((await listed('duty', ...window)).total).toBe(2);
    expect((await t.get('jiangchuan', `/api/hotspots/${hongtaSpot}`)).statusCode).toBe(404);
    expect((await t.get('hongta', `/api/hotspots/${outsideSpot}`)).statusCode).toBe(404);
    expect((await t.get('city', `/api/hotspots/${outsideSpot}`)).statusCode).toBe(200);
    expect((await t.get('hongta', `/api/hotspots?orgUnitId=${jiangchuan.id}`)).statusCode).toBe(404);
    const byUnit = await t.get('duty', `/api/hotspots?orgUnitId=${hongta.id}&from=${window[0]}&to=${window[1]}`);
    expect(byUnit.json().total).toBe(1);
  });

  it('another county cannot assign or record the check of a county’s hotspot', async () => {
    const res = await t.post('jiangchuan', `/api/hotspots/${hongtaSpot}/check/assign`, { assigneeUnitId: jiangchuan.id });
    expect(res.statusCode).toBe(404);
    const rec = await t.post('jiangchuan', `/api/hotspots/${hongtaSpot}/check/result`, {
      result: 'false_alarm',
      checkedAt: '2026-03-10T12:00:00+08:00',
      fireOut: true,
    });
    expect(rec.statusCode).toBe(404);
    const outside = await t.post('duty', `/api/hotspots/${outsideSpot}/check/assign`, { assigneeUnitId: hongta.id });
    expect(outside.statusCode).toBe(400);
  });
});

describe('ground check (核查反馈)', () => {
  let spot: string;
  beforeAll(async () => {
    await upload('duty', 'check.csv', csv(VIIRS, [viirs(hongtaPlaces[5], '2026-03-12', '200')]));
    spot = (await listed('hongta', '2026-03-12T00:00:00Z', '2026-03-13T00:00:00Z')).items[0].id;
  });

  it('the county assigns the check, the checker records the result, and the delays are kept', async () => {
    const hongtaUser = (await t.database.pool.query(`SELECT id FROM users WHERE username = 'police1'`)).rows[0].id;
    const jiangchuanUser = (await t.database.pool.query(`SELECT id FROM users WHERE username = 'jiangchuan'`)).rows[0].id;
    const foreign = await t.post('hongta', `/api/hotspots/${spot}/check/assign`, { assigneeUserId: jiangchuanUser });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details).toEqual([{ path: 'body.assigneeUserId', message: 'no such account in your area' }]);
    const none = await t.post('hongta', `/api/hotspots/${spot}/check/assign`, {});
    expect(none.statusCode).toBe(400);
    const early = await t.post('hongta', `/api/hotspots/${spot}/check/result`, {
      result: 'forest_fire',
      checkedAt: '2026-03-12T12:00:00+08:00',
      fireOut: false,
    });
    expect(early.statusCode).toBe(409);

    const assigned = await t.post('hongta', `/api/hotspots/${spot}/check/assign`, {
      assigneeUserId: hongtaUser,
      deadline: '2026-03-12T18:00:00+08:00',
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({
      checkStatus: 'assigned',
      check: { assigneeUserName: '红塔区森林公安民警', version: 1, result: null },
    });
    expect((await listed('hongta', '2026-03-12T00:00:00Z', '2026-03-13T00:00:00Z', '&checkStatus=assigned')).total).toBe(1);
    expect((await listed('hongta', '2026-03-12T00:00:00Z', '2026-03-13T00:00:00Z', '&checkStatus=checked')).total).toBe(0);

    const jiangchuanPhoto = await createFile(t, { orgUnitId: jiangchuan.id });
    const badPhoto = await t.post('police1', `/api/hotspots/${spot}/check/result`, {
      result: 'agricultural',
      checkedAt: '2026-03-12T12:00:00+08:00',
      fireOut: true,
      photoFileIds: [jiangchuanPhoto],
    });
    expect(badPhoto.statusCode).toBe(400);
    expect(badPhoto.json().error.details[0].path).toBe('body.photoFileIds.0');
    const photo = await createFile(t, { orgUnitId: hongta.id });
    const recorded = await t.post('police1', `/api/hotspots/${spot}/check/result`, {
      result: 'agricultural',
      checkedAt: '2026-03-12T12:00:00+08:00',
      note: '烧秸秆，已劝离',
      fireOut: true,
      photoFileIds: [photo],
      version: 1,
    });
    expect(recorded.statusCode).toBe(200);
    const check = recorded.json().check;
    expect(recorded.json().checkStatus).toBe('checked');
    expect(check).toMatchObject({ result: 'agricultural', fireOut: true, photoFileIds: [photo], checkedBy: 'police1', version: 2 });
    expect(check.delayFromDetectionS).toBeGreaterThan(200 * 86_400);
    expect(check.delayFromAssignmentS).toBeGreaterThanOrEqual(0);
    const again = await t.post('hongta', `/api/hotspots/${spot}/check/assign`, { assigneeUnitId: hongta.id });
    expect(again.statusCode).toBe(409);
    const { rows } = await t.database.pool.query(`SELECT action FROM audit_log WHERE entity = 'hotspot' AND entity_id = $1 ORDER BY id`, [
      spot,
    ]);
    expect(rows.map((r) => r.action)).toEqual(['hotspot.check_assign', 'hotspot.check_record']);
  });

  it('refuses impossible input and roles without hotspots:check', async () => {
    const wrong = await t.post('hongta', `/api/hotspots/${spot}/check/result`, {
      result: 'volcano',
      checkedAt: '2026-02-30T10:00:00',
      fireOut: 'yes',
      note: 'a\u0000b',
    });
    expect(wrong.statusCode).toBe(400);
    expect((await t.post('city', `/api/hotspots/${spot}/check/assign`, { assigneeUnitId: hongta.id })).statusCode).toBe(403);
    expect((await t.post('checkpoint1', `/api/hotspots/${spot}/check/assign`, { assigneeUnitId: hongta.id })).statusCode).toBe(403);
    expect((await t.get('hongta', '/api/hotspots/not-an-id')).statusCode).toBe(400);
    const dates = await t.get('hongta', '/api/hotspots?from=2026-02-30&to=2026-13-01');
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.details.map((d: { path: string }) => d.path)).toEqual(['querystring.from', 'querystring.to']);
  });
});

describe('China’s bulletin hotspots', () => {
  const bulletin = (location: [number, number], extra: Record<string, unknown> = {}) => ({
    bulletinNumber: '2026-0315-01',
    detectedAt: '2026-03-15T13:40:00+08:00',
    satellite: 'FY-3D/MERSI',
    placeText: '云南省玉溪市红塔区',
    location: { type: 'Point', coordinates: location },
    pixelCount: 3,
    smoke: true,
    landClass: 'forest',
    ...extra,
  });

  it('a hotspot of 3 pixels entered by hand opens an incident at once; 2 pixels does not; the same one twice is a conflict', async () => {
    const p = hongtaPlaces[6];
    const res = await t.post('hongta', '/api/hotspots/bulletins', bulletin(p));
    expect(res.statusCode).toBe(201);
    expect(res.json().summary).toMatchObject({ imported: 1, incidents: 1 });
    expect(res.json().hotspot).toMatchObject({
      source: 'bulletin',
      pixelCount: 3,
      landClass: 'forest',
      smoke: true,
      countyCode: '530402',
      confidence: null,
    });
    expect((await t.post('hongta', '/api/hotspots/bulletins', bulletin(p))).statusCode).toBe(409);
    const small = await t.post(
      'hongta',
      '/api/hotspots/bulletins',
      bulletin(hongtaPlaces[7], { pixelCount: 2, bulletinNumber: '2026-0315-02' }),
    );
    expect(small.json().summary).toMatchObject({ imported: 1, incidents: 0 });
  });

  it('a county enters hotspots of its own area only; bad fields are named', async () => {
    const res = await t.post('hongta', '/api/hotspots/bulletins', bulletin(inJiangchuan));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'body.location', message: 'the location lies outside your area' }]);
    const bad = await t.post(
      'hongta',
      '/api/hotspots/bulletins',
      bulletin(inHongta, { landClass: '森林', pixelCount: 0, detectedAt: '2026-02-30' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['body.detectedAt', 'body.landClass', 'body.pixelCount']);
  });

  it('imports a bulletin workbook, reporting bad rows; the export in the same layout re-imports as duplicates', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('热点');
    sheet.addRow(BULLETIN_SHEET_COLUMNS.map((c) => c.header));
    const p = hongtaPlaces[0];
    sheet.addRow(['B-1', '2026-03-16 14:05', 'NOAA-20/VIIRS', '红塔区', p[0], p[1], 4, '有', '林地']);
    sheet.addRow(['B-2', '2026-02-30 14:05', 'NOAA-20/VIIRS', '红塔区', p[0], p[1], 4, '有', '林地']);
    sheet.addRow(['B-3', '2026-03-16 14:05', 'NOAA-20/VIIRS', '外地', KUNMING[0], KUNMING[1], 5, '无', '耕地']);
    sheet.addRow(['B-4', '2026-03-16 14:05', 'NOAA-20/VIIRS', '', p[0], 99, 4, '有', '沙漠']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload('hongta', 'bulletin.xlsx', data, '/api/hotspots/bulletins/import');
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ imported: 2, duplicates: 0, outside: 1, incidents: 1 });
    expect(summary.badRows.map((b: { line: number }) => b.line)).toEqual([3, 5]);
    expect(summary.badRows[1].reason).toMatch(/纬度.*地类|地类.*纬度/);
    expect(summary.badRows[1]).toMatchObject({ code: 'bad_cells', params: { columns: expect.stringMatching(/纬度.*地类|地类.*纬度/) } });

    const exported = await t.get('duty', '/api/hotspots/export?source=bulletin&from=2026-03-16T00:00:00Z&to=2026-03-17T00:00:00Z');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(back.worksheets[0].getRow(1).values).toEqual(expect.arrayContaining(BULLETIN_SHEET_COLUMNS.map((c) => c.header)));
    expect(back.worksheets[0].rowCount).toBe(3);
    const reimport = await upload('duty', 'export.xlsx', exported.rawPayload, '/api/hotspots/bulletins/import');
    expect(reimport.json()).toMatchObject({ imported: 0, duplicates: 2, badRows: [] });
    const notExcel = await upload('duty', 'notes.xlsx', 'hello', '/api/hotspots/bulletins/import');
    expect(notExcel.statusCode).toBe(400);
  });
});

describe('the map layer', () => {
  it('carries the age bucket of each hotspot (6 h, 24 h, 7 d) and leaves older ones out', async () => {
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000);
    const rowAt = (d: Date, p: [number, number]) =>
      viirs(p, d.toISOString().slice(0, 10), `${d.getUTCHours()}${String(d.getUTCMinutes()).padStart(2, '0')}`);
    const res = await upload(
      'duty',
      'recent.csv',
      csv(VIIRS, [
        rowAt(hours(1), hongtaPlaces[0]),
        rowAt(hours(10), hongtaPlaces[1]),
        rowAt(hours(48), hongtaPlaces[2]),
        rowAt(hours(24 * 9), hongtaPlaces[3]),
      ]),
    );
    expect(res.json().imported).toBe(4);
    const layer = (await t.get('hongta', '/api/hotspots/geojson')).json();
    const ages = layer.features.filter((f: { properties: { detectedAt: string } }) => new Date(f.properties.detectedAt) > hours(24 * 10));
    expect(ages.map((f: { properties: { age: string } }) => f.properties.age).sort()).toEqual(['24h', '6h', '7d']);
    expect(layer.features[0].geometry.type).toBe('Point');
    const recent = (await t.get('hongta', '/api/hotspots/geojson?maxAge=6h')).json();
    expect(recent.features.map((f: { properties: { age: string } }) => f.properties.age)).toEqual(['6h']);
    expect((await t.get('jiangchuan', '/api/hotspots/geojson')).json().features).toEqual([]);
    expect((await t.get('hongta', '/api/hotspots/geojson?maxAge=1y')).statusCode).toBe(400);
  });
});

describe('polling', () => {
  it('imports the new CSV files of a folder once each, and records what it did', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-feed-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.csv'), csv(VIIRS, [viirs([KUNMING[0] + 0.3, KUNMING[1]], '2026-03-20', '130')]));
      fs.writeFileSync(path.join(dir, 'b.CSV'), 'not,a,firms,file\n');
      fs.writeFileSync(path.join(dir, 'readme.txt'), 'ignored');
      const poller = t.hotspotPoller;
      const first = await poller.pollFolder(dir);
      expect(first.map((o) => [path.basename(o.source), o.summary?.imported ?? null, o.error ? 'error' : 'ok'])).toEqual([
        ['a.csv', 1, 'ok'],
        ['b.CSV', null, 'error'],
      ]);
      const second = await poller.pollFolder(dir);
      expect(second[0]).toMatchObject({ skipped: true });
      const { rows } = await t.database.pool.query(
        `SELECT kind, imported, error IS NOT NULL AS failed FROM hotspot_feed_runs WHERE kind = 'folder' ORDER BY at`,
      );
      expect(rows).toEqual([
        { kind: 'folder', imported: 1, failed: false },
        { kind: 'folder', imported: 0, failed: true },
        { kind: 'folder', imported: 0, failed: true },
      ]);
      const audit = await t.database.pool.query(
        `SELECT actor_name FROM audit_log WHERE action = 'hotspot.import' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit.rows[0].actor_name).toBe('satellite_feed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fetches the URL with the city’s bounding box, hides the key in the record, and counts repeated rows as duplicates', async () => {
    const requested: string[] = [];
    let body = csv(VIIRS, [viirs([KUNMING[0] + 0.5, KUNMING[1]], '2026-03-21', '130')]);
    const server = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url?.includes('/down/')) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/csv' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const poller = t.hotspotPoller;
      const url = `http://127.0.0.1:${port}/api/area/csv/SECRETKEY123/VIIRS_SNPP_NRT/{bbox}/1`;
      const first = await poller.pollUrl(url);
      expect(first.summary).toMatchObject({ imported: 1 });
      expect(first.source).not.toContain('SECRETKEY123');
      expect(requested[0]).toMatch(/^\/api\/area\/csv\/SECRETKEY123\/VIIRS_SNPP_NRT\/1\d\d\.\d{4},2\d\.\d{4},1\d\d\.\d{4},2\d\.\d{4}\/1$/);
      body = csv(VIIRS, [
        viirs([KUNMING[0] + 0.5, KUNMING[1]], '2026-03-21', '130'),
        viirs([KUNMING[0] + 0.6, KUNMING[1]], '2026-03-21', '131'),
      ]);
      const second = await poller.pollUrl(url);
      expect(second.summary).toMatchObject({ imported: 1, duplicates: 1 });
      const down = await poller.pollUrl(`http://127.0.0.1:${port}/down/{bbox}`);
      expect(down.error).toMatch(/HTTP 503/);
      const { rows } = await t.database.pool.query(`SELECT source FROM hotspot_feed_runs WHERE kind = 'url'`);
      expect(rows.every((r) => !r.source.includes('SECRETKEY123'))).toBe(true);
    } finally {
      server.close();
    }
  });
});
