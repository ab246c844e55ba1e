/** The alerts' indicator: how many SOS calls rangers of a unit made in the period. */
import { type IndicatorSink, periodRange } from '../../platform/indicators.js';
import type { AlertsRepo } from './alerts.repo.js';

export function registerAlertIndicators(sink: IndicatorSink, alertsRepo: Pick<AlertsRepo, 'countRaised'>) {
  sink.register({
    key: 'sos_alert_count',
    module: 'alerts',
    name: 'SOS求救告警数',
    nameEn: 'SOS alerts',
    unit: 'count',
    definition: '期间内护林员终端发出的 SOS 求救告警数：告警所在单位在本单位（含下级）内，或发出告警的护林员由本单位内的派出所指挥。',
    definitionEn:
      'SOS alerts raised from rangers’ devices in the period: the alert’s unit lies in the unit (or below it), or its ranger is commanded by a police station of the unit.',
    higherIsBetter: false,
    async compute(tx, unit, period) {
      const count = await alertsRepo.countRaised(tx, { orgPath: unit.path }, { kind: 'sos', from: period.from, to: period.to });
      return {
        value: count,
        basis: { records: count, link: { path: '/alerts', query: { orgUnitId: String(unit.id), kind: 'sos', ...periodRange(period) } } },
      };
    },
  });
}
