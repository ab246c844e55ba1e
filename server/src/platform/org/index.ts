import type { Db } from '../../db/connection.js';
import type { App } from '../http.js';
import { createOrgRepo } from './org.repo.js';
import { registerOrgRoutes } from './org.routes.js';
import { createOrgService } from './org.service.js';

/** The org tree: its repo is what other modules are handed to place records in units and areas. */
export function createOrgModule({ db }: { db: Db }) {
  const orgRepo = createOrgRepo();
  const orgService = createOrgService({ db, orgRepo });
  return { name: 'org', orgRepo, orgService, registerRoutes: (app: App) => registerOrgRoutes(app, { orgService }) };
}
