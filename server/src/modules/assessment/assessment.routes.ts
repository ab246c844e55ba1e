import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses, uploadedFile } from '../../platform/http.js';
import {
  Created,
  CreateRoundBody,
  Eligibility,
  Entry,
  EntryList,
  IdParams,
  ListRoundsQuery,
  ListTitlesQuery,
  NameTitleBody,
  Progress,
  Ranking,
  RecheckBody,
  Recommendations,
  RecommendBody,
  Reminders,
  ReviewBody,
  RevokeBody,
  Round,
  RoundList,
  SelfCheckBody,
  Standard,
  StandardBody,
  StandardList,
  StandardSaved,
  Title,
  TitleList,
  UpdateRoundBody,
} from './assessment.schema.js';
import type { AssessmentService } from './assessment.service.js';
import type { StandardsService } from './assessment.standards.js';
import type { TitlesService } from './assessment.titles.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const tags = ['assessment'];
const conflicts = { ...errorResponses, 409: ErrorResponse };

const sendWorkbook = (reply: FastifyReply, name: string, workbook: Buffer) =>
  reply
    .header('Content-Type', XLSX)
    .header('Content-Disposition', `attachment; filename="assessment.xlsx"; filename*=UTF-8''${encodeURIComponent(`${name}.xlsx`)}`)
    .send(workbook);

type Services = { assessmentService: AssessmentService; standardsService: StandardsService; titlesService: TitlesService };

export function registerAssessmentRoutes(
  app: App,
  { assessmentService: service, standardsService: standards, titlesService: titles }: Services,
) {
  // ---- standards ----

  app.get('/api/assessment/standards', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentStandards',
      tags,
      summary: 'Assessment standards (考核标准), newest first, with how many rounds use each (a standard in use is never changed)',
      response: { 200: StandardList, ...errorResponses },
    },
    handler: () => standards.list(),
  });

  app.post('/api/assessment/standards', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'createAssessmentStandard',
      tags,
      summary:
        'Record a standard: the item tree (category → item → sub-item; children’s maxPoints add up to at most the parent’s; codes unique; an indicator item names its indicator key, a deduction item its points per case), veto items, bonus items, grade bands',
      body: StandardBody,
      response: { 201: Created, ...conflicts },
    },
    handler: async (request, reply) => reply.status(201).send(await standards.create(actorOf(request), request.body)),
  });

  app.post('/api/assessment/standards/import', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'importAssessmentStandard',
      tags,
      summary:
        'Record a standard from an Excel workbook in the export layout (multipart field `file`); problems are named by sheet, row and column',
      consumes: ['multipart/form-data'],
      response: { 201: Created, ...conflicts, 413: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { data, name } = await uploadedFile(request);
      return reply.status(201).send(await standards.importWorkbook(actorOf(request), data, name));
    },
  });

  app.get('/api/assessment/standards/:id', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentStandard',
      tags,
      summary: 'One standard with its whole tree, veto and bonus items and grade bands',
      params: IdParams,
      response: { 200: Standard, ...errorResponses },
    },
    handler: (request) => standards.get(request.params.id),
  });

  app.put('/api/assessment/standards/:id', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'updateAssessmentStandard',
      tags,
      summary:
        'Change a standard. Unused: rewritten in place (200). Used by a round: it stays as it is and the content becomes a new version based on it (201, the new id; the version label must be new, else 409)',
      params: IdParams,
      body: StandardBody,
      response: { 200: StandardSaved, 201: StandardSaved, ...conflicts },
    },
    handler: async (request, reply) => {
      const saved = await standards.update(actorOf(request), request.params.id, request.body);
      return reply.status(saved.newVersion ? 201 : 200).send(saved);
    },
  });

  app.get('/api/assessment/standards/:id/export', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'exportAssessmentStandard',
      tags,
      summary: 'The standard as an Excel workbook (sheets 考核标准 and 标准信息), the layout the import takes',
      params: IdParams,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { name, workbook } = await standards.exportWorkbook(request.params.id);
      return sendWorkbook(reply, name, workbook);
    },
  });

  // ---- rounds ----

  app.get('/api/assessment/rounds', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentRounds',
      tags,
      summary: 'Rounds you read: those your unit runs and those assessing your unit; filter by year and level',
      querystring: ListRoundsQuery,
      response: { 200: RoundList, ...errorResponses },
    },
    handler: (request) => service.listRounds(actorOf(request), request.query),
  });

  app.post('/api/assessment/rounds', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'createAssessmentRound',
      tags,
      summary:
        'Open a round for a year and a standard with an entry per assessed unit: level county by the city (its counties), level township by a county (its townships, nature reserves and forest farms). One round per unit, level and year (409)',
      body: CreateRoundBody,
      response: { 201: Created, ...conflicts },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createRound(actorOf(request), request.body)),
  });

  app.get('/api/assessment/rounds/:id', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentRound',
      tags,
      summary: 'One round',
      params: IdParams,
      response: { 200: Round, ...errorResponses },
    },
    handler: (request) => service.getRound(actorOf(request), request.params.id),
  });

  app.patch('/api/assessment/rounds/:id', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'updateAssessmentRound',
      tags,
      summary: 'Change the self-check and review deadlines of a round your unit runs',
      params: IdParams,
      body: UpdateRoundBody,
      response: { 200: Round, ...conflicts },
    },
    handler: (request) => service.updateRound(actorOf(request), request.params.id, request.body),
  });

  app.get('/api/assessment/rounds/:id/entries', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentEntries',
      tags,
      summary:
        'The round’s entries you read (a county: its own; the unit running it: all), each with status, scores, veto, grade and eligibility',
      params: IdParams,
      response: { 200: EntryList, ...errorResponses },
    },
    handler: (request) => service.listEntries(actorOf(request), request.params.id),
  });

  app.get('/api/assessment/rounds/:id/eligibility', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentEligibility',
      tags,
      summary:
        'Whether each unit may be recommended (推优): not final, vetoed, or — a county — no township round of the year held and finished (一律取消资格), with the reason',
      params: IdParams,
      response: { 200: Eligibility, ...errorResponses },
    },
    handler: (request) => service.eligibility(actorOf(request), request.params.id),
  });

  app.get('/api/assessment/rounds/:id/ranking', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentRanking',
      tags,
      summary:
        'The ranking of the round (final entries by score, vetoed last), with each top-level category’s points for comparison charts',
      params: IdParams,
      response: { 200: Ranking, ...errorResponses },
    },
    handler: (request) => service.ranking(actorOf(request), request.params.id),
  });

  app.get('/api/assessment/rounds/:id/progress', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentProgress',
      tags,
      summary: 'Progress of a round: how many entries are in draft, submitted, under review and final; who is past the deadlines',
      params: IdParams,
      response: { 200: Progress, ...errorResponses },
    },
    handler: (request) => service.progress(actorOf(request), request.params.id),
  });

  app.get('/api/assessment/rounds/:id/recommendations', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentRecommendations',
      tags,
      summary: 'The units recommended from the round',
      params: IdParams,
      response: { 200: Recommendations, ...errorResponses },
    },
    handler: (request) => service.recommendations(actorOf(request), request.params.id),
  });

  app.post('/api/assessment/rounds/:id/recommendations', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'recommendAssessmentUnits',
      tags,
      summary:
        'Recommend units of a round your unit runs (市级推优). If one is not eligible nothing is written: 409 naming each such unit and its reason (details: [{unitCode, unitName, code, reason}])',
      params: IdParams,
      body: RecommendBody,
      response: { 200: Recommendations, ...conflicts },
    },
    handler: (request) => service.recommend(actorOf(request), request.params.id, request.body.unitCodes),
  });

  // ---- entries ----

  app.get('/api/assessment/entries/:id', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentEntry',
      tags,
      summary:
        'One entry: every item with its computed value (prefilled from indicators while in draft, frozen once submitted), self and review scores, the points that count; veto items; inspections; what you may do',
      params: IdParams,
      response: { 200: Entry, ...errorResponses },
    },
    handler: (request) => service.getEntry(actorOf(request), request.params.id),
  });

  app.put('/api/assessment/entries/:id/self-check', {
    config: { access: 'assessment:self' },
    schema: {
      operationId: 'saveAssessmentSelfCheck',
      tags,
      summary:
        'Save scores of your unit’s self-check (items not sent keep theirs). Computed items are filled in; another figure needs a `reason`. Deduction items: list the `cases`. Points above the maximum or unknown items: 400 naming them. After submitting: 409',
      params: IdParams,
      body: SelfCheckBody,
      response: { 200: Entry, ...conflicts },
    },
    handler: (request) => service.selfCheck(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/assessment/entries/:id/submit', {
    config: { access: 'assessment:self' },
    schema: {
      operationId: 'submitAssessmentSelfCheck',
      tags,
      summary: 'Submit your unit’s self-check: every item must be scored (409 listing those that are not); it is frozen from then on',
      params: IdParams,
      response: { 200: Entry, ...conflicts },
    },
    handler: (request) => service.submit(actorOf(request), request.params.id),
  });

  app.put('/api/assessment/entries/:id/review', {
    config: { access: 'assessment:review' },
    schema: {
      operationId: 'saveAssessmentReview',
      tags,
      summary:
        'Review (评定) a submitted entry of a round your unit runs: scores (a figure other than the self score needs a `reason`), veto items hit, site inspections. A final entry: 409',
      params: IdParams,
      body: ReviewBody,
      response: { 200: Entry, ...conflicts },
    },
    handler: (request) => service.review(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/assessment/entries/:id/finalize', {
    config: { access: 'assessment:review' },
    schema: {
      operationId: 'finalizeAssessmentEntry',
      tags,
      summary:
        'Finalize a reviewed entry: final score, veto hits (reviewers’ and indicators’), grade (a veto gives the lowest). Never changed after (409)',
      params: IdParams,
      response: { 200: Entry, ...conflicts },
    },
    handler: (request) => service.finalize(actorOf(request), request.params.id),
  });

  app.get('/api/assessment/entries/:id/sheet.xlsx', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'exportAssessmentSheet',
      tags,
      summary:
        'The score sheet of an entry as a workbook: every score explained (a note, an indicator value with its records, the cases of a deduction, a reason)',
      params: IdParams,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const { entry, workbook } = await service.sheet(actorOf(request), request.params.id);
      return sendWorkbook(reply, `${entry.year}-${entry.unitName}-考评评分表`, workbook);
    },
  });

  app.get('/api/assessment/reminders', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentReminders',
      tags,
      summary:
        'What is due for you: your unit’s self-checks not submitted, and reviews of the rounds your unit runs; with the deadline and days left',
      response: { 200: Reminders, ...errorResponses },
    },
    handler: (request) => service.reminders(actorOf(request)),
  });

  // ---- titles ----

  app.get('/api/assessment/titles', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'listAssessmentTitles',
      tags,
      summary: 'Titles (命名) of units of your area, revoked ones included; `unit` gives one unit’s title history',
      querystring: ListTitlesQuery,
      response: { 200: TitleList, ...errorResponses },
    },
    handler: (request) => titles.list(actorOf(request), request.query),
  });

  app.post('/api/assessment/titles', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'nameAssessmentTitle',
      tags,
      summary:
        'Name a unit (命名): city-level by the city for its county-level units, county-level by a county for its townships, reserves and forest farms; the unit’s entry of that year in your round must be final and not vetoed',
      body: NameTitleBody,
      response: { 201: Title, ...conflicts },
    },
    handler: async (request, reply) => reply.status(201).send(await titles.name(actorOf(request), request.body)),
  });

  app.get('/api/assessment/titles/:id', {
    config: { access: 'assessment:read' },
    schema: {
      operationId: 'getAssessmentTitle',
      tags,
      summary: 'One title with its re-checks',
      params: IdParams,
      response: { 200: Title, ...errorResponses },
    },
    handler: (request) => titles.get(actorOf(request), request.params.id),
  });

  app.post('/api/assessment/titles/:id/rechecks', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'recheckAssessmentTitle',
      tags,
      summary: 'Record a re-check (复核) of a title your unit named: date, passed or failed, note',
      params: IdParams,
      body: RecheckBody,
      response: { 200: Title, ...conflicts },
    },
    handler: (request) => titles.recheck(actorOf(request), request.params.id, request.body),
  });

  app.post('/api/assessment/titles/:id/revoke', {
    config: { access: 'assessment:manage' },
    schema: {
      operationId: 'revokeAssessmentTitle',
      tags,
      summary: 'Revoke (取消称号) a title your unit named, with the reason; it stays in the unit’s history. Revoked already: 409',
      params: IdParams,
      body: RevokeBody,
      response: { 200: Title, ...conflicts },
    },
    handler: (request) => titles.revoke(actorOf(request), request.params.id, request.body),
  });
}
