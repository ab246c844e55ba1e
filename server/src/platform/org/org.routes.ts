import { Feature, FeatureCollection } from '../geojson.schema.js';
import { type App, actorOf, errorResponses } from '../http.js';
import { IdParams, LayerParams, LayerQuery, ListOrgUnitsQuery, OrgUnit, OrgUnitList } from './org.schema.js';
import type { OrgService } from './org.service.js';

export function registerOrgRoutes(app: App, { orgService }: { orgService: OrgService }) {
  app.get('/api/org/units', {
    config: { access: 'org:read' },
    schema: {
      operationId: 'listOrgUnits',
      tags: ['org'],
      summary: 'Org units of the caller’s subtree (filter by kind, parent, name)',
      querystring: ListOrgUnitsQuery,
      response: { 200: OrgUnitList, ...errorResponses },
    },
    handler: (request) =>
      orgService.list(actorOf(request), { kinds: request.query.kind, parentId: request.query.parentId, q: request.query.q }),
  });

  app.get('/api/org/units/:id', {
    config: { access: 'org:read' },
    schema: {
      operationId: 'getOrgUnit',
      tags: ['org'],
      summary: 'One org unit',
      params: IdParams,
      response: { 200: OrgUnit, ...errorResponses },
    },
    handler: (request) => orgService.get(actorOf(request), request.params.id),
  });

  app.get('/api/org/units/:id/area', {
    config: { access: 'org:read' },
    schema: {
      operationId: 'getOrgUnitArea',
      tags: ['org'],
      summary: 'One unit’s area as a GeoJSON feature, simplified for the zoom level',
      params: IdParams,
      querystring: LayerQuery.pick({ zoom: true }),
      response: { 200: Feature, ...errorResponses },
    },
    handler: (request) => orgService.area(actorOf(request), request.params.id, request.query.zoom),
  });

  app.get('/api/org/layers/:layer', {
    config: { access: 'org:read' },
    schema: {
      operationId: 'getOrgLayer',
      tags: ['org'],
      summary: 'Boundaries of counties, townships, grids, reserves or forest farms as GeoJSON, simplified for the zoom level',
      params: LayerParams,
      querystring: LayerQuery,
      response: { 200: FeatureCollection, ...errorResponses },
    },
    handler: (request) => orgService.layer(actorOf(request), request.params.layer, request.query.zoom, request.query.bbox),
  });
}
