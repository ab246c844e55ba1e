import { api, type QueryOf, type Schemas, unwrap } from './client';
import type { operations } from './schema';

/** An org unit as the client receives it (openapi-fetch's view of the `OrgUnit` schema). */
export type OrgUnit = Awaited<ReturnType<typeof getOrgUnit>>;
export type OrgUnitKind = Schemas['OrgUnit']['kind'];
export type OrgUnitQuery = QueryOf<'/api/org/units', 'get'>;
export type MapLayerName = operations['getOrgLayer']['parameters']['path']['layer'];
export type FeatureCollection = Schemas['FeatureCollection'];

/** Every org unit kind, in the order the tree and filters list them. */
export const ORG_UNIT_KINDS: OrgUnitKind[] = [
  'city',
  'county',
  'township',
  'grid',
  'nature_reserve',
  'forest_farm',
  'department',
  'police_station',
];

export const listOrgUnits = (query: OrgUnitQuery = {}) => unwrap(api.GET('/api/org/units', { params: { query } }));
export const getOrgUnit = (id: number) => unwrap(api.GET('/api/org/units/{id}', { params: { path: { id } } }));

/** A boundary layer simplified for `zoom`, optionally limited to a bounding box `w,s,e,n`. */
export const fetchOrgLayer = (layer: MapLayerName, zoom: number, bbox?: string) =>
  unwrap(api.GET('/api/org/layers/{layer}', { params: { path: { layer }, query: { zoom, bbox } } }));
