import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { cstDate } from '../../platform/dates.js';
import { DUTY_REPORT_SHEETS, HOTSPOT_SHEET_HEADERS, INCIDENT_SHEET_HEADERS } from './duty-report.schema.js';
import { dayWindow, median } from './duty-report.service.js';

/** A past duty day (China Standard Time) the test fills by hand. */
const DAY = '2026-03-10';
const cst = (local: string) => `${DAY}T${local}+08:00`;

let t: TestApp;
let inHongta: [number, number];
let inJiangchuan: [number, number];
const codes: Record<string, string> = {};
let dispatchedName: string;

const point = (coordinates: [number, number]) => ({ type: 'Point', coordinates });
const call = (coordinates: [number, number], reportedAt: string, extra: Record<string, unknown> = {}) => ({
  category: 'illegal_logging',
  title: '群众来电：有人砍伐林木',
  location: point(coordinates),
  source: 'phone',
  reportedAt,
  ...extra,
});

type Book = { sheets: string[]; rows: (sheet: string) => unknown[][] };
async function report(user: string, date: string): Promise<Book> {
  const res = await t.get(user, `/api/duty-report?date=${date}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(res.headers['content-disposition']).toContain(encodeURIComponent(`值班日报-${date}.xlsx`));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return {
    sheets: workbook.worksheets.map((s) => s.name),
    rows: (name) => {
      const rows: unknown[][] = [];
      workbook.getWorksheet(name)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    },
  };
}
/** The count on the summary line of the item (and content, when given). */
const figure = (book: Book, item: string, content?: string) =>
  book.rows(DUTY_REPORT_SHEETS.summary).find((r) => r[0] === item && (content === undefined || r[1] === content));

beforeAll(async () => {
  t = await createTestApp();
  inHongta = await t.pointIn('53040200101');
  inJiangchuan = await t.pointIn('530403');
  const open = async (name: string, body: unknown) => {
    const res = await t.post('duty', '/api/incidents', body);
    expect(res.statusCode, res.body).toBe(201);
    codes[name] = res.json().code;
    return res.json().id as string;
  };
  // 红塔区: two calls reached on scene after 20 and 40 minutes (median 30), one still new at 23:59.
  const a = await open('a', call(inHongta, cst('08:00')));
  const b = await open('b', call(inHongta, cst('09:00'), { category: 'forest_fire', title: '山火' }));
  await open('late', call(inHongta, cst('23:59')));
  // 江川区: one call of the day; and one just after midnight, the next day.
  await open('jiangchuan', call(inJiangchuan, cst('10:00'), { category: 'dispute', title: '林权纠纷' }));
  await open('nextDay', call(inHongta, '2026-03-11T00:00:00+08:00', { category: 'public_order', title: '治安' }));
  // The nearest suggested unit is sent to the first call: its name is in the units column.
  const suggestions = await t.get('duty', `/api/incidents/${a}/suggestions`);
  expect(suggestions.statusCode, suggestions.body).toBe(200);
  const [unit] = suggestions.json().items as { kind: string; id: string; name: string }[];
  expect(unit).toBeDefined();
  dispatchedName = unit.name;
  const sent = await t.post('duty', `/api/incidents/${a}/dispatch`, { units: [{ kind: unit.kind, id: unit.id }] });
  expect(sent.statusCode, sent.body).toBe(200);
  for (const [id, at] of [
    [a, cst('08:20')],
    [b, cst('09:40')],
  ]) {
    // The status route takes the time of the change as now: set it on the record as a unit's report would.
    const res = await t.post('duty', `/api/incidents/${id}/status`, { status: 'on_scene' });
    expect(res.statusCode, res.body).toBe(200);
    await t.database.pool.query('UPDATE incidents SET first_on_scene_at = $2 WHERE id = $1', [id, at]);
  }
  // A bulletin hotspot of the day in 红塔区 (2 pixels: no incident), and one of 江川区.
  for (const [coordinates, number] of [
    [inHongta, 'DR-1'],
    [inJiangchuan, 'DR-2'],
  ] as const) {
    const res = await t.post('duty', '/api/hotspots/bulletins', {
      bulletinNumber: number,
      detectedAt: cst('13:40'),
      satellite: 'FY-3D/MERSI',
      placeText: number === 'DR-1' ? '红塔区某林场' : '江川区某林场',
      location: point(coordinates as [number, number]),
      pixelCount: 2,
      smoke: true,
      landClass: 'forest',
    });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(() => t.close());

describe('the duty report of a day', () => {
  it('the day is the China Standard Time day; the median is the middle value', () => {
    expect(dayWindow('2026-03-10')).toEqual({ from: new Date('2026-03-09T16:00:00Z'), to: new Date('2026-03-10T16:00:00Z') });
    expect(median([40, 20])).toBe(30);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
  });

  it('the duty officer’s workbook holds the summary, incidents and hotspots of the day with the figures of the records', async () => {
    const book = await report('duty', DAY);
    expect(book.sheets).toEqual([DUTY_REPORT_SHEETS.summary, DUTY_REPORT_SHEETS.incidents, DUTY_REPORT_SHEETS.hotspots]);
    const summary = book.rows(DUTY_REPORT_SHEETS.summary);
    expect(summary[0]).toEqual(['项目', '内容', '数量']);
    expect(figure(book, '值班日期')?.[1]).toBe(DAY);
    expect(figure(book, '制表人')?.[1]).toContain('duty');
    expect(figure(book, '警情总数')?.[2]).toBe(4);
    expect(figure(book, '中位响应时长(分钟)')?.slice(1)).toEqual([30, 2]);
    expect(figure(book, '按类别', '盗伐滥伐林木')?.[2]).toBe(2);
    expect(figure(book, '按类别', '森林火灾')?.[2] ?? figure(book, '按类别', '森林火情')?.[2]).toBe(1);
    expect(figure(book, '按状态', '已到场')?.[2]).toBe(2);
    expect(figure(book, '按状态', '新警情')?.[2]).toBe(2);
    expect(figure(book, '按来源', '电话报警')?.[2]).toBe(4);
    expect(figure(book, '热点总数')?.[2]).toBe(2);
    expect(figure(book, '已核查')?.[2]).toBe(0);
    expect(figure(book, '待核查')?.[2]).toBe(2);
    expect(figure(book, 'SOS 报警')?.[2]).toBe(0);
    expect(figure(book, '举报总数')?.[2]).toBe(0);

    const incidents = book.rows(DUTY_REPORT_SHEETS.incidents);
    expect(incidents[0]).toEqual([...INCIDENT_SHEET_HEADERS]);
    expect(incidents.slice(1).map((r) => r[0])).toEqual([codes.a, codes.b, codes.jiangchuan, codes.late]);
    const first = incidents[1];
    expect(first.slice(1, 5)).toEqual([`${DAY} 08:00`, '盗伐滥伐林木', 2, '群众来电：有人砍伐林木']);
    expect(first[6]).toBe('红塔区');
    expect(first[7]).toBe('已到场');
    expect(first[8]).toBe(dispatchedName);
    expect(incidents[2][8] ?? null).toBeNull();
    expect(first[9]).toBe(`${DAY} 08:20`);
    expect(first[11]).toBe(20);
    expect(incidents[3][6]).toBe('江川区');

    const hotspots = book.rows(DUTY_REPORT_SHEETS.hotspots);
    expect(hotspots[0]).toEqual([...HOTSPOT_SHEET_HEADERS]);
    expect(hotspots.slice(1).map((r) => [r[0], r[1], r[2], r[4], r[7]])).toEqual(
      expect.arrayContaining([
        [`${DAY} 13:40`, 'FY-3D/MERSI', '通报', '红塔区', '未派核查'],
        [`${DAY} 13:40`, 'FY-3D/MERSI', '通报', '江川区', '未派核查'],
      ]),
    );
  });

  it('a county’s report holds its own incidents and hotspots only', async () => {
    const book = await report('hongta', DAY);
    const incidents = book.rows(DUTY_REPORT_SHEETS.incidents).slice(1);
    expect(incidents.map((r) => r[0])).toEqual([codes.a, codes.b, codes.late]);
    expect(incidents.every((r) => r[6] === '红塔区')).toBe(true);
    expect(figure(book, '警情总数')?.[2]).toBe(3);
    expect(
      book
        .rows(DUTY_REPORT_SHEETS.hotspots)
        .slice(1)
        .map((r) => r[4]),
    ).toEqual(['红塔区']);
    const other = await report('jiangchuan', DAY);
    expect(
      other
        .rows(DUTY_REPORT_SHEETS.incidents)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([codes.jiangchuan]);
  });

  it('the next day starts at midnight China Standard Time', async () => {
    const book = await report('duty', '2026-03-11');
    expect(
      book
        .rows(DUTY_REPORT_SHEETS.incidents)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([codes.nextDay]);
  });

  it('today’s report counts a tip-off received today', async () => {
    const today = cstDate(new Date());
    const before = figure(await report('hongta', today), '举报总数')?.[2] as number;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/tipoffs',
      payload: { category: 'forest_fire', description: '山上冒烟，像是有人烧荒', location: point(inHongta) },
      remoteAddress: '203.0.113.9',
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await report('hongta', today);
    expect(figure(after, '举报总数')?.[2]).toBe(before + 1);
    expect(figure(after, '按类别', '森林火情')?.[2]).toBeGreaterThanOrEqual(1);
    expect(figure(await report('jiangchuan', today), '举报总数')?.[2]).toBe(0);
  });

  it('an impossible, malformed or future day is a 400 naming querystring.date', async () => {
    const tomorrow = cstDate(new Date(Date.now() + 86_400_000));
    for (const date of ['2026-02-30', '2026-13-01', 'yesterday', '20260310', '2026-03-10%00', tomorrow, '']) {
      const res = await t.get('duty', `/api/duty-report?date=${date}`);
      expect(res.statusCode, date).toBe(400);
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain('querystring.date');
    }
    const missing = await t.get('duty', '/api/duty-report');
    expect(missing.statusCode).toBe(400);
  });

  it('needs incidents:read: a ranger and a liaison are refused, the public must sign in', async () => {
    expect((await t.get('ranger1', `/api/duty-report?date=${DAY}`)).statusCode).toBe(403);
    expect((await t.get('liaison1', `/api/duty-report?date=${DAY}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/duty-report?date=${DAY}` })).statusCode).toBe(401);
    expect((await t.get('police1', `/api/duty-report?date=${DAY}`)).statusCode).toBe(200);
  });
});
