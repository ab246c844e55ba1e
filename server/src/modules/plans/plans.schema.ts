import { z } from 'zod';
import { Paging } from '../../platform/paging.js';
import { Phone } from '../notifications/notifications.schema.js';

const text = (max: number) => z.string().trim().max(max);

/** Response levels Ⅰ (most severe) to Ⅳ, as the plans of China's forest fire response name them. */
export const PLAN_LEVEL_LABELS: Record<number, string> = { 1: 'Ⅰ', 2: 'Ⅱ', 3: 'Ⅲ', 4: 'Ⅳ' };
const Level = z.number().int().min(1).max(4).describe('1 = Ⅰ级 (most severe) … 4 = Ⅳ级');

const Contact = z
  .object({
    name: text(50).min(1),
    phone: Phone.nullable().optional(),
    email: z.string().trim().max(254).email().nullable().optional(),
  })
  .refine((c) => c.phone || c.email, { message: 'a contact needs a phone or an e-mail address', path: ['phone'] });

export const PlanNotify = z
  .object({
    orgUnitIds: z
      .array(z.number().int().positive())
      .max(100)
      .default([])
      .describe('units whose staff (with one of `roles`, if any) get a text message'),
    roles: z
      .array(z.string().regex(/^[a-z0-9_-]{1,50}$/, 'a role id'))
      .max(20)
      .default([]),
    contacts: z.array(Contact).max(100).default([]),
    webhookIds: z.array(z.string().uuid()).max(20).default([]),
  })
  .meta({ id: 'PlanNotify' });

const PlanFields = z.object({
  name: text(100).min(1),
  orgUnitId: z.number().int().positive().describe('the city or a county the plan belongs to'),
  category: text(40).min(1).describe('an incident category code'),
  level: Level,
  description: text(2000).nullable().optional(),
  notify: PlanNotify,
  steps: z.array(text(500).min(1)).min(1).max(50),
  active: z.boolean(),
});

export const CreatePlanBody = PlanFields.extend({ active: z.boolean().default(true) }).meta({ id: 'CreatePlan' });
export type CreatePlanInput = z.infer<typeof CreatePlanBody>;
export const UpdatePlanBody = PlanFields.partial()
  .extend({ version: z.number().int().positive().describe('the version you read; a newer one answers 409') })
  .meta({ id: 'UpdatePlan' });
export type UpdatePlanInput = z.infer<typeof UpdatePlanBody>;

export const Plan = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    orgUnitId: z.number().int(),
    orgUnitName: z.string(),
    category: z.string(),
    level: z.number().int(),
    description: z.string().nullable(),
    notify: z.object({
      orgUnitIds: z.array(z.number().int()),
      roles: z.array(z.string()),
      contacts: z.array(z.object({ name: z.string(), phone: z.string().nullable().optional(), email: z.string().nullable().optional() })),
      webhookIds: z.array(z.string()),
    }),
    steps: z.array(z.string()),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'EmergencyPlan' });
export type Plan = z.infer<typeof Plan>;

export const ListPlansQuery = z.object({
  category: text(40).optional(),
  level: z.coerce.number().int().min(1).max(4).optional(),
  q: text(100).optional().describe('text in the name'),
  ...Paging,
});
export type PlanFilter = Omit<z.infer<typeof ListPlansQuery>, 'page' | 'pageSize'>;
export const PlanList = z.object({ items: z.array(Plan), total: z.number().int() });
export const PlanIdParams = z.object({ id: z.string().uuid() });
export const DeletePlanBody = z.object({ version: z.number().int().positive().optional() });

export const ActivatePlanBody = z.object({ incidentId: z.string().uuid() });

export const Activation = z
  .object({
    id: z.string().uuid(),
    planId: z.string().uuid(),
    incidentId: z.string().uuid(),
    orgUnitId: z.number().int().describe('the incident’s unit'),
    planName: z.string(),
    level: z.number().int(),
    steps: z.array(z.object({ text: z.string(), done: z.boolean(), doneBy: z.string().nullable(), doneAt: z.string().nullable() })),
    deliveries: z.number().int().describe('notifications queued when it was activated'),
    activatedBy: z.string(),
    activatedAt: z.date(),
    version: z.number().int(),
  })
  .meta({ id: 'PlanActivation' });
export type Activation = z.infer<typeof Activation>;
export const ActivationList = z.object({ items: z.array(Activation) });
export const IncidentIdParams = z.object({ id: z.string().uuid() });
export const StepParams = z.object({
  id: z.string().uuid(),
  step: z.coerce.number().int().min(1).max(50).describe('the step’s number, from 1'),
});
export const CheckStepBody = z.object({ done: z.boolean().default(true), version: z.number().int().positive().optional() });
