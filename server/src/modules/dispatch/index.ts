import type { EventBus } from '../../platform/events.js';
import type { App } from '../../platform/http.js';
import { ArrivalDetector } from './arrivals.js';
import { createDispatchRepo } from './dispatch.repo.js';
import { registerDispatchRoutes } from './dispatch.routes.js';
import { createDispatchService } from './dispatch.service.js';

export type { RangerFix } from './arrivals.js';

/** What dispatch is created from: its service's narrow dependencies less its repo, the event bus (arrivals follow it) and where failures of arrival writes go. */
export type DispatchModuleDeps = Omit<Parameters<typeof createDispatchService>[0], 'dispatchRepo'> & {
  events: EventBus;
  onError: (error: unknown) => void;
};

/**
 * Dispatch (派警): suggestions, assignments and unit status, the ranger's side, and the arrival
 * detector the position pipeline hands its fixes to (`arrivals.check`).
 */
export async function createDispatchModule({ events, onError, ...deps }: DispatchModuleDeps) {
  const dispatchService = createDispatchService({ ...deps, dispatchRepo: createDispatchRepo() });
  const arrivals = new ArrivalDetector({ service: dispatchService, onError });
  await arrivals.reload();
  const stopFollowing = arrivals.follow(events);
  return {
    name: 'dispatch',
    dispatchService,
    arrivals,
    stopFollowing,
    registerRoutes: (app: App) => registerDispatchRoutes(app, { dispatchService }),
  };
}
