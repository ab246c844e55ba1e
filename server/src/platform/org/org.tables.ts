import { sql } from 'drizzle-orm';
import { type AnyPgColumn, boolean, index, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { multiPolygonColumn, pointColumn } from '../../db/spatial.js';

/**
 * One tree for every org unit: the city, its counties, townships and grids, and the units that
 * hang among them (reserves, forest farms, departments, police stations). `path` is the
 * materialised path of ids (`/1/4/27/`), which is what scope checks match on.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer('parent_id').references((): AnyPgColumn => orgUnits.id),
    path: text('path').notNull(),
    depth: smallint('depth').notNull(),
    kind: text('kind').notNull(),
    code: text('code'),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    area: multiPolygonColumn('area'),
    location: pointColumn('location'),
    approximate: boolean('approximate').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_units_parent_idx').on(t.parentId),
    index('org_units_kind_idx').on(t.kind),
    index('org_units_code_idx').on(t.code),
    index('org_units_area_gist').using('gist', t.area),
  ],
);
