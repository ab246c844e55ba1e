/**
 * The "五化" indicator (notice clause 八: police stations brought to the standard): the share of a
 * unit's forest police stations the county confirmed at 达标 or 示范 for the year.
 */
import type { IndicatorSink } from '../../platform/indicators.js';
import type { StationStandardsRepo } from './station-standards.repo.js';

export function registerStationStandardIndicators(sink: IndicatorSink, repo: Pick<StationStandardsRepo, 'standardShare'>) {
  sink.register({
    key: 'police_station_standard_rate',
    module: 'station-standards',
    name: '森林公安派出所“五化”达标率',
    nameEn: 'Police stations at the "five standards"',
    unit: 'ratio',
    definition:
      '本单位（含下级）站点台账中在期末前登记的森林公安派出所里，当年“五化”建设评定经县级确认为达标或示范的比例。未评定或未确认的派出所按未达标计；没有派出所时无数值。',
    definitionEn:
      'Of the forest police stations in the site register of the unit (or below it) registered before the period’s end, the share whose "five standards" rating of the year the county confirmed at the standard or model level. Stations not rated or not confirmed count as not at the standard; no value when there are no stations.',
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { stations, standard } = await repo.standardShare(tx, { orgPath: unit.path }, period.year, period.to);
      return {
        value: stations > 0 ? Math.round((standard / stations) * 10_000) / 10_000 : null,
        basis: {
          records: stations,
          link: { path: '/station-standards', query: { year: String(period.year), orgUnitId: String(unit.id) } },
        },
      };
    },
  });
}
