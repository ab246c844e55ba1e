/**
 * CAP 1.2 messages and the Atom feed of current alerts, as XML. Elements are written in the
 * order the standard's schema requires (OASIS CAP v1.2, 3.2): `alert` — identifier, sender, sent,
 * status, msgType, source, scope, references, incidents, info; `info` — language, category,
 * event, urgency, severity, certainty, senderName, headline, description, instruction, web,
 * contact, area; `area` — areaDesc, circle. Text is escaped by the builder: nothing from input
 * can become markup.
 */
import { create } from 'xmlbuilder2';
import { CAP_NAMESPACE, type CapCategory, type CapCertainty, type CapMsgType, type CapSeverity, type CapUrgency } from './cap.schema.js';

export type CapInfo = {
  category: CapCategory;
  event: string;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  senderName: string;
  headline: string;
  description: string;
  instruction: string;
  web: string | null;
  contact: string;
  areaDesc: string;
  /** [lon, lat] of the centre, and the radius in km. */
  circle: { centre: readonly [number, number]; radiusKm: number };
};

export type CapAlert = {
  identifier: string;
  sender: string;
  sent: Date;
  msgType: CapMsgType;
  source: string;
  /** `sender,identifier,sent` entries of the earlier messages, or null. */
  references: string | null;
  /** The incident's code (CAP `incidents`: the messages about one incident). */
  incident: string;
  info: CapInfo;
};

/**
 * A time as CAP writes it: China Standard Time with its offset and no fractions of a second
 * (`2026-11-30T14:03:00+08:00`); Yuxi keeps no daylight saving time.
 */
export function capDateTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** One `sender,identifier,sent` entry of a `references` list. */
export const capReference = (m: { sender: string; identifier: string; sent: Date }) => `${m.sender},${m.identifier},${capDateTime(m.sent)}`;

/** The circle of a CAP area: `lat,lon radius` (WGS 84 degrees, km). */
export const capCircle = ({ centre: [lon, lat], radiusKm }: CapInfo['circle']) => `${lat.toFixed(5)},${lon.toFixed(5)} ${radiusKm}`;

/** A CAP 1.2 `<alert>` document. */
export function capAlertXml(alert: CapAlert): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAP_NAMESPACE, 'alert');
  const add = (parent: typeof root, name: string, text: string) => parent.ele(name).txt(text).up();
  add(root, 'identifier', alert.identifier);
  add(root, 'sender', alert.sender);
  add(root, 'sent', capDateTime(alert.sent));
  add(root, 'status', 'Actual');
  add(root, 'msgType', alert.msgType);
  add(root, 'source', alert.source);
  add(root, 'scope', 'Public');
  if (alert.references) add(root, 'references', alert.references);
  add(root, 'incidents', alert.incident);
  const { info } = alert;
  const el = root.ele('info');
  add(el, 'language', 'zh-CN');
  add(el, 'category', info.category);
  add(el, 'event', info.event);
  add(el, 'urgency', info.urgency);
  add(el, 'severity', info.severity);
  add(el, 'certainty', info.certainty);
  add(el, 'senderName', info.senderName);
  add(el, 'headline', info.headline);
  add(el, 'description', info.description);
  add(el, 'instruction', info.instruction);
  if (info.web) add(el, 'web', info.web);
  add(el, 'contact', info.contact);
  const area = el.ele('area');
  add(area, 'areaDesc', info.areaDesc);
  add(area, 'circle', capCircle(info.circle));
  return root.end({ prettyPrint: true });
}

export type FeedEntry = { url: string; identifier: string; headline: string; msgType: CapMsgType; sent: Date };

/** The Atom feed of current alerts: one entry per published incident, linking to its latest CAP message. */
export function capFeedXml(feed: { url: string; title: string; author: string; updated: Date; entries: FeedEntry[] }): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('http://www.w3.org/2005/Atom', 'feed');
  root.ele('id').txt(feed.url).up();
  root.ele('title').txt(feed.title).up();
  root.ele('updated').txt(capDateTime(feed.updated)).up();
  root.ele('author').ele('name').txt(feed.author).up().up();
  root.ele('link', { rel: 'self', type: 'application/atom+xml', href: feed.url }).up();
  for (const entry of feed.entries) {
    const e = root.ele('entry');
    e.ele('id').txt(entry.url).up();
    e.ele('title').txt(entry.headline).up();
    e.ele('updated').txt(capDateTime(entry.sent)).up();
    e.ele('summary').txt(`${entry.msgType} ${entry.identifier}`).up();
    e.ele('link', { rel: 'alternate', type: 'application/cap+xml', href: entry.url }).up();
  }
  return root.end({ prettyPrint: true });
}
