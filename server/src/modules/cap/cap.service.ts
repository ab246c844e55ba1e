/**
 * CAP 1.2 out (notice clause 十: a linked emergency response): an incident the duty officer makes
 * public — a fire warning for an area — is published as a CAP alert; publishing again issues an
 * Update and withdrawing it a Cancel, each referring to the earlier messages. Every message is
 * stored as served. What a message says is built from the incident's structured fields only
 * (category, place, time, status): never its free text, the reporter's contact or internal notes.
 */

import type { Db, Tx } from '../../db/connection.js';
import type { Point } from '../../db/spatial.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { conflict, found } from '../../platform/errors.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { CapMessageRow, CapRepo } from './cap.repo.js';
import type { CapCategory, CapCertainty, CapMessage, CapMsgType, CapSeverity, CapUrgency, PublishIncidentInput } from './cap.schema.js';
import { type CapAlert, capAlertXml, capDateTime, capFeedXml, capReference } from './cap.xml.js';

/** What a CAP message is made from: the incident's structured fields. */
export type PublishableIncident = {
  id: string;
  code: string;
  category: string;
  categoryName: string;
  priority: number;
  status: string;
  location: Point;
  placeText: string | null;
  orgUnitId: number;
  orgUnitName: string;
  reportedAt: Date;
};

/** What publishing needs of the incident module: the incident in the actor's scope, and its timeline. */
export type IncidentsForCap = {
  findInScope(actor: Actor, id: string, tx?: Tx): Promise<PublishableIncident>;
  timelineIn(
    ctx: ChangeContext,
    incidentId: string,
    entry: { by: string; kind: string; text?: string | null; data?: unknown },
  ): Promise<unknown>;
};

type Deps = {
  db: Db;
  capRepo: CapRepo;
  incidents: IncidentsForCap;
  /** The linkage outbox: a published or withdrawn warning is queued for the webhooks subscribed to it. */
  outbox: Pick<NotificationsService, 'enqueueIn'>;
  runChange: RunChange;
  /** The address the public reaches SafeForest at (`PUBLIC_URL`): the sender's domain and the alerts' `web`. */
  publicUrl?: string;
  now?: () => Date;
};

/** Who signs the alerts, in words. */
const SENDER_NAME = '玉溪市平安林区指挥中心';
const CONTACT = '森林火警电话 12119；报警电话 110';

/** The CAP category of each incident category (the dictionary's codes); Safety for any other. */
const CATEGORIES: Record<string, CapCategory> = {
  forest_fire: 'Fire',
  illegal_logging: 'Env',
  land_occupation: 'Env',
  wildlife: 'Env',
  dispute: 'Security',
  public_order: 'Security',
  rescue: 'Safety',
};

const SEVERITY_BY_PRIORITY: Record<number, CapSeverity> = { 1: 'Extreme', 2: 'Severe', 3: 'Moderate', 4: 'Minor' };

const STATUS_WORDS: Record<string, string> = {
  new: '已接警',
  dispatched: '已调度力量',
  on_scene: '力量已到场处置',
  resolved: '已处置完毕',
  closed: '已结案',
};

const DEFAULT_INSTRUCTIONS = {
  fire: '附近群众请远离火场，不要进山围观，服从现场扑救人员指挥；发现火情请立即拨打森林火警电话 12119。',
  other: '请勿前往现场围观；如有线索请拨打 110 或 12119 举报，也可通过平安林区群众举报页面提交。',
};

const ENDED = new Set(['resolved', 'closed']);
/** Incidents that are no incident of their own any more: nothing to warn the public of. */
const UNPUBLISHABLE = new Set(['merged', 'false_alarm']);

/** A time in China Standard Time, as the description words it (`2026-11-30 14:03`). */
const localTime = (at: Date) => capDateTime(at).slice(0, 16).replace('T', ' ');

/** The messages since the last Alert, when the incident is still published (its latest message is no Cancel). */
function liveThread(messages: CapMessageRow[]): CapMessageRow[] {
  const last = messages.at(-1);
  if (!last || last.msgType === 'Cancel') return [];
  const start = messages.map((m) => m.msgType).lastIndexOf('Alert');
  return messages.slice(Math.max(0, start));
}

export function createCapService({ db, capRepo, incidents, outbox, runChange, publicUrl, now = () => new Date() }: Deps) {
  const base = publicUrl?.replace(/\/+$/, '');
  const sender = `safeforest@${base ? new URL(base).host : 'yuxi.safeforest'}`;
  const present = (m: CapMessageRow): CapMessage => ({
    id: m.id,
    identifier: m.identifier,
    incidentId: m.incidentId,
    msgType: m.msgType,
    sent: m.sent,
    references: m.references,
    headline: m.headline,
    url: `/api/cap/alerts/${m.id}`,
  });

  /** Builds, stores and records one message about the incident. */
  async function issue(
    ctx: ChangeContext,
    actor: Actor,
    incident: PublishableIncident,
    messages: CapMessageRow[],
    msgType: CapMsgType,
    words: { headline: string; instruction: string; severity: CapSeverity },
  ) {
    const sent = new Date(Math.floor(now().getTime() / 1000) * 1000);
    const thread = msgType === 'Alert' ? [] : liveThread(messages);
    const references = thread.length ? thread.map((m) => capReference({ sender, identifier: m.identifier, sent: m.sent })).join(' ') : null;
    const identifier = `${incident.code}-${messages.length + 1}`;
    const cancelled = msgType === 'Cancel';
    const urgency: CapUrgency = cancelled || ENDED.has(incident.status) ? 'Past' : 'Immediate';
    const certainty: CapCertainty = incident.status === 'new' ? 'Likely' : 'Observed';
    const areaDesc = incident.placeText ? `${incident.orgUnitName} ${incident.placeText}` : incident.orgUnitName;
    const headline = cancelled ? `【解除】${words.headline}` : words.headline;
    const description = cancelled
      ? `${incident.categoryName}预警解除。地点：${areaDesc}。`
      : `${incident.categoryName}。地点：${areaDesc}。接警时间：${localTime(incident.reportedAt)}。处置进展：${STATUS_WORDS[incident.status] ?? '处置中'}。`;
    const alert: CapAlert = {
      identifier,
      sender,
      sent,
      msgType,
      source: 'SafeForest 平安林区综合防控平台',
      references,
      incident: incident.code,
      info: {
        category: CATEGORIES[incident.category] ?? 'Safety',
        event: incident.categoryName,
        urgency,
        severity: words.severity,
        certainty,
        senderName: SENDER_NAME,
        headline,
        description,
        instruction: cancelled ? '预警已解除，请继续注意森林防火安全。' : words.instruction,
        web: base ?? null,
        contact: CONTACT,
        areaDesc,
        circle: { centre: incident.location.coordinates, radiusKm: incident.category === 'forest_fire' ? 3 : 1 },
      },
    };
    const stored = await capRepo.insert(ctx.tx, {
      identifier,
      incidentId: incident.id,
      orgUnitId: incident.orgUnitId,
      msgType,
      sent,
      references,
      headline: words.headline,
      instruction: words.instruction,
      severity: words.severity,
      xml: capAlertXml(alert),
    });
    const after = { identifier, msgType, references, headline, severity: words.severity };
    ctx.audit({
      action: cancelled ? 'cap_message.cancel' : 'cap_message.publish',
      entity: 'cap_message',
      entityId: stored.id,
      orgUnitId: incident.orgUnitId,
      after: { ...after, incidentId: incident.id },
    });
    await outbox.enqueueIn(ctx, {
      event: cancelled ? 'incident.cancelled' : 'incident.published',
      payload: { incidentId: incident.id, code: incident.code, ...after, capUrl: `/api/cap/alerts/${stored.id}` },
      subject: headline,
      text: description,
      orgUnitId: incident.orgUnitId,
    });
    await incidents.timelineIn(ctx, incident.id, {
      by: actor.username,
      kind: cancelled ? 'cap_cancelled' : 'cap_published',
      text: cancelled ? `撤销公众预警：${words.headline}` : `发布公众预警（CAP ${msgType}）：${headline}`,
      data: { messageId: stored.id, ...after },
    });
    return present(stored);
  }

  return {
    /**
     * Publishes the incident as a CAP alert, or — when it is published already — an Update
     * referring to the messages since its Alert. Headline, instruction and severity not given
     * are those of the last message, else the defaults of the category and priority.
     */
    async publish(actor: Actor, incidentId: string, input: PublishIncidentInput): Promise<CapMessage> {
      return runChange(actor, async (ctx) => {
        const incident = await incidents.findInScope(actor, incidentId, ctx.tx);
        await capRepo.lockIncident(ctx.tx, incident.id);
        if (UNPUBLISHABLE.has(incident.status))
          throw conflict(`An incident that is ${incident.status} cannot be published`, { status: incident.status });
        const messages = await capRepo.messagesOf(ctx.tx, incident.id);
        const thread = liveThread(messages);
        const last = thread.at(-1);
        const words = {
          headline: input.headline ?? last?.headline ?? `${incident.categoryName}预警：${incident.placeText ?? incident.orgUnitName}`,
          instruction:
            input.instruction ??
            last?.instruction ??
            (incident.category === 'forest_fire' ? DEFAULT_INSTRUCTIONS.fire : DEFAULT_INSTRUCTIONS.other),
          severity: input.severity ?? last?.severity ?? SEVERITY_BY_PRIORITY[incident.priority] ?? 'Unknown',
        };
        return issue(ctx, actor, incident, messages, thread.length ? 'Update' : 'Alert', words);
      });
    },

    /** Withdraws the public warning: a Cancel referring to the messages since its Alert; 409 when it is not published. */
    async unpublish(actor: Actor, incidentId: string): Promise<CapMessage> {
      return runChange(actor, async (ctx) => {
        const incident = await incidents.findInScope(actor, incidentId, ctx.tx);
        await capRepo.lockIncident(ctx.tx, incident.id);
        const messages = await capRepo.messagesOf(ctx.tx, incident.id);
        const last = liveThread(messages).at(-1);
        if (!last) throw conflict('The incident is not published');
        return issue(ctx, actor, incident, messages, 'Cancel', last);
      });
    },

    /** The XML of a published message; 404 for an unknown id. */
    async alertXml(id: string): Promise<string> {
      return found(await capRepo.xmlOf(db, id), 'CAP message');
    },

    /** The Atom feed of current alerts; links are absolute from `PUBLIC_URL`, else from the address the request came to. */
    async feedXml(requestBase: string): Promise<string> {
      const root = base ?? requestBase;
      const current = await capRepo.current(db);
      return capFeedXml({
        url: `${root}/api/cap/feed`,
        title: '玉溪市平安林区 当前公众预警',
        author: SENDER_NAME,
        updated: current[0]?.sent ?? now(),
        entries: current.map((m) => ({
          url: `${root}/api/cap/alerts/${m.id}`,
          identifier: m.identifier,
          headline: m.headline,
          msgType: m.msgType,
          sent: m.sent,
        })),
      });
    },
  };
}
export type CapService = ReturnType<typeof createCapService>;
