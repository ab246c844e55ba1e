import type { TestApp } from '../../../test/harness.js';

/** A small JPEG whose segments walk to EOI (SOI, APP0, SOS with entropy data, EOI): a snapshot the ingest accepts. */
export const WHOLE_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xda, 0x00,
  0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd9,
]);

export type Checkpoint = { id: string; name: string; lon: number; lat: number };

/** The demo checkpoints (timber, temporary, mobile) of a county, by its code. */
export async function checkpointsOf(t: TestApp, countyCode: string): Promise<Checkpoint[]> {
  const { rows } = await t.database.pool.query<Checkpoint>(
    `SELECT s.id, s.name, ST_X(s.location) AS lon, ST_Y(s.location) AS lat FROM sites s JOIN org_units o ON o.id = s.org_unit_id
     WHERE s.kind IN ('timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint') AND s.deleted_at IS NULL
       AND o.path LIKE (SELECT path FROM org_units WHERE code = $1) || '%'
     ORDER BY s.name`,
    [countyCode],
  );
  if (rows.length < 2) throw new Error(`fewer than two demo checkpoints in ${countyCode}`);
  return rows;
}

/** A capture as a checkpoint platform sends it. */
export const capture = (checkpointId: string, plate: string, at: Date | string, extra: Record<string, unknown> = {}) => ({
  checkpointId,
  plate,
  plateColor: 'blue',
  vehicleType: '小型轿车',
  direction: 'in',
  at: typeof at === 'string' ? at : at.toISOString(),
  ...extra,
});
