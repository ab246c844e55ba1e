import { bigint, doublePrecision, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../org/org.tables.js';

/**
 * Offline basemaps: tile packages (MBTiles or PMTiles) an office uploaded so the map has roads,
 * villages and terrain without reaching the internet. The row describes the package; its bytes
 * stay in the data directory's file store (`file_name`), read a tile at a time.
 */
export const basemaps = pgTable('basemaps', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** `mbtiles` | `pmtiles` */
  format: text('format').notNull(),
  /** `png` | `jpg` | `webp` | `pbf` */
  tileType: text('tile_type').notNull(),
  minzoom: smallint('minzoom').notNull(),
  maxzoom: smallint('maxzoom').notNull(),
  west: doublePrecision('west').notNull(),
  south: doublePrecision('south').notNull(),
  east: doublePrecision('east').notNull(),
  north: doublePrecision('north').notNull(),
  /** Layer names of a vector package (from its metadata), for the generic style the map draws it with. */
  vectorLayers: jsonb('vector_layers').$type<string[]>().notNull().default([]),
  attribution: text('attribution'),
  /** The package's file name inside the file store's basemap folder. */
  fileName: text('file_name').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  orgUnitId: integer('org_unit_id')
    .notNull()
    .references(() => orgUnits.id),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
