// Every table of the platform and its modules, for drizzle-kit and for typed queries.
export * from '../modules/sites/sites.tables.js';
export * from '../platform/audit/audit.tables.js';
export * from '../platform/auth/auth.tables.js';
export * from '../platform/org/org.tables.js';
