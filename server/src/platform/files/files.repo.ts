import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import { unitOwned } from '../scope.js';
import type { FileContentType, StoredFile } from './files.schema.js';
import { files } from './files.tables.js';

const metaColumns = { id: files.id, name: files.name, contentType: files.contentType, size: files.size, orgUnitId: files.orgUnitId };

/** A file's description (no bytes) if its unit is in the actor's subtree, else null. */
async function findMetaInScope(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select(metaColumns)
    .from(files)
    .where(and(eq(files.id, id), unitOwned(actor, files.orgUnitId)));
  return (row as (StoredFile & { orgUnitId: number }) | undefined) ?? null;
}

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

    findMetaInScope,

    /**
     * A file the actor may read, attached to a record of `recordUnitId`: from now on it lives with
     * the record. A file uploaded by a unit above (the city filing a county's work plan) moves down
     * to the record's unit, so everyone who reads the record reads the file, and the uploader still
     * does. Null when the actor may not read the file.
     */
    async attachInScope(tx: Tx, actor: Actor, id: string, recordUnitId: number) {
      const file = await findMetaInScope(tx, actor, id);
      if (!file || file.orgUnitId === recordUnitId) return file;
      await tx.execute(sql`
        UPDATE files f SET org_unit_id = record.id
        FROM org_units owner, org_units record
        WHERE f.id = ${id} AND owner.id = f.org_unit_id AND record.id = ${recordUnitId}
          AND starts_with(record.path, owner.path)`);
      return file;
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
