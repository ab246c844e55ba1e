import type { App } from '../../platform/http.js';
import type { IndicatorSink } from '../../platform/indicators.js';
import { registerResponsibilityIndicators } from './responsibilities.indicators.js';
import { createResponsibilitiesRepo } from './responsibilities.repo.js';
import { registerResponsibilityRoutes } from './responsibilities.routes.js';
import { createResponsibilitiesService } from './responsibilities.service.js';

/** What the register is created from: its service's narrow dependencies (less its own repo), and where it offers its indicators. */
export type ResponsibilitiesModuleDeps = Omit<
  Parameters<typeof createResponsibilitiesService>[0],
  'responsibilitiesRepo' | 'indicators'
> & {
  indicators: IndicatorSink & Parameters<typeof createResponsibilitiesService>[0]['indicators'];
};

/** The responsibility register (责任体系): leaders, work plan and target tasks per unit and year; feeds two indicators. */
export function createResponsibilitiesModule(deps: ResponsibilitiesModuleDeps) {
  const responsibilitiesRepo = createResponsibilitiesRepo();
  registerResponsibilityIndicators(deps.indicators, responsibilitiesRepo);
  const responsibilitiesService = createResponsibilitiesService({ ...deps, responsibilitiesRepo });
  return {
    name: 'responsibilities',
    responsibilitiesService,
    registerRoutes: (app: App) => registerResponsibilityRoutes(app, { responsibilitiesService }),
  };
}
