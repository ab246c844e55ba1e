import { z } from 'zod';
import { Bbox } from '../geojson.schema.js';
import { oneOrMany } from '../paging.js';

export const ORG_UNIT_KINDS = [
  'city',
  'county',
  'township',
  'grid',
  'nature_reserve',
  'forest_farm',
  'department',
  'police_station',
] as const;
export const OrgUnitKind = z.enum(ORG_UNIT_KINDS);

export const OrgUnit = z
  .object({
    id: z.number().int(),
    parentId: z.number().int().nullable(),
    path: z.string(),
    depth: z.number().int(),
    kind: OrgUnitKind,
    code: z.string().nullable(),
    name: z.string(),
    nameEn: z.string().nullable(),
    approximate: z.boolean().describe('true when the area is derived, not surveyed'),
    center: z.tuple([z.number(), z.number()]).nullable().describe('[lon, lat] of a point inside the unit'),
    hasArea: z.boolean(),
  })
  .meta({ id: 'OrgUnit' });
export type OrgUnit = z.infer<typeof OrgUnit>;

export const ListOrgUnitsQuery = z.object({
  kind: oneOrMany(OrgUnitKind).optional(),
  parentId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
});

export const OrgUnitList = z.object({ items: z.array(OrgUnit), total: z.number().int() });

export const IdParams = z.object({ id: z.coerce.number().int().positive() });

export const MAP_LAYERS = ['counties', 'townships', 'grids', 'reserves', 'forest_farms'] as const;
export const LayerParams = z.object({ layer: z.enum(MAP_LAYERS) });
export const LayerQuery = z.object({
  zoom: z.coerce.number().min(0).max(22).default(8),
  bbox: Bbox.optional(),
});
