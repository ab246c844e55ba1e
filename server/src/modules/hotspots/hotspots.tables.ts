import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { pointColumn } from '../../db/spatial.js';
import { orgUnits } from '../../platform/org/org.tables.js';

/**
 * Groups of satellite hotspots within 1 km and 6 h of each other (notice clause 十): one fire seen
 * by several passes and pixels is one cluster, and opens at most one incident.
 */
export const hotspotClusters = pgTable(
  'hotspot_clusters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firstDetectedAt: timestamp('first_detected_at', { withTimezone: true }).notNull(),
    lastDetectedAt: timestamp('last_detected_at', { withTimezone: true }).notNull(),
    /** Where the cluster began (its first hotspot): the incident's location. */
    location: pointColumn('location').notNull(),
    countyCode: text('county_code'),
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    hotspotCount: integer('hotspot_count').notNull().default(0),
    /** The incident the cluster opened (the incident module's id), once it qualified. */
    incidentId: uuid('incident_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('hotspot_clusters_last_idx').on(t.lastDetectedAt), index('hotspot_clusters_org_unit_idx').on(t.orgUnitId)],
);

/**
 * Satellite hotspots (卫星林火热点): NASA FIRMS rows (VIIRS 375 m, MODIS) and the hotspots of
 * China's bulletins, each stored once per source, satellite, detection time and position rounded to
 * 1e-4° (about 11 m), placed in county, township and grid (null outside Yuxi).
 */
export const hotspots = pgTable(
  'hotspots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    /** Normalised name: S-NPP, NOAA-20, NOAA-21, Aqua, Terra, or the bulletin's satellite/sensor text. */
    satellite: text('satellite').notNull(),
    /** As the file wrote it (FIRMS: N, 1, A, T…). */
    satelliteCode: text('satellite_code').notNull(),
    instrument: text('instrument'),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    location: pointColumn('location').notNull(),
    lonE4: integer('lon_e4').notNull(),
    latE4: integer('lat_e4').notNull(),
    /** low / nominal / high (MODIS 0–100 read as <30, 30–79, ≥80); null for bulletins. */
    confidence: text('confidence'),
    confidenceRaw: text('confidence_raw'),
    frp: real('frp'),
    brightness: real('brightness'),
    brightness2: real('brightness2'),
    scan: real('scan'),
    track: real('track'),
    daynight: text('daynight'),
    dataVersion: text('data_version'),
    bulletinNumber: text('bulletin_number'),
    pixelCount: smallint('pixel_count'),
    smoke: boolean('smoke'),
    landClass: text('land_class'),
    placeText: text('place_text'),
    countyCode: text('county_code'),
    countyId: integer('county_id').references(() => orgUnits.id),
    townshipId: integer('township_id').references(() => orgUnits.id),
    gridId: integer('grid_id').references(() => orgUnits.id),
    /** The smallest unit holding it (grid, township or county): its scope; null outside Yuxi (city-level only). */
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    clusterId: uuid('cluster_id').references(() => hotspotClusters.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('hotspots_once_idx').on(t.source, t.satellite, t.detectedAt, t.lonE4, t.latE4),
    index('hotspots_detected_idx').on(t.detectedAt),
    index('hotspots_org_unit_idx').on(t.orgUnitId),
    index('hotspots_cluster_idx').on(t.clusterId),
    index('hotspots_location_gist').using('gist', t.location),
    check('hotspots_source_check', sql`${t.source} IN ('firms', 'bulletin')`),
  ],
);

/** The ground check of a hotspot (核查反馈): assigned by the responsible county, answered by the checker. */
export const hotspotChecks = pgTable(
  'hotspot_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hotspotId: uuid('hotspot_id')
      .notNull()
      .references(() => hotspots.id),
    /** The hotspot's county: the unit responsible for the check. */
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    assigneeUserId: uuid('assignee_user_id'),
    assigneeUnitId: integer('assignee_unit_id').references(() => orgUnits.id),
    deadline: timestamp('deadline', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
    assignedBy: text('assigned_by').notNull(),
    result: text('result'),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    checkedBy: text('checked_by'),
    note: text('note'),
    fireOut: boolean('fire_out'),
    photoFileIds: uuid('photo_file_ids').array().notNull().default(sql`'{}'::uuid[]`),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    /** Feedback time − detection time, in seconds (scored by the assessment). */
    delayFromDetectionS: integer('delay_from_detection_s'),
    /** Feedback time − assignment time, in seconds. */
    delayFromAssignmentS: integer('delay_from_assignment_s'),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('hotspot_checks_hotspot_idx').on(t.hotspotId), index('hotspot_checks_org_unit_idx').on(t.orgUnitId)],
);

/** What each import did (an upload, a file of the polled folder, a fetch of the polled URL). */
export const hotspotFeedRuns = pgTable(
  'hotspot_feed_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** The file name or the URL (its key hidden). */
    source: text('source').notNull(),
    /** SHA-256 of the content: a polled file already imported is not read again. */
    fingerprint: text('fingerprint').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    imported: integer('imported').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    outside: integer('outside').notNull().default(0),
    incidents: integer('incidents').notNull().default(0),
    badRows: integer('bad_rows').notNull().default(0),
    error: text('error'),
  },
  (t) => [index('hotspot_feed_runs_fingerprint_idx').on(t.fingerprint)],
);
