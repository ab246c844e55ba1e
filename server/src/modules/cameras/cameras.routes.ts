import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest, validationFailed } from '../../platform/errors.js';
import { FeatureCollection } from '../../platform/geojson.schema.js';
import { type App, actorOf, ErrorResponse, errorResponses, uploadedFile } from '../../platform/http.js';
import { assertWorkbookSize } from '../../platform/spreadsheet.js';
import { keyFromAuthorization } from '../devices/device-keys.js';
import { checkPicture, type IsapiAlert, parseIsapiJson, parseIsapiXml } from './cameras.isapi.js';
import {
  AlarmReceived,
  Camera,
  CameraAlarmList,
  CameraAlarmPush,
  CameraFilterQuery,
  CameraIdParams,
  CameraImportStarted,
  CameraList,
  CameraSettings,
  CameraStatusBatch,
  CameraStatusResult,
  CreateCameraBody,
  DeleteCameraBody,
  GbId,
  ListCameraAlarmsQuery,
  ListCamerasQuery,
  UpdateCameraBody,
} from './cameras.schema.js';
import type { CamerasService, IncomingAlarm } from './cameras.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const deviceErrors = { 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse };
/** Largest alarm push (XML and pictures) taken. */
const ALARM_BODY_LIMIT = 12 * 1024 * 1024;

type Picture = IncomingAlarm['picture'];

/** The message and the first picture of an ISAPI multipart push; every picture part must be a whole image. */
async function readIsapiMultipart(request: FastifyRequest): Promise<{ alert: IsapiAlert; picture: Picture }> {
  let alert: IsapiAlert | null = null;
  let picture: Picture = null;
  let n = 0;
  for await (const part of request.parts({ limits: { files: 8, fields: 8, fileSize: ALARM_BODY_LIMIT } })) {
    n++;
    const where = `body.${part.fieldname || `part${n}`}`;
    const data = part.type === 'file' ? await part.toBuffer() : Buffer.from(String(part.value ?? ''), 'utf8');
    const mime = (part.mimetype ?? '').toLowerCase();
    const head = data
      .subarray(0, 64)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (mime.includes('xml') || head.startsWith('<')) {
      if (!alert) alert = parseIsapiXml(data.toString('utf8'), where);
    } else if (mime.includes('json') || head.startsWith('{')) {
      if (!alert) alert = parseIsapiJson(data.toString('utf8'), where);
    } else if (part.type === 'file') {
      const contentType = checkPicture(data, where);
      picture ??= { data, contentType };
    }
  }
  if (!alert) throw badRequest('No EventNotificationAlert part in the upload', [{ path: 'body', message: 'an XML or JSON part expected' }]);
  return { alert, picture };
}

export function registerCameraRoutes(app: App, { camerasService }: { camerasService: CamerasService }) {
  // Hikvision devices post their alarms as application/xml (or text/xml): read as text, parsed by the route.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: ALARM_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.get('/api/cameras', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'listCameras',
      tags: ['cameras'],
      summary: 'The camera register: filter by category, type, status, site, unit subtree, text and bounding box; paged and sorted',
      querystring: ListCamerasQuery,
      response: { 200: CameraList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, sort, ...filter } = request.query;
      return camerasService.list(actorOf(request), filter, { page, pageSize, sort });
    },
  });

  app.get('/api/cameras/geojson', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'getCamerasLayer',
      tags: ['cameras'],
      summary: 'The filtered register as GeoJSON points for the map (status, category, whether a browser can play it)',
      querystring: CameraFilterQuery,
      response: { 200: FeatureCollection, ...errorResponses },
    },
    handler: (request) => camerasService.featureCollection(actorOf(request), request.query),
  });

  app.get('/api/cameras/export', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'exportCameras',
      tags: ['cameras'],
      summary: 'The filtered register as an Excel workbook',
      querystring: CameraFilterQuery,
      produces: [XLSX],
      response: { 200: z.any().describe('xlsx workbook'), ...errorResponses },
    },
    handler: async (request, reply) => {
      const workbook = await camerasService.exportWorkbook(actorOf(request), request.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="cameras-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`视频监控-${day}.xlsx`)}`,
        )
        .send(workbook);
    },
  });

  app.post('/api/cameras/import', {
    config: { access: 'cameras:write' },
    schema: {
      operationId: 'importCameras',
      tags: ['cameras'],
      summary:
        'Upload an Excel workbook in the export layout (multipart field `file`; 413 when it unpacks to more than 30 MB); nothing is written unless every row is right. Answers a job to poll at /api/jobs/{id}',
      consumes: ['multipart/form-data'],
      response: { 202: CameraImportStarted, ...errorResponses, 413: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { data, name } = await uploadedFile(request);
      await assertWorkbookSize(data, name);
      const job = camerasService.startImport(actorOf(request), data);
      return reply.status(202).send({ jobId: job.id });
    },
  });

  app.get('/api/cameras/:id', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'getCamera',
      tags: ['cameras'],
      summary: 'One camera',
      params: CameraIdParams,
      response: { 200: Camera, ...errorResponses },
    },
    handler: (request) => camerasService.get(actorOf(request), request.params.id),
  });

  app.post('/api/cameras', {
    config: { access: 'cameras:write' },
    schema: {
      operationId: 'createCamera',
      tags: ['cameras'],
      summary: 'Register a camera; its GB/T 28181 id must be valid and free, its location inside its unit’s area',
      body: CreateCameraBody,
      response: { 201: Camera, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await camerasService.create(actorOf(request), request.body)),
  });

  app.patch('/api/cameras/:id', {
    config: { access: 'cameras:write' },
    schema: {
      operationId: 'updateCamera',
      tags: ['cameras'],
      summary: 'Change a camera; send the version you read (a stale version answers 409)',
      params: CameraIdParams,
      body: UpdateCameraBody,
      response: { 200: Camera, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => camerasService.update(actorOf(request), request.params.id, request.body),
  });

  app.delete('/api/cameras/:id', {
    config: { access: 'cameras:write' },
    schema: {
      operationId: 'deleteCamera',
      tags: ['cameras'],
      summary: 'Remove a camera from the register with a reason (the record is kept, hidden)',
      params: CameraIdParams,
      body: DeleteCameraBody,
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await camerasService.remove(actorOf(request), request.params.id, request.body.reason, request.body.version);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/camera-alarms', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'listCameraAlarms',
      tags: ['cameras'],
      summary: 'Alarms of the cameras in your area, newest first: filter by camera, type, unit subtree and time',
      querystring: ListCameraAlarmsQuery,
      response: { 200: CameraAlarmList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return camerasService.listAlarms(actorOf(request), filter, { page, pageSize });
    },
  });

  app.get('/api/settings/cameras', {
    config: { access: 'cameras:read' },
    schema: {
      operationId: 'getCameraSettings',
      tags: ['cameras'],
      summary: 'When a silent camera is offline, and the alarm cooldown per camera and type',
      response: { 200: CameraSettings, ...errorResponses },
    },
    handler: () => camerasService.settings(),
  });

  app.put('/api/settings/cameras', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'updateCameraSettings',
      tags: ['cameras'],
      summary: 'Change the offline delay and the alarm cooldown (in force at once)',
      body: CameraSettings,
      response: { 200: CameraSettings, ...errorResponses },
    },
    handler: (request) => camerasService.updateSettings(actorOf(request), request.body),
  });

  // Device pushes: a camera or its platform authenticates like a positioning device, with the
  // camera's key as `Authorization: Bearer <key>` or as the password of Basic auth (what
  // Hikvision's alarm-host setting sends); a camera without a key is taken unless its county
  // requires device keys.
  app.post('/api/ingest/camera-status', {
    config: { access: 'public' },
    schema: {
      operationId: 'ingestCameraStatus',
      tags: ['ingest'],
      summary:
        'Camera heartbeats and status from the cameras or their platform: `[{gbId, online, at}]`. Reports of unknown cameras (or with a wrong key) are listed in `rejected`, the others recorded.',
      body: CameraStatusBatch,
      response: { 200: CameraStatusResult, ...deviceErrors },
    },
    handler: (request) => camerasService.recordStatus(request.body, keyFromAuthorization(request.headers.authorization)),
  });

  app.post('/api/ingest/camera-alarms', {
    config: { access: 'public' },
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      operationId: 'ingestCameraAlarm',
      tags: ['ingest'],
      summary:
        'A camera alarm as JSON `{gbId, type, at, description?, snapshot?}` (snapshot: a JPEG, PNG or WebP in base64). Repeats of a camera and type inside the cooldown are counted into the stored alarm.',
      body: CameraAlarmPush,
      response: { 200: AlarmReceived, ...deviceErrors },
    },
    handler: async (request) => {
      const { gbId, type, at, description, snapshot } = request.body;
      let picture: Picture = null;
      if (snapshot !== undefined) {
        const data = /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(snapshot) ? Buffer.from(snapshot, 'base64') : null;
        if (!data?.length) throw validationFailed([{ path: 'body.snapshot', message: 'not base64' }]);
        picture = { data, contentType: checkPicture(data, 'body.snapshot') };
      }
      return camerasService.receiveAlarm(
        {
          gbId,
          type,
          eventType: null,
          at,
          description: description ?? null,
          details: null,
          protocol: 'json',
          picture,
          gbIdPath: 'body.gbId',
        },
        keyFromAuthorization(request.headers.authorization),
      );
    },
  });

  app.post('/api/ingest/isapi', {
    config: { access: 'public' },
    bodyLimit: ALARM_BODY_LIMIT,
    schema: {
      operationId: 'ingestIsapiAlarm',
      tags: ['ingest'],
      summary:
        'Hikvision ISAPI alarm push: `EventNotificationAlert` XML alone, or multipart/form-data with the XML (or JSON) part and picture parts. The camera is the GB/T 28181 id in the message, else `?gbId=`. Heartbeats (`heartBeat`, `eventState` inactive) only mark the camera alive.',
      consumes: ['application/xml', 'text/xml', 'multipart/form-data'],
      querystring: z.object({ gbId: GbId.optional() }),
      body: z.unknown(),
      response: { 200: AlarmReceived, ...deviceErrors, 415: ErrorResponse },
    },
    handler: async (request) => {
      let alert: IsapiAlert;
      let picture: Picture = null;
      if (request.isMultipart()) ({ alert, picture } = await readIsapiMultipart(request));
      else if (typeof request.body === 'string') alert = parseIsapiXml(request.body);
      else throw badRequest('Send the alarm as application/xml or multipart/form-data', [{ path: 'body', message: 'XML expected' }]);
      const gbId = alert.gbId ?? request.query.gbId;
      if (!gbId) throw validationFailed([{ path: 'query.gbId', message: 'the alarm names no GB/T 28181 id: give ?gbId=' }]);
      return camerasService.receiveAlarm(
        {
          gbId,
          type: alert.type,
          eventType: alert.eventType,
          at: alert.at ?? new Date(),
          description: alert.description,
          details: alert.details,
          protocol: 'isapi',
          picture,
          gbIdPath: alert.gbId ? 'body.GBID' : 'query.gbId',
        },
        keyFromAuthorization(request.headers.authorization),
      );
    },
  });
}
