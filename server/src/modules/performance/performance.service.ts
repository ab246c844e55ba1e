/**
 * Monthly ranger performance (notice clause 七: rangers are commanded, trained and assessed by
 * the forest police), with the effort measures of SMART and the rates Chinese ranger platforms
 * report:
 *
 * - patrol days: days (China Standard Time) on which the ranger was on patrol at any moment;
 * - patrol hours: time on patrol inside the month (an active patrol counts up to now);
 * - patrol km: what each patrol's track counts inside the month (one device at a time, no
 *   impossible jumps: positions/track.ts);
 * - online days: days with at least one fix received from the ranger's devices;
 * - on-post rate 上岗率 = patrol days / days counted; online rate 上线率 = online days / days counted,
 *   where days counted are the month's days up to and including today (all of them for a past
 *   month, none for a future one);
 * - coverage: share of the ~500 m cells of the ranger's assigned area that hold at least one
 *   fix of the month's track (on patrol or not);
 * - check-ins and field reports made in the month.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { subtreeFilter } from '../../platform/scope.js';
import { writeWorkbook } from '../../platform/spreadsheet.js';
import { DEFAULT_ANALYZER_SETTINGS } from '../alerts/alerts.schema.js';
import { type TrackRules, trackRulesOf } from '../positions/track.js';
import type { MonthWindow, PerformanceRepo, RangerFiguresRow, UnitFiguresRow } from './performance.repo.js';
import {
  PERFORMANCE_SHEET_COLUMNS,
  type PerformanceLevel,
  type PerformanceQuery,
  type RangerPerformance,
  type UnitPerformance,
} from './performance.schema.js';

type Deps = {
  db: Db;
  performanceRepo: PerformanceRepo;
  /** What tracks and their km and coverage leave out (the analyzer settings of the moment). */
  trackRules?: () => TrackRules;
  now?: () => Date;
};

const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The month `YYYY-MM` in China Standard Time, and how many of its days have begun by `now`. */
export function monthWindow(month: string, now: Date): MonthWindow {
  const [year, number] = month.split('-').map(Number);
  const from = new Date(Date.UTC(year, number - 1, 1) - CST_OFFSET_MS);
  const to = new Date(Date.UTC(year, number, 1) - CST_OFFSET_MS);
  let daysCounted: number;
  if (now >= to) daysCounted = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  else if (now < from) daysCounted = 0;
  else daysCounted = Math.floor((now.getTime() - from.getTime()) / DAY_MS) + 1;
  return { from, to, now, daysCounted };
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const roundRate = (value: number | null) => (value === null ? null : round(Number(value), 4));

/** The figures a ranger and a unit have alike, from their row. */
function presentFigures(r: RangerFiguresRow | UnitFiguresRow) {
  return {
    patrolDays: Number(r.patrol_days),
    patrolHours: round(Number(r.patrol_hours), 2),
    patrolKm: round(Number(r.patrol_km), 2),
    onlineDays: Number(r.online_days),
    onPostRate: roundRate(r.on_post_rate),
    onlineRate: roundRate(r.online_rate),
    coverage: roundRate(r.coverage),
    checkins: Number(r.checkins),
    reports: Number(r.reports),
  };
}

function presentRanger(r: RangerFiguresRow): RangerPerformance {
  return {
    rangerId: r.ranger_id,
    rangerName: r.ranger_name,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    countyId: r.county_id,
    countyName: r.county_name,
    ...presentFigures(r),
    visitedCells: Number(r.visited_cells),
    areaCells: r.area_cells === null ? null : Number(r.area_cells),
  };
}

function presentUnit(r: UnitFiguresRow): UnitPerformance {
  return {
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    orgUnitKind: r.org_unit_kind,
    countyName: r.county_name,
    rangers: Number(r.rangers),
    ...presentFigures(r),
  };
}

export function createPerformanceService({
  db,
  performanceRepo,
  trackRules = () => trackRulesOf(DEFAULT_ANALYZER_SETTINGS),
  now = () => new Date(),
}: Deps) {
  async function rangers(actor: Actor, query: PerformanceQuery) {
    const window = monthWindow(query.month, now());
    const rows = await performanceRepo.rangers(db, actor, window, trackRules(), await subtreeFilter(db, actor, query.orgUnitId));
    return { month: query.month, from: window.from, to: window.to, daysCounted: window.daysCounted, items: rows.map(presentRanger) };
  }

  return {
    /** Each ranger's figures for the month, for rangers assigned to or commanded by the actor's subtree. */
    rangers,

    /** The month's figures per grid, township or county: sums of counts, hours and km, means of the rates. */
    async summary(actor: Actor, query: PerformanceQuery & { level: PerformanceLevel }) {
      const window = monthWindow(query.month, now());
      const rows = await performanceRepo.units(
        db,
        actor,
        window,
        query.level,
        trackRules(),
        await subtreeFilter(db, actor, query.orgUnitId),
      );
      return {
        month: query.month,
        from: window.from,
        to: window.to,
        daysCounted: window.daysCounted,
        level: query.level,
        items: rows.map(presentUnit),
      };
    },

    /** The rangers' figures as an Excel workbook with Chinese headers. */
    async exportWorkbook(actor: Actor, query: PerformanceQuery) {
      const { items } = await rangers(actor, query);
      return writeWorkbook(`护林员绩效 ${query.month}`, PERFORMANCE_SHEET_COLUMNS, items);
    },
  };
}
export type PerformanceService = ReturnType<typeof createPerformanceService>;
