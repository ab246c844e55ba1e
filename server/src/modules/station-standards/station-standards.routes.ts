import { type App, actorOf, errorResponses } from '../../platform/http.js';
import {
  Checklist,
  ChecklistList,
  ConfirmBody,
  DashboardQuery,
  ListStationsQuery,
  Rating,
  RatingParams,
  ReopenBody,
  ReturnBody,
  SaveChecklistBody,
  SaveReviewBody,
  SaveSelfRatingBody,
  StandardsDashboard,
  StationList,
  VersionBody,
  YearParams,
} from './station-standards.schema.js';
import type { StationStandardsService } from './station-standards.service.js';

const tags = ['station-standards'];

export function registerStationStandardRoutes(
  app: App,
  { stationStandardsService: service }: { stationStandardsService: StationStandardsService },
) {
  app.get('/api/station-standards/checklists', {
    config: { access: 'station_standards:read' },
    schema: {
      operationId: 'listStationChecklists',
      tags,
      summary: 'The "五化" checklists by year, newest first, with their item counts and whether stations have submitted against them',
      response: { 200: ChecklistList, ...errorResponses },
    },
    handler: () => service.checklists(),
  });

  app.get('/api/station-standards/checklists/:year', {
    config: { access: 'station_standards:read' },
    schema: {
      operationId: 'getStationChecklist',
      tags,
      summary: 'A year’s "五化" checklist: the check items of the five dimensions and the rates the levels need',
      params: YearParams,
      response: { 200: Checklist, ...errorResponses },
    },
    handler: (request) => service.checklist(request.params.year),
  });

  app.put('/api/station-standards/checklists/:year', {
    config: { access: 'station_standards:manage' },
    schema: {
      operationId: 'saveStationChecklist',
      tags,
      summary:
        'Writes a year’s checklist (the city office): the items as a whole list, matched by code; 409 once a station of that year has submitted',
      params: YearParams,
      body: SaveChecklistBody,
      response: { 200: Checklist, ...errorResponses },
    },
    handler: (request) => service.saveChecklist(actorOf(request), request.params.year, request.body),
  });

  app.get('/api/station-standards/stations', {
    config: { access: 'station_standards:read' },
    schema: {
      operationId: 'listStandardStations',
      tags,
      summary: 'The police stations in scope with their rating of the year: status, level, dimension scores; filtered and paged',
      querystring: ListStationsQuery,
      response: { 200: StationList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return service.listStations(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/station-standards/dashboard', {
    config: { access: 'station_standards:read' },
    schema: {
      operationId: 'getStationStandardsDashboard',
      tags,
      summary: 'Stations by county and confirmed level, and the confirmed ratings’ pass rates by dimension',
      querystring: DashboardQuery,
      response: { 200: StandardsDashboard, ...errorResponses },
    },
    handler: (request) => service.dashboard(actorOf(request), request.query),
  });

  app.get('/api/station-standards/stations/:siteId/ratings/:year', {
    config: { access: 'station_standards:read' },
    schema: {
      operationId: 'getStationRating',
      tags,
      summary: 'A station’s rating of a year with every item; a blank one on the checklist it would use when not started',
      params: RatingParams,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.rating(actorOf(request), request.params.siteId, request.params.year),
  });

  app.put('/api/station-standards/stations/:siteId/ratings/:year', {
    config: { access: 'station_standards:rate' },
    schema: {
      operationId: 'saveStationSelfRating',
      tags,
      summary: 'Saves the station’s self-rating of the items given (result, note, evidence files); starts the rating; 409 once submitted',
      params: RatingParams,
      body: SaveSelfRatingBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.saveSelfRating(actorOf(request), request.params.siteId, request.params.year, request.body),
  });

  app.post('/api/station-standards/stations/:siteId/ratings/:year/submit', {
    config: { access: 'station_standards:rate' },
    schema: {
      operationId: 'submitStationRating',
      tags,
      summary: 'Submits the self-rating to the county; 409 naming the items unrated or missing the evidence they ask for',
      params: RatingParams,
      body: VersionBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.submit(actorOf(request), request.params.siteId, request.params.year, request.body.version),
  });

  app.put('/api/station-standards/stations/:siteId/ratings/:year/review', {
    config: { access: 'station_standards:review' },
    schema: {
      operationId: 'saveStationReview',
      tags,
      summary: 'Records the county’s result and comment on the items given, while the rating is submitted',
      params: RatingParams,
      body: SaveReviewBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.saveReview(actorOf(request), request.params.siteId, request.params.year, request.body),
  });

  app.post('/api/station-standards/stations/:siteId/ratings/:year/return', {
    config: { access: 'station_standards:review' },
    schema: {
      operationId: 'returnStationRating',
      tags,
      summary: 'Returns a submitted rating to the station with what it must change',
      params: RatingParams,
      body: ReturnBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.returnToStation(actorOf(request), request.params.siteId, request.params.year, request.body),
  });

  app.post('/api/station-standards/stations/:siteId/ratings/:year/confirm', {
    config: { access: 'station_standards:review' },
    schema: {
      operationId: 'confirmStationRating',
      tags,
      summary: 'Confirms the level: the one the review results give, or lower with a reason; every item must be reviewed',
      params: RatingParams,
      body: ConfirmBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.confirm(actorOf(request), request.params.siteId, request.params.year, request.body),
  });

  app.post('/api/station-standards/stations/:siteId/ratings/:year/reopen', {
    config: { access: 'station_standards:review' },
    schema: {
      operationId: 'reopenStationRating',
      tags,
      summary: 'Takes back a confirmed level with a reason: the rating is submitted again, for the county to review and confirm anew',
      params: RatingParams,
      body: ReopenBody,
      response: { 200: Rating, ...errorResponses },
    },
    handler: (request) => service.reopen(actorOf(request), request.params.siteId, request.params.year, request.body),
  });
}
