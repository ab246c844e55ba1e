import { z } from 'zod';
import { DateTime } from '../../platform/dates.js';
import type { FieldProblem } from '../../platform/errors.js';
import { Paging } from '../../platform/paging.js';
import { entryProblem, normalizePlate, searchProblem } from './plates.js';

export const WATCHLIST_STATES = ['pending', 'approved', 'rejected', 'revoked'] as const;
export const WatchlistState = z.enum(WATCHLIST_STATES);
export type WatchlistState = z.infer<typeof WatchlistState>;

/** Entries one watchlist may hold. */
export const MAX_ENTRIES = 1_000;

const text = (max: number) => z.string().trim().min(1).max(max);

/** A plate or pattern as typed (`云F·A2345`, `云f?2345`), read as stored (`云FA2345`, `云F?2345`). */
export const EntryPlate = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const plate = normalizePlate(raw);
    const problem = entryProblem(plate);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return plate;
  })
  .meta({ description: 'a plate (云FA2345; the dot and spaces are ignored) or a pattern with ? for one unknown character (云F?2345)' });

/** A plate search as typed: `?` one unknown character, `*` at the end any rest. */
export const PlateSearch = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const plate = normalizePlate(raw);
    const problem = searchProblem(plate);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return plate;
  })
  .meta({ description: 'a plate; ? for one unknown character (云F?2345); * at the end for any rest (云F12*)' });

export const CreateWatchlistBody = z.object({
  name: text(100),
  reason: text(1000),
  validFrom: DateTime,
  validTo: DateTime,
  entries: z
    .array(z.object({ plate: EntryPlate, note: z.string().trim().max(200).optional() }))
    .min(1)
    .max(MAX_ENTRIES),
  orgUnitId: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('the county or the city the watchlist belongs to; your own area when left out'),
  sharedWith: z
    .array(z.number().int().positive())
    .max(50)
    .optional()
    .describe('counties a city-wide watchlist is given to: they see it and its hits at their checkpoints'),
});
export type CreateWatchlistInput = z.infer<typeof CreateWatchlistBody>;

/** Rules across fields of a new watchlist. */
export function watchlistRuleProblems(input: CreateWatchlistInput, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.validTo <= input.validFrom) problems.push({ path: 'body.validTo', message: 'the period ends after it starts' });
  else if (input.validTo <= now) problems.push({ path: 'body.validTo', message: 'the period has ended already' });
  return problems;
}

export const DecisionBody = z.object({
  note: z.string().trim().max(1000).optional(),
  version: z.number().int().positive().optional(),
});

export const WatchlistIdParams = z.object({ id: z.string().uuid() });

const UnitRef = z.object({ id: z.number().int(), name: z.string() });

export const WatchlistEntry = z
  .object({ id: z.string().uuid(), plate: z.string(), note: z.string().nullable() })
  .meta({ id: 'WatchlistEntry' });

export const Watchlist = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    reason: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    level: z.enum(['city', 'county']).describe('whose watchlist: the city’s (watches every checkpoint) or a county’s'),
    ownerUsername: z.string(),
    ownerName: z.string().nullable(),
    validFrom: z.date(),
    validTo: z.date(),
    state: WatchlistState,
    active: z.boolean().describe('approved and inside its period now'),
    decidedBy: z.string().nullable(),
    decidedAt: z.date().nullable(),
    decisionNote: z.string().nullable(),
    entryCount: z.number().int(),
    hitCount: z.number().int(),
    sharedWith: z.array(UnitRef),
    version: z.number().int(),
    createdAt: z.date(),
  })
  .meta({ id: 'Watchlist' });
export type Watchlist = z.infer<typeof Watchlist>;

export const WatchlistDetail = Watchlist.extend({
  entries: z.array(WatchlistEntry),
  mayDecide: z.boolean().describe('whether the caller may approve or reject it (the level above, while pending)'),
}).meta({ id: 'WatchlistDetail' });

export const WatchlistList = z.object({ items: z.array(Watchlist), total: z.number().int() });

export const ListWatchlistsQuery = z.object({
  ...Paging,
  state: WatchlistState.optional(),
  active: z.enum(['true', 'false']).optional().describe('true: approved and inside the period now'),
  awaitingMe: z.enum(['true', 'false']).optional().describe('true: pending ones the caller may decide'),
  q: z.string().trim().max(100).optional().describe('in name, reason or a plate'),
});
export type WatchlistFilter = Omit<z.infer<typeof ListWatchlistsQuery>, 'page' | 'pageSize'>;

export const WatchlistHit = z
  .object({
    id: z.string().uuid(),
    watchlistId: z.string().uuid(),
    watchlistName: z.string(),
    entryPlate: z.string(),
    captureId: z.string().uuid(),
    plate: z.string(),
    plateColor: z.string(),
    checkpointId: z.string().uuid(),
    checkpointName: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    capturedAt: z.date(),
    alertId: z.string().uuid().nullable(),
    incidentId: z.string().uuid().nullable(),
  })
  .meta({ id: 'WatchlistHit' });
export type WatchlistHit = z.infer<typeof WatchlistHit>;

export const ListHitsQuery = z.object({
  ...Paging,
  watchlistId: z.string().uuid().optional(),
  plate: PlateSearch.optional(),
  from: DateTime.optional().describe('captured at or after'),
  to: DateTime.optional().describe('captured before'),
});
export type HitFilter = Omit<z.infer<typeof ListHitsQuery>, 'page' | 'pageSize'>;
export const HitList = z.object({ items: z.array(WatchlistHit), total: z.number().int() });

/** A passage the capture module hands the matcher: what was seen, when, at which checkpoint. */
export type Passage = {
  captureId: string;
  plate: string;
  plateColor: string;
  vehicleType: string | null;
  direction: string;
  capturedAt: Date;
  checkpoint: { id: string; name: string; orgUnitId: number; orgPath: string; countyCode: string | null; lon: number; lat: number };
};
