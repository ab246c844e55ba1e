import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { asGeoJson, type Point, pointFromGeoJson } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';
import { narrowed, unitOwned } from '../../platform/scope.js';
import type { TipoffCategory, TipoffFilter } from './tipoffs.schema.js';
import { tipoffPhotos, tipoffReplies, tipoffs } from './tipoffs.tables.js';
import { trackingCodeHash } from './tracking-code.js';

const photoCount = sql<number>`(SELECT count(*)::int FROM tipoff_photos p WHERE p.tipoff_id = ${tipoffs.id})`;
const replyCount = sql<number>`(SELECT count(*)::int FROM tipoff_replies r WHERE r.tipoff_id = ${tipoffs.id})`;

const summaryColumns = {
  id: tipoffs.id,
  category: sql<TipoffCategory>`${tipoffs.category}`,
  description: tipoffs.description,
  location: asGeoJson(tipoffs.location),
  placeText: tipoffs.placeText,
  anonymous: sql<boolean>`(${tipoffs.reporterName} IS NULL AND ${tipoffs.reporterPhone} IS NULL)`,
  orgUnitId: tipoffs.orgUnitId,
  orgUnitName: orgUnits.name,
  countyCode: tipoffs.countyCode,
  incidentId: tipoffs.incidentId,
  photoCount,
  replyCount,
  createdAt: tipoffs.createdAt,
};

export type TipoffSummaryRow = {
  id: string;
  category: TipoffCategory;
  description: string;
  location: Point;
  placeText: string | null;
  anonymous: boolean;
  orgUnitId: number;
  orgUnitName: string;
  countyCode: string | null;
  incidentId: string;
  photoCount: number;
  replyCount: number;
  createdAt: Date;
};
export type TipoffRow = TipoffSummaryRow & { reporterName: string | null; reporterPhone: string | null; orgPath: string };

export type NewTipoff = {
  id: string;
  trackingCodeHash: string;
  category: TipoffCategory;
  description: string;
  location: Point;
  placeText: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  orgUnitId: number;
  countyCode: string | null;
  incidentId: string;
};

export function createTipoffsRepo() {
  const selectTipoffs = (tx: Tx) => tx.select(summaryColumns).from(tipoffs).innerJoin(orgUnits, eq(orgUnits.id, tipoffs.orgUnitId));

  function where(actor: Actor, filter: TipoffFilter & { subtreePath?: string }): SQL | undefined {
    const conditions: SQL[] = [unitOwned(narrowed(actor, filter.subtreePath), tipoffs.orgUnitId)];
    if (filter.category?.length) conditions.push(inArray(tipoffs.category, filter.category));
    if (filter.trackingCode) conditions.push(eq(tipoffs.trackingCodeHash, trackingCodeHash(filter.trackingCode)));
    if (filter.incidentId) conditions.push(eq(tipoffs.incidentId, filter.incidentId));
    if (filter.from) conditions.push(gte(tipoffs.createdAt, filter.from));
    if (filter.to) conditions.push(lt(tipoffs.createdAt, filter.to));
    return and(...conditions);
  }

  return {
    async insert(tx: Tx, row: NewTipoff) {
      const { location, ...rest } = row;
      const [inserted] = await tx
        .insert(tipoffs)
        .values({ ...rest, location: pointFromGeoJson(location) as unknown as string })
        .returning({ id: tipoffs.id });
      return inserted.id;
    },

    async insertPhotos(tx: Tx, tipoffId: string, fileIds: readonly string[]) {
      if (fileIds.length === 0) return;
      await tx.insert(tipoffPhotos).values(fileIds.map((fileId, position) => ({ tipoffId, fileId, position })));
    },

    /** The tip-off a tracking code opens, by the code's hash (one index lookup, known or not). */
    async findByTrackingCode(tx: Tx, code: string) {
      const [row] = await tx
        .select({ id: tipoffs.id, incidentId: tipoffs.incidentId })
        .from(tipoffs)
        .where(eq(tipoffs.trackingCodeHash, trackingCodeHash(code)));
      return row ?? null;
    },

    /** The replies the reporter sees: text and time only, oldest first. */
    async publicReplies(tx: Tx, tipoffId: string) {
      return tx
        .select({ text: tipoffReplies.text, at: tipoffReplies.createdAt })
        .from(tipoffReplies)
        .where(eq(tipoffReplies.tipoffId, tipoffId))
        .orderBy(asc(tipoffReplies.createdAt), asc(tipoffReplies.id));
    },

    /** One page of the tip-offs of the actor's subtree, newest first. */
    async list(tx: Tx, actor: Actor, filter: TipoffFilter & { subtreePath?: string }, page: { limit: number; offset: number }) {
      const condition = where(actor, filter);
      const [items, [{ total }]] = await Promise.all([
        selectTipoffs(tx).where(condition).orderBy(desc(tipoffs.createdAt), asc(tipoffs.id)).limit(page.limit).offset(page.offset),
        tx.select({ total: sql<number>`count(*)::int` }).from(tipoffs).where(condition),
      ]);
      return { items: items as TipoffSummaryRow[], total };
    },

    /** A tip-off of the actor's subtree with the reporter's contact, or null. */
    async findInScope(tx: Tx, actor: Actor, id: string) {
      const [row] = await tx
        .select({
          ...summaryColumns,
          reporterName: tipoffs.reporterName,
          reporterPhone: tipoffs.reporterPhone,
          orgPath: orgUnits.path,
        })
        .from(tipoffs)
        .innerJoin(orgUnits, eq(orgUnits.id, tipoffs.orgUnitId))
        .where(and(eq(tipoffs.id, id), unitOwned(actor, tipoffs.orgUnitId)));
      return (row as TipoffRow | undefined) ?? null;
    },

    async photos(tx: Tx, tipoffId: string) {
      return tx
        .select({ fileId: tipoffPhotos.fileId, contentType: files.contentType, size: files.size })
        .from(tipoffPhotos)
        .innerJoin(files, eq(files.id, tipoffPhotos.fileId))
        .where(eq(tipoffPhotos.tipoffId, tipoffId))
        .orderBy(asc(tipoffPhotos.position));
    },

    async replies(tx: Tx, tipoffId: string) {
      return tx
        .select({ id: tipoffReplies.id, text: tipoffReplies.text, at: tipoffReplies.createdAt, byName: tipoffReplies.repliedByName })
        .from(tipoffReplies)
        .where(eq(tipoffReplies.tipoffId, tipoffId))
        .orderBy(asc(tipoffReplies.createdAt), asc(tipoffReplies.id));
    },

    /** Adds an officer's public reply to a tip-off of the actor's subtree; null when there is none. */
    async insertReply(tx: Tx, actor: Actor, tipoffId: string, text: string) {
      const result = await tx.execute<{ id: string }>(sql`
        INSERT INTO tipoff_replies (tipoff_id, text, replied_by, replied_by_name)
        SELECT t.id, ${text}, ${actor.userId}, ${actor.displayName} FROM tipoffs t
        WHERE t.id = ${tipoffId} AND ${unitOwned(actor, sql.raw('t.org_unit_id'))}
        RETURNING id`);
      return result.rows[0]?.id ?? null;
    },
  };
}
export type TipoffsRepo = ReturnType<typeof createTipoffsRepo>;
