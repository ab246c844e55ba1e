import { z } from 'zod';
import { GeoPoint } from '../../platform/geojson.schema.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../../platform/text.js';
import type { SiteKind } from '../sites/sites.schema.js';

/** What can be sent to an incident: a ranger of the register, or a site of the site register. */
export const UNIT_KINDS = ['ranger', 'site'] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

/** The sites that can be sent (notice clause 八: police stations, posts and checkpoints), nearest first among them. */
export const DISPATCHABLE_SITE_KINDS = [
  'police_station',
  'police_post',
  'timber_checkpoint',
  'temporary_checkpoint',
  'mobile_checkpoint',
] as const satisfies readonly SiteKind[];

/**
 * An assignment's status: `assigned` (sent) → `accepted` → `en_route` → `on_scene` → `done`, or
 * `declined` (with a reason) before arriving. Arriving may skip the steps before it (a ranger
 * already near, or a fix within the arrival radius).
 */
export const ASSIGNMENT_STATUSES = ['assigned', 'accepted', 'en_route', 'on_scene', 'done', 'declined'] as const;
export const AssignmentStatus = z.enum(ASSIGNMENT_STATUSES);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

/** The statuses of an assignment still open (the unit is working on the incident). */
export const OPEN_STATUSES = ['assigned', 'accepted', 'en_route', 'on_scene'] as const satisfies readonly AssignmentStatus[];
/** The statuses in which a ranger is on the way and a fix within the radius means arrival. */
export const ARRIVING_STATUSES = ['accepted', 'en_route'] as const satisfies readonly AssignmentStatus[];

/** Which status may follow which. */
export const NEXT_STATUSES: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  assigned: ['accepted', 'declined', 'en_route', 'on_scene'],
  accepted: ['en_route', 'on_scene', 'declined'],
  en_route: ['on_scene', 'declined'],
  on_scene: ['done'],
  done: [],
  declined: [],
};

export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = {
  assigned: '已派出',
  accepted: '已接收',
  en_route: '在途',
  on_scene: '已到场',
  done: '已完成',
  declined: '已拒绝',
};

/** A fix this close to the incident counts as arrival (issue 9: within 200 m). */
export const ARRIVAL_RADIUS_M = 200;
/** A ranger heard within this many minutes counts as online. */
export const ONLINE_MINUTES = 10;

/**
 * Travel estimates from the straight-line distance. Paths and mountain roads are longer than the
 * straight line: both are multiplied by a detour factor of 1.4 (typical of road and trail networks
 * against the crow-fly distance). Walking 4 km/h (forest paths, slopes); driving 30 km/h (county
 * and township roads of Yuxi's mountains, where the last kilometres are slow). Estimates, not routes.
 */
export const TRAVEL = { detourFactor: 1.4, walkingKmh: 4, drivingKmh: 30 } as const;

export const travelMinutes = (distanceM: number, kmh: number) =>
  Math.max(1, Math.round((distanceM * TRAVEL.detourFactor) / ((kmh * 1000) / 60)));

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => isStorableText(s), UNSTORABLE_MESSAGE);

export const IncidentIdParams = z.object({ id: z.string().uuid() });
export const AssignmentParams = z.object({ id: z.string().uuid(), assignmentId: z.string().uuid() });
export const MyAssignmentParams = z.object({ id: z.string().uuid() });

export const SuggestionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10).describe('most rangers and most sites each (default 10)'),
});

export const Suggestion = z
  .object({
    kind: UnitKind,
    id: z.string().uuid(),
    name: z.string(),
    unitType: z.string().describe('a ranger’s kind (full_time, …) or a site’s kind (police_station, …)'),
    unitTypeLabel: z.string().describe('in Chinese'),
    orgUnitId: z.number().int(),
    phone: z.string().nullable(),
    location: GeoPoint,
    distanceM: z.number().int().describe('straight line, metres'),
    walkMinutes: z.number().int().describe('straight line × 1.4 at 4 km/h'),
    driveMinutes: z.number().int().describe('straight line × 1.4 at 30 km/h'),
    onDuty: z.boolean().nullable().describe('rangers: on an active patrol now; sites: null'),
    lastFixAt: z.date().nullable().describe('rangers: time of the live position'),
    openAssignments: z.number().int().describe('open assignments of this unit on any incident'),
    assignedHere: AssignmentStatus.nullable().describe('the status of this unit’s open assignment on this incident, if any'),
  })
  .meta({ id: 'DispatchSuggestion' });
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionList = z
  .object({
    items: z.array(Suggestion).describe('sorted by distanceM'),
    travel: z.object({ detourFactor: z.number(), walkingKmh: z.number(), drivingKmh: z.number() }),
  })
  .meta({ id: 'DispatchSuggestionList' });

export const DispatchBody = z
  .object({
    units: z
      .array(z.object({ kind: UnitKind, id: z.string().uuid() }))
      .min(1)
      .max(20),
    note: text(500).optional(),
  })
  .meta({ id: 'DispatchUnits' });
export type DispatchInput = z.infer<typeof DispatchBody>;

export const Assignment = z
  .object({
    id: z.string().uuid(),
    incidentId: z.string().uuid(),
    unitKind: UnitKind,
    unitId: z.string().uuid(),
    unitName: z.string(),
    rangerUserId: z.string().uuid().nullable(),
    status: AssignmentStatus,
    statusLabel: z.string(),
    distanceM: z.number().int().nullable(),
    note: z.string().nullable(),
    assignedAt: z.date(),
    acceptedAt: z.date().nullable(),
    enRouteAt: z.date().nullable(),
    onSceneAt: z.date().nullable(),
    doneAt: z.date().nullable(),
    declinedAt: z.date().nullable(),
    declineReason: z.string().nullable(),
    arrivalSource: z.enum(['reported', 'position']).nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'IncidentAssignment' });
export type Assignment = z.infer<typeof Assignment>;
export const AssignmentList = z.object({ items: z.array(Assignment) }).meta({ id: 'IncidentAssignmentList' });

/** Statuses a unit reports (assigned is where an assignment starts). */
export const ReportedStatus = z.enum(['accepted', 'en_route', 'on_scene', 'done', 'declined']);

export const AssignmentStatusBody = z
  .object({
    status: ReportedStatus,
    reason: text(500).min(2).optional().describe('required when declining'),
    version: z.number().int().positive().optional().describe('the version you read; a newer one answers 409'),
  })
  .superRefine((body, ctx) => {
    if (body.status === 'declined' && !body.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when declining' });
  })
  .meta({ id: 'AssignmentStatusChange' });
export type AssignmentStatusInput = z.infer<typeof AssignmentStatusBody>;

/** Ways to open the incident's point in a map app (see `navigationLinks`). */
export const Navigation = z.object({
  geo: z.string().describe('RFC 5870 geo URI (WGS 84): Android opens the chosen map app'),
  amap: z.string().describe('Amap (高德) web URI: opens the Amap app when installed, else the Amap web page'),
  coordinateSystem: z.literal('WGS84'),
});

export const MyAssignment = Assignment.extend({
  incident: z.object({
    id: z.string().uuid(),
    code: z.string(),
    category: z.string(),
    title: z.string(),
    placeText: z.string().nullable(),
    priority: z.number().int(),
    status: z.string(),
    location: GeoPoint,
  }),
  navigation: Navigation,
}).meta({ id: 'MyAssignment' });
export type MyAssignment = z.infer<typeof MyAssignment>;
export const MyAssignmentList = z.object({ items: z.array(MyAssignment) }).meta({ id: 'MyAssignmentList' });

/**
 * Links that open the incident's point in the phone's map app. `geo:lat,lon` (RFC 5870) is the
 * platform's own scheme: Android hands it to the map app the ranger chose. Phones in China mostly
 * run Amap (高德), and iOS has no `geo:` handler, so an Amap URI goes with it:
 * `https://uri.amap.com/marker?position=lon,lat&name=…&coordinate=wgs84&callnative=1` opens the
 * Amap app when installed (`callnative=1`), else Amap's web map, on both platforms.
 * `coordinate=wgs84` tells Amap the point is GPS (WGS 84), which it converts to its own GCJ-02, so
 * the marker is not off by the several hundred metres of the datum shift.
 */
export function navigationLinks([lon, lat]: readonly [number, number], name: string) {
  const la = lat.toFixed(6);
  const lo = lon.toFixed(6);
  return {
    geo: `geo:${la},${lo}?q=${la},${lo}(${encodeURIComponent(name)})`,
    amap: `https://uri.amap.com/marker?position=${lo},${la}&name=${encodeURIComponent(name)}&src=safeforest&coordinate=wgs84&callnative=1`,
    coordinateSystem: 'WGS84' as const,
  };
}
