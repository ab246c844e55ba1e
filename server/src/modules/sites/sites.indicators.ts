/** The site register's indicator (notice clause 八): how completely the unit's sites are registered. */
import type { IndicatorSink } from '../../platform/indicators.js';
import type { SitesRepo } from './sites.repo.js';

export function registerSiteIndicators(sink: IndicatorSink, sitesRepo: Pick<SitesRepo, 'registerCompleteness'>) {
  sink.register({
    key: 'site_register_completeness',
    module: 'sites',
    name: '防控站点台账完整率',
    nameEn: 'Site register completeness',
    unit: 'ratio',
    definition:
      '本单位（含下级）在期末前登记、目前仍在台账中的站点里，必填项齐全的比例。所有站点必填：地址、联系电话、负责人；木材检查站、派出所、警务站（室）、临时卡口、流动检查点另须填写值守人数和值守时间；木材检查站须填等级；流动检查点须填启用期起止。没有站点时无数值。',
    definitionEn:
      'Of the sites of the unit (or below it) registered before the period’s end and still in the register, the share with every required field filled. Every site: address, phone and person in charge; timber checkpoints, police stations, police posts, temporary and mobile checkpoints also staff on duty and duty hours; timber checkpoints their grade; mobile checkpoints the start and end of their active period. No value when there are no sites.',
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { total, complete } = await sitesRepo.registerCompleteness(tx, { orgPath: unit.path }, period.to);
      return {
        value: total > 0 ? Math.round((complete / total) * 10_000) / 10_000 : null,
        basis: { records: total, link: { path: '/sites', query: { orgUnitId: String(unit.id) } } },
      };
    },
  });
}
