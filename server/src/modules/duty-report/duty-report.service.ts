/**
 * The duty report of a day (值班日报) of the command centre: what happened in the caller's area
 * on one day of China Standard Time — incidents by category, status and source, the median time
 * to the scene, SOS alerts, satellite hotspots and their ground checks, tip-offs — as a workbook.
 *
 * Everything is read through the services of the modules that own the records, each scoped to
 * the caller's subtree; a section the caller's role may not read (hotspots, alerts) says so
 * instead of being filled.
 */
import type { Db } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import { cstDate } from '../../platform/dates.js';
import { validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import type { DispatchService } from '../dispatch/dispatch.service.js';
import { CHECK_RESULT_LABELS, type Hotspot } from '../hotspots/hotspots.schema.js';
import type { HotspotsService } from '../hotspots/hotspots.service.js';
import { INCIDENT_SOURCE_LABELS, INCIDENT_STATUS_LABELS, type Incident } from '../incidents/incidents.schema.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import { TIPOFF_TITLES } from '../tipoffs/tipoffs.schema.js';
import type { TipoffsService } from '../tipoffs/tipoffs.service.js';
import { DUTY_REPORT_SHEETS, HOTSPOT_SHEET_HEADERS, INCIDENT_SHEET_HEADERS } from './duty-report.schema.js';

type Deps = {
  db: Db;
  orgRepo: Pick<OrgRepo, 'findByCode' | 'findInScope'>;
  incidents: Pick<IncidentsService, 'list'>;
  dispatch: Pick<DispatchService, 'assignments'>;
  hotspots: Pick<HotspotsService, 'list'>;
  alerts: Pick<AlertsService, 'list'>;
  tipoffs: Pick<TipoffsService, 'list'>;
  now?: () => Date;
};

const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const PAGE = 500;
/** A day holds far fewer records; past this the report stops reading (and says so). */
const MAX_ROWS = 20_000;

/** Today in China Standard Time, as `YYYY-MM-DD`. */

/** The day `YYYY-MM-DD` of China Standard Time as the instants [from, to). */
export function dayWindow(date: string) {
  const [year, month, day] = date.split('-').map(Number);
  const from = new Date(Date.UTC(year, month - 1, day) - CST_OFFSET_MS);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** `YYYY-MM-DD HH:mm` in China Standard Time. */
const cst = (at: Date | null | undefined) =>
  at ? new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ') : null;

/** Every item of a paged list, page by page. */
async function everything<T>(read: (page: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>) {
  const all: T[] = [];
  for (let page = 1; all.length < MAX_ROWS; page++) {
    const { items, total } = await read({ page, pageSize: PAGE });
    all.push(...items);
    if (items.length < PAGE || all.length >= total) break;
  }
  return all;
}

/** The median of the numbers, or null for none. */
export function median(values: number[]) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const minutes = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 6) / 10);

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'));
}

const CHECK_STATUS_LABELS: Record<Hotspot['checkStatus'], string> = { unassigned: '未派核查', assigned: '核查中', checked: '已核查' };

export function createDutyReportService({ db, orgRepo, incidents, dispatch, hotspots, alerts, tipoffs, now = () => new Date() }: Deps) {
  /** County names by code, for the incidents (they carry the code only). */
  async function countyNames(codes: Iterable<string | null>) {
    const names = new Map<string, string>();
    for (const code of new Set(codes)) {
      if (code) names.set(code, (await orgRepo.findByCode(db, code))?.name ?? code);
    }
    return names;
  }

  return {
    /** The day's report for the actor's subtree; 400 on `querystring.date` for a day that has not begun. */
    async workbook(actor: Actor, date: string): Promise<Buffer> {
      const at = now();
      if (date > cstDate(at))
        throw validationFailed([{ path: 'querystring.date', message: 'the day has not begun yet (China Standard Time)' }]);
      const { from, to } = dayWindow(date);
      const seesHotspots = can(actor, 'hotspots:read');
      const seesAlerts = can(actor, 'alerts:read');

      const dayIncidents = (await everything((page) => incidents.list(actor, { from, to }, page))).sort(
        (a, b) => a.reportedAt.getTime() - b.reportedAt.getTime() || a.code.localeCompare(b.code),
      );
      const units = new Map<string, string>();
      for (const incident of dayIncidents) {
        const { items } = await dispatch.assignments(actor, incident.id);
        units.set(
          incident.id,
          items
            .filter((a) => a.status !== 'declined')
            .map((a) => a.unitName)
            .join('、'),
        );
      }
      const counties = await countyNames(dayIncidents.map((i) => i.countyCode));
      const dayHotspots = seesHotspots
        ? await everything((page) => hotspots.list(actor, { from, to }, { ...page, sort: 'detectedAt' }))
        : [];
      const sos = seesAlerts
        ? await everything((page) => alerts.list(actor, { kind: 'sos', from, to: new Date(to.getTime() - 1), ...page }))
        : [];
      const dayTipoffs = await everything((page) => tipoffs.list(actor, { from, to }, page));

      const ExcelJS = (await import('exceljs')).default;
      const workbook = new ExcelJS.Workbook();
      workbook.creator = 'SafeForest';
      workbook.created = at;

      // ---- summary ----
      const summary = workbook.addWorksheet(DUTY_REPORT_SHEETS.summary);
      summary.columns = [
        { header: '项目', width: 24 },
        { header: '内容', width: 36 },
        { header: '数量', width: 10 },
      ];
      summary.getRow(1).font = { bold: true };
      const line = (item: string, content: string | number | null, count?: number) => summary.addRow([item, content, count ?? null]);
      const section = (title: string) => {
        summary.addRow([]);
        summary.addRow([title]).font = { bold: true };
      };
      line('值班日期', date);
      line('范围', `${(await orgRepo.findInScope(db, actor, actor.orgUnitId))?.name ?? ''} 及所辖单位`);
      line('制表人', `${actor.displayName}（${actor.username}）`);
      line('制表时间', `${cst(at)}（北京时间）`);

      const responses = dayIncidents.map((i) => i.responseSeconds).filter((s): s is number => s !== null);
      section('警情');
      line('警情总数', null, dayIncidents.length);
      line('中位响应时长(分钟)', minutes(median(responses)), responses.length);
      for (const [name, count] of countBy(dayIncidents, (i) => i.categoryName)) line('按类别', name, count);
      for (const [status, count] of countBy(dayIncidents, (i) => INCIDENT_STATUS_LABELS[i.status])) line('按状态', status, count);
      for (const [source, count] of countBy(dayIncidents, (i) => INCIDENT_SOURCE_LABELS[i.source])) line('按来源', source, count);

      section('护林员SOS');
      if (seesAlerts) {
        line('SOS 报警', null, sos.length);
        line('其中未解除', null, sos.filter((a) => a.state !== 'resolved').length);
      } else line('SOS 报警', '无权查看');

      section('卫星热点');
      if (seesHotspots) {
        line('热点总数', null, dayHotspots.length);
        line('已核查', null, dayHotspots.filter((h) => h.checkStatus === 'checked').length);
        line('待核查', null, dayHotspots.filter((h) => h.checkStatus !== 'checked').length);
      } else line('热点总数', '无权查看');

      section('群众举报');
      line('举报总数', null, dayTipoffs.length);
      for (const [category, count] of countBy(dayTipoffs, (t) => TIPOFF_TITLES[t.category].replace('群众举报：', '')))
        line('按类别', category, count);

      // ---- incidents ----
      const incidentSheet = workbook.addWorksheet(DUTY_REPORT_SHEETS.incidents, { views: [{ state: 'frozen', ySplit: 1 }] });
      incidentSheet.columns = INCIDENT_SHEET_HEADERS.map((header) => ({
        header,
        width: header === '标题' || header === '地点' || header === '出动力量' ? 28 : 16,
      }));
      incidentSheet.getRow(1).font = { bold: true };
      for (const i of dayIncidents as Incident[]) {
        incidentSheet.addRow([
          i.code,
          cst(i.reportedAt),
          i.categoryName,
          i.priority,
          i.title,
          i.placeText,
          i.countyCode ? (counties.get(i.countyCode) ?? i.countyCode) : null,
          INCIDENT_STATUS_LABELS[i.status],
          units.get(i.id) || null,
          cst(i.firstOnSceneAt),
          cst(i.resolvedAt),
          minutes(i.responseSeconds),
        ]);
      }

      // ---- hotspots ----
      const hotspotSheet = workbook.addWorksheet(DUTY_REPORT_SHEETS.hotspots, { views: [{ state: 'frozen', ySplit: 1 }] });
      hotspotSheet.columns = HOTSPOT_SHEET_HEADERS.map((header) => ({ header, width: header === '地点' ? 28 : 16 }));
      hotspotSheet.getRow(1).font = { bold: true };
      if (!seesHotspots) hotspotSheet.addRow(['无权查看']);
      for (const h of dayHotspots) {
        hotspotSheet.addRow([
          cst(h.detectedAt),
          h.satellite,
          h.source === 'firms' ? 'FIRMS' : '通报',
          h.placeText,
          h.countyName ?? '玉溪市外',
          h.location.coordinates[0],
          h.location.coordinates[1],
          CHECK_STATUS_LABELS[h.checkStatus],
          h.check?.result ? CHECK_RESULT_LABELS[h.check.result] : null,
          cst(h.check?.checkedAt ?? null),
        ]);
      }
      return Buffer.from(await workbook.xlsx.writeBuffer());
    },
  };
}
export type DutyReportService = ReturnType<typeof createDutyReportService>;
