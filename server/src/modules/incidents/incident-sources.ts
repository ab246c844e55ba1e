import type { ChangeContext } from '../../platform/change.js';

/**
 * What every source of incidents hands the incident service (notice clause 十: one pipeline for
 * satellite hotspots, video and checkpoint alarms, the public's reports and the rangers' network).
 * The incident module implements `openIn`; a source module declares it among its dependencies as
 * `Pick<IncidentOpener, 'openIn'>` and calls it inside its own change, so the source's record and
 * the incident it opens commit together.
 */
export const INCIDENT_SOURCES = ['phone', 'tipoff', 'sos', 'hotspot', 'field_report', 'camera', 'watchlist', 'manual'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export type OpenIncidentInput = {
  /** A code of the category dictionary (`forest_fire`, `illegal_logging`, …). */
  category: string;
  /** 1 (most urgent) to 4; the category's default when left out. */
  priority?: 1 | 2 | 3 | 4;
  title: string;
  description?: string | null;
  /** [lon, lat] in WGS 84. */
  location: readonly [number, number];
  placeText?: string | null;
  source: IncidentSource;
  /**
   * The source's own id of what was reported (the alert id, the hotspot cluster id, the tip-off's
   * tracking code, the camera alarm id). A second call with the same source and reference while
   * the incident is open links to it instead of opening another.
   */
  sourceRef?: string | null;
  reporter?: { name?: string | null; phone?: string | null } | null;
  /** Ids of stored files (platform/files) to attach as photos. */
  photoFileIds?: readonly string[];
  /** When the source saw or received it; now when left out. */
  reportedAt?: Date;
  /** Who the timeline names as having opened or linked it: a login name, or the part of SafeForest (default `system`). */
  by?: string;
};

export type OpenedIncident = {
  id: string;
  code: string;
  /** True when the report was linked to an open incident instead of opening a new one. */
  linked: boolean;
};

export type IncidentOpener = {
  /** Opens an incident, or links the report to the open incident it repeats; inside the caller's change. */
  openIn(ctx: ChangeContext, input: OpenIncidentInput): Promise<OpenedIncident>;
};
