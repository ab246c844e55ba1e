// Every table of the platform and its modules, for drizzle-kit. It sits at the app level because it
// gathers tables from every layer; code that queries imports the tables of its own module instead.
export * from './modules/alerts/alerts.tables.js';
export * from './modules/assessment/assessment.tables.js';
export * from './modules/cap/cap.tables.js';
export * from './modules/circles/circles.tables.js';
export * from './modules/devices/devices.tables.js';
export * from './modules/dispatch/dispatch.tables.js';
export * from './modules/field-reports/field-reports.tables.js';
export * from './modules/goals/goals.tables.js';
export * from './modules/hotspots/hotspots.tables.js';
export * from './modules/incidents/incidents.tables.js';
export * from './modules/notifications/notifications.tables.js';
export * from './modules/patrols/patrols.tables.js';
export * from './modules/plans/plans.tables.js';
export * from './modules/positions/positions.tables.js';
export * from './modules/rangers/rangers.tables.js';
export * from './modules/responsibilities/responsibilities.tables.js';
export * from './modules/sites/sites.tables.js';
export * from './modules/tipoffs/tipoffs.tables.js';
export * from './platform/audit/audit.tables.js';
export * from './platform/auth/auth.tables.js';
export * from './platform/basemaps/basemaps.tables.js';
export * from './platform/files/files.tables.js';
export * from './platform/org/org.tables.js';
export * from './platform/settings/settings.tables.js';
