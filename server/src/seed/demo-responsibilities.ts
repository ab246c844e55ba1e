import type { Tx } from '../db/connection.js';
import { createResponsibilitiesRepo } from '../modules/responsibilities/responsibilities.repo.js';
import type { MeasureKind } from '../modules/responsibilities/responsibilities.schema.js';
import type { Actor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';
import { cstYear } from '../platform/dates.js';
import { createOrgRepo } from '../platform/org/org.repo.js';

/**
 * Demonstration responsibility registers (notice clause 三) for the year the demo starts in, so
 * the register page is not empty on first start. Every name and title says 演示 (demo): the
 * leaders are not the real office holders, and no work plan document is attached (the plan
 * status shows as such). The tasks are the notice's own measures.
 */
type DemoTask = {
  title: string;
  owner: string;
  month: number;
  day: number;
  kind: MeasureKind;
  ref?: string;
  note?: string;
  percent?: number;
};

const DEMO_REGISTERS: { code: string; leader: [string, string]; inCharge: [string, string]; planDay?: string; tasks: DemoTask[] }[] = [
  {
    code: '530402',
    leader: ['（演示）主要领导', '区林业和草原局局长'],
    inCharge: ['（演示）分管领导', '区林业和草原局副局长'],
    planDay: '03-12',
    tasks: [
      {
        title: '成立平安林区创建工作领导小组，明确主要领导负总责、分管领导具体抓',
        owner: '局办公室',
        month: 3,
        day: 31,
        kind: 'assessment_item',
        ref: '1.1',
        percent: 100,
      },
      {
        title: '按期制定年度平安林区创建工作方案',
        owner: '局办公室',
        month: 3,
        day: 31,
        kind: 'indicator',
        ref: 'work_plan_on_time',
      },
      {
        title: '整合乡镇林业站、木材检查站执法人员，由森林公安统一开展执法',
        owner: '森林公安分局',
        month: 6,
        day: 30,
        kind: 'evidence',
        note: '整合方案、人员名册',
        percent: 40,
      },
      {
        title: '开展林区矛盾纠纷排查调处，建立台账',
        owner: '林政股',
        month: 12,
        day: 31,
        kind: 'evidence',
        note: '排查台账、调处记录',
        percent: 70,
      },
    ],
  },
  {
    code: '530403',
    leader: ['（演示）主要领导', '区林业和草原局局长'],
    inCharge: ['（演示）分管领导', '区林业和草原局副局长'],
    tasks: [
      { title: '建立县区联络员制度，明确联络员', owner: '局办公室', month: 4, day: 30, kind: 'assessment_item', ref: '1.3' },
      {
        title: '在重点林区开展森林公安派出所“五化”建设',
        owner: '森林公安分局',
        month: 11,
        day: 30,
        kind: 'evidence',
        note: '“五化”建设验收材料',
      },
    ],
  },
  {
    code: '530481',
    leader: ['（演示）主要领导', '市林业和草原局局长'],
    inCharge: ['（演示）分管领导', '市林业和草原局副局长'],
    planDay: '04-08',
    tasks: [
      { title: '规范设立临时卡口、流动检查点，构建县际防控圈', owner: '森林公安分局', month: 9, day: 30, kind: 'evidence', percent: 20 },
    ],
  },
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Adds the demo registers of `year` (the current year in China when the demo is seeded). */
export async function seedDemoResponsibilities(tx: Tx, actor: Actor, year = cstYear()) {
  const repo = createResponsibilitiesRepo();
  const orgRepo = createOrgRepo();
  const auditRepo = createAuditRepo();
  for (const demo of DEMO_REGISTERS) {
    const unit = await orgRepo.findByCode(tx, demo.code);
    if (!unit) throw new Error(`Demo register: no org unit ${demo.code}`);
    const id = await repo.insertRegister(tx, {
      orgUnitId: unit.id,
      year,
      leaderName: demo.leader[0],
      leaderPost: demo.leader[1],
      inChargeName: demo.inCharge[0],
      inChargePost: demo.inCharge[1],
      planTitle: demo.planDay ? `（演示）${year}年平安林区创建工作方案` : null,
      planDate: demo.planDay ? `${year}-${demo.planDay}` : null,
      createdBy: actor.username,
    });
    if (!id) continue;
    const entries = [{ action: 'responsibility.create', entity: 'responsibility_register', entityId: id, orgUnitId: unit.id, after: demo }];
    for (const task of demo.tasks) {
      const taskId = await repo.insertTask(tx, {
        registerId: id,
        orgUnitId: unit.id,
        title: task.title,
        ownerUnit: task.owner,
        deadline: `${year}-${pad(task.month)}-${pad(task.day)}`,
        measureKind: task.kind,
        measureRef: task.ref ?? null,
        measureNote: task.note ?? null,
        createdBy: actor.username,
      });
      if (task.percent !== undefined)
        await repo.insertProgress(
          tx,
          {
            taskId,
            orgUnitId: unit.id,
            percent: task.percent,
            text: '（演示）进度说明',
            reportedBy: actor.username,
            reportedByName: '演示数据',
          },
          [],
        );
    }
    await auditRepo.insert(tx, actor, entries);
  }
}
