/**
 * Every live event SafeForest sends, at run time: the platform's and each module's catalogue.
 * The web's message types are generated from it (`npm run gen:api`), and the type below fails to
 * compile when a module declares an event in `EventCatalogue` that is missing here.
 */
import { alertEvents } from './modules/alerts/alerts.events.js';
import { assessmentEvents } from './modules/assessment/assessment.events.js';
import { cameraEvents } from './modules/cameras/cameras.events.js';
import { circleEvents } from './modules/circles/circles.events.js';
import { deviceEvents } from './modules/devices/devices.events.js';
import { dispatchEvents } from './modules/dispatch/dispatch.events.js';
import { fieldReportEvents } from './modules/field-reports/field-reports.events.js';
import { hotspotEvents } from './modules/hotspots/hotspots.events.js';
import { incidentEvents } from './modules/incidents/incidents.events.js';
import { patrolEvents } from './modules/patrols/patrols.events.js';
import { positionEvents } from './modules/positions/positions.events.js';
import { rangerEvents } from './modules/rangers/rangers.events.js';
import { siteEvents } from './modules/sites/sites.events.js';
import { watchlistEvents } from './modules/watchlists/watchlists.events.js';
import type { EventCatalogue, EventDefinition } from './platform/events.js';
import { platformEvents } from './platform/events.js';

export const EVENT_CATALOGUE: { [N in keyof EventCatalogue]: EventCatalogue[N] & EventDefinition } = {
  ...platformEvents,
  ...alertEvents,
  ...assessmentEvents,
  ...cameraEvents,
  ...circleEvents,
  ...deviceEvents,
  ...dispatchEvents,
  ...fieldReportEvents,
  ...incidentEvents,
  ...hotspotEvents,
  ...patrolEvents,
  ...positionEvents,
  ...rangerEvents,
  ...siteEvents,
  ...watchlistEvents,
};
