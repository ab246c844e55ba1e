import type { App } from '../../platform/http.js';
import { createTipoffsRepo } from './tipoffs.repo.js';
import { registerTipoffRoutes, type TipoffLimits } from './tipoffs.routes.js';
import { createTipoffsService } from './tipoffs.service.js';

export type { TipoffLimits } from './tipoffs.routes.js';

/** What the tip-off module is created from: its service's narrow dependencies, less its own repo, and its limits. */
export type TipoffsModuleDeps = Omit<Parameters<typeof createTipoffsService>[0], 'tipoffsRepo'> & { limits: TipoffLimits };

/** The public tip-off (群众举报): the public form and status page, and the officers' register. */
export function createTipoffsModule({ limits, ...deps }: TipoffsModuleDeps) {
  const tipoffsService = createTipoffsService({ ...deps, tipoffsRepo: createTipoffsRepo() });
  return { name: 'tipoffs', tipoffsService, registerRoutes: (app: App) => registerTipoffRoutes(app, { tipoffsService, limits }) };
}
