import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';

export function createSystemRepo() {
  return {
    /** The PostGIS library the database runs: asking for it also proves the database answers. */
    async postgisVersion(tx: Tx): Promise<string> {
      const { rows } = await tx.execute<{ v: string }>(sql`SELECT postgis_lib_version() AS v`);
      return rows[0].v;
    },
  };
}
export type SystemRepo = ReturnType<typeof createSystemRepo>;
