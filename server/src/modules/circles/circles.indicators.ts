/** The prevention circles' indicator (notice clause 八): how much of a city's or county's border its checkpoints cover. */
import type { IndicatorSink } from '../../platform/indicators.js';
import type { CirclesService } from './circles.service.js';

export function registerCircleIndicators(sink: IndicatorSink, circles: Pick<CirclesService, 'coverageIn'>, now: () => Date) {
  sink.register({
    key: 'circle_coverage_percent',
    module: 'circles',
    name: '防控圈覆盖率',
    nameEn: 'Prevention circle coverage',
    unit: 'percent',
    definition:
      '市级或县级防控圈（本级行政区界线）上，距在用成员检查站点不超过设定距离（默认 10 公里）的界线长度占界线总长的百分比，按期末（或当前，期末未到时）计算；流动检查点只在布设期间按布设地点计入。乡镇等其他单位无数值。',
    definitionEn:
      'Of the border of the city’s or the county’s prevention circle, the percentage lying within the set distance (10 km by default) of a member checkpoint in use, at the period’s end (or now, before it); a mobile checkpoint counts only while deployed, where it is deployed. No value for other units.',
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const current = now();
      const at = period.to > current ? current : new Date(period.to.getTime() - 1);
      const circle = unit.kind === 'city' || unit.kind === 'county' ? await circles.coverageIn(tx, unit.id, at) : null;
      if (!circle) return { value: null, basis: { records: 0 } };
      return {
        value: circle.coveragePercent,
        basis: { records: circle.members.length, link: { path: '/circles', query: { circle: String(circle.id) } } },
      };
    },
  });
}
