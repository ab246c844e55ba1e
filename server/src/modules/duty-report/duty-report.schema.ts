import { z } from 'zod';
import { CalendarDate } from '../../platform/dates.js';

export const DutyReportQuery = z.object({
  date: CalendarDate.describe('the duty day in China Standard Time (00:00–24:00 UTC+8); today or earlier'),
});
export type DutyReportQuery = z.infer<typeof DutyReportQuery>;

/** The sheets of the workbook, in order. */
export const DUTY_REPORT_SHEETS = { summary: '值班概况', incidents: '警情明细', hotspots: '卫星热点' } as const;

export const INCIDENT_SHEET_HEADERS = [
  '警情编号',
  '接警时间',
  '类别',
  '优先级',
  '标题',
  '地点',
  '县区',
  '状态',
  '出动力量',
  '首到现场时间',
  '处置完毕时间',
  '响应时长(分钟)',
] as const;

export const HOTSPOT_SHEET_HEADERS = [
  '发现时间',
  '卫星',
  '来源',
  '地点',
  '县区',
  '经度',
  '纬度',
  '核查状态',
  '核查结果',
  '核查时间',
] as const;
