/**
 * The hotspot indicator (notice clause 十: every satellite hotspot is checked on the ground and
 * fed back in time): the share of a unit's hotspots whose check was fed back within 24 hours of
 * the satellite's detection.
 */
import { type IndicatorSink, periodRange } from '../../platform/indicators.js';
import type { HotspotsRepo } from './hotspots.repo.js';

/** Hours from detection within which the ground check is to be fed back. */
export const CHECK_FEEDBACK_HOURS = 24;

export function registerHotspotIndicators(sink: IndicatorSink, hotspotsRepo: Pick<HotspotsRepo, 'checkFeedbackWithin'>, now: () => Date) {
  sink.register({
    key: 'hotspot_check_within_24h_rate',
    module: 'hotspots',
    name: '热点24小时核查反馈率',
    nameEn: 'Hotspots checked within 24 h',
    unit: 'ratio',
    definition:
      '期间内卫星监测到、位于本单位（含下级）内的热点中，地面核查结果在监测时间后 24 小时内反馈的比例。监测不足 24 小时且尚未反馈的热点暂不计入；没有热点时无数值。',
    definitionEn:
      'Of the satellite hotspots detected in the period inside the unit (or below it), the share whose ground check was fed back within 24 hours of detection. Hotspots detected less than 24 hours ago and not yet fed back are not counted yet; no value when there were none.',
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { due, within } = await hotspotsRepo.checkFeedbackWithin(
        tx,
        { orgPath: unit.path },
        { ...period, now: now(), hours: CHECK_FEEDBACK_HOURS },
      );
      return {
        value: due > 0 ? Math.round((within / due) * 10_000) / 10_000 : null,
        basis: { records: due, link: { path: '/hotspots', query: { orgUnitId: String(unit.id), ...periodRange(period) } } },
      };
    },
  });
}
