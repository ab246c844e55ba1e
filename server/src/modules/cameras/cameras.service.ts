/**
 * Video surveillance (视频监控, notice clause 九): the camera register, the cameras' status from
 * their heartbeats (silent too long: offline, with an alert), and their alarms (a fire, smoke or
 * intrusion seen by a camera in the forest opens an incident; any other alarm raises an alert).
 */
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type ChangeContext, type RunChange, systemPrincipal } from '../../platform/change.js';
import { AppError, assertVersion, conflict, found, validationFailed } from '../../platform/errors.js';
import { platformEvent } from '../../platform/events.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import type { InlineImageType } from '../../platform/files/image-check.js';
import type { JobProgress, JobRegistry } from '../../platform/jobs.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import type { OrgUnit } from '../../platform/org/org.schema.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { pathInScope, subtreeFilter } from '../../platform/scope.js';
import type { SettingsRepo } from '../../platform/settings/settings.repo.js';
import { parseImportRows, readImportSheet, rowsFailed } from '../../platform/sheet-import.js';
import { type CellValue, type SheetColumn, type SheetRow, writeWorkbook } from '../../platform/spreadsheet.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import { hashDeviceKey, keyAccepted } from '../devices/device-keys.js';
import type { IncidentOpener } from '../incidents/incident-sources.js';
import type { SitesService } from '../sites/sites.service.js';
import { cameraEvent } from './cameras.events.js';
import type { CameraRow, CamerasRepo, IngestCamera } from './cameras.repo.js';
import {
  type AlarmType,
  CAMERA_LABELS,
  CAMERA_SHEET_COLUMNS,
  CAMERA_SHEET_REQUIRED,
  type CAMERA_SORTS,
  type Camera,
  type CameraAlarmFilter,
  type CameraFilter,
  CameraSettings,
  CameraSheetRow,
  type CameraStatusReport,
  type CreateCameraInput,
  FOREST_CATEGORIES,
  INCIDENT_ALARMS,
  type UpdateCameraInput,
} from './cameras.schema.js';

type Deps = {
  db: Db;
  camerasRepo: CamerasRepo;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'findManyByCode' | 'areaCovers' | 'areasCover' | 'locate'>;
  sites: Pick<SitesService, 'get' | 'named'>;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  filesRepo: Pick<FilesRepo, 'insert'>;
  alertsService: Pick<AlertsService, 'raiseIn' | 'resolveAboutIn'>;
  incidents: Pick<IncidentOpener, 'openIn'>;
  /** Whether the devices of a unit must send a key (the counties' device-key policy, which cameras share). */
  keyPolicy: { keysRequiredAt(tx: Tx, unitId: number): Promise<boolean> };
  runChange: RunChange;
  jobs: JobRegistry;
  now?: () => Date;
};

/** The unit an imported camera is written to. */
type ImportUnit = Pick<OrgUnit, 'id' | 'path' | 'name'>;
/** A checked row of an import: the cells, the unit it goes to and the site it is linked to. */
type ImportedCamera = { rowNumber: number; row: CameraSheetRow; unit: ImportUnit; siteId: string | null };

/** Rows one spreadsheet import takes at most. */
export const IMPORT_MAX_ROWS = 5_000;

const SETTINGS_KEY = 'cameras';
const STALE = 'The camera was changed by someone else; reload it';
const FEED = systemPrincipal('camera_feed');
const ANALYZER = systemPrincipal('analyzer');
const EXTENSIONS: Record<InlineImageType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** An alarm as a protocol read it, before it is matched to its camera. */
export type IncomingAlarm = {
  gbId: string;
  /** Null for a heartbeat: the camera is alive, nothing to store. */
  type: AlarmType | null;
  eventType: string | null;
  at: Date;
  description: string | null;
  details: Record<string, unknown> | null;
  protocol: 'isapi' | 'json';
  picture: { data: Buffer; contentType: InlineImageType } | null;
  /** Where the request named the camera (`body.gbId`, `query.gbId`), for the 404. */
  gbIdPath: string;
};

/** Files a single stream URL by its form; null when the form says nothing. */
function streamField(url: string): 'hlsUrl' | 'flvUrl' | 'rtspUrl' | 'webrtcUrl' | null {
  const lower = url.toLowerCase();
  if (lower.startsWith('rtsp://') || lower.startsWith('rtsps://')) return 'rtspUrl';
  if (lower.startsWith('webrtc://')) return 'webrtcUrl';
  const path = lower.split(/[?#]/)[0];
  if (path.endsWith('.m3u8')) return 'hlsUrl';
  if (path.endsWith('.flv')) return 'flvUrl';
  return null;
}

const unknownCamera = (path: string) =>
  new AppError(404, 'unknown_camera', 'Unknown camera, or a wrong or missing key', [{ path, message: 'no such camera, or a wrong key' }]);

export function createCamerasService({
  db,
  camerasRepo,
  orgRepo,
  sites,
  settingsRepo,
  filesRepo,
  alertsService,
  incidents,
  keyPolicy,
  runChange,
  jobs,
  now = () => new Date(),
}: Deps) {
  let origins: string[] = [];
  let watch: NodeJS.Timeout | null = null;

  async function settings(): Promise<CameraSettings> {
    return CameraSettings.parse((await settingsRepo.get(db, SETTINGS_KEY)) ?? {});
  }

  /** Reads the origins of the registered browser streams again (the content security policy lets the browser reach them). */
  async function loadStreamOrigins() {
    const found = new Set<string>();
    for (const row of await camerasRepo.streamUrls(db)) {
      for (const url of [row.hlsUrl, row.flvUrl, row.webrtcUrl]) {
        if (!url) continue;
        try {
          const parsed = new URL(url);
          if (['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) found.add(parsed.origin);
        } catch {
          // a URL the schema let in but the browser cannot reach: nothing to allow
        }
      }
    }
    origins = [...found].sort();
    return origins;
  }

  /** The unit a camera is written to: the one named (in scope, its area holding the location) or the one holding the location. */
  async function placement(tx: Tx, actor: Actor, input: { orgUnitId?: number; location: CreateCameraInput['location'] }): Promise<OrgUnit> {
    if (input.orgUnitId !== undefined) {
      const unit = await orgRepo.findInScope(tx, actor, input.orgUnitId);
      if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
      if (!(await orgRepo.areaCovers(tx, unit.path, input.location)))
        throw validationFailed([{ path: 'body.location', message: `the location lies outside the area of ${unit.name}` }]);
      return unit;
    }
    const [place] = await orgRepo.locate(tx, [input.location.coordinates]);
    for (const id of [place.countyId, place.townshipId]) {
      const unit = id === null ? null : await orgRepo.findInScope(tx, actor, id);
      if (unit) return unit;
    }
    throw validationFailed([{ path: 'body.location', message: 'the location lies outside your area' }]);
  }

  async function checkSite(actor: Actor, siteId: string | null | undefined) {
    if (!siteId) return;
    try {
      await sites.get(actor, siteId);
    } catch (error) {
      if (error instanceof AppError && error.statusCode === 404)
        throw validationFailed([{ path: 'body.siteId', message: 'no such site in your area' }]);
      throw error;
    }
  }

  async function checkGbIdFree(tx: Tx, gbId: string, self?: string) {
    const holder = await camerasRepo.idOfGbId(tx, gbId);
    if (holder && holder !== self) throw validationFailed([{ path: 'body.gbId', message: 'another camera is registered with this id' }]);
  }

  /**
   * Every row of an import checked: its cells, its id free (in the register and in the sheet), its
   * unit in the actor's area holding the location (named by code, or the one at the location), its
   * site (by name) in the actor's area. Answers the rows to write with their unit and site, or
   * every problem found.
   */
  async function checkImportRows(actor: Actor, rows: SheetRow[], progress: JobProgress) {
    const { parsed, problems, headerOf } = parseImportRows(rows, CAMERA_SHEET_COLUMNS, CameraSheetRow);
    // Rows refused cell by cell are checked already.
    progress.advance(rows.length - parsed.length);
    const problem = (row: number, field: string, message: string) => problems.push({ row, field: headerOf(field), message });
    const taken = await camerasRepo.gbIdsTaken(
      db,
      parsed.map((p) => p.row.gbId),
    );
    const firstRowOf = new Map<string, number>();
    const named = await orgRepo.findManyByCode(db, actor, { codes: [...new Set(parsed.flatMap((p) => p.row.orgUnitCode ?? []))] });
    const unitByCode = new Map(named.map((u) => [u.code, u]));
    const unlocated = parsed.filter((p) => !p.row.orgUnitCode);
    const places = await orgRepo.locate(
      db,
      unlocated.map((p) => [p.row.lon, p.row.lat] as const),
    );
    const inScope = new Map(
      (
        await orgRepo.findManyByCode(db, actor, {
          ids: [...new Set(places.flatMap((p) => [p.countyId, p.townshipId]).filter((id) => id !== null))],
        })
      ).map((u) => [u.id, u]),
    );
    const located = new Map(unlocated.map((p, i) => [p, inScope.get(places[i].countyId ?? -1) ?? inScope.get(places[i].townshipId ?? -1)]));
    const sitesByName = new Map<string, { id: string; unitPath: string }[]>();
    for (const site of await sites.named(actor, [...new Set(parsed.flatMap((p) => p.row.siteName ?? []))]))
      sitesByName.set(site.name, [...(sitesByName.get(site.name) ?? []), site]);
    const accepted: ImportedCamera[] = [];
    for (const entry of parsed) {
      const { rowNumber, row } = entry;
      progress.advance();
      const first = firstRowOf.get(row.gbId);
      if (first !== undefined) problem(rowNumber, 'gbId', `the same id as row ${first}`);
      else firstRowOf.set(row.gbId, rowNumber);
      if (taken.has(row.gbId)) problem(rowNumber, 'gbId', 'another camera is registered with this id');
      const unit = row.orgUnitCode ? unitByCode.get(row.orgUnitCode) : located.get(entry);
      if (!unit) {
        if (row.orgUnitCode) problem(rowNumber, 'orgUnitCode', `no org unit ${row.orgUnitCode} in your area`);
        else problem(rowNumber, 'lon', 'the location lies outside your area');
        continue;
      }
      let siteId: string | null = null;
      if (row.siteName) {
        const named = sitesByName.get(row.siteName) ?? [];
        // Names repeat across units: the camera's own unit settles which one is meant.
        const meant = named.length > 1 ? named.filter((s) => pathInScope({ orgPath: unit.path }, s.unitPath)) : named;
        if (meant.length === 1) siteId = meant[0].id;
        else if (named.length === 0) problem(rowNumber, 'siteName', `no site ${row.siteName} in your area`);
        else
          problem(
            rowNumber,
            'siteName',
            `${named.length} sites are named ${row.siteName}: leave the cell empty and link the site in the form`,
          );
      }
      accepted.push({ rowNumber, row, unit, siteId });
    }
    const byCode = accepted.filter((a) => a.row.orgUnitCode);
    const covered = await orgRepo.areasCover(
      db,
      byCode.map((a) => ({ unitPath: a.unit.path, point: { type: 'Point', coordinates: [a.row.lon, a.row.lat] } })),
    );
    covered.forEach((inside, i) => {
      if (!inside) problem(byCode[i].rowNumber, 'lon', `the location lies outside the area of ${byCode[i].unit.name}`);
    });
    return problems.length ? rowsFailed(problems) : { accepted };
  }

  /** Writes the checked cameras in one change: one audit row each, one live event per unit. */
  async function writeImport(actor: Actor, accepted: ImportedCamera[]) {
    const ids = await guardUnique(() =>
      runChange(actor, async (ctx) => {
        const created: string[] = [];
        for (const { row, unit, siteId } of accepted) {
          const camera: CameraRow = {
            name: row.name,
            siteId,
            orgUnitId: unit.id,
            location: { type: 'Point', coordinates: [row.lon, row.lat] },
            category: row.category,
            owner: row.owner ?? null,
            type: row.type,
            gbId: row.gbId,
            hlsUrl: row.hlsUrl ?? null,
            flvUrl: row.flvUrl ?? null,
            webrtcUrl: row.webrtcUrl ?? null,
            rtspUrl: row.rtspUrl ?? null,
            keyHash: null,
            notes: row.notes ?? null,
          };
          const id = await camerasRepo.insert(ctx.tx, camera);
          created.push(id);
          ctx.audit({ action: 'camera.import', entity: 'camera', entityId: id, orgUnitId: unit.id, after: camera });
        }
        // One event per unit rather than per row: viewers reload once.
        const units = new Map(accepted.map((a) => [a.unit.id, a.unit]));
        for (const unit of units.values()) ctx.emit(cameraEvent('cameras.imported', unit, { orgUnitId: unit.id }));
        return created;
      }),
    );
    await loadStreamOrigins();
    return ids;
  }

  /** A unique-index refusal (two registrations of one id at once) in the words of the rule. */
  async function guardUnique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
      if (cause?.code === '23505') throw validationFailed([{ path: 'body.gbId', message: 'another camera is registered with this id' }]);
      throw error;
    }
  }

  const mustFind = async (actor: Actor, id: string, tx: Tx = db) => found(await camerasRepo.findInScope(tx, actor, id), 'Camera');

  /** The cameras of these ids whose key the request carries (or that need none); the others are refused alike. */
  async function acceptedCameras(tx: Tx, gbIds: string[], bearerKey: string | null) {
    const cameras = await camerasRepo.forIngest(tx, [...new Set(gbIds)]);
    const required = new Map<number, boolean>();
    const accepted = new Map<string, IngestCamera>();
    for (const camera of cameras) {
      if (!camera.keyHash && !required.has(camera.orgUnitId))
        required.set(camera.orgUnitId, await keyPolicy.keysRequiredAt(tx, camera.orgUnitId));
      if (keyAccepted({ keyHash: camera.keyHash, keyRequired: required.get(camera.orgUnitId) ?? false }, bearerKey))
        accepted.set(camera.gbId, camera);
    }
    return accepted;
  }

  /** Records one report of a camera; a change of status is audited and published. */
  async function recordReportIn(ctx: ChangeContext, camera: IngestCamera, online: boolean, at: Date) {
    const change = await camerasRepo.recordReport(ctx.tx, camera.id, online, at);
    if (online) await camerasRepo.countOnlineDay(ctx.tx, camera.id, at);
    if (change && change.before !== change.after) {
      ctx.audit({
        action: 'camera.status',
        entity: 'camera',
        entityId: camera.id,
        orgUnitId: camera.orgUnitId,
        before: { status: change.before },
        after: { status: change.after, at },
      });
      ctx.emit(cameraEvent('camera.status', { orgPath: camera.orgPath }, { cameraId: camera.id, status: change.after as 'online', at }));
      // Back: the alert of its silence is over.
      if (change.after === 'online')
        await alertsService.resolveAboutIn(ctx, 'camera_offline', { key: 'cameraId', value: camera.id }, 'back_online');
    }
  }

  /** Stores a new alarm with its picture and opens its incident or raises its alert. */
  async function storeAlarmIn(ctx: ChangeContext, camera: IngestCamera, alarm: IncomingAlarm & { type: AlarmType }) {
    let snapshotFileId: string | null = null;
    if (alarm.picture) {
      const stored = await filesRepo.insert(ctx.tx, {
        orgUnitId: camera.orgUnitId,
        name: `${camera.gbId}-${alarm.at.toISOString().replace(/[:.]/g, '')}.${EXTENSIONS[alarm.picture.contentType]}`,
        contentType: alarm.picture.contentType,
        size: alarm.picture.data.length,
        sha256: createHash('sha256').update(alarm.picture.data).digest('hex'),
        data: alarm.picture.data,
        uploadedBy: null,
      });
      snapshotFileId = stored.id;
      ctx.audit({ action: 'file.upload', entity: 'file', entityId: stored.id, orgUnitId: camera.orgUnitId, after: stored });
    }
    const alarmId = await camerasRepo.insertAlarm(ctx.tx, {
      cameraId: camera.id,
      orgUnitId: camera.orgUnitId,
      type: alarm.type,
      eventType: alarm.eventType,
      at: alarm.at,
      protocol: alarm.protocol,
      snapshotFileId,
      description: alarm.description,
      details: alarm.details,
    });
    ctx.audit({
      action: 'camera_alarm.create',
      entity: 'camera_alarm',
      entityId: alarmId,
      orgUnitId: camera.orgUnitId,
      after: { cameraId: camera.id, type: alarm.type, at: alarm.at },
    });
    const category = INCIDENT_ALARMS[alarm.type];
    let incidentId: string | null = null;
    let alertId: string | null = null;
    if (category && FOREST_CATEGORIES.includes(camera.category)) {
      const opened = await incidents.openIn(ctx, {
        category,
        title: `${category === 'forest_fire' ? '视频烟火报警' : '视频入侵报警'}：${camera.name}`,
        description: [alarm.eventType, alarm.description].filter(Boolean).join('：') || null,
        location: [camera.lon, camera.lat],
        placeText: camera.name,
        source: 'camera',
        sourceRef: alarmId,
        photoFileIds: snapshotFileId ? [snapshotFileId] : [],
        reportedAt: alarm.at,
        by: FEED.name,
      });
      incidentId = opened.id;
      await camerasRepo.linkAlarm(ctx.tx, alarmId, { incidentId });
    } else {
      const [raised] = await alertsService.raiseIn(ctx, [
        {
          kind: 'camera_alarm',
          rangerId: null,
          deviceId: null,
          orgUnitId: camera.orgUnitId,
          orgPath: camera.orgPath,
          countyCode: camera.countyCode,
          fixTime: alarm.at,
          lon: camera.lon,
          lat: camera.lat,
          details: { cameraId: camera.id, cameraName: camera.name, gbId: camera.gbId, alarmId, alarmType: alarm.type, snapshotFileId },
        },
      ]);
      alertId = raised?.id ?? null;
      if (alertId) await camerasRepo.linkAlarm(ctx.tx, alarmId, { alertId });
    }
    const row = await camerasRepo.alarmById(ctx.tx, alarmId);
    if (row) ctx.emit(cameraEvent('camera.alarm', { orgPath: camera.orgPath }, { alarm: row }));
    return { alarmId, counted: false, incidentId, alertId };
  }

  /** Marks offline the cameras silent longer than the setting, with an alert each; answers how many. */
  async function checkSilent() {
    const { offlineAfterMinutes } = await settings();
    const at = now();
    return runChange(
      ANALYZER,
      async (ctx) => {
        const silent = await camerasRepo.markSilentOffline(ctx.tx, new Date(at.getTime() - offlineAfterMinutes * 60_000), at);
        for (const camera of silent) {
          ctx.audit({
            action: 'camera.offline',
            entity: 'camera',
            entityId: camera.id,
            orgUnitId: camera.orgUnitId,
            after: { lastSeenAt: camera.lastSeenAt },
          });
          ctx.emit(cameraEvent('camera.status', { orgPath: camera.orgPath }, { cameraId: camera.id, status: 'offline', at }));
        }
        await alertsService.raiseIn(
          ctx,
          silent.map((camera) => ({
            kind: 'camera_offline' as const,
            rangerId: null,
            deviceId: null,
            orgUnitId: camera.orgUnitId,
            orgPath: camera.orgPath,
            countyCode: camera.countyCode,
            fixTime: camera.lastSeenAt,
            lon: camera.lon,
            lat: camera.lat,
            details: { cameraId: camera.id, cameraName: camera.name, gbId: camera.gbId, silentMinutes: offlineAfterMinutes },
          })),
        );
        return silent.length;
      },
      { auditOptional: true },
    );
  }

  return {
    /** One page of the register within the actor's subtree. */
    async list(actor: Actor, filter: CameraFilter, page: PageRequest & { sort: (typeof CAMERA_SORTS)[number] }) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      return camerasRepo.list(db, actor, { ...filter, subtreePath }, { ...pageWindow(page), sort: page.sort });
    },

    /** One camera; 404 outside the actor's subtree or deleted. */
    get: (actor: Actor, id: string) => mustFind(actor, id),

    /** Registers a camera: its unit in scope holding the location, its site in scope, its GB/T 28181 id free. */
    async create(actor: Actor, input: CreateCameraInput) {
      const { streamUrl, key, orgUnitId, ...fields } = input;
      const streams: Partial<Record<'hlsUrl' | 'flvUrl' | 'rtspUrl' | 'webrtcUrl', string>> = {};
      if (streamUrl) {
        const field = streamField(streamUrl);
        if (!field)
          throw validationFailed([{ path: 'body.streamUrl', message: 'a .m3u8 (HLS), .flv (HTTP-FLV), rtsp:// or webrtc:// address' }]);
        streams[field] = streamUrl;
      }
      await checkSite(actor, fields.siteId);
      const camera = await guardUnique(() =>
        runChange(actor, async (ctx) => {
          const unit = await placement(ctx.tx, actor, { orgUnitId, location: fields.location });
          await checkGbIdFree(ctx.tx, fields.gbId);
          const row: CameraRow = {
            name: fields.name,
            siteId: fields.siteId ?? null,
            orgUnitId: unit.id,
            location: fields.location,
            category: fields.category,
            owner: fields.owner ?? null,
            type: fields.type,
            gbId: fields.gbId,
            hlsUrl: fields.hlsUrl ?? streams.hlsUrl ?? null,
            flvUrl: fields.flvUrl ?? streams.flvUrl ?? null,
            webrtcUrl: fields.webrtcUrl ?? streams.webrtcUrl ?? null,
            rtspUrl: fields.rtspUrl ?? streams.rtspUrl ?? null,
            keyHash: key ? hashDeviceKey(key) : null,
            notes: fields.notes ?? null,
          };
          const id = await camerasRepo.insert(ctx.tx, row);
          const created = await mustFind(actor, id, ctx.tx);
          ctx.audit({ action: 'camera.create', entity: 'camera', entityId: id, orgUnitId: unit.id, after: created });
          ctx.emit(cameraEvent('camera.created', unit, { camera: created }));
          return created;
        }),
      );
      await loadStreamOrigins();
      return camera;
    },

    /**
     * Imports a spreadsheet in the export layout as a job: every row is checked first and nothing
     * is written unless every row is right; the job reports row, column and problem. Keys are not
     * imported (they are secrets, set in the form).
     */
    startImport(actor: Actor, data: Buffer) {
      return jobs.start(actor.userId, 'cameras.import', async (progress) => {
        progress.phase('reading');
        const sheet = await readImportSheet(data, CAMERA_SHEET_COLUMNS, CAMERA_SHEET_REQUIRED, IMPORT_MAX_ROWS);
        if ('failed' in sheet) return sheet;
        progress.phase('validating', sheet.rows.length);
        const checked = await checkImportRows(actor, sheet.rows, progress);
        if ('failed' in checked) return checked;
        progress.phase('writing', checked.accepted.length);
        const ids = await writeImport(actor, checked.accepted);
        progress.advance(ids.length);
        return { result: { created: ids.length }, message: `${ids.length} cameras imported` };
      });
    },

    /** Changes a camera if nobody changed it since `version` was read (else 409). */
    async update(actor: Actor, id: string, input: UpdateCameraInput) {
      const { version, key, ...changes } = input;
      await checkSite(actor, changes.siteId);
      const camera = await guardUnique(() =>
        runChange(actor, async (ctx) => {
          const before = await mustFind(actor, id, ctx.tx);
          assertVersion(STALE, before, version);
          const oldUnit = (await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId)) as OrgUnit;
          const unit =
            changes.orgUnitId !== undefined || changes.location !== undefined
              ? await placement(ctx.tx, actor, {
                  orgUnitId: changes.orgUnitId ?? before.orgUnitId,
                  location: changes.location ?? before.location,
                })
              : oldUnit;
          if (changes.gbId !== undefined) await checkGbIdFree(ctx.tx, changes.gbId, id);
          const row: Partial<CameraRow> = { ...changes, orgUnitId: unit.id };
          if (key !== undefined) row.keyHash = key ? hashDeviceKey(key) : null;
          if (!(await camerasRepo.update(ctx.tx, actor, id, version, row))) throw conflict(STALE);
          const after = await mustFind(actor, id, ctx.tx);
          ctx.audit({ action: 'camera.update', entity: 'camera', entityId: id, orgUnitId: unit.id, before, after });
          if (unit.id !== oldUnit.id) ctx.emit(cameraEvent('camera.deleted', oldUnit, { camera: { id } }));
          ctx.emit(cameraEvent('camera.updated', unit, { camera: after }));
          return after;
        }),
      );
      await loadStreamOrigins();
      return camera;
    },

    /** Removes a camera from the register with a reason; the record stays, hidden. */
    async remove(actor: Actor, id: string, reason: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        await camerasRepo.softDelete(ctx.tx, actor, id, reason);
        ctx.audit({ action: 'camera.delete', entity: 'camera', entityId: id, orgUnitId: before.orgUnitId, before, after: { reason } });
        const unit = (await orgRepo.findInScope(ctx.tx, actor, before.orgUnitId)) as OrgUnit;
        ctx.emit(cameraEvent('camera.deleted', unit, { camera: { id } }));
      });
      await loadStreamOrigins();
    },

    /** The filtered register as GeoJSON points for the map. */
    async featureCollection(actor: Actor, filter: CameraFilter) {
      const rows = await camerasRepo.features(db, actor, { ...filter, subtreePath: await subtreeFilter(db, actor, filter.orgUnitId) });
      return {
        type: 'FeatureCollection' as const,
        features: rows.map(({ lon, lat, ...properties }) => ({
          type: 'Feature' as const,
          id: properties.id,
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties,
        })),
      };
    },

    /** The filtered register as an Excel workbook. */
    async exportWorkbook(actor: Actor, filter: CameraFilter) {
      const labels = CAMERA_LABELS;
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items } = await camerasRepo.list(db, actor, { ...filter, subtreePath }, { limit: 50_000, offset: 0, sort: 'name' });
      const codeOf = new Map(
        (await orgRepo.findManyByCode(db, actor, { ids: [...new Set(items.map((c) => c.orgUnitId))] })).map((u) => [u.id, u.code]),
      );
      const value: Record<(typeof CAMERA_SHEET_COLUMNS)[number]['field'], (c: Camera) => CellValue> = {
        name: (c) => c.name,
        gbId: (c) => c.gbId,
        category: (c) => labels.category[c.category],
        type: (c) => labels.type[c.type],
        owner: (c) => c.owner,
        orgUnitCode: (c) => codeOf.get(c.orgUnitId) ?? null,
        orgUnitName: (c) => c.orgUnitName,
        siteName: (c) => c.siteName,
        lon: (c) => c.location.coordinates[0],
        lat: (c) => c.location.coordinates[1],
        status: (c) => labels.status[c.status],
        lastSeenAt: (c) => c.lastSeenAt,
        hlsUrl: (c) => c.hlsUrl,
        flvUrl: (c) => c.flvUrl,
        webrtcUrl: (c) => c.webrtcUrl,
        rtspUrl: (c) => c.rtspUrl,
        notes: (c) => c.notes,
      };
      const wide = new Set(['name', 'gbId', 'owner', 'siteName', 'lastSeenAt', 'notes']);
      const columns: SheetColumn<Camera>[] = CAMERA_SHEET_COLUMNS.map((c) => ({
        header: c.header,
        width: c.field.endsWith('Url') ? 40 : wide.has(c.field) ? 24 : 14,
        value: value[c.field],
      }));
      return writeWorkbook('视频监控', columns, items);
    },

    /** One page of the alarms of the cameras in the actor's subtree, newest first. */
    async listAlarms(actor: Actor, filter: CameraAlarmFilter, page: PageRequest) {
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      return camerasRepo.listAlarms(db, actor, { ...filter, subtreePath }, pageWindow(page));
    },

    /**
     * Heartbeats and status reports of cameras or their platform, in one change: reports of
     * unknown cameras, or sent without the camera's key, are listed in `rejected` (one answer for
     * both, so the answers never tell which ids exist); the others are recorded.
     */
    async recordStatus(reports: CameraStatusReport[], bearerKey: string | null) {
      return runChange(
        FEED,
        async (ctx) => {
          const accepted = await acceptedCameras(
            ctx.tx,
            reports.map((r) => r.gbId),
            bearerKey,
          );
          const rejected: { index: number; gbId: string; reason: 'unknown_camera' }[] = [];
          let stored = 0;
          // Oldest first, so each camera ends in the state of its newest report.
          const order = reports.map((r, index) => ({ r, index })).sort((a, b) => a.r.at.getTime() - b.r.at.getTime());
          for (const { r, index } of order) {
            const camera = accepted.get(r.gbId);
            if (!camera) {
              rejected.push({ index, gbId: r.gbId, reason: 'unknown_camera' });
              continue;
            }
            await recordReportIn(ctx, camera, r.online, r.at);
            stored++;
          }
          return { stored, rejected: rejected.sort((a, b) => a.index - b.index) };
        },
        { auditOptional: true },
      );
    },

    /**
     * An alarm (or heartbeat) pushed by a camera, in one change: the camera is alive; inside the
     * cooldown of a stored alarm of its type it is counted into that one, else stored with its
     * picture, and opens an incident (fire, smoke, intrusion in a forest category) or raises an alert.
     */
    async receiveAlarm(alarm: IncomingAlarm, bearerKey: string | null) {
      const { alarmCooldownSeconds } = await settings();
      return runChange(
        FEED,
        async (ctx) => {
          const camera = (await acceptedCameras(ctx.tx, [alarm.gbId], bearerKey)).get(alarm.gbId);
          if (!camera) throw unknownCamera(alarm.gbIdPath);
          await recordReportIn(ctx, camera, true, alarm.at);
          if (alarm.type === null) return { alarmId: null, counted: false, incidentId: null, alertId: null };
          const windowStart = new Date(alarm.at.getTime() - alarmCooldownSeconds * 1000);
          const earlier =
            alarmCooldownSeconds > 0 ? await camerasRepo.alarmInWindow(ctx.tx, camera.id, alarm.type, windowStart, alarm.at) : null;
          if (earlier) {
            await camerasRepo.countRepeat(ctx.tx, earlier, alarm.at);
            const row = await camerasRepo.alarmById(ctx.tx, earlier);
            if (row) ctx.emit(cameraEvent('camera.alarm', { orgPath: camera.orgPath }, { alarm: row }));
            return { alarmId: earlier, counted: true, incidentId: row?.incidentId ?? null, alertId: row?.alertId ?? null };
          }
          return storeAlarmIn(ctx, camera, { ...alarm, type: alarm.type });
        },
        { auditOptional: true },
      );
    },

    checkSilent,

    /** Checks for silent cameras every `intervalMs` (app.ts starts it with the analyzers). */
    startWatch(intervalMs: number, onError: (error: unknown) => void) {
      if (watch) return;
      watch = setInterval(() => {
        checkSilent().catch(onError);
        loadStreamOrigins().catch(onError);
      }, intervalMs);
      watch.unref();
    },
    stopWatch() {
      if (watch) clearInterval(watch);
      watch = null;
    },

    loadStreamOrigins,
    /** The origins of the registered streams, as the content security policy lists them. */
    streamOrigins: () => origins.join(' '),

    /** The offline delay and alarm cooldown in force (`/api/settings/cameras`). */
    settings,

    /** Changes the offline delay and alarm cooldown (audited); in force at once. */
    async updateSettings(actor: Actor, value: CameraSettings) {
      const before = await settings();
      await runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTINGS_KEY, value, actor.username);
        audit({ action: 'settings.update', entity: 'settings', entityId: SETTINGS_KEY, orgUnitId: actor.orgUnitId, before, after: value });
        emit(platformEvent('settings.changed', actor, { key: SETTINGS_KEY }));
      });
      return value;
    },
  };
}
export type CamerasService = ReturnType<typeof createCamerasService>;
