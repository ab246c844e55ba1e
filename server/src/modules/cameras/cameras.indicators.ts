/**
 * The camera indicator (notice clause 九: the forest police watch the cameras over the network):
 * the online rate of a unit's cameras, as camera-days with at least one online report.
 */
import type { IndicatorSink } from '../../platform/indicators.js';
import type { CamerasRepo } from './cameras.repo.js';

export function registerCameraIndicators(sink: IndicatorSink, camerasRepo: Pick<CamerasRepo, 'onlineDays'>, now: () => Date) {
  sink.register({
    key: 'camera_online_rate',
    module: 'cameras',
    name: '视频监控在线率',
    nameEn: 'Camera online rate',
    unit: 'ratio',
    definition:
      '期间内本单位（含下级）登记在册的视频监控，按“摄像机·天”计：当天至少上报一次在线心跳（或报警）的天数占在册天数的比例（按北京时间计日，未到的日子不计）。没有摄像机时无数值。',
    definitionEn:
      'Of the camera-days in the period of the cameras registered in the unit (or below it), the share on which the camera reported itself online at least once (a heartbeat or an alarm; days in China Standard Time, days still to come not counted). No value when there are no cameras.',
    higherIsBetter: true,
    async compute(tx, unit, period) {
      const { cameraDays, onlineDays } = await camerasRepo.onlineDays(tx, { orgPath: unit.path }, { ...period, now: now() });
      return {
        value: cameraDays > 0 ? Math.round((onlineDays / cameraDays) * 10_000) / 10_000 : null,
        basis: { records: cameraDays, link: { path: '/cameras', query: { orgUnitId: String(unit.id) } } },
      };
    },
  });
}
