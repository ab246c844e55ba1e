import type { CreatePlanInput, EmergencyPlan, PlanContact } from '@/api/plans';

/** The editable state of the plan form; steps carry a key so reordering keeps their inputs. */
export interface PlanFormState {
  name: string;
  orgUnitId: number | undefined;
  category: string;
  level: number;
  description: string;
  orgUnitIds: number[];
  roles: string[];
  contacts: { name: string; phone: string; email: string }[];
  webhookIds: string[];
  steps: { key: number; text: string }[];
  active: boolean;
}

let stepKey = 0;
export const newStep = (text = '') => ({ key: ++stepKey, text });

export function emptyPlan(orgUnitId?: number): PlanFormState {
  return {
    name: '',
    orgUnitId,
    category: '',
    level: 4,
    description: '',
    orgUnitIds: [],
    roles: [],
    contacts: [],
    webhookIds: [],
    steps: [newStep()],
    active: true,
  };
}

export function fromPlan(p: EmergencyPlan): PlanFormState {
  return {
    name: p.name,
    orgUnitId: p.orgUnitId,
    category: p.category,
    level: p.level,
    description: p.description ?? '',
    orgUnitIds: [...p.notify.orgUnitIds],
    roles: [...p.notify.roles],
    contacts: p.notify.contacts.map((c: PlanContact) => ({ name: c.name, phone: c.phone ?? '', email: c.email ?? '' })),
    webhookIds: [...p.notify.webhookIds],
    steps: p.steps.map((s) => newStep(s)),
    active: p.active,
  };
}

export function toBody(f: PlanFormState): CreatePlanInput {
  return {
    name: f.name.trim(),
    orgUnitId: f.orgUnitId as number,
    category: f.category,
    level: f.level,
    description: f.description.trim() || null,
    notify: {
      orgUnitIds: f.orgUnitIds,
      roles: f.roles,
      contacts: f.contacts.map((c) => ({ name: c.name.trim(), phone: c.phone.trim() || null, email: c.email.trim() || null })),
      webhookIds: f.webhookIds,
    },
    steps: f.steps.map((s) => s.text.trim()).filter(Boolean),
    active: f.active,
  };
}

/** Ⅰ级 is the most severe. */
export const LEVEL_TAG: Record<number, 'danger' | 'warning' | 'primary' | 'info'> = { 1: 'danger', 2: 'warning', 3: 'primary', 4: 'info' };
