import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { createAuthRepo } from '../../platform/auth/auth.repo.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { DEMO_PASSWORD } from '../../seed/seed.js';

let t: TestApp;

const YEAR = 2025;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A standard of the test: a manual item, an indicator item with a curve, a deduction counted by an
 * indicator, a deduction with cases entered, an item on an indicator no module registers, a veto
 * watched by a yes/no indicator, a bonus item.
 */
const testStandard = (version = '2025') => ({
  name: '考评测试标准',
  version,
  items: [
    {
      code: '1',
      title: '组织领导',
      maxPoints: 40,
      kind: 'manual',
      children: [
        { code: '1.1', title: '责任分工', maxPoints: 20, kind: 'manual', guidance: '有文件得20分', evidence: '分工文件' },
        {
          code: '1.2',
          title: '测试上岗率',
          maxPoints: 20,
          kind: 'indicator',
          indicator: 'test_assessment_rate',
          curve: [
            { min: 0.9, points: 20 },
            { min: 0.8, max: 0.9, points: 15 },
            { max: 0.8, points: 5 },
          ],
        },
      ],
    },
    {
      code: '2',
      title: '林区安全',
      maxPoints: 40,
      kind: 'manual',
      children: [
        { code: '2.1', title: '重大火灾', maxPoints: 20, kind: 'deduction', indicator: 'test_assessment_fires', pointsPerCase: 5 },
        { code: '2.2', title: '整改不到位', maxPoints: 10, kind: 'deduction', pointsPerCase: 2 },
        { code: '2.3', title: '未登记指标', maxPoints: 10, kind: 'indicator', indicator: 'test_assessment_unregistered' },
      ],
    },
    { code: '3', title: '宣传', maxPoints: 20, kind: 'manual' },
  ],
  vetoItems: [
    { code: 'V1', title: '年初未制定工作方案', indicator: 'test_assessment_plan' },
    { code: 'V2', title: '经费被挪用' },
  ],
  bonusItems: [{ code: 'B1', title: '经验推广', maxPoints: 5 }],
});

/** A minimal self-check: the items no indicator scores. */
const minimalScores = [
  { itemCode: '1.1', points: 16, note: '分工文件齐全' },
  { itemCode: '2.2', cases: [] },
  { itemCode: '2.3', points: 8, note: '人工评分' },
  { itemCode: '3', points: 15 },
];

let standardId: string;
let cityRound: string;
let townshipRound: string;
const entryOf = new Map<string, string>();
const townshipAccounts = new Map<string, string>();

/** An account with the county office role at a township (or reserve, or farm): how such units get accounts. */
async function unitAccount(code: string): Promise<string> {
  const username = `unit-${code}`;
  const [unit, passwordHash] = await Promise.all([t.unit(code), hashPassword(DEMO_PASSWORD)]);
  await t.database.db.transaction((tx) =>
    createAuthRepo().createUser(tx, { username, displayName: username, orgUnitId: unit.id, passwordHash, roleIds: ['county_office'] }),
  );
  return username;
}

async function upload(as: string): Promise<string> {
  const boundary = '----assessment';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="分工文件.png"\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.request(as, {
    method: 'POST',
    url: '/api/files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function uploadWorkbook(as: string, data: Buffer) {
  const boundary = '----assessment-xlsx';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="standard.xlsx"\r\nContent-Type: ${XLSX_TYPE}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.request(as, {
    method: 'POST',
    url: '/api/assessment/standards/import',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const put = (as: string, url: string, payload: unknown) => t.request(as, { method: 'PUT', url, payload: payload as object });
const fieldsOf = (res: { json: () => { error: { details?: { path: string }[] } } }) => (res.json().error.details ?? []).map((d) => d.path);

async function readBook(data: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  return workbook;
}
const cellsOf = (sheet: ExcelJS.Worksheet) => {
  const lines: string[] = [];
  sheet.eachRow((row) => lines.push((row.values as unknown[]).map((v) => (v == null ? '' : String(v))).join('|')));
  return lines.join('\n');
};

beforeAll(async () => {
  t = await createTestApp();
  const basis = (unit: { id: number }, records: number) => ({ records, link: { path: '/rangers', query: { orgUnitId: String(unit.id) } } });
  // Indicators of the test, registered as a module would (the seam's own contract).
  t.indicators.register({
    key: 'test_assessment_rate',
    module: 'test',
    name: '测试上岗率',
    nameEn: 'Test on-post rate',
    unit: 'ratio',
    definition: '测试',
    definitionEn: 'test',
    higherIsBetter: true,
    compute: async (_tx, unit) => ({ value: 0.92, basis: basis(unit, 12) }),
  });
  t.indicators.register({
    key: 'test_assessment_fires',
    module: 'test',
    name: '测试重大火灾起数',
    nameEn: 'Test major fires',
    unit: 'count',
    definition: '测试',
    definitionEn: 'test',
    higherIsBetter: false,
    compute: async (_tx, unit) => ({ value: unit.code === '530402' ? 1 : 0, basis: basis(unit, unit.code === '530402' ? 1 : 0) }),
  });
  t.indicators.register({
    key: 'test_assessment_plan',
    module: 'test',
    name: '测试工作方案按时制定',
    nameEn: 'Test work plan on time',
    unit: 'yes_no',
    definition: '测试',
    definitionEn: 'test',
    higherIsBetter: true,
    compute: async (_tx, unit) => ({ value: unit.code === '530403' ? 0 : 1, basis: { records: 1 } }),
  });
});
afterAll(() => t?.close());

describe('standards as data', () => {
  it('ships the sample standard written from the notice, marked as a sample, with the known veto items', async () => {
    const res = await t.get('city', '/api/assessment/standards');
    expect(res.statusCode, res.body).toBe(200);
    const sample = res.json().items.find((s: { sample: boolean }) => s.sample);
    expect(sample).toMatchObject({ totalPoints: 100, rounds: 0 });
    const full = (await t.get('hongta', `/api/assessment/standards/${sample.id}`)).json();
    expect(full.vetoItems.map((v: { title: string }) => v.title).join()).toMatch(/工作方案.*挪用.*森林火灾.*有害生物.*非法占用林地/);
    expect(full.vetoItems[0].indicator).toBe('work_plan_on_time');
    expect(full.grades.map((g: { name: string }) => g.name)).toEqual(['优秀', '良好', '合格', '不合格']);
  });

  it('the city records a standard; a bad tree is refused naming the field', async () => {
    const res = await t.post('city', '/api/assessment/standards', testStandard());
    expect(res.statusCode, res.body).toBe(201);
    standardId = res.json().id;
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'assessment_standard.create' AND entity_id = $1",
      [standardId],
    );
    expect(rows[0].n).toBe(1);

    const bad = testStandard('bad');
    const cases: [unknown, string][] = [
      [{ ...bad, items: [{ ...bad.items[0], maxPoints: 30 }, ...bad.items.slice(1)] }, 'body.items.0.maxPoints'],
      [{ ...bad, items: [...bad.items, { code: '3', title: '重复', maxPoints: 1, kind: 'manual' }] }, 'body.items.3.code'],
      [{ ...bad, items: [{ code: 'X', title: '无指标', maxPoints: 10, kind: 'indicator' }] }, 'body.items.0.indicator'],
      [{ ...bad, items: [{ code: 'X', title: '无扣分', maxPoints: 10, kind: 'deduction' }] }, 'body.items.0.pointsPerCase'],
      [{ ...bad, bonusItems: [{ code: 'V1', title: '与否决项重号', maxPoints: 2 }] }, 'body.bonusItems.0.code'],
      [{ ...bad, items: [{ code: 'X', title: '评分方式', maxPoints: 10, kind: 'guess' }] }, 'body.items.0.kind'],
      [{ ...bad, name: '标准\u0000' }, 'body.name'],
      [{ ...bad, items: [{ code: 'X', title: '负分', maxPoints: -1, kind: 'manual' }] }, 'body.items.0.maxPoints'],
    ];
    for (const [body, field] of cases) {
      const r = await t.post('city', '/api/assessment/standards', body);
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(fieldsOf(r), r.body).toContain(field);
    }
    expect((await t.post('city', '/api/assessment/standards', testStandard())).statusCode).toBe(409);
    expect((await t.post('hongta', '/api/assessment/standards', testStandard('county'))).statusCode).toBe(201);
    expect((await t.post('police1', '/api/assessment/standards', testStandard('police'))).statusCode).toBe(403);
  });

  it('exports a standard as a workbook and imports it back as the same tree', async () => {
    const sample = (await t.get('city', '/api/assessment/standards')).json().items.find((s: { sample: boolean }) => s.sample);
    const exported = await t.get('city', `/api/assessment/standards/${sample.id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const workbook = await readBook(exported.rawPayload);
    const info = workbook.getWorksheet('标准信息') as ExcelJS.Worksheet;
    info.eachRow((row) => {
      if (row.getCell(1).value === '版本') row.getCell(2).value = '导入版';
    });
    const res = await uploadWorkbook('city', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(201);
    const [before, after] = await Promise.all([
      t.get('city', `/api/assessment/standards/${sample.id}`).then((r) => r.json()),
      t.get('city', `/api/assessment/standards/${res.json().id}`).then((r) => r.json()),
    ]);
    expect(after).toMatchObject({ name: before.name, version: '导入版', sample: false, totalPoints: 100 });
    expect(after.items).toEqual(before.items);
    expect(after.vetoItems).toEqual(before.vetoItems);
    expect(after.bonusItems).toEqual(before.bonusItems);
    expect(after.grades).toEqual(before.grades);
    // The same file again: that name and version exist.
    expect((await uploadWorkbook('city', Buffer.from(await workbook.xlsx.writeBuffer()))).statusCode).toBe(409);
    // A broken cell is named by sheet, row and column.
    const items = workbook.getWorksheet('考核标准') as ExcelJS.Worksheet;
    items.getRow(3).getCell(5).value = '十分';
    info.eachRow((row) => {
      if (row.getCell(1).value === '版本') row.getCell(2).value = '坏版';
    });
    const broken = await uploadWorkbook('city', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(broken.statusCode).toBe(400);
    expect(fieldsOf(broken)).toContain('body.file.考核标准.row3.分值');
    expect((await uploadWorkbook('city', Buffer.from('not a workbook'))).statusCode).toBe(400);
  });
});

describe('the assessment year', () => {
  it('the city opens the county round: an entry for every county', async () => {
    expect((await t.post('hongta', '/api/assessment/rounds', { year: YEAR, standardId, level: 'county' })).statusCode).toBe(403);
    for (const [body, field] of [
      [{ year: 20250, standardId, level: 'county' }, 'body.year'],
      [{ year: 1800, standardId, level: 'county' }, 'body.year'],
      [{ year: YEAR, standardId: '00000000-0000-0000-0000-000000000001', level: 'county' }, 'body.standardId'],
      [{ year: YEAR, standardId, level: 'province' }, 'body.level'],
      [{ year: YEAR, standardId, level: 'county', selfCheckDue: '2026-02-30' }, 'body.selfCheckDue'],
      [{ year: YEAR, standardId, level: 'county', selfCheckDue: '2026-03-01', reviewDue: '2026-02-01' }, 'body.reviewDue'],
    ] as const) {
      const res = await t.post('city', '/api/assessment/rounds', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
    const res = await t.post('city', '/api/assessment/rounds', {
      year: YEAR,
      standardId,
      level: 'county',
      selfCheckDue: '2026-01-31',
      reviewDue: '2026-03-31',
    });
    expect(res.statusCode, res.body).toBe(201);
    cityRound = res.json().id;
    expect((await t.post('city', '/api/assessment/rounds', { year: YEAR, standardId, level: 'county' })).statusCode).toBe(409);
    const entries = (await t.get('city', `/api/assessment/rounds/${cityRound}/entries`)).json().items;
    expect(entries.map((e: { unitCode: string }) => e.unitCode).sort()).toEqual([
      '530402',
      '530403',
      '530423',
      '530424',
      '530425',
      '530426',
      '530427',
      '530428',
      '530481',
    ]);
    expect(entries[0]).toMatchObject({ status: 'draft', selfScore: null, finalScore: null, vetoed: false, eligible: false });
    for (const e of entries) entryOf.set(e.unitCode, e.id);
    // A county reads its own entry of the city's round, not the others'.
    const own = (await t.get('hongta', `/api/assessment/rounds/${cityRound}/entries`)).json().items;
    expect(own.map((e: { unitCode: string }) => e.unitCode)).toEqual(['530402']);
  });

  it('a standard in use is never changed: an edit becomes a new version and the round keeps its own', async () => {
    const same = await put('city', `/api/assessment/standards/${standardId}`, testStandard());
    expect(same.statusCode).toBe(409);
    const edited = { ...testStandard('2025修订'), bonusItems: [{ code: 'B1', title: '经验推广', maxPoints: 3 }] };
    const res = await put('city', `/api/assessment/standards/${standardId}`, edited);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ newVersion: true });
    expect(res.json().id).not.toBe(standardId);
    expect((await t.get('city', `/api/assessment/standards/${res.json().id}`)).json()).toMatchObject({ basedOnId: standardId, rounds: 0 });
    expect((await t.get('city', `/api/assessment/standards/${standardId}`)).json().bonusItems[0].maxPoints).toBe(5);
    expect((await t.get('city', `/api/assessment/rounds/${cityRound}`)).json()).toMatchObject({ standardId, standardVersion: '2025' });
    // An unused standard is changed in place.
    const again = await put('city', `/api/assessment/standards/${res.json().id}`, { ...edited, description: '再改' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: res.json().id, newVersion: false });
  });

  it('红塔区 opens its township round: its townships; another county cannot open it for it', async () => {
    expect((await t.post('city', '/api/assessment/rounds', { year: YEAR, standardId, level: 'township', unit: '530402' })).statusCode).toBe(
      403,
    );
    const foreign = await t.post('jiangchuan', '/api/assessment/rounds', { year: YEAR, standardId, level: 'township', unit: '530402' });
    expect(foreign.statusCode).toBe(400);
    expect(fieldsOf(foreign)).toContain('body.unit');
    const res = await t.post('hongta', '/api/assessment/rounds', { year: YEAR, standardId, level: 'township', reviewDue: '2025-12-31' });
    expect(res.statusCode, res.body).toBe(201);
    townshipRound = res.json().id;
    const entries = (await t.get('hongta', `/api/assessment/rounds/${townshipRound}/entries`)).json().items;
    expect(entries.length).toBe(11);
    expect(entries.every((e: { unitCode: string; unitKind: string }) => e.unitCode.startsWith('530402') && e.unitKind === 'township')).toBe(
      true,
    );
    for (const e of entries) entryOf.set(e.unitCode, e.id);
    // 江川区 neither sees the round nor its entries.
    expect((await t.get('jiangchuan', `/api/assessment/rounds/${townshipRound}`)).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/assessment/rounds/${townshipRound}/entries`)).statusCode).toBe(404);
    const listed = (await t.get('jiangchuan', '/api/assessment/rounds')).json().items.map((r: { id: string }) => r.id);
    expect(listed).toEqual([cityRound]);
  });

  it('a township does its own self-check with evidence; computed items are filled in and change only with a reason', async () => {
    const code = '530402001';
    const account = await unitAccount(code);
    townshipAccounts.set(code, account);
    const entry = entryOf.get(code) as string;
    const reminders = (await t.get(account, '/api/assessment/reminders')).json().items;
    expect(reminders).toEqual([expect.objectContaining({ kind: 'self_check', entryId: entry, overdue: false })]);
    const before = (await t.get(account, `/api/assessment/entries/${entry}`)).json();
    expect(before.can).toEqual({ selfCheck: true, review: false, finalize: false });
    const rate = before.items.find((i: { code: string }) => i.code === '1.2');
    expect(rate.computed).toMatchObject({ status: 'ok', value: 0.92, points: 20, records: 12, link: { path: '/rangers' } });
    expect(before.items.find((i: { code: string }) => i.code === '2.3').computed).toMatchObject({ status: 'unregistered', points: null });

    const file = await upload(account);
    const changed = await put(account, `/api/assessment/entries/${entry}/self-check`, { scores: [{ itemCode: '1.2', points: 10 }] });
    expect(changed.statusCode).toBe(400);
    expect(fieldsOf(changed)).toEqual(['body.scores.0.reason']);
    const res = await put(account, `/api/assessment/entries/${entry}/self-check`, {
      scores: [
        { ...minimalScores[0], evidenceFileIds: [file] },
        ...minimalScores.slice(1),
        { itemCode: '1.2', points: 18, reason: '两名护林员长期病休' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    // 16 + 18 (changed with a reason) + 20 (no fire) + 10 (no case) + 8 + 15
    expect(res.json().selfScore).toBe(87);
    expect(res.json().items.find((i: { code: string }) => i.code === '1.1').self).toMatchObject({
      evidenceFileIds: [file],
      note: '分工文件齐全',
    });
    // The county office reads it (the township lies in its area) but does not do the township's self-check.
    expect((await t.get('hongta', `/api/assessment/entries/${entry}`)).json().can.selfCheck).toBe(false);
    expect((await put('hongta', `/api/assessment/entries/${entry}/self-check`, { scores: minimalScores })).statusCode).toBe(403);
    const submitted = await t.post(account, `/api/assessment/entries/${entry}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', selfScore: 87 });
    const frozen = await put(account, `/api/assessment/entries/${entry}/self-check`, { scores: minimalScores });
    expect(frozen.statusCode).toBe(409);
    expect((await t.post(account, `/api/assessment/entries/${entry}/submit`)).statusCode).toBe(409);
  });

  it('红塔区 reviews and finalizes every township entry of its round', async () => {
    const entries = (await t.get('hongta', `/api/assessment/rounds/${townshipRound}/entries`)).json().items as {
      id: string;
      unitCode: string;
    }[];
    for (const e of entries) {
      if (e.unitCode !== '530402001') {
        const account = await unitAccount(e.unitCode);
        expect((await put(account, `/api/assessment/entries/${e.id}/self-check`, { scores: minimalScores })).statusCode).toBe(200);
        expect((await t.post(account, `/api/assessment/entries/${e.id}/submit`)).statusCode).toBe(200);
      }
    }
    const review = (await t.get('hongta', '/api/assessment/reminders')).json().items;
    expect(review.filter((r: { kind: string }) => r.kind === 'review').length).toBe(11);
    expect(review.some((r: { kind: string; overdue: boolean }) => r.kind === 'review' && r.overdue)).toBe(true);
    const first = entryOf.get('530402001') as string;
    expect((await put('city', `/api/assessment/entries/${first}/review`, { scores: [] })).statusCode).toBe(403);
    const adjusted = await put('hongta', `/api/assessment/entries/${first}/review`, { scores: [{ itemCode: '3', points: 12 }] });
    expect(fieldsOf(adjusted)).toEqual(['body.scores.0.reason']);
    const read = (await t.get('hongta', `/api/assessment/entries/${first}`)).json();
    const reviewed = await put('hongta', `/api/assessment/entries/${first}/review`, {
      scores: [{ itemCode: '3', points: 12, reason: '宣传材料不全' }],
      version: read.version,
    });
    expect(reviewed.json()).toMatchObject({ status: 'reviewing', reviewScore: 84 });
    // A second reviewer saving what they read before it is told, not silently overwriting.
    const stale = await put('hongta', `/api/assessment/entries/${first}/review`, {
      scores: [{ itemCode: '3', points: 10, reason: '另一评审意见' }],
      version: read.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toMatchObject({ currentVersion: reviewed.json().version });
    expect((await t.get('hongta', `/api/assessment/entries/${first}`)).json().reviewScore).toBe(84);
    for (const e of entries) {
      const res = await t.post('hongta', `/api/assessment/entries/${e.id}/finalize`);
      expect(res.statusCode, res.body).toBe(200);
    }
    const firstFinal = (await t.get('hongta', `/api/assessment/entries/${first}`)).json();
    expect(firstFinal).toMatchObject({ status: 'final', finalScore: 84, grade: '良好', vetoed: false, eligible: true });
    const progress = (await t.get('hongta', `/api/assessment/rounds/${townshipRound}/progress`)).json();
    expect(progress).toMatchObject({ total: 11, submitted: 11, reviewed: 11, draft: 0, overdueReviews: [] });
  });

  it('a county does its own self-check in the city’s round; the city reviews, inspects and finalizes', async () => {
    const hongta = entryOf.get('530402') as string;
    const file = await upload('hongta');
    expect((await put('jiangchuan', `/api/assessment/entries/${hongta}/self-check`, { scores: minimalScores })).statusCode).toBe(404);
    expect(
      (await put('hongta', `/api/assessment/entries/${hongta}/self-check`, { scores: [{ itemCode: '1.1', points: 21 }] })).json().error
        .details[0],
    ).toMatchObject({
      path: 'body.scores.0.points',
      message: expect.stringContaining('1.1'),
    });
    for (const [scores, field] of [
      [[{ itemCode: '9.9', points: 1 }], 'body.scores.0.itemCode'],
      [[{ itemCode: '1', points: 1 }], 'body.scores.0.itemCode'],
      [[{ itemCode: 'V2', points: 1 }], 'body.scores.0.itemCode'],
      [[{ itemCode: '3', points: 1, note: '说明\u0000' }], 'body.scores.0.note'],
      [[{ itemCode: '3', points: 1, evidenceFileIds: ['00000000-0000-0000-0000-000000000002'] }], 'body.scores.0.evidenceFileIds.0'],
      [[{ itemCode: '2.2', points: 10, cases: [{ description: '未整改' }] }], 'body.scores.0.points'],
      [
        [
          { itemCode: '3', points: 1 },
          { itemCode: '3', points: 2 },
        ],
        'body.scores.1.itemCode',
      ],
    ] as const) {
      const res = await put('hongta', `/api/assessment/entries/${hongta}/self-check`, { scores });
      expect(res.statusCode, JSON.stringify(scores)).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    }
    // Not complete yet: 2.3 (an indicator no module offers) must be scored by hand.
    const early = await t.post('hongta', `/api/assessment/entries/${hongta}/submit`);
    expect(early.statusCode).toBe(409);
    expect(JSON.stringify(early.json().error.details)).toContain('scores.2.3');
    const res = await put('hongta', `/api/assessment/entries/${hongta}/self-check`, {
      scores: [
        { itemCode: '1.1', points: 18, note: '区委区政府责任分工文件', evidenceFileIds: [file] },
        {
          itemCode: '2.2',
          cases: [
            { date: '2025-06-03', description: '督查发现检查站台账缺失未整改', ref: '督查通报3号' },
            { description: '群众举报问题逾期未反馈' },
          ],
        },
        { itemCode: '2.3', points: 8, note: '人工评分' },
        { itemCode: '3', points: 17, note: '宣传报道42篇' },
        { itemCode: 'B1', points: 2, note: '经验在省平安办简报刊发' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    // 18 + 20 (rate) + 15 (one major fire, 5 per case) + 6 (two cases, 2 each) + 8 + 17 + 2
    expect(res.json().selfScore).toBe(86);
    const city = await t.listen('city', ['assessment']);
    const jiangchuan = await t.listen('jiangchuan', ['assessment']);
    expect((await t.post('hongta', `/api/assessment/entries/${hongta}/submit`)).json()).toMatchObject({
      status: 'submitted',
      selfScore: 86,
    });
    // The city, which reviews it, sees the submission arrive; another county does not.
    await expect
      .poll(() => city.received.find((m) => m.type === 'assessment.entry.changed' && m.entryId === hongta))
      .toMatchObject({ status: 'submitted', by: 'hongta', roundId: cityRound });
    await jiangchuan.settle();
    expect(jiangchuan.received.filter((m) => m.entryId === hongta)).toEqual([]);
    for (const s of [city, jiangchuan]) s.close();
    expect((await t.post('city', `/api/assessment/entries/${hongta}/finalize`)).statusCode).toBe(200);
    const final = (await t.get('city', `/api/assessment/entries/${hongta}`)).json();
    expect(final).toMatchObject({ status: 'final', finalScore: 86, grade: '良好', vetoed: false });
    expect((await put('city', `/api/assessment/entries/${hongta}/review`, { scores: [] })).statusCode).toBe(409);
    expect((await t.post('city', `/api/assessment/entries/${hongta}/finalize`)).statusCode).toBe(409);
    expect((await put('hongta', `/api/assessment/entries/${hongta}/self-check`, { scores: minimalScores })).statusCode).toBe(409);
  });

  it('the score sheet explains every score: the note, the indicator with its records, the cases', async () => {
    const hongta = entryOf.get('530402') as string;
    expect((await t.get('jiangchuan', `/api/assessment/entries/${hongta}/sheet.xlsx`)).statusCode).toBe(404);
    const res = await t.get('hongta', `/api/assessment/entries/${hongta}/sheet.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const text = cellsOf((await readBook(res.rawPayload)).worksheets[0]);
    expect(text).toContain('区委区政府责任分工文件');
    expect(text).toMatch(/测试上岗率 = 0\.92.*依据 12 条记录.*20 分/);
    expect(text).toMatch(/测试重大火灾起数 = 1 例 × 5 分\/例.*15 分/);
    expect(text).toContain('督查发现检查站台账缺失未整改');
    expect(text).toContain('test_assessment_unregistered 未登记');
    expect(text).toMatch(/最终得分\|86/);
  });

  it('the yes/no indicator of a veto item vetoes by itself; the ranking puts the vetoed last', async () => {
    for (const code of ['530403', '530423']) {
      const account = code === '530403' ? 'jiangchuan' : 'tonghai';
      const entry = entryOf.get(code) as string;
      expect((await put(account, `/api/assessment/entries/${entry}/self-check`, { scores: minimalScores })).statusCode).toBe(200);
      expect((await t.post(account, `/api/assessment/entries/${entry}/submit`)).statusCode).toBe(200);
    }
    const tonghai = entryOf.get('530423') as string;
    const reviewed = await put('city', `/api/assessment/entries/${tonghai}/review`, {
      scores: [{ itemCode: '3', points: 20, reason: '现场检查宣传阵地完善' }],
      vetoItemCodes: [],
      inspections: [{ date: '2026-02-10', inspectors: '市平安林区办 张三、李四', findings: '现场检查秀山检查站' }],
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().inspections).toHaveLength(1);
    const badVeto = await put('city', `/api/assessment/entries/${tonghai}/review`, { vetoItemCodes: ['V9'] });
    expect(fieldsOf(badVeto)).toContain('body.vetoItemCodes.0');
    for (const code of ['530403', '530423'])
      expect((await t.post('city', `/api/assessment/entries/${entryOf.get(code)}/finalize`)).statusCode).toBe(200);
    const jiangchuan = (await t.get('jiangchuan', `/api/assessment/entries/${entryOf.get('530403')}`)).json();
    expect(jiangchuan).toMatchObject({ vetoed: true, grade: '不合格' });
    expect(jiangchuan.vetoes.find((v: { code: string }) => v.code === 'V1')).toMatchObject({ hit: true, source: 'indicator' });

    const ranking = (await t.get('city', `/api/assessment/rounds/${cityRound}/ranking`)).json();
    const ranked = ranking.items.filter((i: { rank: number | null }) => i.rank !== null);
    expect(ranked.map((i: { unitCode: string; rank: number }) => [i.unitCode, i.rank])).toEqual([
      ['530423', 1],
      ['530402', 2],
      ['530403', 3],
    ]);
    expect(ranking.categories.map((c: { code: string }) => c.code)).toEqual(['1', '2', '3']);
    expect(ranked[1].categories).toEqual([
      { code: '1', points: 38 },
      { code: '2', points: 29 },
      { code: '3', points: 17 },
    ]);
    // A county sees its own line, ranked among all.
    expect((await t.get('hongta', `/api/assessment/rounds/${cityRound}/ranking`)).json().items).toEqual([
      expect.objectContaining({ unitCode: '530402', rank: 2 }),
    ]);
    const progress = (await t.get('city', `/api/assessment/rounds/${cityRound}/progress`)).json();
    expect(progress).toMatchObject({ total: 9, draft: 6, submitted: 3, reviewed: 3 });
  });

  it('recommendation refuses a county that held no township round, naming it and why, and writes nothing', async () => {
    const eligibility = (await t.get('city', `/api/assessment/rounds/${cityRound}/eligibility`)).json().items;
    const of = (code: string) => eligibility.find((e: { unitCode: string }) => e.unitCode === code);
    expect(of('530402')).toMatchObject({ eligible: true, ineligibleReason: null });
    expect(of('530423')).toMatchObject({ eligible: false, ineligibleCode: 'no_township_round' });
    expect(of('530423').ineligibleReason).toContain('一律取消参加市级推优的资格');
    expect(of('530424')).toMatchObject({ eligible: false });

    const refused = await t.post('city', `/api/assessment/rounds/${cityRound}/recommendations`, { unitCodes: ['530402', '530423'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('通海县');
    expect(refused.json().error.message).toContain('未开展2025年度县级评定');
    expect(refused.json().error.details).toEqual([expect.objectContaining({ unitCode: '530423', code: 'no_township_round' })]);
    expect((await t.get('city', `/api/assessment/rounds/${cityRound}/recommendations`)).json().items).toEqual([]);
    expect(fieldsOf(await t.post('city', `/api/assessment/rounds/${cityRound}/recommendations`, { unitCodes: ['530402001'] }))).toContain(
      'body.unitCodes.0',
    );
    expect((await t.post('hongta', `/api/assessment/rounds/${cityRound}/recommendations`, { unitCodes: ['530402'] })).statusCode).toBe(403);

    const accepted = await t.post('city', `/api/assessment/rounds/${cityRound}/recommendations`, { unitCodes: ['530402'] });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().items).toEqual([expect.objectContaining({ unitCode: '530402', recommendedBy: 'city' })]);
    expect(
      (await t.get('city', `/api/assessment/rounds/${cityRound}/entries`))
        .json()
        .items.find((e: { unitCode: string }) => e.unitCode === '530402').recommended,
    ).toBe(true);
  });

  it('naming by level, re-check, revocation with the reason; the title history stays', async () => {
    expect(
      (
        await t.post('hongta', '/api/assessment/titles', {
          unitCode: '530402',
          level: 'city',
          year: YEAR,
          documentNumber: '玉平林〔2026〕1号',
          date: '2026-04-01',
        })
      ).statusCode,
    ).toBe(403);
    const vetoed = await t.post('city', '/api/assessment/titles', {
      unitCode: '530403',
      level: 'city',
      year: YEAR,
      documentNumber: '玉平林〔2026〕1号',
      date: '2026-04-01',
    });
    expect(vetoed.statusCode).toBe(409);
    const named = await t.post('city', '/api/assessment/titles', {
      unitCode: '530402',
      level: 'city',
      year: YEAR,
      documentNumber: '玉平林〔2026〕1号',
      date: '2026-04-01',
    });
    expect(named.statusCode, named.body).toBe(201);
    expect(named.json()).toMatchObject({ unitName: '红塔区', level: 'city', status: 'active', namedByUnitName: '玉溪市' });
    const township = await t.post('hongta', '/api/assessment/titles', {
      unitCode: '530402001',
      level: 'county',
      year: YEAR,
      documentNumber: '红平林〔2026〕2号',
      date: '2026-03-01',
    });
    expect(township.statusCode, township.body).toBe(201);
    expect(
      (
        await t.post('hongta', '/api/assessment/titles', {
          unitCode: '530403001',
          level: 'county',
          year: YEAR,
          documentNumber: 'x',
          date: '2026-03-01',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await t.post('city', '/api/assessment/titles', {
          unitCode: '530402',
          level: 'city',
          year: YEAR,
          documentNumber: '重复',
          date: '2026-04-01',
        })
      ).statusCode,
    ).toBe(409);

    const id = named.json().id;
    expect((await t.post('hongta', `/api/assessment/titles/${id}/revoke`, { reason: '自撤' })).statusCode).toBe(403);
    expect((await t.post('jiangchuan', `/api/assessment/titles/${id}/revoke`, { reason: '越权' })).statusCode).toBe(404);
    const rechecked = await t.post('city', `/api/assessment/titles/${id}/rechecks`, {
      date: '2027-03-01',
      result: 'failed',
      note: '复核发现护林员上岗率不达标',
    });
    expect(rechecked.json().rechecks).toEqual([expect.objectContaining({ result: 'failed', by: 'city' })]);
    const revoked = await t.post('city', `/api/assessment/titles/${id}/revoke`, {
      reason: '复核不合格',
      date: '2027-03-15',
      documentNumber: '玉平林〔2027〕5号',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokeReason: '复核不合格', revokedOn: '2027-03-15' });
    expect((await t.post('city', `/api/assessment/titles/${id}/revoke`, { reason: '再撤' })).statusCode).toBe(409);
    const history = (await t.get('hongta', '/api/assessment/titles?unit=530402')).json().items;
    expect(history).toEqual([expect.objectContaining({ id, status: 'revoked', documentNumber: '玉平林〔2026〕1号' })]);
    expect((await t.get('jiangchuan', '/api/assessment/titles?unit=530402')).json().items).toEqual([]);
    expect((await t.get('jiangchuan', `/api/assessment/titles/${id}`)).statusCode).toBe(404);
    const { rows } = await t.database.pool.query(
      "SELECT action FROM audit_log WHERE entity = 'assessment_title' AND entity_id = $1 ORDER BY id",
      [id],
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual([
      'assessment_title.name',
      'assessment_title.recheck',
      'assessment_title.revoke',
    ]);
  });

  it('another county’s ids answer 404, unknown ids too; read-only roles change nothing', async () => {
    const hongta = entryOf.get('530402') as string;
    const nil = '00000000-0000-0000-0000-000000000000';
    for (const url of [
      `/api/assessment/entries/${hongta}`,
      `/api/assessment/rounds/${townshipRound}/ranking`,
      `/api/assessment/rounds/${townshipRound}/eligibility`,
      `/api/assessment/entries/${nil}`,
    ])
      expect((await t.get('jiangchuan', url)).statusCode, url).toBe(404);
    expect((await t.get('police1', `/api/assessment/entries/${hongta}`)).statusCode).toBe(200);
    expect((await put('police1', `/api/assessment/entries/${hongta}/review`, { scores: [] })).statusCode).toBe(403);
    expect((await t.get('liaison1', `/api/assessment/rounds/${townshipRound}/entries`)).statusCode).toBe(200);
    expect((await t.post('liaison1', `/api/assessment/entries/${hongta}/submit`)).statusCode).toBe(403);
    expect((await t.get('hongta', '/api/assessment/entries/not-an-id')).statusCode).toBe(400);
    const { rows } = await t.database.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE entity = 'assessment_entry' AND entity_id = $1",
      [hongta],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
