import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { files } from '../../platform/files/files.tables.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * The dictionary of incident categories (森林火灾, 盗伐滥伐林木, …): data an office can extend,
 * not an enum in code. Seeded with the eight categories of the notice (see `seed/seed.ts`).
 */
export const incidentCategories = pgTable('incident_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  defaultPriority: smallint('default_priority').notNull().default(3),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The last sequence number handed out per day (China Standard Time) for incident codes
 * (`JQ20261130-0007`): upserted inside the change that opens the incident, so two concurrent
 * openings wait on the same row and never share a number.
 */
export const incidentCodeCounters = pgTable('incident_code_counters', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

/** Incidents (警情/事件): one pipeline for every source, from new to closed. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    category: text('category')
      .notNull()
      .references(() => incidentCategories.code),
    priority: smallint('priority').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    location: pointColumn('location').notNull(),
    placeText: text('place_text'),
    source: text('source').notNull(),
    sourceRef: text('source_ref'),
    status: text('status').notNull().default('new'),
    mergedInto: uuid('merged_into'),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    countyCode: text('county_code'),
    townshipId: integer('township_id'),
    gridId: integer('grid_id'),
    stationId: integer('station_id'),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    firstOnSceneAt: timestamp('first_on_scene_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('incidents_code_idx').on(t.code),
    index('incidents_org_unit_idx').on(t.orgUnitId, t.reportedAt),
    index('incidents_status_idx').on(t.status, t.reportedAt),
    index('incidents_open_category_idx').on(t.category, t.reportedAt).where(sql`status IN ('new', 'dispatched', 'on_scene')`),
    index('incidents_location_gist').using('gist', t.location),
  ],
);

/**
 * Every report of an incident: the one that opened it (`primary`) and each repeat linked to it
 * (the same SOS again, a second call about the same fire). A report keeps what it said, so a
 * wrongly linked one can be split off into its own incident.
 */
export const incidentReports = pgTable(
  'incident_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    primary: boolean('primary').notNull().default(false),
    source: text('source').notNull(),
    sourceRef: text('source_ref'),
    category: text('category').notNull(),
    priority: smallint('priority'),
    title: text('title').notNull(),
    description: text('description'),
    location: pointColumn('location').notNull(),
    placeText: text('place_text'),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incident_reports_incident_idx').on(t.incidentId), index('incident_reports_source_idx').on(t.source, t.sourceRef)],
);

/** What happened to an incident, by whom and when: every change, note, photo, assignment and notification. */
export const incidentTimeline = pgTable(
  'incident_timeline',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    by: text('by').notNull(),
    kind: text('kind').notNull(),
    text: text('text'),
    data: jsonb('data'),
  },
  (t) => [index('incident_timeline_incident_idx').on(t.incidentId, t.at)],
);

/** Photos of an incident: files of the file store (platform/files). */
export const incidentPhotos = pgTable(
  'incident_photos',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.fileId] })],
);
