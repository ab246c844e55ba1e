import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import { hashDeviceKey } from '../modules/devices/device-keys.js';
import type { Actor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';

/**
 * Demonstration rangers and their phones for the default territory (notice clause 七): per
 * township one full-time ranger (专职护林员) in its first grid and one ecological ranger (生态护林员)
 * in its second, commanded by the forest police station of the county nearest the township.
 * Each carries one phone running Traccar Client, bound since 2026-01-01.
 *
 * Everything but the row ids is deterministic: names and phone numbers come from the ranger's
 * position in township-code order; device ids are `YX` + county code + a four-digit number in
 * the same order (YX5304020001 is the full-time ranger of 530402001), which is what a demo phone
 * is configured with. A demo account with the ranger role whose unit is a grid is linked to the
 * ranger of that grid, who takes the account's name (`护林员 李建华` → 李建华). Each phone has a
 * key derived from its id (`demoDeviceKey`), as public as the demo password: the demo simulation
 * sends it, and a real installation (`DEMO_DATA=0`) has no demo phones.
 */

/** The key of a demo phone: derived from its id, so the simulation and the tests can send it. */
export const demoDeviceKey = (uniqueId: string) =>
  createHash('sha256').update(`SafeForest demo device ${uniqueId}`).digest('base64url').slice(0, 24);

/** Surnames common in Yuxi, including Yi (普, 白), Dai (刀) and Hani families; 23 of them. */
const SURNAMES = '李王张杨刘赵陈罗普何施段周马白刀龙鲁钱朱许高孔'.split('');
/** 40 given names; with 23 surnames every combination repeats only after 920 rangers. */
const GIVEN_NAMES = (
  '国强 丽萍 志明 文斌 海燕 云峰 春梅 家福 绍林 正兴 玉珍 永红 明亮 学军 金凤 光荣 晓东 德才 秀英 林松 ' +
  '开明 红梅 树生 绍华 兴旺 桂兰 有福 成林 荣昌 秀芬 卫东 建平 忠良 翠花 润生 家顺 美芝 天明 长青 会芳'
).split(' ');
/** Mobile prefixes of the three Chinese operators. */
const MOBILE_PREFIXES = ['138', '139', '150', '151', '158', '187', '133', '189'];

/** When the demo phones were handed out (Beijing time). */
const BOUND_FROM = '2026-01-01T00:00:00+08:00';
const DEVICE_MODEL = 'Android (Traccar Client)';

type Township = { code: string; countyId: number; countyCode: string; gridIds: number[]; stationId: number | null };
type RangerRow = {
  kind: 'full_time' | 'ecological';
  name: string;
  phone: string;
  orgUnitId: number;
  commandingUnitId: number | null;
  countyId: number;
  uniqueId: string;
  keyHash: string;
};

/** The n-th invented ranger name: surname and given name advance together, so no name repeats. */
export function rangerName(n: number): string {
  return SURNAMES[n % SURNAMES.length] + GIVEN_NAMES[(n * 7 + 3) % GIVEN_NAMES.length];
}

/** The n-th invented mobile number: 11 digits, distinct for every n (the multiplier is odd and not a multiple of 5). */
export function rangerPhone(n: number): string {
  const subscriber = String((n * 7_919_993 + 12_345_678) % 100_000_000).padStart(8, '0');
  return MOBILE_PREFIXES[n % MOBILE_PREFIXES.length] + subscriber;
}

/** Townships in code order with their first two grids and the forest police station nearest them. */
async function readTownships(tx: Tx): Promise<Township[]> {
  const result = await tx.execute<{
    code: string;
    county_id: number;
    county_code: string;
    grid_ids: number[];
    station_id: number | null;
  }>(sql`
    SELECT t.code, c.id AS county_id, c.code AS county_code,
      (SELECT array_agg(g.id ORDER BY g.code) FROM org_units g WHERE g.parent_id = t.id AND g.kind = 'grid') AS grid_ids,
      -- the station inside the township, else the nearest one of the county
      (SELECT s.id FROM org_units s
        WHERE s.kind = 'police_station' AND s.path LIKE c.path || '%'
        ORDER BY ST_Distance(s.location, t.area), s.code
        LIMIT 1) AS station_id
    FROM org_units t
    JOIN org_units c ON c.id = t.parent_id AND c.kind = 'county'
    WHERE t.kind = 'township'
    ORDER BY t.code`);
  return result.rows.map((r) => ({
    code: r.code,
    countyId: r.county_id,
    countyCode: r.county_code,
    gridIds: r.grid_ids ?? [],
    stationId: r.station_id,
  }));
}

/** Seed of the random points (any fixed number: the same demo on every machine). */
const SEED_RANDOM = 530400;

/** The two rangers of every township, numbered in township-code order. */
function rangerRows(townships: Township[]): RangerRow[] {
  const perCounty = new Map<string, number>();
  const rows: RangerRow[] = [];
  for (const township of townships) {
    const kinds = (['full_time', 'ecological'] as const).slice(0, township.gridIds.length);
    kinds.forEach((kind, i) => {
      const n = rows.length;
      const seq = (perCounty.get(township.countyCode) ?? 0) + 1;
      perCounty.set(township.countyCode, seq);
      const uniqueId = `YX${township.countyCode}${String(seq).padStart(4, '0')}`;
      rows.push({
        kind,
        name: rangerName(n),
        phone: rangerPhone(n),
        orgUnitId: township.gridIds[i],
        commandingUnitId: township.stationId,
        countyId: township.countyId,
        uniqueId,
        keyHash: hashDeviceKey(demoDeviceKey(uniqueId)),
      });
    });
  }
  return rows;
}

/**
 * Inserts the demo rangers, their phones (in the ranger's unit, with their demo keys) and bindings in one statement (the embedded database
 * is slow per round trip) and writes one `seed.rangers` audit entry per county.
 */
export async function seedRangersAndDevices(tx: Tx, actorForAudit: Actor): Promise<{ rangers: number; devices: number }> {
  const rows = rangerRows(await readTownships(tx));
  if (rows.length === 0) return { rangers: 0, devices: 0 };
  const result = await tx.execute<{ county_id: number; rangers: number; first_device: string; last_device: string }>(sql`
    WITH input AS (
      SELECT r->>'kind' AS kind, r->>'name' AS name, r->>'phone' AS phone, (r->>'orgUnitId')::int AS org_unit_id,
        (r->>'commandingUnitId')::int AS commanding_unit_id, (r->>'countyId')::int AS county_id, r->>'uniqueId' AS unique_id, r->>'keyHash' AS key_hash,
        gen_random_uuid() AS ranger_id, gen_random_uuid() AS device_id
      FROM json_array_elements(${JSON.stringify(rows)}::json) AS r
    ),
    linked AS (
      SELECT i.*, account.id AS user_id,
        COALESCE(NULLIF(regexp_replace(account.display_name, '^护林员\\s*', ''), ''), i.name) AS ranger_name
      FROM input i
      LEFT JOIN LATERAL (
        SELECT u.id, u.display_name
        FROM users u JOIN user_roles ur ON ur.user_id = u.id AND ur.role_id = 'ranger'
        WHERE u.org_unit_id = i.org_unit_id
        ORDER BY u.username
        LIMIT 1
      ) AS account ON true
    ),
    ranger AS (
      INSERT INTO rangers (id, name, kind, org_unit_id, commanding_unit_id, user_id, phone, status)
      SELECT ranger_id, ranger_name, kind, org_unit_id, commanding_unit_id, user_id, phone, 'active' FROM linked
    ),
    device AS (
      INSERT INTO devices (id, unique_id, name, kind, org_unit_id, key_hash, model, phone)
      SELECT device_id, unique_id, ranger_name || '的手机', 'phone', org_unit_id, key_hash, ${DEVICE_MODEL}, phone FROM linked
    ),
    binding AS (
      INSERT INTO device_bindings (device_id, ranger_id, valid_from, valid_to)
      SELECT device_id, ranger_id, ${BOUND_FROM}::timestamptz, NULL FROM linked
    )
    SELECT county_id, count(*)::int AS rangers, min(unique_id) AS first_device, max(unique_id) AS last_device
    FROM linked
    GROUP BY county_id
    ORDER BY min(unique_id)`);

  await createAuditRepo().insert(
    tx,
    actorForAudit,
    result.rows.map((county) => ({
      action: 'seed.rangers',
      entity: 'ranger',
      orgUnitId: county.county_id,
      after: { rangers: county.rangers, devices: county.rangers, deviceIds: `${county.first_device}…${county.last_device}` },
    })),
  );
  return { rangers: rows.length, devices: rows.length };
}

/** What the demo check-in points of a grid are called, in the order they are generated. */
const CHECKIN_PLACES = ['瞭望点', '林道口', '水源点'];

/**
 * Three check-in points (打卡点) in every grid a demo ranger is assigned to, at places spread
 * over the grid (PostGIS's seeded random points, so every fresh demo database has the same), with
 * a 150 m radius; one `seed.checkin_points` audit entry per county.
 */
export async function seedCheckinPoints(tx: Tx, actorForAudit: Actor): Promise<number> {
  const result = await tx.execute<{ county_id: number; points: number }>(sql`
    WITH point AS (
      INSERT INTO checkin_points (name, org_unit_id, location, radius_m)
      SELECT g.name || ' ' || (${sql.param(CHECKIN_PLACES)}::text[])[p.n], g.id, p.geom, 150
      FROM org_units g
      CROSS JOIN LATERAL (
        SELECT (d).path[1] AS n, (d).geom FROM ST_Dump(ST_GeneratePoints(g.area, ${CHECKIN_PLACES.length}, ${SEED_RANDOM})) AS d
      ) p
      WHERE g.id IN (SELECT org_unit_id FROM rangers)
      RETURNING org_unit_id
    )
    SELECT county.id AS county_id, count(*)::int AS points
    FROM point
    JOIN org_units g ON g.id = point.org_unit_id
    JOIN org_units county ON county.kind = 'county' AND g.path LIKE county.path || '%'
    GROUP BY county.id
    ORDER BY county.id`);
  await createAuditRepo().insert(
    tx,
    actorForAudit,
    result.rows.map((county) => ({
      action: 'seed.checkin_points',
      entity: 'checkin_point',
      orgUnitId: county.county_id,
      after: { points: county.points },
    })),
  );
  return result.rows.reduce((sum, county) => sum + county.points, 0);
}
