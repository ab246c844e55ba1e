import { desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Basemap } from './basemaps.schema.js';
import { basemaps } from './basemaps.tables.js';
import type { PackageDescription } from './tile-packages.js';

const columns = {
  id: basemaps.id,
  name: basemaps.name,
  format: basemaps.format,
  tileType: basemaps.tileType,
  minzoom: basemaps.minzoom,
  maxzoom: basemaps.maxzoom,
  west: basemaps.west,
  south: basemaps.south,
  east: basemaps.east,
  north: basemaps.north,
  size: basemaps.size,
  createdAt: basemaps.createdAt,
  vectorLayers: basemaps.vectorLayers,
  attribution: basemaps.attribution,
  fileName: basemaps.fileName,
};

type Row = Pick<typeof basemaps.$inferSelect, keyof typeof columns>;

/** A stored basemap: what the API shows, plus where its file is and how a map draws it. */
export type StoredBasemap = Basemap & { vectorLayers: string[]; attribution: string | null; fileName: string };

const present = ({ west, south, east, north, ...row }: Row): StoredBasemap => ({
  ...row,
  format: row.format as Basemap['format'],
  tileType: row.tileType as Basemap['tileType'],
  bounds: [west, south, east, north],
});

/**
 * Basemaps are installation-wide (every county's map draws the same one), so their queries carry
 * no org scope; the uploader's unit is kept for the audit trail.
 */
export function createBasemapsRepo() {
  return {
    async insert(
      tx: Tx,
      row: Omit<PackageDescription, 'bounds' | 'name'> & {
        id: string;
        name: string;
        bounds: [number, number, number, number];
        fileName: string;
        size: number;
        sha256: string;
        orgUnitId: number;
        uploadedBy: string | null;
      },
    ) {
      const { bounds, ...rest } = row;
      const [west, south, east, north] = bounds;
      const [inserted] = await tx
        .insert(basemaps)
        .values({ ...rest, west, south, east, north })
        .returning(columns);
      return present(inserted);
    },

    async list(tx: Tx) {
      return (await tx.select(columns).from(basemaps).orderBy(desc(basemaps.createdAt))).map(present);
    },

    async find(tx: Tx, id: string) {
      const [row] = await tx.select(columns).from(basemaps).where(eq(basemaps.id, id));
      return row ? present(row) : null;
    },

    async remove(tx: Tx, id: string) {
      await tx.delete(basemaps).where(eq(basemaps.id, id));
    },
  };
}
export type BasemapsRepo = ReturnType<typeof createBasemapsRepo>;
