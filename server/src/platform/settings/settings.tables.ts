import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** System settings as JSON values under a key (analyzer thresholds, …), validated by their owner's schema. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});
