import path from 'node:path';
import type { App } from '../../platform/http.js';
import { createCapturesRepo } from './captures.repo.js';
import { registerCaptureRoutes } from './captures.routes.js';
import { createCapturesService } from './captures.service.js';
import { createDirectorySnapshotStore, createS3SnapshotStore, type S3StoreConfig, type SnapshotStore } from './captures.store.js';

export type { S3StoreConfig, SnapshotStore } from './captures.store.js';

/** What the capture module is created from: its service's dependencies less its repo and store, and where snapshots go. */
export type CapturesModuleDeps = Omit<Parameters<typeof createCapturesService>[0], 'capturesRepo' | 'store'> & {
  /** The data directory: snapshots go to `<dataDir>/captures` unless an S3-compatible store is configured. */
  dataDir: string;
  s3?: S3StoreConfig;
  /** A store to use instead (tests). */
  store?: SnapshotStore;
};

/** Road-checkpoint captures (卡口): ingest, search, passages, snapshots, retention. */
export function createCapturesModule({ dataDir, s3, store, ...deps }: CapturesModuleDeps) {
  const snapshots = store ?? (s3 ? createS3SnapshotStore(s3) : createDirectorySnapshotStore(path.join(dataDir, 'captures')));
  const capturesService = createCapturesService({ ...deps, capturesRepo: createCapturesRepo(), store: snapshots });
  return { name: 'captures', capturesService, registerRoutes: (app: App) => registerCaptureRoutes(app, { capturesService }) };
}
