import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerCircleIndicators } from './circles.indicators.js';
import { createCirclesRepo } from './circles.repo.js';
import { registerCircleRoutes } from './circles.routes.js';
import { createCirclesService } from './circles.service.js';

export { createCirclesRepo } from './circles.repo.js';

/** What the prevention circles are created from: the service's narrow dependencies, less its own repo, and where the indicator goes. */
export type CirclesModuleDeps = Omit<Parameters<typeof createCirclesService>[0], 'circlesRepo'> & {
  indicators: IndicatorSink;
  /** How often deployments that started or ended by the clock are announced live; 0 leaves it off (tests). */
  watchIntervalMs: number;
  onWatchError: (err: unknown) => void;
};

/** The two prevention circles (两级林业防控圈): members, mobile deployments, gaps and coverage, `/api/circles`. */
export function createCirclesModule({ indicators, watchIntervalMs, onWatchError, ...deps }: CirclesModuleDeps) {
  const circlesService = createCirclesService({ ...deps, circlesRepo: createCirclesRepo() });
  registerCircleIndicators(indicators, circlesService, deps.now ?? (() => new Date()));
  let timer: NodeJS.Timeout | undefined;
  let since = new Date();
  const watch = {
    /** Starts announcing deployments that start or end as time passes. */
    start() {
      if (watchIntervalMs <= 0 || timer) return;
      timer = setInterval(() => {
        const until = new Date();
        circlesService.announceTransitions(since, until).then(() => {
          since = until;
        }, onWatchError);
      }, watchIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return { name: 'circles', circlesService, watch, registerRoutes: (app: App) => registerCircleRoutes(app, { circlesService }) };
}
