import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * The code of the county a unit lies in (or is), from the unit's path: a SQL expression for a
 * select list. Null for the city and anything above the counties. High-volume records carry it so
 * their county is known without a join (positions, captures, cameras' events).
 */
export const countyCodeAt = (unitPath: SQL | AnyColumn) =>
  sql<
    string | null
  >`(SELECT county.code FROM org_units county WHERE county.kind = 'county' AND ${unitPath} LIKE county.path || '%' LIMIT 1)`;
