import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/connection.js';
import type { CreateSiteInput, SiteKind } from '../modules/sites/sites.schema.js';
import { seededRandom } from './seeded-random.js';
import { COUNTIES, type CountyFact, LANDMARKS, townshipShortName } from './territory-data.js';

/**
 * A demonstration site register for the default territory: checkpoints, police stations and
 * posts (notice clause 八) and the key sites that need video cover (clause 九), about 15–30 per
 * county. Positions come from the territory in the database (which is deterministic), names,
 * people and phone numbers from a PRNG seeded by the county code, so every install gets the same
 * register. Enterprise, market, breeding-farm and person names are invented.
 */

type Place = {
  countyCode: string;
  townshipId: number;
  townshipCode: string;
  townshipName: string;
  /** Planar area in square degrees: only compared within Yuxi, where it ranks sizes correctly. */
  townshipSize: number;
  gridSize: number;
  lon: number;
  lat: number;
  specialId: number | null;
};
type Located = { unitId: number; townshipName: string; lon: number; lat: number };
type BorderPoint = Located & { countyCode: string; slot: number; cityBorder: boolean };
type Entrance = Located & { countyCode: string; reserveName: string };
/** A police station, reserve or forest farm with its point. */
type Unit = { id: number; kind: string; countyCode: string; name: string; lon: number; lat: number };

const SURNAMES = '李王张杨刘赵陈罗普何施段周马白刀龙鲁钱朱许高'.split('');
const GIVEN =
  '建华 国强 丽萍 志明 文斌 海燕 云峰 春梅 家福 绍林 正兴 玉珍 永红 明亮 学军 金凤 光荣 晓东 德才 秀英 林松 开明 红梅 树生'.split(' ');
const FIRMS = '兴林 绿源 森茂 林丰 嘉木 福林 宏达 云杉 松涛 鑫源 恒丰 华森'.split(' ');
const ANIMALS = ['梅花鹿', '野猪', '蓝孔雀', '豪猪', '林麝', '红腹锦鸡'];
const ROADS = '林场路 环城路 兴林路 南山路 东风路 建设路 新村路 玉溪路'.split(' ');
/** Invented exchange prefixes per county: Yuxi numbers are 0877 plus seven digits. */
const EXCHANGES: Record<string, string> = {
  '530402': '20',
  '530403': '60',
  '530423': '30',
  '530424': '50',
  '530425': '46',
  '530426': '40',
  '530427': '70',
  '530428': '61',
  '530481': '69',
};

/**
 * The part of an area more than about 1 km inside its outline. The outline is simplified first
 * (by at most ~200 m), which makes the buffer many times cheaper and still leaves it inside.
 */
const insideOutline = (area: SQL) => sql`ST_Buffer(ST_SimplifyPreserveTopology(${area}, 0.002), -0.01, 'quad_segs=2')`;

/** Computes the demonstration site register from the loaded territory; the caller inserts it. */
export async function demoSites(tx: Tx): Promise<CreateSiteInput[]> {
  const places = await readPlaces(tx);
  const border = await borderPoints(tx);
  const entrances = await reserveEntrances(tx);
  const units = await pointUnits(tx);
  const landmarks = await locateLandmarks(tx);
  return COUNTIES.flatMap((county) =>
    countySites(county, {
      places: places.filter((p) => p.countyCode === county.code),
      border: border.filter((b) => b.countyCode === county.code),
      entrances: entrances.filter((e) => e.countyCode === county.code),
      stations: units.filter((s) => s.countyCode === county.code && s.kind === 'police_station'),
      specialAreas: units.filter((s) => s.countyCode === county.code && s.kind !== 'police_station'),
      landmarks: landmarks.filter((l) => l.countyCode === county.code),
    }),
  );
}

/** Every grid of the territory with its township: the candidate positions for inland sites. */
async function readPlaces(tx: Tx): Promise<Place[]> {
  const result = await tx.execute<Place>(sql`
    WITH township AS MATERIALIZED (
      SELECT c.id AS county_id, c.code AS county_code, t.id, t.code, t.name, ST_Area(t.area) AS size
      FROM org_units c JOIN org_units t ON t.parent_id = c.id AND t.kind = 'township'
      WHERE c.kind = 'county'
    )
    SELECT t.county_code AS "countyCode", t.id AS "townshipId", t.code AS "townshipCode", t.name AS "townshipName",
      t.size AS "townshipSize", ST_Area(g.area) AS "gridSize",
      ST_X(g.location) AS lon, ST_Y(g.location) AS lat,
      (SELECT s.id FROM org_units s
       WHERE s.parent_id = t.county_id AND s.kind IN ('nature_reserve', 'forest_farm') AND ST_Covers(s.area, g.location)
       ORDER BY s.code LIMIT 1) AS "specialId"
    FROM township t
    JOIN org_units g ON g.parent_id = t.id AND g.kind = 'grid'
    ORDER BY t.code, g.sort_order`);
  return result.rows;
}

/**
 * Points about 1 km inside each county's outline, evenly spaced along it: where the roads that
 * leave the county are checked. Odd slots take timber checkpoints (2–4 per county, one per ~80 km
 * of outline), even slots temporary and mobile checkpoints. `cityBorder` marks the 市际 ring.
 */
async function borderPoints(tx: Tx): Promise<BorderPoint[]> {
  const result = await tx.execute<BorderPoint>(sql`
    WITH county AS MATERIALIZED (
      SELECT c.id, c.code, c.area, ${insideOutline(sql`c.area`)} AS inner_area, o.ring,
        LEAST(4, GREATEST(2, round(ST_Length(o.ring::geography) / 80e3)))::int AS n
      FROM org_units c
      CROSS JOIN LATERAL (
        SELECT ST_ExteriorRing(d.geom) AS ring FROM ST_Dump(c.area) AS d ORDER BY ST_Area(d.geom) DESC LIMIT 1
      ) AS o
      WHERE c.kind = 'county'
    ),
    edge AS (
      SELECT c.*, slot,
        ST_LineInterpolatePoint(ring, mod((slot - 0.5) / (2 * n) + (c.code::int % 7) / 70.0, 1)) AS at_edge
      FROM county c, generate_series(1, 2 * n) AS slot
    ),
    point AS (
      SELECT e.code, e.id, e.slot, e.at_edge, ST_ClosestPoint(e.inner_area, e.at_edge) AS location FROM edge e
    )
    SELECT p.code AS "countyCode", p.slot, t.id AS "unitId", t.name AS "townshipName",
      ST_X(p.location) AS lon, ST_Y(p.location) AS lat,
      ST_DWithin(p.at_edge, (SELECT ST_Boundary(area) FROM org_units WHERE kind = 'city'), 0.005) AS "cityBorder"
    FROM point p
    CROSS JOIN LATERAL (
      SELECT t.id, t.name FROM org_units t
      WHERE t.parent_id = p.id AND t.kind = 'township' AND ST_Covers(t.area, p.location)
      ORDER BY t.code LIMIT 1
    ) AS t
    ORDER BY p.code, p.slot`);
  return result.rows;
}

/** Entrances of each nature reserve: points just inside its outline, three for a national reserve. */
async function reserveEntrances(tx: Tx): Promise<Entrance[]> {
  const result = await tx.execute<Entrance>(sql`
    WITH reserve AS MATERIALIZED (
      SELECT r.id, r.name, r.parent_id, c.code AS county_code, ST_Buffer(r.area, -0.003) AS inner_area,
        (SELECT ST_ExteriorRing(d.geom) FROM ST_Dump(r.area) AS d ORDER BY ST_Area(d.geom) DESC LIMIT 1) AS ring,
        CASE WHEN r.name LIKE '%国家级%' THEN 3 ELSE 2 END AS n
      FROM org_units r JOIN org_units c ON c.id = r.parent_id
      WHERE r.kind = 'nature_reserve'
    ),
    point AS (
      SELECT r.*, i, ST_ClosestPoint(r.inner_area, ST_LineInterpolatePoint(r.ring, (i - 0.7) / n)) AS location
      FROM reserve r, generate_series(1, n) AS i
    )
    SELECT p.county_code AS "countyCode", p.id AS "unitId", p.name AS "reserveName", t.name AS "townshipName",
      ST_X(p.location) AS lon, ST_Y(p.location) AS lat
    FROM point p
    CROSS JOIN LATERAL (
      SELECT t.name FROM org_units t
      WHERE t.parent_id = p.parent_id AND t.kind = 'township' AND ST_Covers(t.area, p.location)
      ORDER BY t.code LIMIT 1
    ) AS t
    ORDER BY p.county_code, p.name, p.i`);
  return result.rows;
}

/** Police stations, reserves and forest farms with their points and counties. */
async function pointUnits(tx: Tx): Promise<Unit[]> {
  const result = await tx.execute<Unit>(sql`
    SELECT s.id, s.kind, c.code AS "countyCode", s.name, ST_X(s.location) AS lon, ST_Y(s.location) AS lat
    FROM org_units s JOIN org_units c ON c.id = s.parent_id
    WHERE s.kind IN ('police_station', 'nature_reserve', 'forest_farm') ORDER BY s.code`);
  return result.rows;
}

/** The landmarks, moved inside their county when needed, with the unit whose area holds them. */
async function locateLandmarks(tx: Tx): Promise<(Located & { countyCode: string; name: string })[]> {
  const result = await tx.execute<Located & { countyCode: string; name: string }>(sql`
    WITH landmark AS (
      SELECT l->>'countyCode' AS county_code, l->>'name' AS name,
        ST_SetSRID(ST_MakePoint((l->>'lon')::float8, (l->>'lat')::float8), 4326) AS at
      FROM json_array_elements(${JSON.stringify(LANDMARKS)}::json) AS l
    ),
    placed AS (
      SELECT l.county_code, l.name, c.id AS county_id,
        CASE WHEN ST_Covers(i.inner_area, l.at) THEN l.at ELSE ST_ClosestPoint(i.inner_area, l.at) END AS location
      FROM landmark l
      JOIN org_units c ON c.code = l.county_code AND c.kind = 'county'
      CROSS JOIN LATERAL (SELECT ${insideOutline(sql`c.area`)} AS inner_area) AS i
    )
    SELECT p.county_code AS "countyCode", p.name, u.id AS "unitId", t.name AS "townshipName",
      ST_X(p.location) AS lon, ST_Y(p.location) AS lat
    FROM placed p
    JOIN org_units t ON t.parent_id = p.county_id AND t.kind = 'township' AND ST_Covers(t.area, p.location)
    -- a landmark inside a reserve or forest farm belongs to it, else to its township
    CROSS JOIN LATERAL (
      SELECT coalesce(
        (SELECT s.id FROM org_units s WHERE s.parent_id = p.county_id AND s.kind IN ('nature_reserve', 'forest_farm')
           AND ST_Covers(s.area, p.location) ORDER BY s.code LIMIT 1),
        t.id) AS id
    ) AS u
    ORDER BY p.county_code, p.name`);
  return result.rows;
}

type CountyInput = {
  places: Place[];
  border: BorderPoint[];
  entrances: Entrance[];
  stations: Unit[];
  specialAreas: Unit[];
  landmarks: (Located & { countyCode: string; name: string })[];
};

/** The register of one county, built from its candidate positions. */
/**
 * The demo sites of one county. The order of the calls is the order of the seeded random draws:
 * keep it, or every generated name, phone and count changes.
 */
function countySites(county: CountyFact, input: CountyInput): CreateSiteInput[] {
  const writer = siteWriter(county, input);
  addCheckpointsAndStations(writer);
  addPolicePosts(writer);
  addTemporaryAndMobileCheckpoints(writer);
  addKeySites(writer);
  return writer.sites;
}

type SiteWriter = ReturnType<typeof siteWriter>;

/** The seeded random draws, the name and address rules, and the township facts every kind of site is placed with. */
function siteWriter(county: CountyFact, input: CountyInput) {
  const random = seededRandom(Number(county.code));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const short = county.shortName;
  const sites: CreateSiteInput[] = [];
  const names = new Set<string>();

  /** A second site of a kind in one township is numbered: 红塔区洛河2号林区警务站. */
  const uniqueName = (name: string) => {
    const kindSuffix = /(木材检查站|临时卡口|流动检查点|林区警务站|出入口)$/;
    let unique = name;
    for (let n = 2; names.has(unique); n++) {
      unique = kindSuffix.test(name) ? name.replace(kindSuffix, `${n}号$1`) : `${name}${n}`;
    }
    names.add(unique);
    return unique;
  };
  const add = (kind: SiteKind, name: string, at: Located, fields: Partial<CreateSiteInput> = {}) => {
    const unique = uniqueName(name);
    const roadNo = between(1, 399);
    sites.push({
      name: unique,
      kind,
      grade: null,
      orgUnitId: at.unitId,
      location: { type: 'Point', coordinates: [round7(at.lon), round7(at.lat)] },
      address: `${county.name}${at.townshipName}${pick(ROADS)}${roadNo}号`,
      phone: `0877-${EXCHANGES[county.code]}${String(between(0, 99999)).padStart(5, '0')}`,
      personInCharge: pick(SURNAMES) + pick(GIVEN),
      staffCount: between(2, 6),
      dutyHours: '24小时',
      status: random() < 0.06 ? 'suspended' : 'in_service',
      activeFrom: null,
      activeTo: null,
      notes: null,
      ...fields,
    });
  };

  const nearestStation = (p: { lon: number; lat: number }) => input.stations.reduce((best, s) => (dist2(s, p) < dist2(best, p) ? s : best));
  const byStation = (p: Located): Located => ({ ...p, unitId: nearestStation(p).id });
  const atPlace = (p: Place): Located => ({ unitId: p.specialId ?? p.townshipId, townshipName: p.townshipName, lon: p.lon, lat: p.lat });

  // Townships: rural ones (乡/镇) largest first — the forested ones — and the urban streets.
  const townships = [...new Map(input.places.map((p) => [p.townshipCode, p])).values()];
  const rural = townships.filter((t) => !t.townshipName.endsWith('街道')).sort((a, b) => b.townshipSize - a.townshipSize);
  const streets = townships.filter((t) => t.townshipName.endsWith('街道'));
  const grids = (t: Place) => input.places.filter((p) => p.townshipCode === t.townshipCode);
  /** The `nth` largest grid of a township, so different sites in one township do not share a spot. */
  const gridOf = (t: Place, nth: number) => {
    const sorted = grids(t).sort((a, b) => b.gridSize - a.gridSize);
    return sorted[nth % sorted.length];
  };
  return { county, input, short, random, pick, between, add, byStation, atPlace, townships, rural, streets, gridOf, sites };
}

/** Timber checkpoints on the county border and the police stations. */
function addCheckpointsAndStations({ county, input, short, pick, between, add, townships }: SiteWriter) {
  // Timber checkpoints on the roads out of the county (odd border slots).
  const checkpoints = input.border.filter((b) => b.slot % 2 === 1);
  checkpoints.forEach((b, i) => {
    add('timber_checkpoint', `${short}${townshipShortName(b.townshipName)}木材检查站`, b, {
      grade: i === 0 ? 1 : 2,
      staffCount: between(6, 12),
      address: `${county.name}${b.townshipName}，${pick(['S', 'X'])}${between(201, 399)}线K${between(3, 90)}+${between(1, 9)}00`,
      notes: b.cityBorder ? '市际防控圈' : '县际防控圈',
    });
  });

  for (const s of input.stations) {
    const at = { unitId: s.id, townshipName: townshipOf(s, townships), lon: s.lon, lat: s.lat };
    add('police_station', s.name, at, { staffCount: between(8, 20), status: 'in_service' });
  }
}

/** Police posts in the forested townships and in each reserve and farm. */
function addPolicePosts({ input, short, between, add, byStation, atPlace, townships, rural, gridOf }: SiteWriter) {
  // Police posts in the forested townships, staffed by the nearest station, and one in each reserve and farm.
  const posts = Math.min(6, Math.ceil(townships.length / 2) + 1);
  for (let i = 0; i < posts && rural.length > 0; i++) {
    const t = rural[i % rural.length];
    const at = byStation(atPlace(gridOf(t, Math.floor(i / rural.length))));
    add('police_post', `${short}${townshipShortName(t.townshipName)}林区警务站`, at, { staffCount: between(2, 5) });
  }
  for (const u of input.specialAreas) {
    const at = { unitId: u.id, townshipName: townshipAt(u, input.places), lon: u.lon, lat: u.lat };
    add('police_post', `${u.name}警务室`, at, { staffCount: between(2, 4) });
  }
}

/** Temporary checkpoints on the border and mobile ones for the fire season and a campaign. */
function addTemporaryAndMobileCheckpoints({
  county,
  input,
  short,
  between,
  add,
  byStation,
  atPlace,
  townships,
  rural,
  gridOf,
}: SiteWriter) {
  // Temporary checkpoints on the even border slots; mobile ones for the 2026 fire season and a longer campaign.
  const spare = input.border.filter((b) => b.slot % 2 === 0);
  for (const b of spare.slice(0, townships.length > 8 ? 2 : 1)) {
    const name = `${short}${townshipShortName(b.townshipName)}临时卡口`;
    add('temporary_checkpoint', name, byStation(b), { staffCount: between(3, 6), dutyHours: '07:00-22:00', notes: '森林防火期设卡' });
  }
  const mobile = { staffCount: between(3, 5), dutyHours: '08:00-20:00', status: 'in_service' as const };
  const fireSeason = rural[1] ?? rural[0];
  if (fireSeason) {
    add(
      'mobile_checkpoint',
      `${short}${townshipShortName(fireSeason.townshipName)}森林防火流动检查点`,
      byStation(atPlace(gridOf(fireSeason, 1))),
      {
        ...mobile,
        activeFrom: new Date('2026-01-01T00:00:00+08:00'),
        activeTo: new Date('2026-05-31T23:59:59+08:00'),
        notes: '2026年森林防火紧要期',
      },
    );
  }
  if (['530426', '530427', '530428'].includes(county.code) && spare.length > 2) {
    const b = spare[spare.length - 1];
    add('mobile_checkpoint', `${short}${townshipShortName(b.townshipName)}流动检查点`, byStation(b), {
      ...mobile,
      activeFrom: new Date('2026-01-01T00:00:00+08:00'),
      activeTo: new Date('2027-12-31T23:59:59+08:00'),
      notes: '木材和野生动物运输专项检查',
    });
  }
}

/** The key sites of clause 九: timber enterprises and markets, breeding farms, scenic areas, reserve entrances. */
function addKeySites({ county, input, short, random, pick, between, add, atPlace, townships, rural, streets, gridOf }: SiteWriter) {
  // Key sites of clause 九: timber enterprises and markets in town, breeding farms and scenic areas out of it.
  const urban = streets.length > 0 ? streets : rural.slice(-1);
  for (let i = 0; i < (townships.length > 8 ? 3 : 2); i++) {
    const name = `${short}${FIRMS[(Number(county.code) + i * 5) % FIRMS.length]}${pick(['木业有限公司', '木材加工厂', '林产品有限公司'])}`;
    const status = random() < 0.1 ? 'closed' : 'in_service';
    add('timber_enterprise', name, atPlace(gridOf(urban[i % urban.length], 1 + i)), {
      staffCount: between(12, 80),
      dutyHours: '08:00-18:00',
      status,
    });
  }
  if (['530402', '530425', '530427', '530428'].includes(county.code)) {
    const name = `${short}${townshipShortName(urban[0].townshipName)}木材交易市场`;
    add('timber_market', name, atPlace(gridOf(urban[0], 0)), { staffCount: between(5, 20), dutyHours: '07:00-19:00' });
  }
  for (let i = 0; i < (['530427', '530428'].includes(county.code) ? 2 : 1) && i < rural.length; i++) {
    const t = rural[rural.length - 1 - i];
    const name = `${short}${townshipShortName(t.townshipName)}${pick(ANIMALS)}驯养繁殖场`;
    add('wildlife_breeding', name, atPlace(gridOf(t, 2)), { staffCount: between(4, 15), dutyHours: '08:00-17:30' });
  }
  for (const l of input.landmarks) add('scenic_area', l.name, l, { staffCount: between(10, 60), dutyHours: '08:00-18:00' });
  if (input.landmarks.length === 0 && rural.length > 0) {
    const name = `${short}${townshipShortName(rural[0].townshipName)}森林公园`;
    add('scenic_area', name, atPlace(gridOf(rural[0], 3)), { staffCount: between(10, 40), dutyHours: '08:00-18:00' });
  }
  for (const e of input.entrances) {
    const name = `${e.reserveName}${townshipShortName(e.townshipName)}出入口`;
    add('reserve_entrance', name, e, { staffCount: between(2, 4), notes: '保护区管护站' });
  }
}

/** The township of the grid centre nearest a point. */
function townshipAt(p: { lon: number; lat: number }, places: Place[]): string {
  return places.reduce((best, g) => (dist2(g, p) < dist2(best, p) ? g : best)).townshipName;
}

/** The township a station is named after (`…森林公安局戛洒派出所` serves 戛洒镇). */
function townshipOf(s: Unit, townships: Place[]): string {
  return townships.find((t) => s.name.includes(townshipShortName(t.townshipName)))?.townshipName ?? '';
}

const dist2 = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => (a.lon - b.lon) ** 2 + (a.lat - b.lat) ** 2;
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
