/**
 * Ranger performance by month or year (notice clause 七: rangers are commanded, trained and
 * assessed by the forest police), with the effort measures of SMART and the rates Chinese ranger
 * platforms report:
 *
 * - patrol days: days (China Standard Time) on which the ranger was on patrol at any moment;
 * - patrol hours: time on patrol inside the period (an active patrol counts up to now);
 * - patrol km: what each patrol's track counts inside the period (one device at a time, no
 *   impossible jumps: positions/track.ts);
 * - online days: days with at least one fix received from the ranger's devices;
 * - on-post rate 上岗率 = patrol days / days counted; online rate 上线率 = online days / days counted,
 *   where days counted are the period's days up to and including today (all of them for a past
 *   period, none for a future one);
 * - coverage: share of the ~500 m cells of the ranger's assigned area that hold at least one
 *   fix of the period's track (on patrol or not);
 * - check-ins and field reports made in the period.
 *
 * A unit's figures (the summary's rows) are also the patrol network's indicators
 * (performance.indicators.ts): both come from `unitRow` below, so the assessment's on-post rate
 * is the figure this page shows.
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { indicatorPeriod } from '../../platform/indicators.js';
import { type Scope, subtreeFilter } from '../../platform/scope.js';
import { writeWorkbook } from '../../platform/spreadsheet.js';
import { DEFAULT_ANALYZER_SETTINGS } from '../alerts/alerts.schema.js';
import { type TrackRules, trackRulesOf } from '../positions/track.js';
import type { PerformanceRepo, PeriodWindow, RangerFiguresRow, UnitFiguresRow } from './performance.repo.js';
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

const DAY_MS = 86_400_000;

/** A calendar year, or one month of it (1–12), in China Standard Time. */
export type Period = { year: number; month?: number };

/** The period in China Standard Time, and how many of its days have begun by `now`. */
export function periodWindow(period: Period, now: Date): PeriodWindow {
  const { from, to } = indicatorPeriod(period.year, period.month);
  let daysCounted: number;
  if (now >= to) daysCounted = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  else if (now < from) daysCounted = 0;
  else daysCounted = Math.floor((now.getTime() - from.getTime()) / DAY_MS) + 1;
  return { from, to, now, daysCounted };
}

/** The month `YYYY-MM` in China Standard Time, and how many of its days have begun by `now`. */
export function monthWindow(month: string, now: Date): PeriodWindow {
  const [year, number] = month.split('-').map(Number);
  return periodWindow({ year, month: number }, now);
}

/** The period a query names: `month=YYYY-MM` or `year=YYYY` (the schema lets exactly one through). */
function periodOf(query: Pick<PerformanceQuery, 'month' | 'year'>): Period {
  if (query.month) {
    const [year, month] = query.month.split('-').map(Number);
    return { year, month };
  }
  return { year: Number(query.year) };
}

/** What a list says about its period. */
const describePeriod = (query: Pick<PerformanceQuery, 'month' | 'year'>, period: Period, window: PeriodWindow) => ({
  ...(query.month ? { month: query.month } : {}),
  year: period.year,
  from: window.from,
  to: window.to,
  daysCounted: window.daysCounted,
});

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
    const period = periodOf(query);
    const window = periodWindow(period, now());
    const rows = await performanceRepo.rangers(db, actor, window, trackRules(), await subtreeFilter(db, actor, query.orgUnitId));
    return { ...describePeriod(query, period, window), items: rows.map(presentRanger) };
  }

  /**
   * The summary's rows per unit of `level` (an org unit kind) among the rangers of `scope`: the one
   * computation behind both the summary and the patrol network's indicators.
   */
  async function unitRows(tx: Tx, scope: Scope, window: PeriodWindow, level: string, subtreePath?: string) {
    const rows = await performanceRepo.units(tx, scope, window, level, trackRules(), subtreePath);
    return rows.map(presentUnit);
  }

  return {
    /** Each ranger's figures for the period, for rangers assigned to or commanded by the actor's subtree. */
    rangers,

    /** The period's figures per grid, township or county: sums of counts, hours and km, means of the rates. */
    async summary(actor: Actor, query: PerformanceQuery & { level: PerformanceLevel }) {
      const period = periodOf(query);
      const window = periodWindow(period, now());
      const items = await unitRows(db, actor, window, query.level, await subtreeFilter(db, actor, query.orgUnitId));
      return { ...describePeriod(query, period, window), level: query.level, items };
    },

    /**
     * One unit's figures for a period, as the summary shows the unit (asked for at the unit's own
     * kind, `orgUnitId` the unit): the rangers assigned to its subtree. Null when it has none.
     */
    async unitFigures(tx: Tx, unit: { id: number; kind: string; path: string }, period: Period): Promise<UnitPerformance | null> {
      const rows = await unitRows(tx, { orgPath: unit.path }, periodWindow(period, now()), unit.kind);
      return rows.find((r) => r.orgUnitId === unit.id) ?? null;
    },

    /** Check-ins made against check-ins expected on the patrols of the unit's subtree in the period. */
    checkinCompliance: (tx: Tx, unit: { path: string }, period: Period) =>
      performanceRepo.checkinCompliance(tx, { orgPath: unit.path }, indicatorPeriod(period.year, period.month)),

    /** The rangers' figures as an Excel workbook with Chinese headers. */
    async exportWorkbook(actor: Actor, query: PerformanceQuery) {
      const { items } = await rangers(actor, query);
      return writeWorkbook(`护林员绩效 ${query.month ?? query.year}`, PERFORMANCE_SHEET_COLUMNS, items);
    },
  };
}
export type PerformanceService = ReturnType<typeof createPerformanceService>;
