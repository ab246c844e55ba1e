import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import { Paging } from '../../platform/paging.js';
import {
  CreateWebhookBody,
  DeleteBody,
  Delivery,
  DeliveryList,
  IdParams,
  ListDeliveriesQuery,
  SendOutcome,
  SmsSettings,
  SmsSettingsBody,
  SmtpSettings,
  SmtpSettingsBody,
  TestEmailBody,
  TestSmsBody,
  UpdateWebhookBody,
  Webhook,
  WebhookList,
} from './notifications.schema.js';
import type { NotificationsService } from './notifications.service.js';

const tags = ['integrations'];
const access = 'integrations:write' as const;

export function registerNotificationRoutes(app: App, { notificationsService: service }: { notificationsService: NotificationsService }) {
  app.get('/api/integrations/webhooks', {
    config: { access },
    schema: {
      operationId: 'listWebhooks',
      tags,
      summary: 'The webhook receivers (their secrets are never shown)',
      querystring: z.object(Paging),
      response: { 200: WebhookList, ...errorResponses },
    },
    handler: (request) => service.listWebhooks(request.query),
  });

  app.post('/api/integrations/webhooks', {
    config: { access },
    schema: {
      operationId: 'createWebhook',
      tags,
      summary: 'Register a receiver: its http(s) URL, the events it subscribes to and the secret its deliveries are signed with',
      body: CreateWebhookBody,
      response: { 201: Webhook, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createWebhook(actorOf(request), request.body)),
  });

  app.get('/api/integrations/webhooks/:id', {
    config: { access },
    schema: { operationId: 'getWebhook', tags, summary: 'One receiver', params: IdParams, response: { 200: Webhook, ...errorResponses } },
    handler: (request) => service.getWebhook(request.params.id),
  });

  app.patch('/api/integrations/webhooks/:id', {
    config: { access },
    schema: {
      operationId: 'updateWebhook',
      tags,
      summary: 'Change a receiver (a new secret replaces the old); send the version you read',
      params: IdParams,
      body: UpdateWebhookBody,
      response: { 200: Webhook, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.updateWebhook(actorOf(request), request.params.id, request.body),
  });

  app.delete('/api/integrations/webhooks/:id', {
    config: { access },
    schema: {
      operationId: 'deleteWebhook',
      tags,
      summary: 'Remove a receiver; its deliveries stay in the log',
      params: IdParams,
      body: DeleteBody.optional(),
      response: { 204: z.null(), ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      await service.deleteWebhook(actorOf(request), request.params.id, request.body?.version);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/integrations/webhooks/:id/test', {
    config: { access },
    schema: {
      operationId: 'testWebhook',
      tags,
      summary: 'Send a signed test delivery to the receiver now and answer what happened',
      params: IdParams,
      response: { 200: SendOutcome, ...errorResponses },
    },
    handler: (request) => service.testWebhook(actorOf(request), request.params.id),
  });

  app.get('/api/integrations/smtp', {
    config: { access },
    schema: {
      operationId: 'getSmtpSettings',
      tags,
      summary: 'The SMTP server e-mail notifications go through (null until set; the password is never shown)',
      response: { 200: SmtpSettings.nullable(), ...errorResponses },
    },
    handler: () => service.getSmtp(),
  });

  app.put('/api/integrations/smtp', {
    config: { access },
    schema: {
      operationId: 'updateSmtpSettings',
      tags,
      summary: 'Set the SMTP server; the password is kept when left out and removed when null',
      body: SmtpSettingsBody,
      response: { 200: SmtpSettings, ...errorResponses },
    },
    handler: (request) => service.putSmtp(actorOf(request), request.body),
  });

  app.post('/api/integrations/smtp/test', {
    config: { access },
    schema: {
      operationId: 'testSmtp',
      tags,
      summary: 'Send a test e-mail now with the saved settings and answer what happened',
      body: TestEmailBody,
      response: { 200: SendOutcome, ...errorResponses },
    },
    handler: (request) => service.testEmail(actorOf(request), request.body.to),
  });

  app.get('/api/integrations/sms', {
    config: { access },
    schema: {
      operationId: 'getSmsSettings',
      tags,
      summary: 'The SMS gateway’s request template (null until set; the token is never shown)',
      response: { 200: SmsSettings.nullable(), ...errorResponses },
    },
    handler: () => service.getSms(),
  });

  app.put('/api/integrations/sms', {
    config: { access },
    schema: {
      operationId: 'updateSmsSettings',
      tags,
      summary: 'Set the SMS gateway’s request template; it is checked by filling it with sample values',
      body: SmsSettingsBody,
      response: { 200: SmsSettings, ...errorResponses },
    },
    handler: (request) => service.putSms(actorOf(request), request.body),
  });

  app.post('/api/integrations/sms/test', {
    config: { access },
    schema: {
      operationId: 'testSms',
      tags,
      summary: 'Send a test text message now through the saved gateway and answer what happened',
      body: TestSmsBody,
      response: { 200: SendOutcome, ...errorResponses },
    },
    handler: (request) => service.testSms(actorOf(request), request.body.phone),
  });

  app.get('/api/integrations/deliveries', {
    config: { access },
    schema: {
      operationId: 'listNotificationDeliveries',
      tags,
      summary: 'The delivery log: every queued message with its status, attempts and last error; newest first',
      querystring: ListDeliveriesQuery,
      response: { 200: DeliveryList, ...errorResponses },
    },
    handler: (request) => {
      const { page, pageSize, ...filter } = request.query;
      return service.listDeliveries(actorOf(request), filter, { page, pageSize });
    },
  });

  app.post('/api/integrations/deliveries/:id/retry', {
    config: { access },
    schema: {
      operationId: 'retryNotificationDelivery',
      tags,
      summary: 'Queue a failed delivery again with a fresh set of attempts',
      params: IdParams,
      response: { 200: Delivery, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => service.retryDelivery(actorOf(request), request.params.id),
  });
}
