import type { App } from '../../platform/http.js';
import { createAssessmentRepo } from './assessment.repo.js';
import { registerAssessmentRoutes } from './assessment.routes.js';
import { createAssessmentService } from './assessment.service.js';
import { createStandardsService } from './assessment.standards.js';
import { createTitlesService } from './assessment.titles.js';

export { createAssessmentRepo } from './assessment.repo.js';
export { SAMPLE_STANDARD } from './assessment.sample.js';
export { standardProblems } from './assessment.scoring.js';
export { standardContent } from './assessment.standards.js';

/** What the assessment is created from: its services' narrow dependencies, less its own repo. */
export type AssessmentModuleDeps = Omit<Parameters<typeof createAssessmentService>[0], 'assessmentRepo'>;

/**
 * The assessment year (考评, notice clause 五): standards as data, rounds, self-checks, reviews,
 * recommendation and naming. Items are scored from the indicator registry, which the modules with
 * figures fill.
 */
export function createAssessmentModule(deps: AssessmentModuleDeps) {
  const assessmentRepo = createAssessmentRepo();
  const assessmentService = createAssessmentService({ ...deps, assessmentRepo });
  const standardsService = createStandardsService({ db: deps.db, assessmentRepo, runChange: deps.runChange });
  const titlesService = createTitlesService({ db: deps.db, assessmentRepo, runChange: deps.runChange });
  return {
    name: 'assessment',
    assessmentService,
    standardsService,
    titlesService,
    registerRoutes: (app: App) => registerAssessmentRoutes(app, { assessmentService, standardsService, titlesService }),
  };
}
