import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import { unitOwned } from '../scope.js';
import type { FileContentType, StoredFile } from './files.schema.js';
import { files } from './files.tables.js';

const metaColumns = { id: files.id, name: files.name, contentType: files.contentType, size: files.size, orgUnitId: files.orgUnitId };

export function createFilesRepo() {
  return {
    async insert(
      tx: Tx,
      file: {
        orgUnitId: number;
        name: string;
        contentType: FileContentType;
        size: number;
        sha256: string;
        data: Buffer;
        uploadedBy: string | null;
      },
    ) {
      const [row] = await tx.insert(files).values(file).returning(metaColumns);
      return row as StoredFile & { orgUnitId: number };
    },

    /** A file's description (no bytes) if its unit is in the actor's subtree, else null. */
    async findMetaInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select(metaColumns)
        .from(files)
        .where(and(eq(files.id, id), unitOwned(actor, files.orgUnitId)));
      return (row as (StoredFile & { orgUnitId: number }) | undefined) ?? null;
    },

    /** A file with its bytes if its unit is in the actor's subtree, else null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select({ ...metaColumns, sha256: files.sha256, data: files.data, createdAt: files.createdAt })
        .from(files)
        .where(and(eq(files.id, id), unitOwned(actor, files.orgUnitId)));
      return row ?? null;
    },
  };
}
export type FilesRepo = ReturnType<typeof createFilesRepo>;
