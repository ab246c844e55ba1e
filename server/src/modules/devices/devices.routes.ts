import { z } from 'zod';
import { type App, actorOf, ErrorResponse, errorResponses } from '../../platform/http.js';
import {
  CreateDeviceBody,
  CreatedDevice,
  Device,
  DeviceBinding,
  DeviceIdParams,
  KeyPolicy,
  KeyPolicyParams,
  ListDevicesQuery,
  SetKeyPolicyBody,
  UpdateDeviceBody,
} from './devices.schema.js';
import type { DevicesService } from './devices.service.js';

export function registerDeviceRoutes(app: App, { devicesService }: { devicesService: DevicesService }) {
  app.get('/api/devices', {
    config: { access: 'devices:read' },
    schema: {
      operationId: 'listDevices',
      tags: ['devices'],
      summary: 'Positioning devices of the caller’s subtree',
      querystring: ListDevicesQuery,
      response: { 200: z.object({ items: z.array(Device), total: z.number().int() }), ...errorResponses },
    },
    handler: (request) => devicesService.list(actorOf(request), request.query),
  });

  app.get('/api/devices/:id', {
    config: { access: 'devices:read' },
    schema: {
      operationId: 'getDevice',
      tags: ['devices'],
      summary: 'One device',
      params: DeviceIdParams,
      response: { 200: Device, ...errorResponses },
    },
    handler: (request) => devicesService.get(actorOf(request), request.params.id),
  });

  app.get('/api/devices/:id/bindings', {
    config: { access: 'devices:read' },
    schema: {
      operationId: 'listDeviceBindings',
      tags: ['devices'],
      summary: 'Which ranger carried the device when, newest first',
      params: DeviceIdParams,
      response: { 200: z.object({ items: z.array(DeviceBinding) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await devicesService.bindings(actorOf(request), request.params.id) }),
  });

  app.post('/api/devices', {
    config: { access: 'devices:write' },
    schema: {
      operationId: 'createDevice',
      tags: ['devices'],
      summary: 'Register a device (and bind it to a ranger); a generated key is returned once',
      body: CreateDeviceBody,
      response: { 201: CreatedDevice, ...errorResponses, 409: ErrorResponse },
    },
    handler: async (request, reply) => reply.status(201).send(await devicesService.create(actorOf(request), request.body)),
  });

  app.patch('/api/devices/:id', {
    config: { access: 'devices:write' },
    schema: {
      operationId: 'updateDevice',
      tags: ['devices'],
      summary:
        'Change a device, give it a new key (a generated one is returned once) or hand it to another ranger (send the version you read)',
      params: DeviceIdParams,
      body: UpdateDeviceBody,
      response: { 200: CreatedDevice, ...errorResponses, 409: ErrorResponse },
    },
    handler: (request) => devicesService.update(actorOf(request), request.params.id, request.body),
  });

  app.get('/api/devices/key-policies', {
    config: { access: 'devices:read' },
    schema: {
      operationId: 'listDeviceKeyPolicies',
      tags: ['devices'],
      summary: 'Whether each county of the caller’s subtree requires device keys, with its keyless devices',
      response: { 200: z.object({ items: z.array(KeyPolicy) }), ...errorResponses },
    },
    handler: async (request) => ({ items: await devicesService.keyPolicies(actorOf(request)) }),
  });

  app.put('/api/devices/key-policies/:orgUnitId', {
    config: { access: 'devices:policy' },
    schema: {
      operationId: 'setDeviceKeyPolicy',
      tags: ['devices'],
      summary:
        'Require keys of a county’s devices (fixes of its keyless devices are then refused like a wrong key, and no keyless device may be registered there), or stop requiring them',
      params: KeyPolicyParams,
      body: SetKeyPolicyBody,
      response: { 200: KeyPolicy, ...errorResponses },
    },
    handler: (request) => devicesService.setKeyPolicy(actorOf(request), request.params.orgUnitId, request.body.requireKeys),
  });

  app.delete('/api/devices/:id', {
    config: { access: 'devices:write' },
    schema: {
      operationId: 'deleteDevice',
      tags: ['devices'],
      summary: 'Retire a device with a reason (its positions are kept)',
      params: DeviceIdParams,
      body: z.object({ reason: z.string().trim().min(2).max(500) }),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      await devicesService.remove(actorOf(request), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  });
}
