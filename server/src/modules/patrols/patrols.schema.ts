import { z } from 'zod';
import { DateTime, yearInRange } from '../../platform/dates.js';
import { Bbox, GeoPoint, LineString } from '../../platform/geojson.schema.js';
import { Paging } from '../../platform/paging.js';

/** How a patrol was opened: by the ranger, by the movement analyzer, or by an officer. */
export const PATROL_OPENERS = ['ranger', 'movement', 'officer'] as const;
export const PatrolOpener = z.enum(PATROL_OPENERS);
export type PatrolOpener = z.infer<typeof PatrolOpener>;

/** How far a device's clock may run ahead of the server before a time it sends is refused. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** How long after the fact a ranger's phone may still deliver a start or end it recorded offline. */
export const OFFLINE_DELIVERY_MS = 48 * 3600_000;

const note = z.string().trim().max(500);

export const StartPatrolBody = z
  .object({
    at: DateTime.optional().describe('when the patrol started, if the phone recorded it offline; default now'),
    note: note.optional(),
  })
  .nullish()
  .meta({ id: 'StartPatrol' });

export const EndPatrolBody = z
  .object({
    at: DateTime.optional().describe('when the patrol ended, if recorded offline; default now'),
    note: note.optional(),
  })
  .nullish()
  .meta({ id: 'EndPatrol' });

export const Patrol = z
  .object({
    id: z.string().uuid(),
    rangerId: z.string().uuid(),
    rangerName: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    startedAt: z.date(),
    endedAt: z.date().nullable(),
    openedBy: PatrolOpener,
    active: z.boolean(),
    distanceM: z.number().nullable().describe('length of the track over the ellipsoid; for an active patrol, so far'),
    durationS: z.number().int().nullable().describe('seconds from start to end; for an active patrol, so far'),
    note: z.string().nullable(),
  })
  .meta({ id: 'Patrol' });
export type Patrol = z.infer<typeof Patrol>;

export const Checkin = z
  .object({
    id: z.string().uuid(),
    pointId: z.string().uuid(),
    pointName: z.string(),
    at: z.date(),
    lon: z.number(),
    lat: z.number(),
    distanceM: z.number().describe('metres between the phone and the point'),
  })
  .meta({ id: 'Checkin' });
export type Checkin = z.infer<typeof Checkin>;

export const PatrolDetail = Patrol.extend({
  track: LineString.nullable().describe('valid fixes of the ranger between start and end (until now when active), in time order'),
  checkins: z.array(Checkin),
}).meta({ id: 'PatrolDetail' });
export type PatrolDetail = z.infer<typeof PatrolDetail>;

export const CurrentPatrol = z.object({ patrol: PatrolDetail.nullable() }).meta({ id: 'CurrentPatrol' });

export const PatrolIdParams = z.object({ id: z.string().uuid() });

export const ListPatrolsQuery = z.object({
  rangerId: z.string().uuid().optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only patrols of this unit’s subtree'),
  from: DateTime.optional().describe('patrols started at or after'),
  to: DateTime.optional().describe('patrols started before'),
  state: z.enum(['active', 'ended']).optional(),
  ...Paging,
});
export type PatrolFilter = Omit<z.infer<typeof ListPatrolsQuery>, 'page' | 'pageSize'>;
export const PatrolList = z.object({ items: z.array(Patrol), total: z.number().int() });

// ---------------------------------------------------------------- check-ins

export const CheckinBody = z
  .object({
    pointId: z.string().uuid(),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    at: DateTime.optional().describe('when the phone recorded it; default now'),
  })
  .meta({ id: 'CreateCheckin' });
export type CheckinInput = z.infer<typeof CheckinBody>;

export const CheckinPoint = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    location: GeoPoint,
    radiusM: z.number(),
    createdAt: z.date(),
  })
  .meta({ id: 'CheckinPoint' });
export type CheckinPoint = z.infer<typeof CheckinPoint>;

export const CreateCheckinPointBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    orgUnitId: z.number().int().positive(),
    location: GeoPoint,
    radiusM: z.number().min(10).max(2000).default(100).describe('metres from the point that count as there'),
  })
  .meta({ id: 'CreateCheckinPoint' });
export type CreateCheckinPointInput = z.infer<typeof CreateCheckinPointBody>;

export const ListCheckinPointsQuery = z.object({
  orgUnitId: z.coerce.number().int().positive().optional(),
  bbox: Bbox.optional(),
});
export const CheckinPointList = z.object({ items: z.array(CheckinPoint), total: z.number().int() });
export const CheckinPointIdParams = z.object({ id: z.string().uuid() });

// ---------------------------------------------------------------- plans

export const PatrolPlan = z
  .object({
    id: z.string().uuid(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    townshipName: z.string().nullable(),
    patrolsPerWeek: z.number().int(),
    minHoursPerPatrol: z.number(),
    note: z.string().nullable(),
    updatedAt: z.date(),
  })
  .meta({ id: 'PatrolPlan' });
export type PatrolPlan = z.infer<typeof PatrolPlan>;

export const PutPatrolPlanBody = z
  .object({
    orgUnitId: z.number().int().positive().describe('a grid'),
    patrolsPerWeek: z.number().int().min(1).max(21),
    minHoursPerPatrol: z.number().min(0.5).max(24).default(2),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .meta({ id: 'PutPatrolPlan' });
export type PutPatrolPlanInput = z.infer<typeof PutPatrolPlanBody>;

export const ListPatrolPlansQuery = z.object({ orgUnitId: z.coerce.number().int().positive().optional() });
export const PatrolPlanList = z.object({ items: z.array(PatrolPlan), total: z.number().int() });

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday 00:00 China Standard Time of an ISO week (`2026-W07`), or null when the week does not exist. */
export function isoWeekStart(week: string): Date | null {
  const m = ISO_WEEK.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const number = Number(m[2]);
  if (!yearInRange(year) || number < 1 || number > 53) return null;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const mondayOfWeek1 = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  const monday = new Date(mondayOfWeek1 + (number - 1) * 7 * 86_400_000);
  // Week 53 exists only in years whose 28 December falls in it.
  const dec28 = Date.UTC(year, 11, 28);
  if (monday.getTime() > dec28) return null;
  return new Date(monday.getTime() - 8 * 3600_000);
}

export const ComplianceQuery = z.object({
  week: z
    .string()
    .regex(ISO_WEEK, { error: 'expected YYYY-Www, e.g. 2026-W07', abort: true })
    .refine((w) => isoWeekStart(w) !== null, 'no such ISO week'),
  orgUnitId: z.coerce.number().int().positive().optional(),
});

export const Compliance = z
  .object({
    week: z.string(),
    from: z.date(),
    to: z.date(),
    items: z.array(
      z.object({
        orgUnitId: z.number().int(),
        orgUnitName: z.string(),
        townshipName: z.string().nullable(),
        planned: z.number().int().describe('patrols per week in the plan'),
        minHoursPerPatrol: z.number(),
        done: z.number().int().describe('patrols of the grid’s rangers ended in the week and lasting at least the minimum'),
        met: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'PatrolPlanCompliance' });
export type Compliance = z.infer<typeof Compliance>;
