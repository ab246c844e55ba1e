import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import type { CapMsgType, CapSeverity } from './cap.schema.js';
import { capMessages } from './cap.tables.js';

/** CAP messages are public once published: no query here is scoped to an org unit. */
const messageColumns = {
  id: capMessages.id,
  identifier: capMessages.identifier,
  incidentId: capMessages.incidentId,
  orgUnitId: capMessages.orgUnitId,
  msgType: sql<CapMsgType>`${capMessages.msgType}`,
  sent: capMessages.sent,
  references: capMessages.references,
  headline: capMessages.headline,
  instruction: capMessages.instruction,
  severity: sql<CapSeverity>`${capMessages.severity}`,
};
export type CapMessageRow = {
  id: string;
  identifier: string;
  incidentId: string;
  orgUnitId: number;
  msgType: CapMsgType;
  sent: Date;
  references: string | null;
  headline: string;
  instruction: string;
  severity: CapSeverity;
};

export function createCapRepo() {
  return {
    /** Serialises the publishing of one incident's messages (their numbers and references). */
    async lockIncident(tx: Tx, incidentId: string) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`cap:${incidentId}`}))`);
    },

    /** The incident's messages, oldest first. */
    async messagesOf(tx: Tx, incidentId: string): Promise<CapMessageRow[]> {
      return tx
        .select(messageColumns)
        .from(capMessages)
        .where(eq(capMessages.incidentId, incidentId))
        .orderBy(asc(capMessages.sent), asc(capMessages.createdAt));
    },

    async insert(tx: Tx, row: Omit<CapMessageRow, 'id'> & { xml: string }): Promise<CapMessageRow> {
      const [inserted] = await tx.insert(capMessages).values(row).returning(messageColumns);
      return inserted as CapMessageRow;
    },

    /** The XML of a message, as published. */
    async xmlOf(tx: Tx, id: string) {
      const [row] = await tx.select({ xml: capMessages.xml }).from(capMessages).where(eq(capMessages.id, id));
      return row?.xml ?? null;
    },

    /** The latest message of every incident still published (its latest message is not a Cancel), newest first. */
    async current(tx: Tx): Promise<CapMessageRow[]> {
      const latest = sql`SELECT DISTINCT ON (incident_id) id, msg_type FROM cap_messages ORDER BY incident_id, sent DESC, created_at DESC`;
      const rows = await tx
        .select(messageColumns)
        .from(capMessages)
        .where(sql`${capMessages.id} IN (SELECT id FROM (${latest}) l WHERE l.msg_type <> 'Cancel')`)
        .orderBy(desc(capMessages.sent), desc(capMessages.createdAt));
      return rows as CapMessageRow[];
    },
  };
}
export type CapRepo = ReturnType<typeof createCapRepo>;
