import type { z } from 'zod';
import type { Actor } from '../actor.js';
import { type App, actorOf, errorResponses } from '../http.js';

/**
 * A setting a module owns: its schema and the value in force, and how a change is applied (stored,
 * audited, in force at once). The module keeps the rules that use it; the routes live here.
 */
export type OwnedSetting = {
  schema: z.ZodObject;
  settings(): SettingValue | Promise<SettingValue>;
  // A method, so the owner's own value type stands in for the one the schema checks.
  updateSettings(actor: Actor, value: SettingValue): Promise<SettingValue>;
};
type SettingValue = z.infer<z.ZodObject>;

/**
 * The settings an administrator changes under `/api/settings/`. The analyzer thresholds belong to
 * the alerts module, the hotspot incident thresholds to the hotspot module, which sit above the
 * platform: `app.ts` hands the settings in.
 */
export function registerSettingRoutes(app: App, { analyzers, hotspots }: { analyzers: OwnedSetting; hotspots: OwnedSetting }) {
  app.get('/api/settings/analyzers', {
    config: { access: 'alerts:read' },
    schema: {
      operationId: 'getAnalyzerSettings',
      tags: ['alerts'],
      summary: 'Thresholds of the analyzers',
      response: { 200: analyzers.schema, ...errorResponses },
    },
    handler: async () => analyzers.settings(),
  });

  app.put('/api/settings/analyzers', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'updateAnalyzerSettings',
      tags: ['alerts'],
      summary: 'Change the thresholds of the analyzers (they apply at once)',
      body: analyzers.schema,
      response: { 200: analyzers.schema, ...errorResponses },
    },
    handler: (request) => analyzers.updateSettings(actorOf(request), request.body),
  });

  app.get('/api/settings/hotspots', {
    config: { access: 'hotspots:read' },
    schema: {
      operationId: 'getHotspotSettings',
      tags: ['hotspots'],
      summary: 'When a FIRMS hotspot cluster opens an incident: minimum confidence and fire radiative power',
      response: { 200: hotspots.schema, ...errorResponses },
    },
    handler: async () => hotspots.settings(),
  });

  app.put('/api/settings/hotspots', {
    config: { access: 'settings:write' },
    schema: {
      operationId: 'updateHotspotSettings',
      tags: ['hotspots'],
      summary: 'Change when a FIRMS hotspot cluster opens an incident (the next import uses it)',
      body: hotspots.schema,
      response: { 200: hotspots.schema, ...errorResponses },
    },
    handler: (request) => hotspots.updateSettings(actorOf(request), request.body),
  });
}
