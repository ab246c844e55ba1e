/**
 * The command centre's incident indicators: how many incidents a unit had in the period (in all
 * and per category of notice clause 十), how many major forest fires, and how fast the first unit
 * reached the scene. The records are the incidents the list page shows with the same filter.
 */
import { type IndicatorPeriod, type IndicatorSink, type IndicatorUnit, periodRange, perTransaction } from '../../platform/indicators.js';
import type { IncidentsRepo } from './incidents.repo.js';
import { INCIDENT_STATUSES, type IncidentFilter, type IncidentStatus } from './incidents.schema.js';

const MODULE = 'incidents';

/** Merged incidents are counted in the incident they were merged into; false alarms were no incident. */
export const COUNTED_STATUSES = INCIDENT_STATUSES.filter((s) => s !== 'merged' && s !== 'false_alarm') as IncidentStatus[];

const COUNTED_ZH = '计入的警情：报警时间在期间内、位置在本单位（含下级）内的警情，不含已合并到其他警情的重复报警和误报。';
const COUNTED_EN =
  'Incidents counted: those reported in the period and located in the unit (or below it), leaving out repeats merged into another incident and false alarms.';

/** The list filter of the counted incidents (of a category, of a priority). */
function filterOf(period: IndicatorPeriod, narrower: { category?: string; priority?: '1' } = {}): IncidentFilter {
  return {
    status: COUNTED_STATUSES,
    from: period.from,
    to: period.to,
    ...(narrower.category ? { category: [narrower.category] } : {}),
    ...(narrower.priority ? { priority: [narrower.priority] } : {}),
  };
}

/** The incident list at the unit, the period and the filter (lists as comma-separated values). */
function incidentsLink(unit: IndicatorUnit, period: IndicatorPeriod, narrower: { category?: string; priority?: '1' } = {}) {
  return {
    path: '/incidents',
    query: {
      orgUnitId: String(unit.id),
      ...periodRange(period),
      status: COUNTED_STATUSES.join(','),
      ...(narrower.category ? { category: narrower.category } : {}),
      ...(narrower.priority ? { priority: narrower.priority } : {}),
    },
  };
}

/** The categories with an indicator of their own: key, names and the category code. */
const CATEGORY_COUNTS = [
  {
    key: 'forest_fire_incident_count',
    category: 'forest_fire',
    name: '森林火灾警情数',
    nameEn: 'Forest fire incidents',
    what: '森林火灾',
    whatEn: 'forest fire',
  },
  {
    key: 'dispute_incident_count',
    category: 'dispute',
    name: '林权纠纷警情数',
    nameEn: 'Forest tenure dispute incidents',
    what: '林权纠纷',
    whatEn: 'forest tenure dispute',
  },
  {
    key: 'illegal_logging_incident_count',
    category: 'illegal_logging',
    name: '盗伐滥伐林木警情数',
    nameEn: 'Illegal logging incidents',
    what: '盗伐滥伐林木',
    whatEn: 'illegal logging',
  },
  {
    key: 'land_occupation_incident_count',
    category: 'land_occupation',
    name: '非法占用林地警情数',
    nameEn: 'Illegal land occupation incidents',
    what: '非法占用林地',
    whatEn: 'illegal occupation of forest land',
  },
] as const;

export function registerIncidentIndicators(sink: IndicatorSink, incidentsRepo: Pick<IncidentsRepo, 'indicatorFigures'>) {
  const figures = perTransaction((tx, unit, period) => incidentsRepo.indicatorFigures(tx, { orgPath: unit.path }, filterOf(period)));
  const countOf = (
    groups: { category: string; priority: number; count: number }[],
    match: (g: { category: string; priority: number }) => boolean,
  ) => groups.filter(match).reduce((n, g) => n + g.count, 0);

  sink.register({
    key: 'incident_count',
    module: MODULE,
    name: '警情总数',
    nameEn: 'Incidents',
    unit: 'count',
    definition: `${COUNTED_ZH}各类别合计。`,
    definitionEn: `${COUNTED_EN} All categories.`,
    higherIsBetter: false,
    async compute(tx, unit, period) {
      const { groups } = await figures(tx, unit, period);
      const count = countOf(groups, () => true);
      return { value: count, basis: { records: count, link: incidentsLink(unit, period) } };
    },
  });

  sink.register({
    key: 'incident_median_response_minutes',
    module: MODULE,
    name: '警情到场时间中位数',
    nameEn: 'Median response time',
    unit: 'minutes',
    definition: `计入的警情中已有力量到场的，从报警到第一支力量到场所用分钟数的中位数；没有到场记录时无数值。${COUNTED_ZH}`,
    definitionEn: `Among the incidents counted that a unit reached, the median minutes from the report to the first unit on scene; no value when none was reached. ${COUNTED_EN}`,
    higherIsBetter: false,
    async compute(tx, unit, period) {
      const { responded, medianMinutes } = await figures(tx, unit, period);
      return {
        value: medianMinutes === null ? null : Math.round(medianMinutes * 10) / 10,
        basis: { records: responded, link: incidentsLink(unit, period) },
      };
    },
  });

  sink.register({
    key: 'major_forest_fire_count',
    module: MODULE,
    name: '重大森林火灾数',
    nameEn: 'Major forest fires',
    unit: 'count',
    definition: `类别为森林火灾且优先级为 1（最紧急）的警情数。${COUNTED_ZH}`,
    definitionEn: `Forest fire incidents of priority 1 (the most urgent). ${COUNTED_EN}`,
    higherIsBetter: false,
    async compute(tx, unit, period) {
      const { groups } = await figures(tx, unit, period);
      const count = countOf(groups, (g) => g.category === 'forest_fire' && g.priority === 1);
      return { value: count, basis: { records: count, link: incidentsLink(unit, period, { category: 'forest_fire', priority: '1' }) } };
    },
  });

  for (const c of CATEGORY_COUNTS) {
    sink.register({
      key: c.key,
      module: MODULE,
      name: c.name,
      nameEn: c.nameEn,
      unit: 'count',
      definition: `类别为“${c.what}”的警情数。${COUNTED_ZH}`,
      definitionEn: `Incidents of the category ${c.whatEn}. ${COUNTED_EN}`,
      higherIsBetter: false,
      async compute(tx, unit, period) {
        const { groups } = await figures(tx, unit, period);
        const count = countOf(groups, (g) => g.category === c.category);
        return { value: count, basis: { records: count, link: incidentsLink(unit, period, { category: c.category }) } };
      },
    });
  }
}
