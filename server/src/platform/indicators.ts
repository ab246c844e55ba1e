/**
 * The indicator registry: the seam through which every module with figures offers them to the
 * assessment (notice clause 五), the goals dashboard and the big screen. A module registers named
 * indicators when it is created; each computes its value for one org unit (and its subtree) and
 * one period, and says which records it counted, so that a score built on it can be explained.
 *
 * Modules never read each other's tables for this: the patrol network computes the on-post rate,
 * the command centre the response time, and the assessment only asks the registry.
 */
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/connection.js';

/** A period in China Standard Time: a whole year, or one month of it. */
export type IndicatorPeriod = {
  year: number;
  /** 1–12 for a month; absent for the whole year. */
  month?: number;
  /** Start (inclusive) and end (exclusive) as instants. */
  from: Date;
  to: Date;
};

/** The org unit an indicator is computed for; its subtree counts with it. */
export type IndicatorUnit = {
  id: number;
  code: string | null;
  name: string;
  kind: string;
  /** Materialised path, `/1/4/`. */
  path: string;
};

/** Where a value came from: how many records, and where in the app a person finds them. */
export type IndicatorBasis = {
  /** Records the value was computed from (rangers, incidents, hotspots, sites …). */
  records: number;
  /** The web route listing those records, with its query, e.g. `{path: '/incidents', query: {from, to, orgUnitId}}`. */
  link?: { path: string; query: Record<string, string> };
};

export type IndicatorValue = {
  /** `null` when nothing could be counted (no rangers, no incidents in the period). */
  value: number | null;
  basis: IndicatorBasis;
};

export type IndicatorDefinition = {
  /** snake_case and stable: standards refer to it (`ranger_on_post_rate`). */
  key: string;
  /** The module contributing it. */
  module: string;
  name: string;
  nameEn: string;
  /** `ratio` (0..1), `km`, `hours`, `minutes`, `count`, `percent`, `yes_no` (1 or 0). */
  unit: 'ratio' | 'km' | 'hours' | 'minutes' | 'count' | 'percent' | 'yes_no';
  /** How it is computed, in words a county official reads next to the figure. */
  definition: string;
  definitionEn: string;
  /** Whether a bigger value is better (scoring curves and charts read it). */
  higherIsBetter: boolean;
  compute(tx: Tx, unit: IndicatorUnit, period: IndicatorPeriod): Promise<IndicatorValue>;
};

const KEY = /^[a-z][a-z0-9_]*$/;

/** What a definition shows to people and other modules: everything but its computation. */
export const describeIndicator = ({ compute: _compute, ...definition }: IndicatorDefinition) => definition;
const CST_OFFSET_MS = 8 * 3600_000;

/** The year, or one month of it, as a period in China Standard Time. */
export function indicatorPeriod(year: number, month?: number): IndicatorPeriod {
  const from = new Date(Date.UTC(year, month === undefined ? 0 : month - 1, 1) - CST_OFFSET_MS);
  const to = new Date(Date.UTC(month === undefined ? year + 1 : year, month === undefined ? 0 : month, 1) - CST_OFFSET_MS);
  return month === undefined ? { year, from, to } : { year, month, from, to };
}

/** The period as the list pages' `from`/`to` query (ISO instants; `to` exclusive). */
export function periodRange(period: IndicatorPeriod): { from: string; to: string } {
  return { from: period.from.toISOString(), to: period.to.toISOString() };
}

/** The period as the pages that take a calendar period read it: `month=YYYY-MM` or `year=YYYY`. */
export function periodCalendar(period: IndicatorPeriod): { month: string } | { year: string } {
  return period.month === undefined ? { year: String(period.year) } : { month: `${period.year}-${String(period.month).padStart(2, '0')}` };
}

/**
 * One computation shared by several indicators of a module (the patrol network's figures come from
 * one statement): run once per transaction, unit and period, however many indicators read it.
 * Called outside a transaction (on the database handle itself, which lives as long as the app) it
 * computes every time: a cache on that handle would answer yesterday's figures.
 */
export function perTransaction<T>(compute: (tx: Tx, unit: IndicatorUnit, period: IndicatorPeriod) => Promise<T>) {
  const cache = new WeakMap<Tx, Map<string, Promise<T>>>();
  return (tx: Tx, unit: IndicatorUnit, period: IndicatorPeriod): Promise<T> => {
    if (!(tx instanceof PgTransaction)) return compute(tx, unit, period);
    let runs = cache.get(tx);
    if (!runs) {
      runs = new Map();
      cache.set(tx, runs);
    }
    const key = `${unit.id} ${period.from.toISOString()} ${period.to.toISOString()}`;
    let run = runs.get(key);
    if (!run) {
      run = compute(tx, unit, period);
      runs.set(key, run);
    }
    return run;
  };
}

export function createIndicatorRegistry() {
  const definitions = new Map<string, IndicatorDefinition>();
  return {
    /** Adds an indicator; a key registered twice is a programming error. */
    register(definition: IndicatorDefinition): void {
      if (!KEY.test(definition.key)) throw new Error(`indicator key must be snake_case: ${definition.key}`);
      if (definitions.has(definition.key)) throw new Error(`indicator registered twice: ${definition.key}`);
      definitions.set(definition.key, definition);
    },
    /** Every indicator, in the order modules registered them. */
    list(): IndicatorDefinition[] {
      return [...definitions.values()];
    },
    get(key: string): IndicatorDefinition | undefined {
      return definitions.get(key);
    },
  };
}
export type IndicatorRegistry = ReturnType<typeof createIndicatorRegistry>;
/** What a module contributing indicators is handed. */
export type IndicatorSink = Pick<IndicatorRegistry, 'register'>;
