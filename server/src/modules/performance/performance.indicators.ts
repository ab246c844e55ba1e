/**
 * The patrol network's indicators (notice clause 七): the rangers' on-post and online rates, their
 * patrol km, how many there are, and how faithfully patrols reach their check-in points. The first
 * four are the unit's row of the performance summary itself (`unitFigures`), so the assessment's
 * on-post rate is the figure /api/performance shows for the unit and period.
 */
import { type IndicatorPeriod, type IndicatorSink, type IndicatorUnit, periodCalendar, perTransaction } from '../../platform/indicators.js';
import type { PerformanceService } from './performance.service.js';

const MODULE = 'performance';

/** The performance page, at the unit and period the value was computed for. */
const performanceLink = (unit: IndicatorUnit, period: IndicatorPeriod) => ({
  path: '/performance',
  query: { orgUnitId: String(unit.id), ...periodCalendar(period) },
});

const RANGERS_ZH = '计入的护林员：责任区域在本单位（含下级）内、期间开始时未注销的护林员。';
const RANGERS_EN =
  'Rangers counted: those whose assigned area lies in the unit (or below it) and who were not removed before the period began.';

export function registerPerformanceIndicators(
  sink: IndicatorSink,
  performanceService: Pick<PerformanceService, 'unitFigures' | 'checkinCompliance'>,
) {
  const figures = perTransaction((tx, unit, period) => performanceService.unitFigures(tx, unit, period));

  /** A figure of the unit's row; the rangers counted are its records. */
  const fromFigures =
    (pick: (row: NonNullable<Awaited<ReturnType<typeof figures>>>) => number | null) =>
    async (tx: Parameters<typeof figures>[0], unit: IndicatorUnit, period: IndicatorPeriod) => {
      const row = await figures(tx, unit, period);
      return { value: row ? pick(row) : null, basis: { records: row?.rangers ?? 0, link: performanceLink(unit, period) } };
    };

  sink.register({
    key: 'ranger_on_post_rate',
    module: MODULE,
    name: '护林员上岗率',
    nameEn: 'Ranger on-post rate',
    unit: 'ratio',
    definition: `每名护林员的上岗率 = 巡护天数 ÷ 计入天数（期间内截至今天的天数，按北京时间），本单位取各护林员上岗率的平均值；与“护林员考核”页面该单位该期间的数值相同。${RANGERS_ZH}`,
    definitionEn: `Each ranger's on-post rate = days on patrol ÷ days counted (the period's days up to today, China Standard Time); the unit's figure is the mean of its rangers' rates, the same figure the ranger performance page shows for the unit and period. ${RANGERS_EN}`,
    higherIsBetter: true,
    compute: fromFigures((row) => row.onPostRate),
  });

  sink.register({
    key: 'ranger_online_rate',
    module: MODULE,
    name: '护林员上线率',
    nameEn: 'Ranger online rate',
    unit: 'ratio',
    definition: `每名护林员的上线率 = 终端有定位上报的天数 ÷ 计入天数，本单位取各护林员上线率的平均值。${RANGERS_ZH}`,
    definitionEn: `Each ranger's online rate = days on which their devices sent a position ÷ days counted; the unit's figure is the mean of its rangers' rates. ${RANGERS_EN}`,
    higherIsBetter: true,
    compute: fromFigures((row) => row.onlineRate),
  });

  sink.register({
    key: 'patrol_km_per_ranger',
    module: MODULE,
    name: '人均巡护里程',
    nameEn: 'Patrol km per ranger',
    unit: 'km',
    definition: `期间内各护林员巡护轨迹里程之和 ÷ 护林员人数（轨迹只计有效定位，剔除不可能的跳点）。${RANGERS_ZH}`,
    definitionEn: `The km of the rangers' patrol tracks within the period (valid fixes only, impossible jumps left out) ÷ the number of rangers. ${RANGERS_EN}`,
    higherIsBetter: true,
    compute: fromFigures((row) => (row.rangers > 0 ? Math.round((row.patrolKm / row.rangers) * 100) / 100 : null)),
  });

  sink.register({
    key: 'ranger_count',
    module: MODULE,
    name: '护林员人数',
    nameEn: 'Rangers',
    unit: 'count',
    definition: RANGERS_ZH,
    definitionEn: RANGERS_EN,
    higherIsBetter: true,
    compute: fromFigures((row) => row.rangers),
  });

  sink.register({
    key: 'checkin_compliance',
    module: MODULE,
    name: '巡护打卡完成率',
    nameEn: 'Check-in compliance',
    unit: 'ratio',
    definition:
      '期间内开始的、属于本单位（含下级）的每次巡护，应到达其所属网格（单位）的每个打卡点各一次（巡护开始前已删除的打卡点不计）；完成率 = 实际打卡的“巡护 × 打卡点” ÷ 应打卡的“巡护 × 打卡点”。没有应打卡的巡护时无数值。',
    definitionEn:
      "Each patrol of the unit (or below it) begun in the period is expected to check in once at every check-in point of the patrol's own unit (points removed before the patrol began do not count); compliance = patrol × point pairs checked in ÷ pairs expected. No value when no patrol was expected to check in.",
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { patrols, expected, made } = await performanceService.checkinCompliance(tx, unit, period);
      return {
        value: expected > 0 ? Math.round((made / expected) * 10_000) / 10_000 : null,
        basis: { records: patrols, link: performanceLink(unit, period) },
      };
    },
  });
}
