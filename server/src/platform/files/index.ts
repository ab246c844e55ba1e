import type { App } from '../http.js';
import { createFilesRepo } from './files.repo.js';
import { registerFileRoutes } from './files.routes.js';
import { createFilesService } from './files.service.js';

/** What the file store is created from: its service's narrow dependencies, less its own repo. */
export type FilesModuleDeps = Omit<Parameters<typeof createFilesService>[0], 'filesRepo'>;

/** The file store (photos, evidence); its repo is handed to modules that attach files to their records. */
export function createFilesModule(deps: FilesModuleDeps) {
  const filesRepo = createFilesRepo();
  const filesService = createFilesService({ ...deps, filesRepo });
  return { name: 'files', filesRepo, filesService, registerRoutes: (app: App) => registerFileRoutes(app, { filesService }) };
}
