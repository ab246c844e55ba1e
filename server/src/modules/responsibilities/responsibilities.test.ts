import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFile } from '../../../test/factories.js';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { indicatorPeriod } from '../../platform/indicators.js';

let t: TestApp;
let hongta: { id: number; path: string; name: string };
let township: { id: number };
let grid: { id: number };
let register: { id: string; version: number };
/** The year the test works in: the demo data keeps the current year's registers. */
const YEAR = 2024;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function upload(as: string, data: Buffer, fileName: string) {
  const boundary = '----safeforest-responsibilities';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.request(as, {
    method: 'POST',
    url: '/api/files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const audits = async (action: string, entityId: string) =>
  (await t.database.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND entity_id = $2', [action, entityId])).rows[0]
    .n;

const compute = async (key: string, unitId: number, year: number) => {
  const definition = t.indicators.get(key);
  if (!definition) throw new Error(`no indicator ${key}`);
  const { rows } = await t.database.pool.query('SELECT id, code, name, kind, path FROM org_units WHERE id = $1', [unitId]);
  return definition.compute(t.database.db, rows[0], indicatorPeriod(year));
};

beforeAll(async () => {
  t = await createTestApp();
  hongta = await t.unit('530402');
  const { rows } = await t.database.pool.query(
    "SELECT id FROM org_units WHERE parent_id = $1 AND kind = 'township' ORDER BY code LIMIT 1",
    [hongta.id],
  );
  township = rows[0];
  grid = await t.unit('53040200101');
});
afterAll(() => t?.close());

const leaders = {
  leader: { name: '（测试）张局长', post: '红塔区林业和草原局局长', phone: '0877-2021001' },
  leaderInCharge: { name: '（测试）李副局长', post: '红塔区林业和草原局副局长', phone: '13800001111' },
};

describe('the register of a unit and year', () => {
  it('a county office records its leaders and its work plan document; it is audited', async () => {
    const fileId = await upload('hongta', PDF, '2024年平安林区创建工作方案.pdf');
    const res = await t.post('hongta', '/api/responsibilities', {
      orgUnitId: hongta.id,
      year: YEAR,
      ...leaders,
      workPlan: { title: '2024年平安林区创建工作方案', date: '2024-03-15', fileId },
    });
    expect(res.statusCode, res.body).toBe(201);
    register = res.json();
    expect(res.json()).toMatchObject({
      orgUnitId: hongta.id,
      year: YEAR,
      leader: leaders.leader,
      leaderInCharge: leaders.leaderInCharge,
      workPlan: {
        title: '2024年平安林区创建工作方案',
        date: '2024-03-15',
        deadline: '2024-03-31',
        status: 'on_time',
        file: { id: fileId },
      },
      tasks: [],
      taskCount: 0,
    });
    expect(await audits('responsibility.create', register.id)).toBe(1);
    expect((await compute('work_plan_on_time', hongta.id, YEAR)).value).toBe(1);
  });

  it('keeps one register per unit and year', async () => {
    const res = await t.post('hongta', '/api/responsibilities', { orgUnitId: hongta.id, year: YEAR });
    expect(res.statusCode).toBe(409);
  });

  it('the county keeps a township’s register; a register without a plan after the deadline shows it missing', async () => {
    const res = await t.post('hongta', '/api/responsibilities', { orgUnitId: township.id, year: YEAR });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().workPlan).toMatchObject({ status: 'missing', file: null });
    expect((await compute('work_plan_on_time', township.id, YEAR)).value).toBe(0);
  });

  it('refuses bad input, naming the field', async () => {
    const foreignFile = await createFile(t, { orgUnitId: (await t.unit('530403')).id });
    const cases: [Record<string, unknown>, string][] = [
      [{ orgUnitId: grid.id, year: 2023 }, 'body.orgUnitId'],
      [{ orgUnitId: hongta.id, year: 1800 }, 'body.year'],
      [{ orgUnitId: hongta.id, year: 2023, workPlan: { date: '2023-02-30' } }, 'body.workPlan.date'],
      [{ orgUnitId: hongta.id, year: 2023, workPlan: { fileId: foreignFile } }, 'body.workPlan.fileId'],
      [{ orgUnitId: hongta.id, year: 2023, leader: { name: '张\u0000' } }, 'body.leader.name'],
      [{ orgUnitId: hongta.id, year: 2023, leader: { phone: 'call me' } }, 'body.leader.phone'],
      [{ orgUnitId: hongta.id, year: 2023, leader: { name: 'x'.repeat(5000) } }, 'body.leader.name'],
    ];
    for (const [body, field] of cases) {
      const res = await t.post('hongta', '/api/responsibilities', body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error), field).toContain(field);
    }
    // Another county's unit is unknown here.
    const foreign = await t.post('hongta', '/api/responsibilities', { orgUnitId: (await t.unit('530403')).id, year: 2023 });
    expect(foreign.statusCode).toBe(404);
    expect(await t.post('liaison1', '/api/responsibilities', { orgUnitId: hongta.id, year: 2023 })).toHaveProperty('statusCode', 403);
  });
});

describe('lists and scope', () => {
  it('answers {items,total} with the leader in charge and the tasks; the city sees it, another county does not', async () => {
    const city = (await t.get('city', `/api/responsibilities?year=${YEAR}`)).json();
    expect(city.total).toBeGreaterThanOrEqual(2);
    const mine = city.items.find((r: { id: string }) => r.id === register.id);
    expect(mine).toMatchObject({ leaderInCharge: leaders.leaderInCharge, tasks: expect.any(Array) });
    const other = (await t.get('jiangchuan', `/api/responsibilities?year=${YEAR}`)).json();
    expect(other.items.map((r: { id: string }) => r.id)).not.toContain(register.id);
    expect((await t.get('jiangchuan', `/api/responsibilities/${register.id}`)).statusCode).toBe(404);
    expect((await t.get('jiangchuan', `/api/responsibilities?orgUnitId=${hongta.id}`)).statusCode).toBe(404);
    expect((await t.get('liaison1', `/api/responsibilities/${register.id}`)).statusCode).toBe(200);
    expect((await t.get('police1', `/api/responsibilities?year=${YEAR}`)).json().total).toBeGreaterThanOrEqual(2);
    expect((await t.get('ranger1', '/api/responsibilities')).statusCode).toBe(403);
    const filtered = (await t.get('city', `/api/responsibilities?year=${YEAR}&orgUnitId=${township.id}`)).json();
    expect(filtered.items.map((r: { orgUnitId: number }) => r.orgUnitId)).toEqual([township.id]);
  });
});

describe('target tasks, progress and checks', () => {
  let itemTask: string;
  let evidenceTask: string;

  it('adds tasks measured by an assessment item, an indicator or evidence; a passed deadline below 100 % is overdue', async () => {
    const item = await t.post('hongta', `/api/responsibilities/${register.id}/tasks`, {
      title: '建立平安林区创建领导小组',
      ownerName: '（测试）李副局长',
      ownerUnit: '办公室',
      deadline: '2099-06-30',
      measureKind: 'assessment_item',
      measureRef: '1.1',
    });
    expect(item.statusCode, item.body).toBe(201);
    itemTask = item.json().id;
    expect(item.json()).toMatchObject({ percent: 0, overdue: false, latestCheck: null, measureRef: '1.1' });
    const indicator = await t.post('hongta', `/api/responsibilities/${register.id}/tasks`, {
      title: '按期制定年度工作方案',
      deadline: '2024-03-31',
      measureKind: 'indicator',
      measureRef: 'work_plan_on_time',
    });
    expect(indicator.statusCode, indicator.body).toBe(201);
    const evidence = await t.post('hongta', `/api/responsibilities/${register.id}/tasks`, {
      title: '开展林区治安专项整治',
      deadline: '2024-06-30',
      measureKind: 'evidence',
      measureNote: '整治方案和总结',
    });
    expect(evidence.statusCode, evidence.body).toBe(201);
    evidenceTask = evidence.json().id;
    expect(evidence.json()).toMatchObject({ overdue: true, percent: 0 });
    const got = (await t.get('hongta', `/api/responsibilities/${register.id}`)).json();
    expect(got).toMatchObject({ taskCount: 3, overdueCount: 2, completedCount: 0 });
    expect(await audits('responsibility.task_create', itemTask)).toBe(1);
  });

  it('refuses a task measured by an unknown indicator, a missing code, an impossible deadline', async () => {
    const base = { title: '任务', deadline: '2024-12-31', measureKind: 'indicator', measureRef: 'no_such_indicator' };
    const cases: [Record<string, unknown>, string][] = [
      [base, 'body.measureRef'],
      [{ ...base, measureKind: 'assessment_item', measureRef: null }, 'body.measureRef'],
      [{ ...base, measureKind: 'evidence', measureRef: '1.1' }, 'body.measureRef'],
      [{ ...base, measureKind: 'volcano' }, 'body.measureKind'],
      [{ ...base, deadline: '2024-13-01' }, 'body.deadline'],
      [{ ...base, title: '' }, 'body.title'],
    ];
    for (const [body, field] of cases) {
      const res = await t.post('hongta', `/api/responsibilities/${register.id}/tasks`, body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error), field).toContain(field);
    }
    expect(
      (await t.post('jiangchuan', `/api/responsibilities/${register.id}/tasks`, { ...base, measureRef: 'work_plan_on_time' })).statusCode,
    ).toBe(404);
  });

  it('reports progress with files; percent out of range and foreign files are refused; 100 % is no longer overdue', async () => {
    const bad = await t.post('hongta', `/api/responsibilities/tasks/${evidenceTask}/progress`, { percent: 101, text: '已完成' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toContain('body.percent');
    const foreignFile = await createFile(t, { orgUnitId: (await t.unit('530403')).id });
    const foreign = await t.post('hongta', `/api/responsibilities/tasks/${evidenceTask}/progress`, {
      percent: 50,
      text: '整治过半',
      fileIds: [foreignFile],
    });
    expect(foreign.statusCode).toBe(400);
    expect(JSON.stringify(foreign.json().error)).toContain('body.fileIds.0');
    const fileId = await upload('hongta', PDF, '整治方案.pdf');
    const half = await t.post('hongta', `/api/responsibilities/tasks/${evidenceTask}/progress`, {
      percent: 60,
      text: '整治过半',
      fileIds: [fileId],
    });
    expect(half.statusCode, half.body).toBe(201);
    expect(half.json()).toMatchObject({ percent: 60, files: [{ id: fileId, name: '整治方案.pdf' }], reportedBy: 'hongta' });
    expect(await audits('responsibility.progress', half.json().id)).toBe(1);
    const full = await t.post('hongta', `/api/responsibilities/tasks/${evidenceTask}/progress`, { percent: 100, text: '整治完成' });
    expect(full.statusCode).toBe(201);
    const task = (await t.get('hongta', `/api/responsibilities/tasks/${evidenceTask}`)).json();
    expect(task).toMatchObject({ percent: 100, overdue: false });
    expect(task.progress.map((p: { percent: number }) => p.percent)).toEqual([100, 60]);
    // Reported after the deadline: not completed on time.
    expect((await compute('responsibility_task_completion_rate', hongta.id, YEAR)).value).toBe(0);
    const onTime = await t.post('hongta', `/api/responsibilities/tasks/${itemTask}/progress`, { percent: 100, text: '领导小组已成立' });
    expect(onTime.statusCode).toBe(201);
    const rate = await compute('responsibility_task_completion_rate', hongta.id, YEAR);
    expect(rate).toMatchObject({ value: 1 / 3, basis: { records: 3 } });
    expect((await compute('responsibility_task_completion_rate', township.id, YEAR)).value).toBeNull();
  });

  it('the level above checks a task; a unit cannot check itself, a liaison cannot check', async () => {
    const own = await t.post('hongta', `/api/responsibilities/tasks/${evidenceTask}/checks`, { result: 'pass' });
    expect(own.statusCode).toBe(403);
    expect((await t.post('liaison1', `/api/responsibilities/tasks/${evidenceTask}/checks`, { result: 'pass' })).statusCode).toBe(403);
    expect((await t.post('city', `/api/responsibilities/tasks/${evidenceTask}/checks`, { result: 'excellent' })).statusCode).toBe(400);
    const res = await t.post('city', `/api/responsibilities/tasks/${evidenceTask}/checks`, {
      result: 'basic_pass',
      comments: '总结材料不全',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ result: 'basic_pass', comments: '总结材料不全', checkedBy: 'city' });
    expect(await audits('responsibility.check', res.json().id)).toBe(1);
    const task = (await t.get('hongta', `/api/responsibilities/tasks/${evidenceTask}`)).json();
    expect(task.latestCheck).toMatchObject({ result: 'basic_pass' });
  });

  it('shows the five 同 per task: deployed, implemented, checked, assessed, and rewarded once the assessment is final', async () => {
    const fiveSame = async () => {
      const res = await t.get('hongta', `/api/responsibilities/${register.id}/five-same`);
      expect(res.statusCode, res.body).toBe(200);
      const view = res.json();
      const row = (id: string) => view.rows.find((r: { taskId: string }) => r.taskId === id);
      return { view, evidence: row(evidenceTask), item: row(itemTask) };
    };
    const before = await fiveSame();
    expect(before.evidence).toMatchObject({
      deployed: { deadline: '2024-06-30' },
      implemented: { percent: 100, overdue: false },
      checked: { result: 'basic_pass' },
      assessed: { kind: 'evidence', ref: null },
      rewarded: null,
    });
    expect(before.item.assessed).toEqual({ kind: 'assessment_item', ref: '1.1' });
    expect(before.view.result).toBeNull();

    // The city assesses 红塔区 for the register's year; the item task feeds item 1.1.
    const standard = await t.post('city', '/api/assessment/standards', {
      name: '五同测试标准',
      version: String(YEAR),
      items: [
        {
          code: '1',
          title: '组织领导',
          maxPoints: 60,
          kind: 'manual',
          children: [{ code: '1.1', title: '责任分工', maxPoints: 60, kind: 'manual' }],
        },
        { code: '2', title: '宣传', maxPoints: 40, kind: 'manual' },
      ],
    });
    expect(standard.statusCode, standard.body).toBe(201);
    const round = await t.post('city', '/api/assessment/rounds', { year: YEAR, standardId: standard.json().id, level: 'county' });
    expect(round.statusCode, round.body).toBe(201);
    const entry = (await t.get('city', `/api/assessment/rounds/${round.json().id}/entries`))
      .json()
      .items.find((e: { unitCode: string }) => e.unitCode === '530402').id;
    const put = (as: string, url: string, payload: unknown) => t.request(as, { method: 'PUT', url, payload: payload as object });
    const selfCheck = await put('hongta', `/api/assessment/entries/${entry}/self-check`, {
      scores: [
        { itemCode: '1.1', points: 50 },
        { itemCode: '2', points: 30 },
      ],
    });
    expect(selfCheck.statusCode, selfCheck.body).toBe(200);
    expect((await t.post('hongta', `/api/assessment/entries/${entry}/submit`)).statusCode).toBe(200);
    const submitted = await fiveSame();
    expect(submitted.view.result).toMatchObject({ entryId: entry, status: 'submitted', finalScore: null, grade: null });
    expect(submitted.item.rewarded).toEqual({ itemPoints: null });

    const review = await put('city', `/api/assessment/entries/${entry}/review`, {
      scores: [{ itemCode: '1.1', points: 45, reason: '分工文件未覆盖乡镇' }],
    });
    expect(review.statusCode, review.body).toBe(200);
    expect((await t.post('city', `/api/assessment/entries/${entry}/finalize`)).statusCode).toBe(200);
    const final = await fiveSame();
    expect(final.view.result).toMatchObject({ status: 'final', finalScore: 75, grade: '合格', vetoed: false, titles: [] });
    expect(final.item.rewarded).toEqual({ itemPoints: 45 });
    expect(final.evidence.rewarded).toEqual({ itemPoints: null });
    // Another county's accounts see neither the register nor its result.
    expect((await t.get('jiangchuan', `/api/responsibilities/${register.id}/five-same`)).statusCode).toBe(404);
  });

  it('changes and removes tasks with the version read', async () => {
    const task = (await t.get('hongta', `/api/responsibilities/tasks/${itemTask}`)).json();
    const stale = await t.patch('hongta', `/api/responsibilities/tasks/${itemTask}`, { title: '改', version: task.version + 1 });
    expect(stale.statusCode).toBe(409);
    const changed = await t.patch('hongta', `/api/responsibilities/tasks/${itemTask}`, { ownerName: '王某', version: task.version });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ ownerName: '王某', measureRef: '1.1' });
    const removed = await t.del('hongta', `/api/responsibilities/tasks/${itemTask}`, { version: changed.json().version });
    expect(removed.statusCode).toBe(204);
    expect((await t.get('hongta', `/api/responsibilities/tasks/${itemTask}`)).statusCode).toBe(404);
  });
});

describe('the work plan deadline', () => {
  it('the city sets it per year; a plan dated after it is late and the indicator turns 0', async () => {
    expect((await t.get('hongta', `/api/responsibilities/deadline?year=${YEAR}`)).json()).toEqual({
      year: YEAR,
      planDeadline: `${YEAR}-03-31`,
      isDefault: true,
    });
    const county = await t.request('hongta', {
      method: 'PUT',
      url: `/api/responsibilities/deadline/${YEAR}`,
      payload: { planDeadline: '2024-03-10' },
    });
    expect(county.statusCode).toBe(403);
    const bad = await t.request('city', {
      method: 'PUT',
      url: `/api/responsibilities/deadline/${YEAR}`,
      payload: { planDeadline: '2024-02-31' },
    });
    expect(bad.statusCode).toBe(400);
    const res = await t.request('city', {
      method: 'PUT',
      url: `/api/responsibilities/deadline/${YEAR}`,
      payload: { planDeadline: '2024-03-10' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ year: YEAR, planDeadline: '2024-03-10', isDefault: false });
    expect((await t.get('hongta', `/api/responsibilities/${register.id}`)).json().workPlan).toMatchObject({
      deadline: '2024-03-10',
      status: 'late',
    });
    expect((await compute('work_plan_on_time', hongta.id, YEAR)).value).toBe(0);
  });

  it('changes the leaders with the version read', async () => {
    const current = (await t.get('hongta', `/api/responsibilities/${register.id}`)).json();
    const stale = await t.patch('hongta', `/api/responsibilities/${register.id}`, { leader: { name: '赵' }, version: current.version + 5 });
    expect(stale.statusCode).toBe(409);
    const res = await t.patch('hongta', `/api/responsibilities/${register.id}`, {
      leaderInCharge: { name: '（测试）赵副局长', post: '副局长', phone: '' },
      version: current.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().leaderInCharge).toEqual({ name: '（测试）赵副局长', post: '副局长', phone: null });
    expect(res.json().leader).toEqual(leaders.leader);
    expect(await audits('responsibility.update', register.id)).toBe(1);
  });

  it('a county reads and keeps the document the city filed on its register; another county does not read it', async () => {
    const fileId = await upload('city', PDF, '市级代传工作方案.pdf');
    expect((await t.get('hongta', `/api/files/${fileId}`)).statusCode).toBe(404);
    const current = (await t.get('city', `/api/responsibilities/${register.id}`)).json();
    const byCity = await t.patch('city', `/api/responsibilities/${register.id}`, { workPlan: { fileId }, version: current.version });
    expect(byCity.statusCode, byCity.body).toBe(200);
    // Filed on 红塔区's register, the document is 红塔区's to read (and still the city's).
    for (const as of ['hongta', 'city']) {
      const download = await t.get(as, `/api/files/${fileId}`);
      expect(download.statusCode, as).toBe(200);
      expect(download.rawPayload.equals(PDF)).toBe(true);
    }
    expect((await t.get('jiangchuan', `/api/files/${fileId}`)).statusCode).toBe(404);
    const res = await t.patch('hongta', `/api/responsibilities/${register.id}`, {
      leader: { name: '（测试）张局长' },
      workPlan: { fileId },
      version: byCity.json().version,
    });
    expect(res.statusCode, res.body).toBe(200);
    // Another file of the city's is not the county's to attach.
    const other = await upload('city', PDF, '另一份.pdf');
    const refused = await t.patch('hongta', `/api/responsibilities/${register.id}`, {
      workPlan: { fileId: other },
      version: res.json().version,
    });
    expect(refused.statusCode).toBe(400);
  });
});
