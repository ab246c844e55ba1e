import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { Feature, FeatureCollection, GeoPoint } from '../../platform/geojson.schema.js';
import { Paging } from '../../platform/paging.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../../platform/text.js';
import { SiteKind } from '../sites/sites.schema.js';

/** The site kinds a circle is made of: timber checkpoints, temporary and mobile checkpoints (notice clause 八). */
export const CHECKPOINT_KINDS = ['timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
export const isCheckpointKind = (kind: string): kind is CheckpointKind => (CHECKPOINT_KINDS as readonly string[]).includes(kind);

export const CIRCLE_LEVELS = ['city', 'county'] as const;
export const CircleLevel = z.enum(CIRCLE_LEVELS);
export type CircleLevel = z.infer<typeof CircleLevel>;

/** Longest stretch of border between two vertices the gap computation looks at (metres). */
export const GAP_STEP_M = 250;

/** How far from a member checkpoint the border counts as covered, and how near a checkpoint lies to be proposed. */
export const CircleSettings = z
  .object({
    gapDistanceM: z
      .number()
      .int()
      .min(500)
      .max(100_000)
      .default(10_000)
      .describe('border farther than this (metres) from every active member checkpoint is a gap'),
    proposalDistanceM: z
      .number()
      .int()
      .min(100)
      .max(50_000)
      .default(5_000)
      .describe('checkpoints this near the border (metres) are proposed as members'),
  })
  .meta({ id: 'CircleSettings' });
export type CircleSettings = z.infer<typeof CircleSettings>;

const note = z.string().trim().max(500).refine(isStorableText, UNSTORABLE_MESSAGE);

/** The instant a circle is looked at, and the gap distance when not the setting's. */
export const CircleQuery = z.object({
  at: DateTime.optional().describe('the members active at this instant (default now)'),
  distanceKm: z.coerce.number().min(0.5).max(100).optional().describe('gap distance in km (default the setting, 10 km)'),
});
export type CircleQuery = z.infer<typeof CircleQuery>;

export const CircleIdParams = z.object({ id: z.coerce.number().int().positive().describe('the org unit whose ring it is') });
export const CircleMemberParams = CircleIdParams.extend({ siteId: z.string().uuid() });

export const CircleDeployment = z
  .object({
    id: z.string().uuid(),
    siteId: z.string().uuid(),
    siteName: z.string(),
    orgUnitId: z.number().int(),
    location: GeoPoint,
    from: z.date(),
    to: z.date(),
    note: z.string().nullable(),
    recordedBy: z.string(),
    status: z.enum(['planned', 'under_way', 'ended']),
    version: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'MobileDeployment' });
export type CircleDeployment = z.infer<typeof CircleDeployment>;

export const CircleMember = z
  .object({
    siteId: z.string().uuid(),
    name: z.string(),
    kind: SiteKind,
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    active: z.boolean().describe('counts at the instant asked: in service, in its active period, and a mobile checkpoint deployed'),
    location: GeoPoint.describe('where it counts: a deployed mobile checkpoint at its deployment, else the site'),
    activeFrom: z.date().nullable(),
    activeTo: z.date().nullable(),
    deployment: z.object({ id: z.string().uuid(), from: z.date(), to: z.date() }).nullable().describe('the deployment under way'),
  })
  .meta({ id: 'CircleMember' });
export type CircleMember = z.infer<typeof CircleMember>;

export const Circle = z
  .object({
    id: z.number().int().describe('the id of the org unit whose ring it is'),
    level: CircleLevel,
    unitCode: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    members: z.array(CircleMember).describe('the members the viewer may see: a county sees its own members of the city ring'),
    membersElsewhere: z
      .object({ total: z.number().int(), active: z.number().int() })
      .describe('members of other counties (in the city ring seen by a county): counted in the coverage, not named'),
    coveragePercent: z.number().describe('covered border length / border length × 100, one decimal'),
    borderLengthM: z.number(),
    gapLengthM: z.number(),
    gapDistanceM: z.number().int(),
    at: z.date(),
    gaps: FeatureCollection.describe(
      'LineStrings of the border farther than gapDistanceM from every active member, longest first, with lengthM and deployAt (a point inside the unit near the middle)',
    ),
    canManage: z.boolean().describe('whether the viewer keeps this ring’s members'),
  })
  .meta({ id: 'Circle' });
export type Circle = z.infer<typeof Circle>;

export const CircleDetail = Circle.extend({ boundary: Feature.describe('the border line (MultiLineString)') }).meta({ id: 'CircleDetail' });

export const CircleList = z.object({ items: z.array(Circle), at: z.date(), gapDistanceM: z.number().int() });

export const AddCircleMembersBody = z.object({
  siteIds: z.array(z.string().uuid()).min(1).max(200).describe('checkpoints of the ring’s unit to add (already members are kept)'),
});

export const CircleProposal = z.object({
  items: z.array(
    z.object({
      siteId: z.string().uuid(),
      name: z.string(),
      kind: SiteKind,
      orgUnitName: z.string(),
      distanceM: z.number().describe('from the border'),
      member: z.boolean(),
    }),
  ),
  proposalDistanceM: z.number().int(),
});

export const CreateDeploymentBody = z
  .object({
    siteId: z.string().uuid().describe('a mobile checkpoint'),
    location: GeoPoint,
    from: DateTime,
    to: DateTime,
    note: note.nullable().optional(),
  })
  .meta({ id: 'CreateMobileDeployment' });
export type CreateDeploymentInput = z.infer<typeof CreateDeploymentBody>;

export const DeploymentIdParams = z.object({ id: z.string().uuid() });
/** The version of a deployment the client read, to end or cancel it. */
export const DeploymentVersionBody = z.object({ version: z.number().int().positive() });

export const ListDeploymentsQuery = z.object({
  ...Paging,
  siteId: z.string().uuid().optional(),
  status: z.enum(['planned', 'under_way', 'ended']).optional(),
});
export const DeploymentList = z.object({ items: z.array(CircleDeployment), total: z.number().int() });
