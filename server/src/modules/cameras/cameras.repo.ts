import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, type Point, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { countyCodeAt } from '../../platform/org/org.sql.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, type Scope, unitOwned } from '../../platform/scope.js';
import { sites } from '../sites/sites.tables.js';
import type { AlarmType, CAMERA_SORTS, Camera, CameraAlarm, CameraAlarmFilter, CameraCategory, CameraFilter } from './cameras.schema.js';
import { cameraAlarms, cameras } from './cameras.tables.js';

const cameraColumns = {
  id: cameras.id,
  name: cameras.name,
  siteId: cameras.siteId,
  siteName: sites.name,
  orgUnitId: cameras.orgUnitId,
  orgUnitName: orgUnits.name,
  location: asGeoJson(cameras.location),
  category: cameras.category,
  owner: cameras.owner,
  type: cameras.type,
  gbId: cameras.gbId,
  hlsUrl: cameras.hlsUrl,
  flvUrl: cameras.flvUrl,
  webrtcUrl: cameras.webrtcUrl,
  rtspUrl: cameras.rtspUrl,
  status: cameras.status,
  lastSeenAt: cameras.lastSeenAt,
  statusChangedAt: cameras.statusChangedAt,
  hasKey: sql<boolean>`${cameras.keyHash} IS NOT NULL`,
  notes: cameras.notes,
  version: cameras.version,
  createdAt: cameras.createdAt,
  updatedAt: cameras.updatedAt,
};

const sortColumns = { name: cameras.name, status: cameras.status, lastSeenAt: cameras.lastSeenAt, createdAt: cameras.createdAt } as const;

/** What the table stores of a camera (geometry as SQL, the key as its hash). */
export type CameraRow = {
  name: string;
  siteId: string | null;
  orgUnitId: number;
  location: Point;
  category: string;
  owner: string | null;
  type: string;
  gbId: string;
  hlsUrl: string | null;
  flvUrl: string | null;
  webrtcUrl: string | null;
  rtspUrl: string | null;
  keyHash: string | null;
  notes: string | null;
};

function columnsOf(input: Partial<CameraRow>) {
  const { location, ...rest } = input;
  return { ...rest, ...(location ? { location: pointFromGeoJson(location) as unknown as string } : {}) };
}

/** A camera as ingest sees it: found by its GB/T 28181 id, with what its alarms and status need. */
export type IngestCamera = {
  id: string;
  name: string;
  gbId: string;
  category: CameraCategory;
  orgUnitId: number;
  orgPath: string;
  countyCode: string | null;
  keyHash: string | null;
  status: string;
  lon: number;
  lat: number;
};

const alarmColumns = {
  id: cameraAlarms.id,
  cameraId: cameraAlarms.cameraId,
  cameraName: cameras.name,
  gbId: cameras.gbId,
  category: cameras.category,
  orgUnitId: cameraAlarms.orgUnitId,
  orgUnitName: orgUnits.name,
  type: cameraAlarms.type,
  eventType: cameraAlarms.eventType,
  at: cameraAlarms.at,
  lastAt: cameraAlarms.lastAt,
  repeats: cameraAlarms.repeats,
  receivedAt: cameraAlarms.receivedAt,
  protocol: cameraAlarms.protocol,
  snapshotFileId: cameraAlarms.snapshotFileId,
  description: cameraAlarms.description,
  incidentId: cameraAlarms.incidentId,
  alertId: cameraAlarms.alertId,
  location: asGeoJson(cameras.location),
};

export function createCamerasRepo() {
  function where(actor: Actor, filter: CameraFilter & { subtreePath?: string }): SQL | undefined {
    const conditions: SQL[] = [isNull(cameras.deletedAt), unitOwned(narrowed(actor, filter.subtreePath), cameras.orgUnitId)];
    if (filter.category?.length) conditions.push(inArray(cameras.category, filter.category));
    if (filter.type?.length) conditions.push(inArray(cameras.type, filter.type));
    if (filter.status?.length) conditions.push(inArray(cameras.status, filter.status));
    if (filter.siteId) conditions.push(eq(cameras.siteId, filter.siteId));
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(cameras.name, like), ilike(cameras.owner, like), ilike(cameras.gbId, like)) as SQL);
    }
    if (filter.bbox) {
      const [w, s, e, n] = filter.bbox;
      conditions.push(sql`${cameras.location} && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`);
    }
    return and(...conditions);
  }

  const selectCameras = (tx: Tx) =>
    tx
      .select(cameraColumns)
      .from(cameras)
      .innerJoin(orgUnits, eq(orgUnits.id, cameras.orgUnitId))
      .leftJoin(sites, eq(sites.id, cameras.siteId));

  const selectAlarms = (tx: Tx) =>
    tx
      .select(alarmColumns)
      .from(cameraAlarms)
      .innerJoin(cameras, eq(cameras.id, cameraAlarms.cameraId))
      .innerJoin(orgUnits, eq(orgUnits.id, cameraAlarms.orgUnitId));

  return {
    async list(
      tx: Tx,
      actor: Actor,
      filter: CameraFilter & { subtreePath?: string },
      page: { limit: number; offset: number; sort: (typeof CAMERA_SORTS)[number] },
    ) {
      const descending = page.sort.startsWith('-');
      const column = sortColumns[page.sort.replace('-', '') as keyof typeof sortColumns];
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectCameras(tx)
          .where(condition)
          .orderBy(descending ? sql`${column} DESC NULLS LAST` : sql`${column} ASC NULLS LAST`, asc(cameras.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(cameras).where(condition),
      ]);
      return { items: items as Camera[], total };
    },

    /** A camera of the actor's subtree that is not deleted, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await selectCameras(tx).where(and(eq(cameras.id, id), isNull(cameras.deletedAt), unitOwned(actor, cameras.orgUnitId)));
      return (row as Camera | undefined) ?? null;
    },

    /** The register's camera holding this GB/T 28181 id (anywhere: ids are unique city-wide), or null. */
    async idOfGbId(tx: Tx, gbId: string) {
      const [row] = await tx
        .select({ id: cameras.id })
        .from(cameras)
        .where(and(eq(cameras.gbId, gbId), isNull(cameras.deletedAt)));
      return row?.id ?? null;
    },

    /** Which of these GB/T 28181 ids a camera in the register holds. */
    async gbIdsTaken(tx: Tx, gbIds: string[]): Promise<Set<string>> {
      if (gbIds.length === 0) return new Set();
      const rows = await tx
        .select({ gbId: cameras.gbId })
        .from(cameras)
        .where(and(inArray(cameras.gbId, gbIds), isNull(cameras.deletedAt)));
      return new Set(rows.map((r) => r.gbId));
    },

    async insert(tx: Tx, input: CameraRow) {
      const [row] = await tx
        .insert(cameras)
        .values(columnsOf(input) as typeof cameras.$inferInsert)
        .returning({ id: cameras.id });
      return row.id;
    },

    /** Applies the change only if the version is still the one read; returns false when it is not. */
    async update(tx: Tx, actor: Actor, id: string, version: number, changes: Partial<CameraRow>) {
      const rows = await tx
        .update(cameras)
        .set({
          ...(columnsOf(changes) as Partial<typeof cameras.$inferInsert>),
          version: sql`${cameras.version} + 1`,
          updatedAt: new Date(),
        })
        .where(and(eq(cameras.id, id), eq(cameras.version, version), isNull(cameras.deletedAt), unitOwned(actor, cameras.orgUnitId)))
        .returning({ id: cameras.id });
      return rows.length === 1;
    },

    /** Hides a camera; the row stays, with the reason, and its GB/T 28181 id is free again. */
    async softDelete(tx: Tx, actor: Actor, id: string, reason: string) {
      await tx
        .update(cameras)
        .set({ deletedAt: new Date(), deletedReason: reason, version: sql`${cameras.version} + 1`, updatedAt: new Date() })
        .where(and(eq(cameras.id, id), unitOwned(actor, cameras.orgUnitId)));
    },

    /** Points for the map: few columns, no paging. */
    async features(tx: Tx, actor: Actor, filter: CameraFilter & { subtreePath?: string }) {
      return tx
        .select({
          id: cameras.id,
          name: cameras.name,
          category: cameras.category,
          type: cameras.type,
          status: cameras.status,
          gbId: cameras.gbId,
          orgUnitId: cameras.orgUnitId,
          orgUnitName: orgUnits.name,
          playable: sql<boolean>`(${cameras.hlsUrl} IS NOT NULL OR ${cameras.flvUrl} IS NOT NULL)`,
          lon: sql<number>`ST_X(${cameras.location})`,
          lat: sql<number>`ST_Y(${cameras.location})`,
        })
        .from(cameras)
        .innerJoin(orgUnits, eq(orgUnits.id, cameras.orgUnitId))
        .where(where(actor, filter))
        .orderBy(asc(cameras.name));
    },

    /** The origins of every registered browser stream (HLS, FLV, WebRTC), for the content security policy. */
    async streamUrls(tx: Tx) {
      return tx
        .select({ hlsUrl: cameras.hlsUrl, flvUrl: cameras.flvUrl, webrtcUrl: cameras.webrtcUrl })
        .from(cameras)
        .where(
          and(
            isNull(cameras.deletedAt),
            sql`(${cameras.hlsUrl} IS NOT NULL OR ${cameras.flvUrl} IS NOT NULL OR ${cameras.webrtcUrl} IS NOT NULL)`,
          ),
        );
    },

    /** The cameras of these GB/T 28181 ids, locked for the change that records what they sent. */
    async forIngest(tx: Tx, gbIds: string[]): Promise<IngestCamera[]> {
      if (gbIds.length === 0) return [];
      const rows = await tx
        .select({
          id: cameras.id,
          name: cameras.name,
          gbId: cameras.gbId,
          category: cameras.category,
          orgUnitId: cameras.orgUnitId,
          orgPath: orgUnits.path,
          countyCode: countyCodeAt(orgUnits.path),
          keyHash: cameras.keyHash,
          status: cameras.status,
          lon: sql<number>`ST_X(${cameras.location})`,
          lat: sql<number>`ST_Y(${cameras.location})`,
        })
        .from(cameras)
        .innerJoin(orgUnits, eq(orgUnits.id, cameras.orgUnitId))
        .where(and(inArray(cameras.gbId, gbIds), isNull(cameras.deletedAt)))
        .orderBy(asc(cameras.id))
        .for('update', { of: cameras });
      return rows as IngestCamera[];
    },

    /**
     * Records a camera's report: its last-seen time moves forward only (a late report does not
     * undo a newer one), and its status follows the newest report. Answers the status before and after.
     */
    async recordReport(tx: Tx, cameraId: string, online: boolean, at: Date) {
      const result = await tx.execute<{ before: string; after: string }>(sql`
        UPDATE cameras c SET
          status = CASE WHEN c.last_seen_at IS NULL OR c.last_seen_at <= ${at} THEN ${online ? 'online' : 'offline'} ELSE c.status END,
          status_changed_at = CASE WHEN (c.last_seen_at IS NULL OR c.last_seen_at <= ${at}) AND c.status <> ${online ? 'online' : 'offline'}
            THEN ${at} ELSE c.status_changed_at END,
          last_seen_at = GREATEST(c.last_seen_at, ${at})
        FROM cameras old WHERE old.id = c.id AND c.id = ${cameraId}
        RETURNING old.status AS before, c.status AS after`);
      return result.rows[0] ?? null;
    },

    /** Counts a day (China Standard Time) on which the camera reported itself online. */
    async countOnlineDay(tx: Tx, cameraId: string, at: Date) {
      await tx.execute(sql`
        INSERT INTO camera_online_days (camera_id, day, heartbeats)
        VALUES (${cameraId}, (${at}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, 1)
        ON CONFLICT (camera_id, day) DO UPDATE SET heartbeats = camera_online_days.heartbeats + 1`);
    },

    /** Marks offline the online cameras silent since before `silentSince`; answers them with their org path. */
    async markSilentOffline(tx: Tx, silentSince: Date, now: Date) {
      const result = await tx.execute<{
        id: string;
        name: string;
        gb_id: string;
        org_unit_id: number;
        org_path: string;
        county_code: string | null;
        last_seen_at: Date | string | null;
        lon: number;
        lat: number;
      }>(sql`
        UPDATE cameras c SET status = 'offline', status_changed_at = ${now}
        FROM org_units u
        WHERE u.id = c.org_unit_id AND c.deleted_at IS NULL AND c.status = 'online'
          AND (c.last_seen_at IS NULL OR c.last_seen_at < ${silentSince})
        RETURNING c.id, c.name, c.gb_id, c.org_unit_id, u.path AS org_path, c.last_seen_at,
          ${countyCodeAt(sql`u.path`)} AS county_code, ST_X(c.location) AS lon, ST_Y(c.location) AS lat`);
      return result.rows.map((r) => ({
        id: r.id,
        name: r.name,
        gbId: r.gb_id,
        orgUnitId: r.org_unit_id,
        orgPath: r.org_path,
        countyCode: r.county_code,
        lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at) : null,
        lon: Number(r.lon),
        lat: Number(r.lat),
      }));
    },

    /**
     * The camera-days of a subtree in a period (days on which a camera was in the register, up to
     * today) and of them the days it reported itself online: the online rate.
     */
    async onlineDays(tx: Tx, subtree: Scope, period: { from: Date; to: Date; now: Date }) {
      const result = await tx.execute<{ camera_days: number; online_days: number }>(sql`
        WITH span AS (
          SELECT c.id,
            GREATEST((c.created_at AT TIME ZONE 'Asia/Shanghai')::date, (${period.from}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date) AS first_day,
            LEAST(
              (${period.to}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date - 1,
              (${period.now}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date,
              COALESCE((c.deleted_at AT TIME ZONE 'Asia/Shanghai')::date - 1, 'infinity'::date)
            ) AS last_day
          FROM cameras c JOIN org_units u ON u.id = c.org_unit_id
          WHERE u.path LIKE ${`${subtree.orgPath}%`}
        )
        SELECT
          COALESCE(sum(GREATEST(s.last_day - s.first_day + 1, 0)), 0)::int AS camera_days,
          (SELECT count(*)::int FROM camera_online_days d JOIN span s2 ON s2.id = d.camera_id
            WHERE d.day BETWEEN s2.first_day AND s2.last_day) AS online_days
        FROM span s`);
      const row = result.rows[0];
      return { cameraDays: Number(row?.camera_days ?? 0), onlineDays: Number(row?.online_days ?? 0) };
    },

    /** The stored alarm of this camera and type whose cooldown window holds `at`, locked; or null. */
    async alarmInWindow(tx: Tx, cameraId: string, type: AlarmType, windowStart: Date, at: Date) {
      const [row] = await tx
        .select({ id: cameraAlarms.id })
        .from(cameraAlarms)
        .where(
          and(
            eq(cameraAlarms.cameraId, cameraId),
            eq(cameraAlarms.type, type),
            gte(cameraAlarms.at, windowStart),
            lte(cameraAlarms.at, at),
          ),
        )
        .orderBy(desc(cameraAlarms.at))
        .limit(1)
        .for('update');
      return row?.id ?? null;
    },

    /** Counts a repeat into a stored alarm. */
    async countRepeat(tx: Tx, alarmId: string, at: Date) {
      await tx
        .update(cameraAlarms)
        .set({ repeats: sql`${cameraAlarms.repeats} + 1`, lastAt: sql`GREATEST(${cameraAlarms.lastAt}, ${at})` })
        .where(eq(cameraAlarms.id, alarmId));
    },

    async insertAlarm(
      tx: Tx,
      alarm: {
        cameraId: string;
        orgUnitId: number;
        type: AlarmType;
        eventType: string | null;
        at: Date;
        protocol: 'isapi' | 'json';
        snapshotFileId: string | null;
        description: string | null;
        details: Record<string, unknown> | null;
      },
    ) {
      const [row] = await tx
        .insert(cameraAlarms)
        .values({ ...alarm, lastAt: alarm.at })
        .returning({ id: cameraAlarms.id });
      return row.id;
    },

    async linkAlarm(tx: Tx, alarmId: string, link: { incidentId?: string; alertId?: string }) {
      await tx.update(cameraAlarms).set(link).where(eq(cameraAlarms.id, alarmId));
    },

    /** One alarm as the API shows it (no scope: for the change that stored it). */
    async alarmById(tx: Tx, id: string) {
      const [row] = await selectAlarms(tx).where(eq(cameraAlarms.id, id));
      return (row as CameraAlarm | undefined) ?? null;
    },

    async listAlarms(tx: Tx, actor: Actor, filter: CameraAlarmFilter & { subtreePath?: string }, page: { limit: number; offset: number }) {
      const conditions: SQL[] = [unitOwned(narrowed(actor, filter.subtreePath), cameraAlarms.orgUnitId)];
      if (filter.cameraId) conditions.push(eq(cameraAlarms.cameraId, filter.cameraId));
      if (filter.type?.length) conditions.push(inArray(cameraAlarms.type, filter.type));
      if (filter.from) conditions.push(gte(cameraAlarms.at, filter.from));
      if (filter.to) conditions.push(lt(cameraAlarms.at, filter.to));
      const condition = and(...conditions);
      const [items, [{ total }]] = await Promise.all([
        selectAlarms(tx).where(condition).orderBy(desc(cameraAlarms.at), asc(cameraAlarms.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(cameraAlarms).where(condition),
      ]);
      return { items: items as CameraAlarm[], total };
    },
  };
}
export type CamerasRepo = ReturnType<typeof createCamerasRepo>;
