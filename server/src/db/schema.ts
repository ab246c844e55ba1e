// Every table of the platform and its modules, for drizzle-kit and for typed queries.
export * from '../modules/alerts/alerts.tables.js';
export * from '../modules/devices/devices.tables.js';
export * from '../modules/field-reports/field-reports.tables.js';
export * from '../modules/patrols/patrols.tables.js';
export * from '../modules/positions/positions.tables.js';
export * from '../modules/rangers/rangers.tables.js';
export * from '../modules/sites/sites.tables.js';
export * from '../platform/audit/audit.tables.js';
export * from '../platform/auth/auth.tables.js';
export * from '../platform/basemaps/basemaps.tables.js';
export * from '../platform/files/files.tables.js';
export * from '../platform/org/org.tables.js';
export * from '../platform/settings/settings.tables.js';
