import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, unitOwned } from '../../platform/scope.js';
import type { Checkin, CheckinPoint, CreateCheckinPointInput } from './patrols.schema.js';
import { checkinPoints, checkins } from './patrols.tables.js';

const pointColumns = {
  id: checkinPoints.id,
  name: checkinPoints.name,
  orgUnitId: checkinPoints.orgUnitId,
  orgUnitName: orgUnits.name,
  orgPath: orgUnits.path,
  location: asGeoJson(checkinPoints.location),
  radiusM: checkinPoints.radiusM,
  createdAt: checkinPoints.createdAt,
};
export type CheckinPointRow = CheckinPoint & { orgPath: string };

/** Check-in points (打卡点) and the check-ins made at them. */
/** Check-ins as the API shows them, with their point's name: one query for a check-in and for a patrol's list. */
export function selectCheckins(tx: Tx, where: SQL) {
  return tx
    .select({
      id: checkins.id,
      pointId: checkins.pointId,
      pointName: checkinPoints.name,
      at: checkins.at,
      lon: checkins.lon,
      lat: checkins.lat,
      distanceM: checkins.distanceM,
    })
    .from(checkins)
    .innerJoin(checkinPoints, eq(checkinPoints.id, checkins.pointId))
    .where(where);
}

export function createCheckinsRepo() {
  const selectPoints = (tx: Tx) =>
    tx.select(pointColumns).from(checkinPoints).innerJoin(orgUnits, eq(orgUnits.id, checkinPoints.orgUnitId));

  return {
    /** Points of the actor's subtree that are not deleted, optionally within a subtree and a bounding box. */
    async listPoints(tx: Tx, actor: Actor, filter: { subtreePath?: string; bbox?: [number, number, number, number] }) {
      const conditions: SQL[] = [isNull(checkinPoints.deletedAt), unitOwned(narrowed(actor, filter.subtreePath), checkinPoints.orgUnitId)];
      if (filter.bbox) {
        const [w, s, e, n] = filter.bbox;
        conditions.push(sql`${checkinPoints.location} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
      }
      const rows = await selectPoints(tx)
        .where(and(...conditions))
        .orderBy(asc(orgUnits.path), asc(checkinPoints.name), asc(checkinPoints.id));
      return rows as CheckinPointRow[];
    },

    /** A point of the actor's subtree that is not deleted, or null. */
    async findPointInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectPoints(tx).where(
        and(eq(checkinPoints.id, id), isNull(checkinPoints.deletedAt), unitOwned(actor, checkinPoints.orgUnitId)),
      );
      return (row as CheckinPointRow | undefined) ?? null;
    },

    async insertPoint(tx: Tx, input: CreateCheckinPointInput) {
      const [row] = await tx
        .insert(checkinPoints)
        .values({
          name: input.name,
          orgUnitId: input.orgUnitId,
          location: pointFromGeoJson(input.location) as unknown as string,
          radiusM: input.radiusM,
        })
        .returning({ id: checkinPoints.id });
      return row.id;
    },

    /** Hides a point; check-ins made at it keep pointing at the row. */
    async softDeletePoint(tx: Tx, actor: Actor, id: string) {
      await tx
        .update(checkinPoints)
        .set({ deletedAt: new Date() })
        .where(and(eq(checkinPoints.id, id), unitOwned(actor, checkinPoints.orgUnitId)));
    },

    /** Metres over the ellipsoid between a point and a position. */
    async distanceTo(tx: Tx, pointId: string, lon: number, lat: number): Promise<number> {
      const result = await tx.execute<{ distance: number }>(sql`
        SELECT ST_Distance(location::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography) AS distance
        FROM checkin_points WHERE id = ${pointId}`);
      return Number(result.rows[0].distance);
    },

    async insertCheckin(tx: Tx, checkin: typeof checkins.$inferInsert) {
      const [row] = await tx.insert(checkins).values(checkin).returning({ id: checkins.id });
      return row.id;
    },

    async findCheckin(tx: Tx, id: string) {
      const [row] = await selectCheckins(tx, eq(checkins.id, id));
      return row as Checkin;
    },
  };
}
export type CheckinsRepo = ReturnType<typeof createCheckinsRepo>;
