import { sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import type { CameraRow } from '../modules/cameras/cameras.repo.js';
import type { CameraCategory } from '../modules/cameras/cameras.schema.js';

/**
 * A demonstration camera register (notice clause 九) on the demo sites: about five cameras per
 * county at its timber enterprises and markets, breeding farms, scenic areas, reserve entrances,
 * checkpoints and police posts. Marked as demo data in the owner and notes; no stream addresses
 * (there is no media server behind a demo install), so every camera's status is `unknown` until
 * something reports for it. GB/T 28181 ids are built from the county's division code.
 */

/** What a site of each kind is watched as, and by what type of camera. */
const BY_SITE_KIND: Record<string, { category: CameraCategory; type: CameraRow['type']; what: string }> = {
  reserve_entrance: { category: 'reserve', type: 'thermal', what: '保护区出入口热成像' },
  police_post: { category: 'key_forest_area', type: 'smoke_fire', what: '林区烟火识别' },
  timber_checkpoint: { category: 'important_road', type: 'plate_capture', what: '检查站卡口' },
  timber_enterprise: { category: 'timber_enterprise', type: 'bullet', what: '企业货场' },
  timber_market: { category: 'timber_market', type: 'dome', what: '市场全景' },
  wildlife_breeding: { category: 'wildlife_breeding', type: 'dome', what: '驯养场' },
  scenic_area: { category: 'scenic_area', type: 'dome', what: '景区入口' },
};
const PER_COUNTY = 5;

export async function demoCameras(tx: Tx): Promise<CameraRow[]> {
  const kinds = Object.keys(BY_SITE_KIND);
  const result = await tx.execute<{
    id: string;
    name: string;
    kind: string;
    org_unit_id: number;
    county: string;
    lon: number;
    lat: number;
  }>(sql`
    SELECT s.id, s.name, s.kind, s.org_unit_id, c.code AS county, ST_X(s.location) AS lon, ST_Y(s.location) AS lat
    FROM sites s
    JOIN org_units u ON u.id = s.org_unit_id
    JOIN org_units c ON c.kind = 'county' AND u.path LIKE c.path || '%'
    WHERE s.deleted_at IS NULL AND s.kind IN (${sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    )})
    ORDER BY c.code, s.name`);
  // Round the kinds in each county, so its cameras watch different kinds of place.
  const byCounty = new Map<string, Map<string, (typeof result.rows)[number][]>>();
  for (const site of result.rows) {
    const kindsOf = byCounty.get(site.county) ?? new Map<string, (typeof result.rows)[number][]>();
    byCounty.set(site.county, kindsOf);
    kindsOf.set(site.kind, [...(kindsOf.get(site.kind) ?? []), site]);
  }
  const rows: CameraRow[] = [];
  for (const [county, kindsOf] of byCounty) {
    const picked: (typeof result.rows)[number][] = [];
    for (let round = 0; picked.length < PER_COUNTY && round < PER_COUNTY; round++)
      for (const kind of kinds) {
        const site = kindsOf.get(kind)?.[round];
        if (site && picked.length < PER_COUNTY) picked.push(site);
      }
    picked.forEach((site, i) => {
      const { category, type, what } = BY_SITE_KIND[site.kind];
      // Centre code (county + base unit 00), industry 00, type 132 (IP camera), network 0, serial.
      const gbId = `${county}00001320${String(i + 1).padStart(6, '0')}`;
      rows.push({
        name: `${site.name}${what}`,
        siteId: site.id,
        orgUnitId: site.org_unit_id,
        location: { type: 'Point', coordinates: [Number(site.lon), Number(site.lat)] },
        category,
        owner: '演示数据（建设单位）',
        type,
        gbId,
        hlsUrl: null,
        flvUrl: null,
        webrtcUrl: null,
        rtspUrl: null,
        keyHash: null,
        notes: '演示数据',
      });
    });
  }
  return rows;
}
