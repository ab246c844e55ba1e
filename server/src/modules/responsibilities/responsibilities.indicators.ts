/**
 * The register's figures for the assessment (notice clause 五): whether the year's work plan was
 * adopted by the deadline — missing it is a veto item of the known standards — and how many of
 * the unit's target tasks were completed by their deadlines. Both count the unit's own register
 * (not its subtree's: each level answers for its own register).
 */
import type { IndicatorSink } from '../../platform/indicators.js';
import type { ResponsibilitiesRepo } from './responsibilities.repo.js';

export function registerResponsibilityIndicators(
  sink: IndicatorSink,
  repo: Pick<ResponsibilitiesRepo, 'workPlanOnTime' | 'taskCompletion'>,
) {
  sink.register({
    key: 'work_plan_on_time',
    module: 'responsibilities',
    name: '年度工作方案按期制定',
    nameEn: 'Work plan adopted on time',
    unit: 'yes_no',
    definition: '本单位当年责任体系中已上传专题研究/工作方案文件，且文件日期不晚于当年规定期限（默认3月31日）的为1，否则为0。',
    definitionEn:
      "1 when the unit's register of the year holds the work plan document, dated on or before the year's deadline (31 March unless set otherwise); 0 otherwise.",
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const plan = await repo.workPlanOnTime(tx, unit.id, period.year);
      return {
        value: plan?.onTime ? 1 : 0,
        basis: {
          records: plan ? 1 : 0,
          link: { path: '/responsibilities', query: { year: String(period.year), orgUnitId: String(unit.id) } },
        },
      };
    },
  });

  sink.register({
    key: 'responsibility_task_completion_rate',
    module: 'responsibilities',
    name: '目标任务按期完成率',
    nameEn: 'Target tasks completed on time',
    unit: 'ratio',
    definition: '本单位当年责任体系的目标任务中，在截止日（含当日，北京时间）前进度报告达到100%的任务所占比例；没有目标任务时不计。',
    definitionEn:
      "Share of the target tasks in the unit's register of the year with a progress report of 100 % made by the end of their deadline day (China Standard Time); none when the unit has no tasks.",
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { tasks, done } = await repo.taskCompletion(tx, unit.id, period.year);
      return {
        value: tasks === 0 ? null : done / tasks,
        basis: { records: tasks, link: { path: '/responsibilities', query: { year: String(period.year), orgUnitId: String(unit.id) } } },
      };
    },
  });
}
