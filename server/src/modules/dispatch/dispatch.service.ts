/**
 * Dispatch (派警) and unit status (notice clause 十: 快速反应): the units nearest an incident, sending
 * them, each unit's status from sent to done, the ranger's side of it on the phone page, and arrival
 * detected from the ranger's positions. The incident itself belongs to the incident module: this
 * module reads it through `findInScope` / `getIn` and moves it through `advanceIn` and `timelineIn`,
 * inside its own changes.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import { type ChangeContext, type RunChange, systemPrincipal } from '../../platform/change.js';
import { AppError, assertVersion, badRequest, conflict, found } from '../../platform/errors.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import type { PositionsService } from '../positions/positions.service.js';
import { RANGER_KIND_LABELS, type RangerKind } from '../rangers/rangers.schema.js';
import type { RangersService } from '../rangers/rangers.service.js';
import { SITE_KIND_LABELS, type SiteKind } from '../sites/sites.schema.js';
import type { SitesService } from '../sites/sites.service.js';
import { dispatchEvent } from './dispatch.events.js';
import type { AssignmentRow, DispatchRepo } from './dispatch.repo.js';
import {
  ASSIGNMENT_STATUS_LABELS,
  type AssignmentStatus,
  type AssignmentStatusInput,
  DISPATCHABLE_SITE_KINDS,
  type DispatchInput,
  type MyAssignment,
  NEXT_STATUSES,
  navigationLinks,
  ONLINE_MINUTES,
  type Suggestion,
  TRAVEL,
  travelMinutes,
  type UnitKind,
} from './dispatch.schema.js';

/** What dispatch reads of an incident (the incident module's row). */
type DispatchIncident = NonNullable<Awaited<ReturnType<IncidentsService['getIn']>>>;

/** PostgreSQL's SQLSTATE for a unique index refusing a row. */
const UNIQUE_VIOLATION = '23505';

/** Incidents that take no more units. */
const ENDED = new Set(['resolved', 'closed', 'merged', 'false_alarm']);

/** The principal arrivals from positions are written as (audited as the automatic analysis). */
const ANALYZER = systemPrincipal('analyzer');

type Deps = {
  db: Db;
  runChange: RunChange;
  dispatchRepo: DispatchRepo;
  incidents: Pick<IncidentsService, 'findInScope' | 'getIn' | 'timelineIn' | 'advanceIn'>;
  positions: Pick<PositionsService, 'nearestRangers' | 'latestOfRangers'>;
  sites: Pick<SitesService, 'nearest' | 'get'>;
  rangers: Pick<RangersService, 'get'>;
};

/** Metres between two WGS 84 points on the sphere PostGIS's geography `<->` uses (mean radius). */
export function sphereMetres([lon1, lat1]: readonly [number, number], [lon2, lat2]: readonly [number, number]) {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

const km = (m: number) => (m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`);
const UNIT_KIND_LABELS: Record<UnitKind, string> = { ranger: '护林员', site: '站点' };

/** A unit's 404 naming the field of the request that named it. */
const unknownUnit = (kind: UnitKind, index: number) =>
  new AppError(404, 'not_found', `${kind === 'ranger' ? 'Ranger' : 'Site'} not found`, [
    { path: `body.units.${index}.id`, message: 'not found' },
  ]);

export function createDispatchService({ db, runChange, dispatchRepo, incidents, positions, sites, rangers }: Deps) {
  /** Publishes an assignment's change on the incident's socket topic. */
  function emit(ctx: ChangeContext, incident: DispatchIncident, assignment: AssignmentRow, change: 'dispatched' | 'status' | 'arrived') {
    const { unitOrgUnitId: _, ...shown } = assignment;
    ctx.emit(
      dispatchEvent('incident.assignment', incident, { change, incidentId: incident.id, incidentCode: incident.code, assignment: shown }),
    );
  }

  const shown = ({ unitOrgUnitId: _, ...a }: AssignmentRow) => a;

  /**
   * Moves one assignment to a status: the transition must be allowed, the version current (when
   * given). On scene moves the incident on (its first unit on scene); each step goes into the
   * incident's timeline and out on the socket.
   */
  async function moveIn(
    ctx: ChangeContext,
    incident: DispatchIncident,
    before: AssignmentRow,
    input: AssignmentStatusInput & { at: Date; by: string; arrivalSource?: 'reported' | 'position' },
  ) {
    const to = input.status;
    if (!NEXT_STATUSES[before.status].includes(to))
      throw conflict(`An assignment ${ASSIGNMENT_STATUS_LABELS[before.status]} cannot become ${ASSIGNMENT_STATUS_LABELS[to]}`, {
        status: before.status,
        allowed: NEXT_STATUSES[before.status],
      });
    assertVersion('The assignment was changed meanwhile; reload it', before, input.version);
    const after = found(
      await dispatchRepo.setStatus(ctx.tx, before.id, before.version, {
        status: to,
        at: input.at,
        ...(to === 'declined' ? { declineReason: input.reason } : {}),
        ...(to === 'on_scene' ? { arrivalSource: input.arrivalSource ?? 'reported' } : {}),
      }),
      'Assignment',
    );
    ctx.audit({
      action: input.arrivalSource === 'position' ? 'incident_assignment.arrive' : 'incident_assignment.status',
      entity: 'incident_assignment',
      entityId: before.id,
      orgUnitId: incident.orgUnitId,
      before: { status: before.status },
      after: { status: to, ...(input.reason ? { reason: input.reason } : {}) },
    });
    const how = input.arrivalSource === 'position' ? '（定位到达 200 米内）' : '';
    await incidents.timelineIn(ctx, incident.id, {
      by: input.by,
      kind: 'assignment',
      at: input.at,
      text: `${UNIT_KIND_LABELS[before.unitKind]} ${before.unitName}：${ASSIGNMENT_STATUS_LABELS[to]}${how}${input.reason ? `（${input.reason}）` : ''}`,
      data: { assignmentId: before.id, unitKind: before.unitKind, unitId: before.unitId, from: before.status, to },
    });
    if (to === 'on_scene') await incidents.advanceIn(ctx, incident.id, 'on_scene', input.at, input.by);
    emit(ctx, incident, after, input.arrivalSource === 'position' ? 'arrived' : 'status');
    return after;
  }

  return {
    /**
     * The units nearest the incident within the actor's scope: online rangers (heard within 10
     * minutes; those on an active patrol first: the nearest on-duty rangers always make the list,
     * off-duty ones fill the places left) and the active police stations, posts and checkpoints,
     * sorted together by straight-line distance, each with walking and driving estimates.
     */
    async suggestions(actor: Actor, incidentId: string, limit: number) {
      const incident = await incidents.findInScope(actor, incidentId);
      const at = incident.location.coordinates;
      const [{ onDuty, nearest }, nearSites, here] = await Promise.all([
        positions.nearestRangers(actor, at, { limit, onlineMinutes: ONLINE_MINUTES }),
        sites.nearest(actor, at, DISPATCHABLE_SITE_KINDS, limit),
        dispatchRepo.ofIncident(db, incidentId),
      ]);
      const chosen = new Map(onDuty.map((r) => [r.rangerId, r]));
      for (const r of nearest) if (chosen.size < limit && !chosen.has(r.rangerId)) chosen.set(r.rangerId, r);
      const units = [
        ...[...chosen.values()].map((r) => ({ kind: 'ranger' as const, id: r.rangerId })),
        ...nearSites.map((s) => ({ kind: 'site' as const, id: s.id })),
      ];
      const busy = await dispatchRepo.openCounts(db, units);
      const openHere = new Map(here.filter((a) => NEXT_STATUSES[a.status].length > 0).map((a) => [`${a.unitKind}:${a.unitId}`, a.status]));
      const travel = (distanceM: number) => ({
        distanceM: Math.round(distanceM),
        walkMinutes: travelMinutes(distanceM, TRAVEL.walkingKmh),
        driveMinutes: travelMinutes(distanceM, TRAVEL.drivingKmh),
      });
      const items: Suggestion[] = [
        ...[...chosen.values()].map((r) => ({
          kind: 'ranger' as const,
          id: r.rangerId,
          name: r.name,
          unitType: r.kind,
          unitTypeLabel: RANGER_KIND_LABELS[r.kind as RangerKind] ?? r.kind,
          orgUnitId: r.orgUnitId,
          phone: r.phone,
          location: { type: 'Point' as const, coordinates: [r.lon, r.lat] as [number, number] },
          ...travel(r.distanceM),
          onDuty: r.onDuty,
          lastFixAt: r.fixTime,
          openAssignments: busy.get(`ranger:${r.rangerId}`) ?? 0,
          assignedHere: (openHere.get(`ranger:${r.rangerId}`) as AssignmentStatus | undefined) ?? null,
        })),
        ...nearSites.map((s) => ({
          kind: 'site' as const,
          id: s.id,
          name: s.name,
          unitType: s.kind,
          unitTypeLabel: SITE_KIND_LABELS[s.kind as SiteKind],
          orgUnitId: s.orgUnitId,
          phone: s.phone,
          location: { type: 'Point' as const, coordinates: [Number(s.lon), Number(s.lat)] as [number, number] },
          ...travel(s.distanceM),
          onDuty: null,
          lastFixAt: null,
          openAssignments: busy.get(`site:${s.id}`) ?? 0,
          assignedHere: (openHere.get(`site:${s.id}`) as AssignmentStatus | undefined) ?? null,
        })),
      ].sort((x, y) => x.distanceM - y.distanceM || (x.kind < y.kind ? -1 : 1));
      return { items, travel: { ...TRAVEL } };
    },

    /** The units sent to an incident of the actor's scope, in the order they were sent. */
    async assignments(actor: Actor, incidentId: string) {
      await incidents.findInScope(actor, incidentId);
      return { items: (await dispatchRepo.ofIncident(db, incidentId)).map(shown) };
    },

    /**
     * Sends units to an incident: each must be in the actor's scope (404 naming it otherwise), a
     * ranger active, a site an active station, post or checkpoint, and not already working on
     * this incident (409). One assignment each, the incident moved to dispatched, each in the
     * timeline and on the socket.
     */
    async dispatch(actor: Actor, incidentId: string, input: DispatchInput) {
      const incident = await incidents.findInScope(actor, incidentId);
      if (ENDED.has(incident.status))
        throw conflict(`Incident ${incident.code} is ${incident.status}; it takes no more units`, { status: incident.status });
      const seen = new Set<string>();
      input.units.forEach((u, i) => {
        if (seen.has(`${u.kind}:${u.id}`))
          throw badRequest('A unit is listed twice', [{ path: `body.units.${i}.id`, message: 'listed twice' }]);
        seen.add(`${u.kind}:${u.id}`);
      });
      const at = incident.location.coordinates;
      const units = await Promise.all(
        input.units.map(async (u, i) => {
          const notIn = (e: unknown) => {
            if (e instanceof AppError && e.statusCode === 404) throw unknownUnit(u.kind, i);
            throw e;
          };
          if (u.kind === 'ranger') {
            const ranger = await rangers.get(actor, u.id).catch(notIn);
            if (ranger.status !== 'active')
              throw conflict(`Ranger ${ranger.name} is ${ranger.status}`, [
                { path: `body.units.${i}.id`, message: `ranger is ${ranger.status}` },
              ]);
            return { ...u, name: ranger.name, orgUnitId: ranger.orgUnitId, userId: ranger.userId, point: null as [number, number] | null };
          }
          const site = await sites.get(actor, u.id).catch(notIn);
          if (!(DISPATCHABLE_SITE_KINDS as readonly string[]).includes(site.kind))
            throw badRequest(`Site ${site.name} is not a station, post or checkpoint`, [
              { path: `body.units.${i}.id`, message: `a ${site.kind} cannot be sent` },
            ]);
          if (!site.active)
            throw conflict(`Site ${site.name} is not in service now`, [{ path: `body.units.${i}.id`, message: 'not in service' }]);
          return { ...u, name: site.name, orgUnitId: site.orgUnitId, userId: null, point: site.location.coordinates };
        }),
      );
      const live = await positions.latestOfRangers(units.filter((u) => u.kind === 'ranger').map((u) => u.id));
      const now = new Date();
      const items = await runChange(actor, async (ctx) => {
        const already = new Map(
          (await dispatchRepo.ofIncident(ctx.tx, incidentId))
            .filter((a) => NEXT_STATUSES[a.status].length > 0)
            .map((a) => [`${a.unitKind}:${a.unitId}`, a]),
        );
        const out: AssignmentRow[] = [];
        for (const [i, u] of units.entries()) {
          if (already.has(`${u.kind}:${u.id}`))
            throw conflict(`${u.name} is already working on ${incident.code}`, [
              { path: `body.units.${i}.id`, message: 'already assigned' },
            ]);
          const from = u.point ?? (live.get(u.id) ? ([live.get(u.id)?.lon, live.get(u.id)?.lat] as [number, number]) : null);
          const distanceM = from ? sphereMetres(from, at) : null;
          const row = await dispatchRepo
            .insert(ctx.tx, {
              incidentId,
              unitKind: u.kind,
              unitId: u.id,
              unitName: u.name,
              unitOrgUnitId: u.orgUnitId,
              rangerUserId: u.userId,
              distanceM,
              note: input.note ?? null,
              assignedBy: actor.userId,
              assignedAt: now,
            })
            .catch((error: unknown) => {
              // Sent at the same moment by another officer: the one open assignment per unit holds.
              if (((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code === UNIQUE_VIOLATION)
                throw conflict(`${u.name} is already working on ${incident.code}`, [
                  { path: `body.units.${i}.id`, message: 'already assigned' },
                ]);
              throw error;
            });
          ctx.audit({
            action: 'incident_assignment.dispatch',
            entity: 'incident_assignment',
            entityId: row.id,
            orgUnitId: incident.orgUnitId,
            after: shown(row),
          });
          await incidents.timelineIn(ctx, incidentId, {
            by: actor.username,
            kind: 'assignment',
            at: now,
            text: `派出${UNIT_KIND_LABELS[u.kind]} ${u.name}${distanceM === null ? '' : `（直线 ${km(distanceM)}）`}${input.note ? `：${input.note}` : ''}`,
            data: { assignmentId: row.id, unitKind: u.kind, unitId: u.id, distanceM: row.distanceM, to: 'assigned' },
          });
          emit(ctx, incident, row, 'dispatched');
          out.push(row);
        }
        await incidents.advanceIn(ctx, incidentId, 'dispatched', now, actor.username);
        return out;
      });
      return { items: items.map(shown) };
    },

    /** A site unit's status, reported by an officer of the incident's scope (a ranger reports their own). */
    async setStatus(actor: Actor, incidentId: string, assignmentId: string, input: AssignmentStatusInput) {
      const incident = await incidents.findInScope(actor, incidentId);
      return shown(
        await runChange(actor, async (ctx) => {
          const before = found(await dispatchRepo.lockOfIncident(ctx.tx, incidentId, assignmentId), 'Assignment');
          if (before.unitKind === 'ranger')
            throw conflict('A ranger reports the status of their own assignment from the phone page', { unitKind: 'ranger' });
          return moveIn(ctx, incident, before, { ...input, at: new Date(), by: actor.username });
        }),
      );
    },

    /** The signed-in ranger's open assignments, with the incident and links to navigate to it. */
    async mine(actor: Actor): Promise<{ items: MyAssignment[] }> {
      const rows = await dispatchRepo.openOfUser(db, actor.userId);
      const items: MyAssignment[] = [];
      for (const row of rows) {
        const incident = await incidents.getIn(db, row.incidentId);
        if (!incident) continue;
        items.push({
          ...shown(row),
          incident: {
            id: incident.id,
            code: incident.code,
            category: incident.category,
            title: incident.title,
            placeText: incident.placeText,
            priority: incident.priority,
            status: incident.status,
            location: incident.location,
          },
          navigation: navigationLinks(incident.location.coordinates, incident.placeText || incident.title),
        });
      }
      return { items };
    },

    /** The signed-in ranger answers their own assignment: accept, decline (with a reason), en route, arrived, done. */
    async setMyStatus(actor: Actor, assignmentId: string, input: AssignmentStatusInput) {
      return shown(
        await runChange(actor, async (ctx) => {
          const before = found(await dispatchRepo.lockOfUser(ctx.tx, actor.userId, assignmentId), 'Assignment');
          const incident = found(await incidents.getIn(ctx.tx, before.incidentId), 'Incident');
          return moveIn(ctx, incident, before, { ...input, at: new Date(), by: actor.username });
        }),
      );
    },

    /**
     * A ranger on the way came within the arrival radius (the arrival detector saw the fix): the
     * assignment goes on scene at the fix's time, unless it moved on meanwhile. Answers whether it did.
     */
    async arriveByPosition(assignmentId: string, at: Date) {
      return runChange(ANALYZER, async (ctx) => {
        const before = await dispatchRepo.lockById(ctx.tx, assignmentId);
        if (!before || !NEXT_STATUSES[before.status].includes('on_scene') || before.status === 'assigned') return false;
        const incident = found(await incidents.getIn(ctx.tx, before.incidentId), 'Incident');
        await moveIn(ctx, incident, before, { status: 'on_scene', at, by: 'analyzer', arrivalSource: 'position' });
        return true;
      });
    },

    /** The rangers on the way (accepted or en route) and the points they are heading to, for the arrival detector. */
    async arriving() {
      const rows = await dispatchRepo.arriving(db, ['accepted', 'en_route']);
      const points = new Map<string, [number, number] | null>();
      for (const id of new Set(rows.map((r) => r.incidentId))) {
        const incident = await incidents.getIn(db, id);
        points.set(id, incident && !ENDED.has(incident.status) ? incident.location.coordinates : null);
      }
      return rows.flatMap((r) => {
        const point = points.get(r.incidentId);
        return point ? [{ assignmentId: r.id, rangerId: r.rangerId, point }] : [];
      });
    },
  };
}
export type DispatchService = ReturnType<typeof createDispatchService>;
