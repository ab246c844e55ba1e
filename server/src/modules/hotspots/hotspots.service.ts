/**
 * Satellite hotspots (卫星林火热点, notice clause 十): NASA FIRMS files uploaded or polled, China's
 * bulletin hotspots entered or imported, each stored once, placed in county / township / grid,
 * clustered (1 km, 6 h), and a new qualifying cluster inside Yuxi opens a forest-fire incident.
 * The responsible county then has it checked on the ground (核查反馈).
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { auditedAs, type ChangeContext, type Principal, type RunChange } from '../../platform/change.js';
import { conflict, found, validationFailed } from '../../platform/errors.js';
import { platformEvent } from '../../platform/events.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import type { OrgRepo, Placement } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import type { SettingsRepo } from '../../platform/settings/settings.repo.js';
import { readWorkbook, type SheetColumn, writeWorkbook } from '../../platform/spreadsheet.js';
import type { IncidentOpener } from '../incidents/incident-sources.js';
import { clusterHotspots } from './hotspots.clustering.js';
import { hotspotEvent } from './hotspots.events.js';
import { type BadRow, parseFirmsCsv } from './hotspots.firms.js';
import { type HotspotRow, type HotspotsRepo, onceKey } from './hotspots.repo.js';
import {
  AGE_BUCKET_HOURS,
  AGE_BUCKETS,
  type AgeBucket,
  type AssignCheckInput,
  BULLETIN_INCIDENT_PIXELS,
  BULLETIN_SHEET_COLUMNS,
  BulletinSheetRow,
  CHECK_RESULT_LABELS,
  CONFIDENCES,
  type CreateBulletinHotspotInput,
  type Hotspot,
  type HotspotFilter,
  HotspotSettings,
  type ImportSummary,
  LAND_CLASS_LABELS,
  type LandClass,
  type RecordCheckInput,
} from './hotspots.schema.js';

type Deps = {
  db: Db;
  hotspotsRepo: HotspotsRepo;
  orgRepo: Pick<OrgRepo, 'locate' | 'findInScope' | 'root'>;
  filesRepo: Pick<FilesRepo, 'findMetaInScope' | 'attachInScope'>;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  runChange: RunChange;
  /** The incident pipeline a new qualifying cluster opens its incident through. */
  incidents: Pick<IncidentOpener, 'openIn'>;
  now?: () => Date;
};

const SETTINGS_KEY = 'hotspots';
const INSERT_BATCH = 5_000;
const LOCATE_BATCH = 2_000;
/**
 * How far outside the city's bounding box hotspots are still kept (about 50 km): a fire across the
 * border may come in, and the duty officer sees it on the map. Farther ones (most of a national
 * file) are counted as outside and not stored: SafeForest is the city's platform, not an archive
 * of the country's hotspots (docs/decisions.md).
 */
export const NEAR_MARGIN_DEG = 0.5;

const nearBox = ([w, s, e, n]: [number, number, number, number], c: Pick<HotspotCandidate, 'lon' | 'lat'>) =>
  c.lon >= w - NEAR_MARGIN_DEG && c.lon <= e + NEAR_MARGIN_DEG && c.lat >= s - NEAR_MARGIN_DEG && c.lat <= n + NEAR_MARGIN_DEG;
/** Largest number of rows of a bulletin spreadsheet. */
export const BULLETIN_MAX_ROWS = 5_000;
const STALE = 'The ground check was changed by someone else; reload it';

/** A hotspot read from a file, before it is placed; `line` is its line or spreadsheet row. */
export type HotspotCandidate = Omit<HotspotRow, 'countyCode' | 'countyId' | 'townshipId' | 'gridId' | 'orgUnitId'> & { line: number };

/** How an import came in, for the record of what each import did. */
export type FeedRun = { kind: 'upload' | 'folder' | 'url' | 'bulletin'; source: string; fingerprint: string };

const NOWHERE: Pick<HotspotRow, 'countyCode' | 'countyId' | 'townshipId' | 'gridId' | 'orgUnitId'> = {
  countyCode: null,
  countyId: null,
  townshipId: null,
  gridId: null,
  orgUnitId: null,
};

/** The age bucket of a detection: the smallest of 6 h, 24 h, 7 d that holds it. */
export function ageBucket(detectedAt: Date, now: Date): AgeBucket | 'older' {
  const hours = (now.getTime() - detectedAt.getTime()) / 3_600_000;
  return AGE_BUCKETS.find((b) => hours <= AGE_BUCKET_HOURS[b]) ?? 'older';
}

export function createHotspotsService({
  db,
  hotspotsRepo,
  orgRepo,
  filesRepo,
  settingsRepo,
  runChange,
  incidents,
  now = () => new Date(),
}: Deps) {
  let cityBox: [number, number, number, number] | null | undefined;

  async function settings(): Promise<HotspotSettings> {
    return HotspotSettings.parse((await settingsRepo.get(db, SETTINGS_KEY)) ?? {});
  }

  /** Where each candidate lies: the polygons are consulted only for points inside the city's bounding box. */
  async function place(candidates: Pick<HotspotCandidate, 'lon' | 'lat'>[], tx: Tx = db): Promise<Placement[]> {
    if (cityBox === undefined) cityBox = await hotspotsRepo.cityBbox(tx);
    const placements: Placement[] = candidates.map(() => ({ ...NOWHERE, stationId: null, unitId: null, unitPath: null }));
    if (!cityBox) return placements;
    const [w, s, e, n] = cityBox;
    const inBox = candidates.flatMap((c, i) => (c.lon >= w && c.lon <= e && c.lat >= s && c.lat <= n ? [i] : []));
    for (let at = 0; at < inBox.length; at += LOCATE_BATCH) {
      const slice = inBox.slice(at, at + LOCATE_BATCH);
      const located = await orgRepo.locate(
        tx,
        slice.map((i) => [candidates[i].lon, candidates[i].lat] as const),
      );
      slice.forEach((i, k) => {
        placements[i] = located[k];
      });
    }
    return placements;
  }

  /** Whether a new hotspot is enough, by itself, for its cluster to open an incident. */
  function qualifies(h: HotspotCandidate, rule: HotspotSettings): boolean {
    if (h.source === 'bulletin') return (h.pixelCount ?? 0) >= BULLETIN_INCIDENT_PIXELS;
    const rank = (c: string | null) => (c ? CONFIDENCES.indexOf(c as (typeof CONFIDENCES)[number]) : -1);
    return rank(h.confidence) >= rank(rule.firmsMinConfidence) && (h.frp ?? 0) >= rule.firmsMinFrpMw;
  }

  /**
   * Stores the candidates not stored yet, clusters the new ones inside Yuxi, opens an incident for
   * each cluster that qualifies and has none, and records the import; all in one change.
   */
  async function store(principal: Principal, all: HotspotCandidate[], badRows: BadRow[], run: FeedRun) {
    const rule = await settings();
    return runChange(principal, async (ctx) => {
      await hotspotsRepo.lockClustering(ctx.tx);
      // A national file is mostly far away: only what lies near the city is kept (see NEAR_MARGIN_DEG).
      if (cityBox === undefined) cityBox = await hotspotsRepo.cityBbox(ctx.tx);
      const box = cityBox;
      const candidates = box ? all.filter((c) => nearBox(box, c)) : all;
      const farAway = all.length - candidates.length;
      // Stored first and placed after, so rows already stored (a re-import) cost no polygon lookup.
      const rows: HotspotRow[] = candidates.map(({ line: _line, ...fields }) => ({ ...fields, ...NOWHERE }));
      const stored = new Map<string, string>();
      for (let at = 0; at < rows.length; at += INSERT_BATCH) {
        for (const [key, id] of await hotspotsRepo.insertNew(ctx.tx, rows.slice(at, at + INSERT_BATCH))) stored.set(key, id);
      }
      // The first candidate of each stored key is the stored hotspot.
      const fresh: { id: string; row: HotspotRow; candidate: HotspotCandidate; path: string | null }[] = [];
      const taken = new Set<string>();
      rows.forEach((row, i) => {
        const key = onceKey(row);
        const id = stored.get(key);
        if (!id || taken.has(key)) return;
        taken.add(key);
        fresh.push({ id, row, candidate: candidates[i], path: null });
      });
      const placements = await place(
        fresh.map((f) => f.row),
        ctx.tx,
      );
      const placed: (Pick<HotspotRow, 'countyCode' | 'countyId' | 'townshipId' | 'gridId' | 'orgUnitId'> & { id: string })[] = [];
      fresh.forEach((f, i) => {
        const p = placements[i];
        if (p.countyId === null) return;
        const where = { countyCode: p.countyCode, countyId: p.countyId, townshipId: p.townshipId, gridId: p.gridId, orgUnitId: p.unitId };
        Object.assign(f.row, where);
        f.path = p.unitPath;
        placed.push({ id: f.id, ...where });
      });
      await hotspotsRepo.setPlacements(ctx.tx, placed);
      const inside = fresh.filter((f) => f.row.countyId !== null);
      const { clusters, incidentsOpened } = await clusterAndOpen(ctx, inside, rule, auditedAs(principal).username);
      const summary: ImportSummary = {
        imported: fresh.length,
        duplicates: candidates.length - fresh.length,
        outside: fresh.length - inside.length + farAway,
        farAway,
        incidents: incidentsOpened,
        clusters,
        badRows,
      };
      const { badRows: _bad, ...counts } = summary;
      const runId = await hotspotsRepo.recordFeedRun(ctx.tx, { ...run, ...counts, badRows: badRows.length });
      ctx.audit({
        action: 'hotspot.import',
        entity: 'hotspot_import',
        entityId: runId,
        after: { ...run, ...counts, badRows: badRows.length },
      });
      // One event per unit with new hotspots (viewers reload their layer once), and the city's for those outside Yuxi.
      const perPath = new Map<string, number>();
      for (const f of fresh) if (f.path) perPath.set(f.path, (perPath.get(f.path) ?? 0) + 1);
      for (const [path, imported] of perPath) ctx.emit(hotspotEvent('hotspots.imported', { path }, { imported }));
      const root = fresh.length > inside.length ? await orgRepo.root(ctx.tx) : null;
      if (root) ctx.emit(hotspotEvent('hotspots.imported', root, { imported: fresh.length - inside.length }));
      return { summary, storedIds: fresh.map((f) => f.id) };
    });
  }

  /** Clusters new hotspots inside Yuxi and opens the incidents of qualifying clusters without one. */
  async function clusterAndOpen(
    ctx: ChangeContext,
    inside: { id: string; row: HotspotRow; candidate: HotspotCandidate }[],
    rule: HotspotSettings,
    by: string,
  ) {
    if (inside.length === 0) return { clusters: 0, incidentsOpened: 0 };
    const lons = inside.map((f) => f.row.lon);
    const lats = inside.map((f) => f.row.lat);
    const times = inside.map((f) => f.row.detectedAt.getTime());
    const margin = 0.02;
    const members = await hotspotsRepo.clusterMembersNear(
      ctx.tx,
      [Math.min(...lons) - margin, Math.min(...lats) - margin, Math.max(...lons) + margin, Math.max(...lats) + margin],
      new Date(Math.min(...times) - 6 * 3_600_000),
      new Date(Math.max(...times) + 6 * 3_600_000),
    );
    const freshById = new Map(inside.map((f) => [f.id, f]));
    const outcome = clusterHotspots(
      inside.map((f) => ({ id: f.id, lon: f.row.lon, lat: f.row.lat, detectedAt: f.row.detectedAt })),
      members.filter((m) => !freshById.has(m.id)),
    );
    await hotspotsRepo.applyClustering(
      ctx.tx,
      [...outcome.created].map(([id, c]) => {
        const first = freshById.get(c.first.id) as (typeof inside)[number];
        return {
          id,
          first: c.first.detectedAt,
          last: c.last,
          lon: c.first.lon,
          lat: c.first.lat,
          countyCode: first.row.countyCode,
          orgUnitId: first.row.orgUnitId,
          count: c.count,
        };
      }),
      [...outcome.joined].map(([id, j]) => ({ id, ...j })),
      [...outcome.clusterOf].map(([hotspotId, clusterId]) => ({ hotspotId, clusterId })),
    );
    // The clusters that gained a qualifying hotspot, with their first such hotspot.
    const trigger = new Map<string, (typeof inside)[number]>();
    for (const f of [...inside].sort((a, b) => a.row.detectedAt.getTime() - b.row.detectedAt.getTime())) {
      const clusterId = outcome.clusterOf.get(f.id) as string;
      if (!trigger.has(clusterId) && qualifies(f.candidate, rule)) trigger.set(clusterId, f);
    }
    const open = await hotspotsRepo.clusterIncidents(ctx.tx, [...trigger.keys()]);
    const names = await hotspotsRepo.unitNames(ctx.tx, [...new Set(inside.map((f) => f.row.countyId as number))]);
    let incidentsOpened = 0;
    for (const [clusterId, f] of trigger) {
      if (open.get(clusterId)) continue;
      const created = outcome.created.get(clusterId);
      const at = created ? created.first : { lon: f.row.lon, lat: f.row.lat, detectedAt: f.row.detectedAt };
      const county = names.get(f.row.countyId as number) ?? '';
      const what = f.row.source === 'bulletin' ? `卫星监测热点（${f.row.pixelCount} 像元）` : `卫星林火热点（${f.row.satellite}）`;
      const opened = await incidents.openIn(ctx, {
        category: 'forest_fire',
        source: 'hotspot',
        sourceRef: clusterId,
        title: `${county}${what}`,
        description: `${f.row.satellite} ${f.row.instrument ?? ''} ${f.row.detectedAt.toISOString()} ${
          f.row.source === 'bulletin'
            ? `编号 ${f.row.bulletinNumber}，地类 ${LAND_CLASS_LABELS[f.row.landClass as LandClass] ?? ''}`
            : `置信度 ${f.row.confidenceRaw ?? ''}，FRP ${f.row.frp ?? ''} MW`
        }`.replace(/\s+/g, ' '),
        location: [at.lon, at.lat],
        placeText: f.row.placeText ?? county,
        reportedAt: at.detectedAt,
        by,
      });
      await hotspotsRepo.setClusterIncident(ctx.tx, clusterId, opened.id);
      if (!opened.linked) incidentsOpened++;
    }
    return { clusters: outcome.created.size, incidentsOpened };
  }

  /** A bulletin hotspot as a candidate. */
  const bulletinCandidate = (
    b: Omit<CreateBulletinHotspotInput, 'location'> & { lon: number; lat: number },
    line: number,
  ): HotspotCandidate => ({
    line,
    source: 'bulletin',
    satellite: b.satellite,
    satelliteCode: b.satellite,
    instrument: null,
    detectedAt: b.detectedAt,
    lon: b.lon,
    lat: b.lat,
    confidence: null,
    confidenceRaw: null,
    frp: null,
    brightness: null,
    brightness2: null,
    scan: null,
    track: null,
    daynight: null,
    dataVersion: null,
    bulletinNumber: b.bulletinNumber,
    pixelCount: b.pixelCount,
    smoke: b.smoke,
    landClass: b.landClass,
    placeText: b.placeText ?? null,
  });

  async function mustFind(actor: Actor, id: string, tx: Parameters<HotspotsRepo['findInScope']>[0] = db) {
    return found(await hotspotsRepo.findInScope(tx, actor, id), 'Hotspot');
  }

  return {
    /** The bounding box of the city's counties (the polled URL's `{bbox}`). */
    async cityBbox() {
      if (cityBox === undefined) cityBox = await hotspotsRepo.cityBbox(db);
      return cityBox;
    },

    /** The FIRMS incident thresholds in force (`/api/settings/hotspots`). */
    settings,

    /** Changes the FIRMS incident thresholds (audited); the next import uses them. */
    async updateSettings(actor: Actor, value: HotspotSettings) {
      const before = await settings();
      await runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTINGS_KEY, value, actor.username);
        audit({ action: 'settings.update', entity: 'settings', entityId: SETTINGS_KEY, orgUnitId: actor.orgUnitId, before, after: value });
        emit(platformEvent('settings.changed', actor, { key: SETTINGS_KEY }));
      });
      return value;
    },

    /**
     * Imports a FIRMS CSV file (VIIRS or MODIS, area or country file): the good rows are stored,
     * the bad ones reported by line; answers the counts once done.
     */
    async importFirms(principal: Principal, data: Buffer, fileName: string, run: FeedRun): Promise<ImportSummary> {
      const { rows, bad } = parseFirmsCsv(data, fileName, now());
      const candidates: HotspotCandidate[] = rows.map(({ line, ...h }) => ({
        line,
        source: 'firms',
        ...h,
        bulletinNumber: null,
        pixelCount: null,
        smoke: null,
        landClass: null,
        placeText: null,
      }));
      return (await store(principal, candidates, bad, run)).summary;
    },

    /** Whether content with this fingerprint was imported already (the pollers skip it). */
    fedAlready: (fingerprint: string) => hotspotsRepo.fedAlready(db, fingerprint),

    /** Records a poll that failed before anything was imported (an unreachable URL, an unreadable file). */
    async recordFailedRun(principal: Principal, run: FeedRun, error: string) {
      await runChange(principal, async (ctx) => {
        const id = await hotspotsRepo.recordFeedRun(ctx.tx, { ...run, error: error.slice(0, 500) });
        ctx.audit({
          action: 'hotspot.import_failed',
          entity: 'hotspot_import',
          entityId: id,
          after: { ...run, error: error.slice(0, 500) },
        });
      });
    },

    /** Enters one bulletin hotspot by hand; it must lie in the actor's area (anywhere, for the city). */
    async createBulletin(actor: Actor, input: CreateBulletinHotspotInput) {
      const [lon, lat] = input.location.coordinates;
      const candidate = bulletinCandidate({ ...input, lon, lat }, 0);
      const [placement] = await place([candidate]);
      const inScope = placement.unitPath
        ? placement.unitPath.startsWith(actor.orgPath)
        : actor.orgPath.split('/').filter(Boolean).length <= 1;
      if (!inScope) throw validationFailed([{ path: 'body.location', message: 'the location lies outside your area' }]);
      if (input.detectedAt.getTime() > now().getTime() + 5 * 60_000)
        throw validationFailed([{ path: 'body.detectedAt', message: 'the detection time lies in the future' }]);
      const { summary, storedIds } = await store(actor, [candidate], [], {
        kind: 'bulletin',
        source: `bulletin ${input.bulletinNumber}`,
        fingerprint: '',
      });
      if (storedIds.length === 0) throw conflict('This hotspot is stored already (same satellite, time and place)');
      return { hotspot: await mustFind(actor, storedIds[0]), summary };
    },

    /** Imports bulletin hotspots from a spreadsheet in the export layout; bad rows are reported by row. */
    async importBulletins(actor: Actor, data: Buffer, fileName: string): Promise<ImportSummary> {
      let sheet: Awaited<ReturnType<typeof readWorkbook>>;
      try {
        sheet = await readWorkbook(data);
      } catch {
        throw validationFailed([{ path: 'body.file', message: `${fileName} is not an Excel workbook (.xlsx)` }]);
      }
      const missing = BULLETIN_SHEET_COLUMNS.filter((c) => c.field !== 'placeText' && !sheet.headers.includes(c.header));
      if (missing.length)
        throw validationFailed([
          { path: 'body.file', message: `${fileName}: columns missing from the first row: ${missing.map((c) => c.header).join(', ')}` },
        ]);
      if (sheet.rows.length > BULLETIN_MAX_ROWS)
        throw validationFailed([{ path: 'body.file', message: `${fileName}: at most ${BULLETIN_MAX_ROWS} rows per import` }]);
      const bad: BadRow[] = [];
      const candidates: HotspotCandidate[] = [];
      const latest = now().getTime() + 5 * 60_000;
      for (const { rowNumber, cells } of sheet.rows) {
        const result = BulletinSheetRow.safeParse(
          Object.fromEntries(BULLETIN_SHEET_COLUMNS.map((c) => [c.field, cells[c.header] ?? null])),
        );
        if (!result.success) {
          const header = (field: unknown) => BULLETIN_SHEET_COLUMNS.find((c) => c.field === field)?.header ?? String(field);
          const columns = [...new Set(result.error.issues.map((i) => header(i.path[0])))].join('、');
          bad.push({
            line: rowNumber,
            reason: result.error.issues.map((i) => `${header(i.path[0])}: ${i.message}`).join('; '),
            code: 'bad_cells',
            params: { columns },
          });
          continue;
        }
        if (result.data.detectedAt.getTime() > latest) {
          bad.push({
            line: rowNumber,
            reason: '发现时间: the detection time lies in the future',
            code: 'in_future',
            params: { value: result.data.detectedAt.toISOString() },
          });
          continue;
        }
        candidates.push(bulletinCandidate(result.data, rowNumber));
      }
      return (await store(actor, candidates, bad, { kind: 'bulletin', source: fileName.slice(0, 200), fingerprint: '' })).summary;
    },

    /** One page of hotspots within the actor's scope. */
    async list(actor: Actor, filter: HotspotFilter, page: PageRequest & { sort: 'detectedAt' | '-detectedAt' }) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      return hotspotsRepo.list(db, actor, { ...filter, subtreePath, now: now() }, { ...pageWindow(page), sort: page.sort });
    },

    /** One hotspot with its ground check; 404 outside the actor's scope. */
    get: (actor: Actor, id: string) => mustFind(actor, id),

    /** The map layer: hotspots of the last 6 h, 24 h or 7 d, each with its age bucket. */
    async layer(actor: Actor, filter: Omit<HotspotFilter, 'maxAgeHours' | 'from' | 'to'> & { maxAge: AgeBucket }) {
      const at = now();
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const rows = await hotspotsRepo.features(db, actor, {
        ...filter,
        subtreePath,
        now: at,
        maxAgeHours: AGE_BUCKET_HOURS[filter.maxAge],
        to: new Date(at.getTime() + 60_000),
      });
      return {
        type: 'FeatureCollection' as const,
        features: rows.map(({ lon, lat, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.id,
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { ...properties, age: ageBucket(properties.detectedAt, at) },
        })),
      };
    },

    /** The filtered hotspots as a workbook: the bulletin layout first, then county, FIRMS fields and ground check. */
    async exportWorkbook(actor: Actor, filter: HotspotFilter) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items } = await hotspotsRepo.list(
        db,
        actor,
        { ...filter, subtreePath, now: now() },
        { limit: 50_000, offset: 0, sort: '-detectedAt' },
      );
      const layout: Record<(typeof BULLETIN_SHEET_COLUMNS)[number]['field'], (h: Hotspot) => string | number | Date | null> = {
        bulletinNumber: (h) => h.bulletinNumber,
        detectedAt: (h) => h.detectedAt,
        satellite: (h) => h.satellite,
        placeText: (h) => h.placeText ?? h.countyName,
        lon: (h) => h.location.coordinates[0],
        lat: (h) => h.location.coordinates[1],
        pixelCount: (h) => h.pixelCount,
        smoke: (h) => (h.smoke === null ? null : h.smoke ? '有' : '无'),
        landClass: (h) => (h.landClass ? LAND_CLASS_LABELS[h.landClass] : null),
      };
      const columns: SheetColumn<Hotspot>[] = [
        ...BULLETIN_SHEET_COLUMNS.map((c) => ({ header: c.header, width: c.field === 'detectedAt' ? 20 : 14, value: layout[c.field] })),
        { header: '来源', value: (h) => (h.source === 'firms' ? 'FIRMS' : '通报') },
        { header: '县区', value: (h) => h.countyName ?? '玉溪市外' },
        { header: '置信度', value: (h) => h.confidenceRaw },
        { header: 'FRP(MW)', value: (h) => h.frp },
        { header: '核查结果', value: (h) => (h.check?.result ? CHECK_RESULT_LABELS[h.check.result] : null) },
        { header: '核查时间', width: 20, value: (h) => h.check?.checkedAt ?? null },
        { header: '是否扑灭', value: (h) => (h.check?.fireOut == null ? null : h.check.fireOut ? '是' : '否') },
        {
          header: '反馈时长(分钟)',
          value: (h) => (h.check?.delayFromDetectionS == null ? null : Math.round(h.check.delayFromDetectionS / 60)),
        },
      ];
      return writeWorkbook('卫星林火热点', columns, items);
    },

    /**
     * The responsible county assigns the ground check of a hotspot in its area to an account or a
     * unit of its scope, with a deadline; a check already fed back is not reassigned (409).
     */
    async assignCheck(actor: Actor, id: string, input: AssignCheckInput) {
      if (!input.assigneeUserId && !input.assigneeUnitId)
        throw validationFailed([{ path: 'body.assigneeUserId', message: 'name the checker: an account or a unit' }]);
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        if (before.orgUnitId === null)
          throw validationFailed([{ path: 'params.id', message: 'the hotspot lies outside Yuxi: no county checks it' }]);
        if (before.check?.result) throw conflict('The ground check was fed back already');
        if (before.check && input.version !== undefined && before.check.version !== input.version)
          throw conflict(STALE, { currentVersion: before.check.version });
        if (input.assigneeUserId && !(await hotspotsRepo.userInScope(ctx.tx, actor, input.assigneeUserId)))
          throw validationFailed([{ path: 'body.assigneeUserId', message: 'no such account in your area' }]);
        if (input.assigneeUnitId && !(await orgRepo.findInScope(ctx.tx, actor, input.assigneeUnitId)))
          throw validationFailed([{ path: 'body.assigneeUnitId', message: 'no such org unit in your area' }]);
        const assigned = await hotspotsRepo.assignCheck(ctx.tx, actor, id, {
          assigneeUserId: input.assigneeUserId ?? null,
          assigneeUnitId: input.assigneeUnitId ?? null,
          deadline: input.deadline ?? null,
          assignedBy: actor.username,
        });
        if (!assigned) throw conflict(STALE);
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({
          action: 'hotspot.check_assign',
          entity: 'hotspot',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before: before.check,
          after: after.check,
        });
        return after;
      });
    },

    /** The checker records what the ground check found; the delays since detection and assignment are kept. */
    async recordCheck(actor: Actor, id: string, input: RecordCheckInput) {
      if (input.checkedAt.getTime() > now().getTime() + 5 * 60_000)
        throw validationFailed([{ path: 'body.checkedAt', message: 'the check time lies in the future' }]);
      return runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        if (!before.check) throw conflict('Assign the ground check first');
        if (input.checkedAt < before.detectedAt)
          throw validationFailed([{ path: 'body.checkedAt', message: 'the check time lies before the detection' }]);
        for (const [i, fileId] of input.photoFileIds.entries()) {
          const photo = before.orgUnitId
            ? await filesRepo.attachInScope(ctx.tx, actor, fileId, before.orgUnitId)
            : await filesRepo.findMetaInScope(ctx.tx, actor, fileId);
          if (!photo) throw validationFailed([{ path: `body.photoFileIds.${i}`, message: 'no such file of yours' }]);
          if (!photo.contentType.startsWith('image/'))
            throw validationFailed([{ path: `body.photoFileIds.${i}`, message: 'the file is not a photo' }]);
        }
        if (input.version !== undefined && before.check.version !== input.version)
          throw conflict(STALE, { currentVersion: before.check.version });
        const recorded = await hotspotsRepo.recordCheck(ctx.tx, actor, id, input.version, {
          result: input.result,
          checkedAt: input.checkedAt,
          note: input.note ?? null,
          fireOut: input.fireOut,
          photoFileIds: input.photoFileIds,
          checkedBy: actor.username,
        });
        if (!recorded) throw conflict(STALE);
        const after = await mustFind(actor, id, ctx.tx);
        ctx.audit({
          action: 'hotspot.check_record',
          entity: 'hotspot',
          entityId: id,
          orgUnitId: after.orgUnitId,
          before: before.check,
          after: after.check,
        });
        return after;
      });
    },
  };
}
export type HotspotsService = ReturnType<typeof createHotspotsService>;
