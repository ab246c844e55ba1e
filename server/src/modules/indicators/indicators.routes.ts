import { type App, actorOf, errorResponses } from '../../platform/http.js';
import { IndicatorDefinitionList, IndicatorValueList, IndicatorValuesQuery } from './indicators.schema.js';
import type { IndicatorsService } from './indicators.service.js';

const tags = ['assessment'];

export function registerIndicatorRoutes(app: App, { indicatorsService: service }: { indicatorsService: IndicatorsService }) {
  app.get('/api/assessment/indicators', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listIndicatorValues',
      tags,
      summary:
        'Every indicator computed from operations for one org unit (by code) and a year or month, with the records behind each value',
      querystring: IndicatorValuesQuery,
      response: { 200: IndicatorValueList, ...errorResponses },
    },
    handler: (request) => service.values(actorOf(request), request.query),
  });

  app.get('/api/assessment/indicator-definitions', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listIndicatorDefinitions',
      tags,
      summary: 'The indicators the modules offer: key, names, unit, definition, contributing module',
      response: { 200: IndicatorDefinitionList, ...errorResponses },
    },
    handler: () => service.definitions(),
  });
}
