import { boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits } from '../../platform/org/org.tables.js';
import { incidentCategories, incidents } from '../incidents/incidents.tables.js';

/** Who a plan notifies: units (with roles, their staff's phones), named contacts, webhook receivers. */
export type PlanNotify = {
  orgUnitIds: number[];
  roles: string[];
  contacts: { name: string; phone?: string | null; email?: string | null }[];
  webhookIds: string[];
};

/**
 * Emergency plans (应急预案): for a category of incident and a level (Ⅰ–Ⅳ), who is notified and
 * which steps are taken. A plan belongs to the city or to a county (its `org_unit_id`).
 */
export const emergencyPlans = pgTable(
  'emergency_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    name: text('name').notNull(),
    category: text('category')
      .notNull()
      .references(() => incidentCategories.code),
    /** 1 (Ⅰ级, most severe) to 4 (Ⅳ级). */
    level: smallint('level').notNull(),
    description: text('description'),
    notify: jsonb('notify').$type<PlanNotify>().notNull(),
    steps: jsonb('steps').$type<string[]>().notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('emergency_plans_org_unit_idx').on(t.orgUnitId), index('emergency_plans_category_idx').on(t.category, t.level)],
);

/** One step of an activated plan's checklist, as checked off. */
export type ActivationStep = { text: string; done: boolean; doneBy: string | null; doneAt: string | null };

/**
 * A plan activated on an incident: the plan as it was then (name, level, steps) and the checklist
 * as it is checked off. It belongs to the incident's unit.
 */
export const planActivations = pgTable(
  'plan_activations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => emergencyPlans.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    planName: text('plan_name').notNull(),
    level: smallint('level').notNull(),
    steps: jsonb('steps').$type<ActivationStep[]>().notNull(),
    deliveries: integer('deliveries').notNull(),
    activatedBy: text('activated_by').notNull(),
    activatedAt: timestamp('activated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('plan_activations_plan_incident_idx').on(t.planId, t.incidentId),
    index('plan_activations_incident_idx').on(t.incidentId),
  ],
);
