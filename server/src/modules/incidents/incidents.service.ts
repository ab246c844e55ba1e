/**
 * Incidents (警情/事件, notice clause 十): one pipeline for every source — a duty officer's phone
 * call, an SOS, a verified field report, a satellite hotspot cluster, the public's tip-off — each
 * placed in county, township, grid and answering station, deduplicated against the open incidents,
 * and handled from new to closed with a timeline of everything done.
 */
import type { Db, Tx } from '../../db/connection.js';
import type { Point } from '../../db/spatial.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { assertVersion, conflict, forbidden, found, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { coversWholeTree, pathInScope, subtreeFilter } from '../../platform/scope.js';
import type { Alert } from '../alerts/alerts.schema.js';
import type { AlertsService } from '../alerts/alerts.service.js';
import type { WEBHOOK_EVENTS } from '../notifications/notifications.schema.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { IncidentOpener, IncidentSource, OpenedIncident, OpenIncidentInput } from './incident-sources.js';
import { type INCIDENT_CHANGES, incidentEvent } from './incidents.events.js';
import type { IncidentChanges, IncidentRow, IncidentsRepo } from './incidents.repo.js';
import {
  type CreateIncidentInput,
  DEFAULT_INCIDENT_CATEGORIES,
  INCIDENT_STATUS_LABELS,
  type Incident,
  type IncidentCategory,
  type IncidentDetail,
  type IncidentFilter,
  type IncidentStatus,
  OPEN_STATUSES,
  type TimelineKind,
  TRANSITIONS,
  type UpdateIncidentInput,
} from './incidents.schema.js';

/** A report from one of these sources within this distance and time of an open incident of its category repeats it. */
export const NEARBY_METRES = 500;
export const NEARBY_HOURS = 2;
/** Sources a person types in: a place outside Yuxi is their mistake (400), not an incident for the city. */
const TYPED_SOURCES: ReadonlySet<IncidentSource> = new Set(['phone', 'manual', 'tipoff']);
/** Sources whose repeats are recognised by place and time (they carry no reference of their own). */
const NEARBY_SOURCES: ReadonlySet<IncidentSource> = new Set(['phone', 'tipoff']);
const STALE = 'The incident was changed by someone else; reload it';

type Deps = {
  db: Db;
  incidentsRepo: IncidentsRepo;
  orgRepo: Pick<OrgRepo, 'locate' | 'root'>;
  filesRepo: Pick<FilesRepo, 'findMetaInScope' | 'attachInScope'>;
  alertsService: Pick<AlertsService, 'resolveSosIn'>;
  /** The linkage outbox: every incident event is also queued for the webhooks subscribed to it. */
  outbox: Pick<NotificationsService, 'enqueueIn'>;
  runChange: RunChange;
  now?: () => Date;
};

/** The day of a moment in China Standard Time (UTC+8 all year), as `YYYYMMDD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The incident as anyone with incidents:read sees it: no reporter contact, no org path. */
export function publicIncident(row: IncidentRow): Incident {
  const { orgPath: _p, reporterName: _n, reporterPhone: _t, ...incident } = row;
  return incident;
}

/** The webhook event of an incident change (`WEBHOOK_EVENTS`): a new incident, a move to dispatched, other status moves, anything else. */
function webhookEventOf(change: (typeof INCIDENT_CHANGES)[number], status: string): (typeof WEBHOOK_EVENTS)[number] {
  if (change === 'created') return 'incident.created';
  if (change === 'status') return status === 'dispatched' ? 'incident.dispatched' : 'incident.status_changed';
  return 'incident.updated';
}

export function createIncidentsService({
  db,
  incidentsRepo,
  orgRepo,
  filesRepo,
  alertsService,
  outbox,
  runChange,
  now = () => new Date(),
}: Deps) {
  /**
   * The one door every incident event leaves by: the live `incident` event on topic `incidents`,
   * scoped by the incident's org path, and the same change queued in the same transaction for the
   * webhooks subscribed to it (never the reporter's contact).
   */
  async function publish(ctx: ChangeContext, id: string, change: (typeof INCIDENT_CHANGES)[number]) {
    const row = found(await incidentsRepo.get(ctx.tx, id), 'Incident');
    const incident = publicIncident(row);
    ctx.emit(incidentEvent('incident', row, { change, incident }));
    await outbox.enqueueIn(ctx, {
      event: webhookEventOf(change, row.status),
      payload: { change, incident },
      subject: `警情 ${row.code}`,
      text: `${row.code} ${row.title}${row.placeText ? `（${row.placeText}）` : ''}`,
      orgUnitId: row.orgUnitId,
    });
    return row;
  }

  /** The next code of the day: `JQ` + day (China Standard Time) + `-` + sequence of at least four digits. */
  async function nextCode(tx: Tx) {
    const day = shanghaiDay(now());
    return `JQ${day}-${String(await incidentsRepo.nextSequence(tx, day)).padStart(4, '0')}`;
  }

  const mustFind = async (actor: Actor, id: string, tx: Tx = db) => found(await incidentsRepo.findInScope(tx, actor, id), 'Incident');

  async function timelineIn(
    ctx: ChangeContext,
    incidentId: string,
    entry: { by: string; kind: TimelineKind; text?: string | null; data?: unknown; at?: Date },
  ) {
    return incidentsRepo.addTimeline(ctx.tx, { incidentId, ...entry });
  }

  /** The category, if it is in the dictionary and active; else a 400 on `body.category`. */
  async function activeCategory(tx: Tx, code: string) {
    const category = await incidentsRepo.findCategory(tx, code);
    if (!category?.active) throw validationFailed([{ path: 'body.category', message: `no active category ${code}` }]);
    return category;
  }

  /**
   * Where a point lies: its county, township, grid and station, and the unit the incident belongs
   * to. Outside every county a typed-in report is refused; an automatic one (an SOS of a ranger
   * across the border) belongs to the city, which sees it.
   */
  async function place(tx: Tx, location: Point, source: IncidentSource | 'typed', actor?: Actor) {
    const [p] = await orgRepo.locate(tx, [location.coordinates]);
    if (p.unitId === null || p.unitPath === null) {
      if (source === 'typed' || TYPED_SOURCES.has(source))
        throw validationFailed([{ path: 'body.location', message: 'the location lies outside Yuxi (no county holds it)' }]);
      const root = await orgRepo.root(tx);
      if (!root) throw new Error('The org tree has no root');
      return { ...p, unitId: root.id, unitPath: root.path };
    }
    if (actor && !pathInScope(actor, p.unitPath))
      throw validationFailed([{ path: 'body.location', message: 'the location lies outside your area' }]);
    return { ...p, unitId: p.unitId, unitPath: p.unitPath };
  }

  /** The open incident this report repeats, if any (see `openIn`). */
  async function repeated(tx: Tx, input: OpenIncidentInput, location: Point, reportedAt: Date) {
    if (input.sourceRef) {
      await incidentsRepo.lockKey(tx, `${input.source}:${input.sourceRef}`);
      const id = await incidentsRepo.findOpenBySourceRef(tx, input.source, input.sourceRef);
      if (id) return id;
    }
    if (NEARBY_SOURCES.has(input.source)) {
      await incidentsRepo.lockKey(tx, `near:${input.category}`);
      return incidentsRepo.findOpenNear(tx, input.category, location, reportedAt, NEARBY_METRES, NEARBY_HOURS);
    }
    return null;
  }

  async function openWith(ctx: ChangeContext, input: OpenIncidentInput, actor?: Actor): Promise<OpenedIncident> {
    const { tx } = ctx;
    const category = await activeCategory(tx, input.category);
    const location: Point = { type: 'Point', coordinates: [input.location[0], input.location[1]] };
    const reportedAt = input.reportedAt ?? now();
    const by = input.by ?? 'system';
    const placement = await place(tx, location, input.source, actor);
    const report = {
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      category: input.category,
      priority: input.priority ?? null,
      title: input.title,
      description: input.description ?? null,
      location,
      placeText: input.placeText ?? null,
      reporterName: input.reporter?.name ?? null,
      reporterPhone: input.reporter?.phone ?? null,
      reportedAt,
    };

    const existingId = await repeated(tx, input, location, reportedAt);
    const existing = existingId ? await incidentsRepo.get(tx, existingId) : null;
    // A report is linked only to an incident its author may see; otherwise it opens its own.
    if (existing && (!actor || pathInScope(actor, existing.orgPath))) {
      await incidentsRepo.lock(tx, existing.id);
      const reportId = await incidentsRepo.insertReport(tx, { ...report, incidentId: existing.id, primary: false });
      const photos = await incidentsRepo.addPhotos(tx, existing.id, input.photoFileIds ?? [], by);
      await timelineIn(ctx, existing.id, {
        by,
        kind: 'report_linked',
        text: input.title,
        data: { reportId, source: input.source, sourceRef: input.sourceRef ?? null, photos },
      });
      ctx.audit({
        action: 'incident.link',
        entity: 'incident',
        entityId: existing.id,
        orgUnitId: existing.orgUnitId,
        after: { reportId, source: input.source, sourceRef: input.sourceRef ?? null },
      });
      await incidentsRepo.updateUnscoped(tx, existing.id, {});
      const row = await publish(ctx, existing.id, 'linked');
      return { id: row.id, code: row.code, linked: true };
    }

    const code = await nextCode(tx);
    const id = await incidentsRepo.insert(tx, {
      code,
      category: input.category,
      priority: input.priority ?? category.defaultPriority,
      title: input.title,
      description: report.description,
      location,
      placeText: report.placeText,
      source: input.source,
      sourceRef: report.sourceRef,
      orgUnitId: placement.unitId,
      countyCode: placement.countyCode,
      townshipId: placement.townshipId,
      gridId: placement.gridId,
      stationId: placement.stationId,
      reporterName: report.reporterName,
      reporterPhone: report.reporterPhone,
      reportedAt,
    });
    const reportId = await incidentsRepo.insertReport(tx, { ...report, incidentId: id, primary: true });
    const photos = await incidentsRepo.addPhotos(tx, id, input.photoFileIds ?? [], by);
    await timelineIn(ctx, id, {
      by,
      kind: 'opened',
      text: input.title,
      data: { reportId, source: input.source, sourceRef: report.sourceRef, photos },
    });
    const row = await publish(ctx, id, 'created');
    ctx.audit({ action: 'incident.create', entity: 'incident', entityId: id, orgUnitId: row.orgUnitId, after: row });
    return { id, code, linked: false };
  }

  /**
   * Opens an incident inside the caller's change, or links the report to the open incident it
   * repeats: an open incident holding a report of the same source and reference (the same SOS,
   * the same hotspot cluster), or — for phone calls and tip-offs — an open incident of the same
   * category within 500 m and 2 h. Concurrent openings that could repeat each other are serialised.
   */
  const openIn: IncidentOpener['openIn'] = (ctx, input) => openWith(ctx, input);

  /**
   * Moves an open incident forward to dispatched or on scene at `at` (the dispatch module: units
   * assigned, the first unit arrived), setting `dispatched_at` / `first_on_scene_at` once. Never
   * moves back: an incident already there or further only gets the missing time.
   */
  async function advanceIn(ctx: ChangeContext, incidentId: string, to: 'dispatched' | 'on_scene', at: Date, by: string) {
    await incidentsRepo.lock(ctx.tx, incidentId);
    const before = found(await incidentsRepo.get(ctx.tx, incidentId), 'Incident');
    const order: IncidentStatus[] = ['new', 'dispatched', 'on_scene'];
    const changes: IncidentChanges = {};
    if (to === 'dispatched' && before.dispatchedAt === null) changes.dispatchedAt = at;
    if (to === 'on_scene' && before.firstOnSceneAt === null && before.status !== 'merged' && before.status !== 'false_alarm')
      changes.firstOnSceneAt = at;
    const moves = order.includes(before.status) && order.indexOf(to) > order.indexOf(before.status);
    if (moves) changes.status = to;
    if (Object.keys(changes).length === 0) return before;
    await incidentsRepo.updateUnscoped(ctx.tx, incidentId, changes);
    if (moves)
      await timelineIn(ctx, incidentId, { by, kind: 'status', at, text: INCIDENT_STATUS_LABELS[to], data: { from: before.status, to } });
    ctx.audit({
      action: 'incident.status',
      entity: 'incident',
      entityId: incidentId,
      orgUnitId: before.orgUnitId,
      before: { status: before.status },
      after: { status: moves ? to : before.status, ...changes },
    });
    return publish(ctx, incidentId, 'status');
  }

  /** What an actor may read of an incident: the reporter's contact only with incidents:write. */
  function asSeenBy<T extends { reporterName?: string | null; reporterPhone?: string | null }>(actor: Actor, value: T): T {
    if (can(actor, 'incidents:write')) return value;
    const { reporterName: _n, reporterPhone: _p, ...rest } = value;
    return rest as T;
  }

  async function detail(actor: Actor, row: IncidentRow, tx: Tx = db): Promise<IncidentDetail> {
    const [timeline, reports, photos] = await Promise.all([
      incidentsRepo.timeline(tx, row.id),
      incidentsRepo.reports(tx, row.id),
      incidentsRepo.photos(tx, row.id),
    ]);
    const { orgPath: _, ...incident } = row;
    return asSeenBy(actor, {
      ...incident,
      timeline,
      reports: reports.map(({ priority: _p, ...r }) => asSeenBy(actor, r)),
      photos,
    });
  }

  /**
   * Files of the actor's area that are photos, else a 400 naming the field. Attached to an incident
   * of a unit, they live with it from then on (a city officer's photo is the county's to see too).
   */
  async function checkPhotos(tx: Tx, actor: Actor, fileIds: readonly string[], field: string, incidentUnitId?: number | null) {
    for (const [i, fileId] of fileIds.entries()) {
      const file = incidentUnitId
        ? await filesRepo.attachInScope(tx, actor, fileId, incidentUnitId)
        : await filesRepo.findMetaInScope(tx, actor, fileId);
      const path = fileIds.length === 1 && field.endsWith('fileId') ? field : `${field}.${i}`;
      if (!file) throw validationFailed([{ path, message: 'no such file in your area' }]);
      if (!file.contentType.startsWith('image/')) throw validationFailed([{ path, message: 'the file is not a photo' }]);
    }
  }

  /** An incident has ended (resolved, closed, false alarm): the open SOS alerts it holds are resolved with it. */
  async function ended(ctx: ChangeContext, row: IncidentRow, by: string) {
    for (const report of await incidentsRepo.reports(ctx.tx, row.id)) {
      if (report.source !== 'sos' || !report.sourceRef) continue;
      if (await alertsService.resolveSosIn(ctx, report.sourceRef, by, row.code))
        await timelineIn(ctx, row.id, { by, kind: 'sos', text: 'SOS告警随警情处置解除', data: { alertId: report.sourceRef } });
    }
  }

  /** An SOS was raised: a priority-1 rescue incident, or a report linked to the one this SOS opened already. */
  async function sosRaisedIn(ctx: ChangeContext, alert: Alert) {
    if (alert.lon === null || alert.lat === null) return null;
    const note = alert.details && typeof alert.details.note === 'string' ? alert.details.note : null;
    return openIn(ctx, {
      category: 'rescue',
      priority: 1,
      title: `护林员SOS求救：${alert.rangerName ?? '未登记护林员'}`,
      description: note,
      location: [alert.lon, alert.lat],
      source: 'sos',
      sourceRef: alert.id,
      // When the device says it was pressed, unless its clock runs ahead of the server's.
      reportedAt: alert.fixTime && alert.fixTime < alert.raisedAt ? alert.fixTime : alert.raisedAt,
      by: 'analyzer',
    });
  }

  /** An SOS was resolved: its incident's timeline records it, and the incident is resolved if it is still open. */
  async function sosResolvedIn(ctx: ChangeContext, alert: Alert, by: string) {
    const id = await incidentsRepo.findLatestBySourceRef(ctx.tx, 'sos', alert.id);
    if (!id) return;
    await incidentsRepo.lock(ctx.tx, id);
    const row = found(await incidentsRepo.get(ctx.tx, id), 'Incident');
    await timelineIn(ctx, id, {
      by,
      kind: 'sos',
      text: alert.note ? `SOS告警已处置：${alert.note}` : 'SOS告警已处置',
      data: { alertId: alert.id },
    });
    if ((OPEN_STATUSES as readonly string[]).includes(row.status))
      await setStatusIn(ctx, row, 'resolved', by, 'SOS告警已处置，警情随之处置', null);
  }

  /**
   * Changes status by a legal transition (409 otherwise), setting the time it records: dispatched,
   * first on scene, resolved, closed (a false alarm is closed at once).
   */
  async function setStatusIn(
    ctx: ChangeContext,
    before: IncidentRow,
    to: IncidentStatus,
    by: string,
    note: string | undefined,
    scoped: Actor | null,
  ) {
    if (!TRANSITIONS[before.status].includes(to))
      throw conflict(`An incident ${INCIDENT_STATUS_LABELS[before.status]} (${before.status}) cannot become ${to}`, {
        status: before.status,
      });
    const at = now();
    const changes: IncidentChanges = { status: to };
    if (to === 'dispatched' && !before.dispatchedAt) changes.dispatchedAt = at;
    if (to === 'on_scene' && !before.firstOnSceneAt) changes.firstOnSceneAt = at;
    if (to === 'resolved') changes.resolvedAt = at;
    if (to === 'closed' || to === 'false_alarm') changes.closedAt = at;
    if (scoped) {
      if (!(await incidentsRepo.update(ctx.tx, scoped, before.id, before.version, changes))) throw conflict(STALE);
    } else await incidentsRepo.updateUnscoped(ctx.tx, before.id, changes);
    await timelineIn(ctx, before.id, { by, kind: 'status', text: note ?? INCIDENT_STATUS_LABELS[to], data: { from: before.status, to } });
    const after = await publish(ctx, before.id, 'status');
    ctx.audit({
      action: 'incident.status',
      entity: 'incident',
      entityId: before.id,
      orgUnitId: before.orgUnitId,
      before: { status: before.status },
      after: { status: to, note: note ?? null },
    });
    if (to === 'resolved' || to === 'closed' || to === 'false_alarm') await ended(ctx, after, by);
    return after;
  }

  return {
    openIn,
    advanceIn,
    timelineIn,
    /** The incident, or 404 outside the actor's scope. */
    findInScope: (actor: Actor, id: string, tx: Tx = db) => mustFind(actor, id, tx),
    /** The incident whatever the scope: for modules that checked scope themselves. */
    getIn: (tx: Tx, id: string) => incidentsRepo.get(tx, id),
    /** Resolves an open incident inside a change SafeForest makes by itself (an SOS resolved). */
    async resolveIn(ctx: ChangeContext, incidentId: string, by: string, note: string) {
      await incidentsRepo.lock(ctx.tx, incidentId);
      const row = found(await incidentsRepo.get(ctx.tx, incidentId), 'Incident');
      if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) return row;
      return setStatusIn(ctx, row, 'resolved', by, note, null);
    },
    /** The SOS linkage the alerts module calls (app.ts hands it in: `alertsService.linkSos`). */
    sosLinkage: { raisedIn: sosRaisedIn, resolvedIn: sosResolvedIn },

    async list(actor: Actor, filter: IncidentFilter, page: PageRequest) {
      if (filter.from && filter.to && filter.from >= filter.to)
        throw validationFailed([{ path: 'querystring.to', message: 'must be after from' }]);
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await incidentsRepo.list(db, actor, { ...filter, subtreePath }, pageWindow(page));
      return { items: items.map(publicIncident), total };
    },

    async get(actor: Actor, id: string) {
      return detail(actor, await mustFind(actor, id));
    },

    /** A duty officer records a call or enters an incident; it may link to the open incident it repeats. */
    async create(actor: Actor, input: CreateIncidentInput) {
      return runChange(actor, async (ctx) => {
        await checkPhotos(ctx.tx, actor, input.photoFileIds ?? [], 'body.photoFileIds');
        const opened = await openWith(
          ctx,
          {
            category: input.category,
            priority: input.priority,
            title: input.title,
            description: input.description,
            location: input.location.coordinates,
            placeText: input.placeText,
            source: input.source,
            reporter: { name: input.reporterName, phone: input.reporterPhone },
            photoFileIds: input.photoFileIds,
            reportedAt: input.reportedAt,
            by: actor.username,
          },
          actor,
        );
        const row = await mustFind(actor, opened.id, ctx.tx);
        await checkPhotos(ctx.tx, actor, input.photoFileIds ?? [], 'body.photoFileIds', row.orgUnitId);
        return { ...(await detail(actor, row, ctx.tx)), linked: opened.linked };
      });
    },

    /** Edits an open incident if nobody changed it since `version` was read; a new location re-places it. */
    async update(actor: Actor, id: string, input: UpdateIncidentInput) {
      const { version, ...changes } = input;
      return runChange(actor, async (ctx) => {
        await incidentsRepo.lock(ctx.tx, id);
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        if (!(OPEN_STATUSES as readonly string[]).includes(before.status))
          throw conflict(`An incident ${INCIDENT_STATUS_LABELS[before.status]} (${before.status}) is no longer edited`);
        if (changes.category !== undefined) await activeCategory(ctx.tx, changes.category);
        const set: IncidentChanges = { ...changes };
        if (changes.location) {
          const p = await place(ctx.tx, changes.location, 'typed', actor);
          Object.assign(set, {
            orgUnitId: p.unitId,
            countyCode: p.countyCode,
            townshipId: p.townshipId,
            gridId: p.gridId,
            stationId: p.stationId,
          });
        }
        if (!(await incidentsRepo.update(ctx.tx, actor, id, version, set))) throw conflict(STALE);
        await timelineIn(ctx, id, { by: actor.username, kind: 'updated', data: { fields: Object.keys(changes) } });
        const after = await publish(ctx, id, 'updated');
        ctx.audit({ action: 'incident.update', entity: 'incident', entityId: id, orgUnitId: after.orgUnitId, before, after });
        return detail(actor, (await mustFind(actor, id, ctx.tx)) ?? after, ctx.tx);
      });
    },

    async changeStatus(actor: Actor, id: string, body: { status: IncidentStatus; note?: string; version?: number }) {
      return runChange(actor, async (ctx) => {
        await incidentsRepo.lock(ctx.tx, id);
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, body.version);
        await setStatusIn(ctx, before, body.status, actor.username, body.note, actor);
        return detail(actor, await mustFind(actor, id, ctx.tx), ctx.tx);
      });
    },

    async addNote(actor: Actor, id: string, text: string) {
      return runChange(actor, async (ctx) => {
        const row = await mustFind(actor, id, ctx.tx);
        const entryId = await timelineIn(ctx, id, { by: actor.username, kind: 'note', text });
        ctx.audit({ action: 'incident.note', entity: 'incident', entityId: id, orgUnitId: row.orgUnitId, after: { text } });
        return detail(actor, row, ctx.tx).then((d) => d.timeline.find((e) => e.id === entryId) ?? d.timeline[d.timeline.length - 1]);
      });
    },

    async addPhoto(actor: Actor, id: string, fileId: string) {
      return runChange(actor, async (ctx) => {
        const row = await mustFind(actor, id, ctx.tx);
        await checkPhotos(ctx.tx, actor, [fileId], 'body.fileId', row.orgUnitId);
        const added = await incidentsRepo.addPhotos(ctx.tx, id, [fileId], actor.username);
        if (added.length === 0) throw conflict('The photo is attached already');
        await timelineIn(ctx, id, { by: actor.username, kind: 'photo', data: { fileId } });
        ctx.audit({ action: 'incident.photo', entity: 'incident', entityId: id, orgUnitId: row.orgUnitId, after: { fileId } });
        return detail(actor, row, ctx.tx);
      });
    },

    /** Merges one incident into another: its reports and photos move, it becomes merged; both timelines record it. */
    async merge(actor: Actor, id: string, intoId: string, note?: string) {
      if (id === intoId) throw validationFailed([{ path: 'body.intoId', message: 'an incident cannot be merged into itself' }]);
      return runChange(actor, async (ctx) => {
        for (const lockId of [id, intoId].sort()) await incidentsRepo.lock(ctx.tx, lockId);
        const from = await mustFind(actor, id, ctx.tx);
        const into = await incidentsRepo.findInScope(ctx.tx, actor, intoId);
        if (!into) throw validationFailed([{ path: 'body.intoId', message: 'no such incident in your area' }]);
        const open = OPEN_STATUSES as readonly string[];
        if (!open.includes(from.status))
          throw conflict(`An incident ${INCIDENT_STATUS_LABELS[from.status]} (${from.status}) cannot be merged`);
        if (!open.includes(into.status))
          throw conflict(`Cannot merge into an incident ${INCIDENT_STATUS_LABELS[into.status]} (${into.status})`, { status: into.status });
        if (!(await incidentsRepo.update(ctx.tx, actor, id, from.version, { status: 'merged', mergedInto: intoId, closedAt: now() })))
          throw conflict(STALE);
        await incidentsRepo.moveReports(ctx.tx, id, intoId);
        await incidentsRepo.copyPhotos(ctx.tx, id, intoId);
        await incidentsRepo.updateUnscoped(ctx.tx, intoId, {});
        await timelineIn(ctx, id, {
          by: actor.username,
          kind: 'merged',
          text: note ?? `并入 ${into.code}`,
          data: { intoId, intoCode: into.code },
        });
        await timelineIn(ctx, intoId, {
          by: actor.username,
          kind: 'merged_from',
          text: note ?? `并入 ${from.code}`,
          data: { fromId: id, fromCode: from.code },
        });
        await publish(ctx, id, 'merged');
        await publish(ctx, intoId, 'merged');
        ctx.audit({
          action: 'incident.merge',
          entity: 'incident',
          entityId: id,
          orgUnitId: from.orgUnitId,
          before: from,
          after: { mergedInto: intoId },
        });
        return detail(actor, await mustFind(actor, intoId, ctx.tx), ctx.tx);
      });
    },

    /** Splits a linked report off into an incident of its own (it was not the same event after all). */
    async split(actor: Actor, id: string, reportId: string, note?: string) {
      return runChange(actor, async (ctx) => {
        await incidentsRepo.lock(ctx.tx, id);
        const from = await mustFind(actor, id, ctx.tx);
        if (!(OPEN_STATUSES as readonly string[]).includes(from.status) && from.status !== 'resolved')
          throw conflict(`An incident ${INCIDENT_STATUS_LABELS[from.status]} (${from.status}) cannot be split`);
        const report = (await incidentsRepo.reports(ctx.tx, id)).find((r) => r.id === reportId);
        if (!report) throw validationFailed([{ path: 'body.reportId', message: 'no such report of this incident' }]);
        if (report.primary)
          throw validationFailed([{ path: 'body.reportId', message: 'the report that opened the incident cannot be split off' }]);
        const category = await incidentsRepo.findCategory(ctx.tx, report.category);
        const p = await place(ctx.tx, report.location, report.source);
        const code = await nextCode(ctx.tx);
        const newId = await incidentsRepo.insert(ctx.tx, {
          code,
          category: report.category,
          priority: report.priority ?? category?.defaultPriority ?? 3,
          title: report.title,
          description: report.description,
          location: report.location,
          placeText: report.placeText,
          source: report.source,
          sourceRef: report.sourceRef,
          orgUnitId: p.unitId,
          countyCode: p.countyCode,
          townshipId: p.townshipId,
          gridId: p.gridId,
          stationId: p.stationId,
          reporterName: report.reporterName,
          reporterPhone: report.reporterPhone,
          reportedAt: report.reportedAt,
        });
        await incidentsRepo.moveReport(ctx.tx, reportId, newId);
        await incidentsRepo.updateUnscoped(ctx.tx, id, {});
        await timelineIn(ctx, newId, {
          by: actor.username,
          kind: 'split_from',
          text: note ?? `从 ${from.code} 拆分`,
          data: { fromId: id, fromCode: from.code, reportId },
        });
        await timelineIn(ctx, id, {
          by: actor.username,
          kind: 'split',
          text: note ?? `拆分为 ${code}`,
          data: { newId, newCode: code, reportId },
        });
        const created = await publish(ctx, newId, 'created');
        await publish(ctx, id, 'split');
        ctx.audit({
          action: 'incident.split',
          entity: 'incident',
          entityId: id,
          orgUnitId: from.orgUnitId,
          after: { reportId, newId, newCode: code },
        });
        ctx.audit({ action: 'incident.create', entity: 'incident', entityId: newId, orgUnitId: created.orgUnitId, after: created });
        return detail(actor, created, ctx.tx);
      });
    },

    // ---- the category dictionary ----

    listCategories: () => incidentsRepo.listCategories(db),

    /** Adds or changes a category: the dictionary is the city's, so only a whole-tree account may. */
    async putCategory(actor: Actor, code: string, body: Omit<IncidentCategory, 'code' | 'version'> & { version?: number }) {
      if (!coversWholeTree(actor)) throw forbidden();
      const { version, ...value } = body;
      return runChange(actor, async (ctx) => {
        const before = await incidentsRepo.findCategory(ctx.tx, code);
        if (before) assertVersion('The category was changed by someone else; reload it', before, version);
        if (!(await incidentsRepo.putCategory(ctx.tx, code, value, version, before !== null)))
          throw conflict('The category was changed by someone else; reload it');
        const after = found(await incidentsRepo.findCategory(ctx.tx, code), 'Category');
        ctx.audit({
          action: 'incident_category.put',
          entity: 'incident_category',
          entityId: code,
          orgUnitId: actor.orgUnitId,
          before,
          after,
        });
        return after;
      });
    },

    /** Adds the default categories that are missing (the seed; offices' changes are kept). */
    ensureDefaultCategories: (tx: Tx) => incidentsRepo.ensureCategories(tx, DEFAULT_INCIDENT_CATEGORIES),
  };
}
export type IncidentsService = ReturnType<typeof createIncidentsService>;
