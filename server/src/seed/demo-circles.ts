import { sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import { CHECKPOINT_KINDS, CircleSettings } from '../modules/circles/circles.schema.js';
import { createCirclesRepo } from '../modules/circles/index.js';
import type { Actor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';

/**
 * The demonstration prevention circles (notice clause 八) from the demo site register: the city
 * ring and each county's ring get the checkpoints of their unit that lie within the proposal
 * distance (5 km) of their border, as an office would accept the proposal. The mobile checkpoints
 * among them get demonstration deployments at their registered place: those of 新平 and 元江 under
 * way from the seed day for 90 days, that of 峨山 a week a month before (ended), so one county
 * shows a mobile member to deploy. Every deployment's note says 演示 (demo).
 */
export async function seedDemoCircles(tx: Tx, actor: Actor, now = new Date()): Promise<void> {
  const circlesRepo = createCirclesRepo();
  const auditRepo = createAuditRepo();
  const { proposalDistanceM } = CircleSettings.parse({});
  const kinds = sql.join(
    CHECKPOINT_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
  const near = await tx.execute<{ ring_id: number; site_id: string }>(sql`
    SELECT r.id AS ring_id, s.id AS site_id
    FROM org_units r
    JOIN org_units u ON u.path LIKE r.path || '%'
    JOIN sites s ON s.org_unit_id = u.id AND s.deleted_at IS NULL AND s.kind IN (${kinds})
    WHERE r.kind IN ('city', 'county') AND r.area IS NOT NULL
      AND ST_DWithin(s.location::geography, ST_Boundary(r.area)::geography, ${proposalDistanceM})
    ORDER BY r.depth, r.code, s.name`);
  const byRing = new Map<number, string[]>();
  for (const row of near.rows) byRing.set(row.ring_id, [...(byRing.get(row.ring_id) ?? []), row.site_id]);
  for (const [ringId, siteIds] of byRing) {
    await circlesRepo.addMembers(tx, ringId, siteIds, actor.username);
    await auditRepo.insert(tx, actor, [
      {
        action: 'circle_member.add',
        entity: 'circle',
        entityId: String(ringId),
        orgUnitId: ringId,
        after: { siteIds, source: '演示数据' },
      },
    ]);
  }

  const mobile = await tx.execute<{
    id: string;
    org_unit_id: number;
    county: string;
    lon: number;
    lat: number;
    active_from: Date | null;
    active_to: Date | null;
  }>(sql`
    SELECT s.id, s.org_unit_id, c.code AS county, ST_X(s.location) AS lon, ST_Y(s.location) AS lat, s.active_from, s.active_to
    FROM sites s
    JOIN org_units u ON u.id = s.org_unit_id
    JOIN org_units c ON c.kind = 'county' AND u.path LIKE c.path || '%'
    WHERE s.kind = 'mobile_checkpoint' AND s.deleted_at IS NULL AND s.id IN (SELECT site_id FROM circle_members)
    ORDER BY c.code, s.name`);
  const day = 86_400_000;
  for (const site of mobile.rows) {
    const under = site.county !== '530426';
    let from = new Date(now.getTime() - (under ? 1 : 30) * day);
    let to = new Date(now.getTime() + (under ? 90 : -23) * day);
    if (site.active_from && from < new Date(site.active_from)) from = new Date(site.active_from);
    if (site.active_to && to > new Date(site.active_to)) to = new Date(site.active_to);
    if (to <= from) continue;
    const location = { type: 'Point' as const, coordinates: [Number(site.lon), Number(site.lat)] as [number, number] };
    const note = under ? '（演示）木材和野生动物运输专项检查布设' : '（演示）上月专项检查布设，已结束';
    const id = await circlesRepo.insertDeployment(tx, {
      siteId: site.id,
      orgUnitId: site.org_unit_id,
      location,
      from,
      to,
      note,
      recordedBy: actor.username,
    });
    await auditRepo.insert(tx, actor, [
      {
        action: 'mobile_deployment.create',
        entity: 'mobile_deployment',
        entityId: id,
        orgUnitId: site.org_unit_id,
        after: { siteId: site.id, location, from, to, note },
      },
    ]);
  }
}
