/**
 * Check-in points (打卡点) that officers place in their area, and the ranger's check-in at one
 * during a patrol: accepted only within the point's radius.
 */
import type { Db } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { AppError, conflict, forbidden, found, validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { subtreeFilter } from '../../platform/scope.js';
import type { CheckinPointRow, CheckinsRepo } from './checkins.repo.js';
import type { PatrolsRepo } from './patrols.repo.js';
import { type CheckinInput, type CheckinPoint, CLOCK_SKEW_MS, type CreateCheckinPointInput } from './patrols.schema.js';

type Deps = {
  db: Db;
  checkinsRepo: CheckinsRepo;
  patrolsRepo: Pick<PatrolsRepo, 'rangerOfUser' | 'findOwn' | 'lockRangers'>;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'areaCovers'>;
  runChange: RunChange;
  now?: () => Date;
};

const presentPoint = ({ orgPath: _, ...point }: CheckinPointRow): CheckinPoint => point;

export function createCheckinsService({ db, checkinsRepo, patrolsRepo, orgRepo, runChange, now = () => new Date() }: Deps) {
  return {
    /** Points of the actor's area: officers (patrols:read) plan with them, rangers (patrols:self) go to them. */
    async listPoints(actor: Actor, filter: { orgUnitId?: number; bbox?: [number, number, number, number] }) {
      if (!can(actor, 'patrols:read') && !can(actor, 'patrols:self')) throw forbidden('patrols:read');
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const items = (await checkinsRepo.listPoints(db, actor, { subtreePath, bbox: filter.bbox })).map(presentPoint);
      return { items, total: items.length };
    },

    /** Places a point in a unit of the actor's subtree; the location must lie inside the unit's area. */
    async createPoint(actor: Actor, input: CreateCheckinPointInput): Promise<CheckinPoint> {
      return runChange(actor, async (ctx) => {
        const unit = await orgRepo.findInScope(ctx.tx, actor, input.orgUnitId);
        if (!unit) throw validationFailed([{ path: 'body.orgUnitId', message: 'no such org unit in your area' }]);
        if (!(await orgRepo.areaCovers(ctx.tx, unit.path, input.location))) {
          throw validationFailed([{ path: 'body.location', message: `the location lies outside the area of ${unit.name}` }]);
        }
        const id = await checkinsRepo.insertPoint(ctx.tx, input);
        const point = (await checkinsRepo.findPointInScope(ctx.tx, actor, id)) as CheckinPointRow;
        ctx.audit({
          action: 'checkin_point.create',
          entity: 'checkin_point',
          entityId: id,
          orgUnitId: unit.id,
          after: presentPoint(point),
        });
        ctx.emit({ topic: 'patrols', type: 'checkin_point.created', orgPath: point.orgPath, payload: { point: presentPoint(point) } });
        return presentPoint(point);
      });
    },

    /** Removes a point from use (the row stays for the check-ins made at it); 404 outside the actor's subtree. */
    async removePoint(actor: Actor, id: string) {
      await runChange(actor, async (ctx) => {
        const point = found(await checkinsRepo.findPointInScope(ctx.tx, actor, id), 'Check-in point');
        await checkinsRepo.softDeletePoint(ctx.tx, actor, id);
        ctx.audit({
          action: 'checkin_point.delete',
          entity: 'checkin_point',
          entityId: id,
          orgUnitId: point.orgUnitId,
          before: presentPoint(point),
        });
        ctx.emit({ topic: 'patrols', type: 'checkin_point.deleted', orgPath: point.orgPath, payload: { point: { id } } });
      });
    },

    /**
     * The ranger checks in at a point during their own active patrol; refused (400 on `body.lon`)
     * when the phone's position is farther from the point than its radius.
     */
    async checkIn(actor: Actor, patrolId: string, input: CheckinInput) {
      if (!can(actor, 'patrols:self')) throw forbidden('patrols:self');
      const current = now();
      const at = input.at ?? current;
      if (at.getTime() > current.getTime() + CLOCK_SKEW_MS)
        throw validationFailed([{ path: 'body.at', message: 'the time lies in the future' }]);
      return runChange(actor, async (ctx) => {
        const ranger = await patrolsRepo.rangerOfUser(ctx.tx, actor.userId);
        if (!ranger) throw new AppError(403, 'forbidden', 'This account is not linked to a ranger');
        await patrolsRepo.lockRangers(ctx.tx, [ranger.id]);
        const patrol = found(await patrolsRepo.findOwn(ctx.tx, ranger.id, patrolId), 'Patrol');
        if (!patrol.active) throw conflict('The patrol has ended; start a new one to check in');
        if (at < patrol.startedAt) {
          throw validationFailed([{ path: 'body.at', message: `the patrol started later, at ${patrol.startedAt.toISOString()}` }]);
        }
        const point = await checkinsRepo.findPointInScope(ctx.tx, actor, input.pointId);
        if (!point) throw validationFailed([{ path: 'body.pointId', message: 'no such check-in point in your area' }]);
        const distance = await checkinsRepo.distanceTo(ctx.tx, point.id, input.lon, input.lat);
        if (distance > point.radiusM) {
          throw validationFailed([
            { path: 'body.lon', message: `too far from the point (${Math.round(distance)} m > ${Math.round(point.radiusM)} m)` },
          ]);
        }
        const id = await checkinsRepo.insertCheckin(ctx.tx, {
          rangerId: ranger.id,
          patrolId: patrol.id,
          pointId: point.id,
          at,
          lon: input.lon,
          lat: input.lat,
          distanceM: distance,
        });
        const checkin = await checkinsRepo.findCheckin(ctx.tx, id);
        ctx.audit({
          action: 'checkin.create',
          entity: 'checkin',
          entityId: id,
          orgUnitId: patrol.orgUnitId,
          after: { ...checkin, patrolId },
        });
        ctx.emit({
          topic: 'patrols',
          type: 'checkin.created',
          orgPath: patrol.orgPath,
          payload: { patrolId, rangerId: ranger.id, checkin },
        });
        return checkin;
      });
    },
  };
}
export type CheckinsService = ReturnType<typeof createCheckinsService>;
