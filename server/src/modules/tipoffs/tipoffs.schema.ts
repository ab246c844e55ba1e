import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import { GeoPoint } from '../../platform/geojson.schema.js';
import { oneOrMany, Paging } from '../../platform/paging.js';
import { normaliseTrackingCode, TRACKING_CODE_LENGTH, TRACKING_CODE_PATTERN } from './tracking-code.js';

/**
 * What the public may report (notice clause 十二), each a code of the incident category dictionary:
 * 森林火情, 盗伐滥伐林木, 非法占用林地, 破坏野生动物资源.
 */
export const TIPOFF_CATEGORIES = ['forest_fire', 'illegal_logging', 'land_occupation', 'wildlife'] as const;
export const TipoffCategory = z.enum(TIPOFF_CATEGORIES);
export type TipoffCategory = z.infer<typeof TipoffCategory>;

/** The titles of the incidents tip-offs open, by category. */
export const TIPOFF_TITLES: Record<TipoffCategory, string> = {
  forest_fire: '群众举报：森林火情',
  illegal_logging: '群众举报：盗伐滥伐林木',
  land_occupation: '群众举报：非法占用林地',
  wildlife: '群众举报：破坏野生动物资源',
};

/**
 * The progress the reporter sees, from the incident's status: received (受理中: new), in progress
 * (处理中: dispatched, on scene), resolved (已办结: resolved, closed), closed without action
 * (已核查: a false alarm). An incident merged into another shows that one's progress.
 */
export const PUBLIC_TIPOFF_STATUSES = ['received', 'in_progress', 'resolved', 'closed'] as const;
export const PublicTipoffStatus = z.enum(PUBLIC_TIPOFF_STATUSES);
export type PublicTipoffStatus = z.infer<typeof PublicTipoffStatus>;

/** Most photos one tip-off carries, and the size of each. */
export const MAX_TIPOFF_PHOTOS = 3;
export const MAX_TIPOFF_PHOTO_BYTES = 10 * 1024 * 1024;
/** The photo types a tip-off takes, read from the bytes. */
export const TIPOFF_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

const text = (max: number) => z.string().trim().max(max);

export const CreateTipoffBody = z
  .object({
    category: TipoffCategory,
    description: text(2000).min(1).describe('what the reporter saw'),
    location: GeoPoint.describe('where: a point chosen on the map or the phone’s position'),
    placeText: text(200).optional().describe('the place in words (a village, a road, a landmark)'),
    name: text(50).optional().describe('the reporter’s name; leave out to report anonymously'),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{4,22}$/, 'a phone number: digits, with +, spaces, dashes or brackets')
      .max(24)
      .optional()
      .describe('a number to call the reporter back on; leave out to report anonymously'),
  })
  .meta({ id: 'CreateTipoff' });
export type CreateTipoffInput = z.infer<typeof CreateTipoffBody>;

export const TipoffCreated = z.object({ trackingCode: z.string() }).meta({ id: 'TipoffCreated' });

export const TrackingCodeParams = z.object({
  trackingCode: z
    .string()
    .max(40)
    .transform(normaliseTrackingCode)
    .pipe(z.string().regex(TRACKING_CODE_PATTERN, `${TRACKING_CODE_LENGTH} letters and digits as given on reporting`)),
});

export const PublicTipoffReply = z.object({ text: z.string(), at: z.date() });
/** The public status page: the progress and the officers' public replies, nothing else. */
export const PublicTipoffStatusView = z
  .object({ status: PublicTipoffStatus, replies: z.array(PublicTipoffReply) })
  .strict()
  .meta({ id: 'PublicTipoffStatus' });
export type PublicTipoffStatusView = z.infer<typeof PublicTipoffStatusView>;

export const TipoffReply = z
  .object({ id: z.string().uuid(), text: z.string(), at: z.date(), byName: z.string() })
  .meta({ id: 'TipoffReply' });

export const TipoffPhoto = z
  .object({ fileId: z.string().uuid(), contentType: z.string(), size: z.number().int() })
  .meta({ id: 'TipoffPhoto' });

/** A tip-off as officers of its area see it (the list leaves out the reporter's contact). */
export const TipoffSummary = z
  .object({
    id: z.string().uuid(),
    category: TipoffCategory,
    description: z.string(),
    location: GeoPoint,
    placeText: z.string().nullable(),
    anonymous: z.boolean().describe('the reporter left neither name nor phone'),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    countyCode: z.string().nullable(),
    incidentId: z.string().uuid(),
    photoCount: z.number().int(),
    replyCount: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'TipoffSummary' });
export type TipoffSummary = z.infer<typeof TipoffSummary>;

export const Tipoff = TipoffSummary.extend({
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  status: PublicTipoffStatus.describe('the progress the reporter sees'),
  photos: z.array(TipoffPhoto),
  replies: z.array(TipoffReply),
}).meta({ id: 'Tipoff' });
export type Tipoff = z.infer<typeof Tipoff>;

export const TipoffFilterQuery = z.object({
  category: oneOrMany(TipoffCategory).optional(),
  orgUnitId: z.coerce.number().int().positive().optional().describe('only tip-offs in this unit’s subtree'),
  trackingCode: TrackingCodeParams.shape.trackingCode.optional().describe('the tip-off a caller reads the code of'),
  incidentId: z.string().uuid().optional(),
  from: DateTime.optional().describe('received at or after'),
  to: DateTime.optional().describe('received before'),
});
export type TipoffFilter = z.infer<typeof TipoffFilterQuery>;
export const ListTipoffsQuery = TipoffFilterQuery.extend({ ...Paging });
export const TipoffList = z.object({ items: z.array(TipoffSummary), total: z.number().int() });
export const TipoffIdParams = z.object({ id: z.string().uuid() });

export const CreateTipoffReplyBody = z
  .object({ text: text(1000).min(1).describe('shown to the reporter on the status page: no internal notes') })
  .meta({ id: 'CreateTipoffReply' });
