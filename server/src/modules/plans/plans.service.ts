/**
 * Emergency plans (应急预案) and their activation (联动应急处置, notice clause 十). A plan says, for
 * a category of incident and a level, who is notified and which steps are taken. Activating it on
 * an incident queues the linkage notifications through the outbox in the same change, writes the
 * checklist into the incident's timeline, and each step checked off is written there too, with
 * who and when; so is the outcome of every notification once it ends.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { AppError, assertVersion, conflict, type FieldProblem, found, validationFailed } from '../../platform/errors.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import type { IncidentsService } from '../incidents/incidents.service.js';
import type { NotificationsService, SettledDelivery } from '../notifications/index.js';
import type { PlanRow, PlansRepo } from './plans.repo.js';
import { type CreatePlanInput, PLAN_LEVEL_LABELS, type Plan, type PlanFilter, type UpdatePlanInput } from './plans.schema.js';
import type { ActivationStep } from './plans.tables.js';

type Deps = {
  db: Db;
  plansRepo: PlansRepo;
  orgRepo: Pick<OrgRepo, 'findInScope'>;
  runChange: RunChange;
  incidents: Pick<IncidentsService, 'findInScope' | 'getIn' | 'timelineIn' | 'listCategories'>;
  notifications: Pick<NotificationsService, 'enqueueIn' | 'onSettled' | 'existingWebhooksIn'>;
};

const STALE = 'The plan was changed by someone else; reload it';
const PLAN_UNIT_KINDS = new Set(['city', 'county']);
const CHANNEL_LABELS: Record<string, string> = { webhook: '回调', email: '邮件', sms: '短信' };
const INCIDENT_REF = /^incident:([0-9a-f-]{36})$/;

/** A plan of a unit above the actor's (the city's, seen by a county): used, not changed. */
const aboveYours = () => new AppError(403, 'forbidden', 'This plan belongs to a unit above yours; ask its owner to change it');

const publicPlan = ({ orgPath: _, ...plan }: PlanRow): Plan => plan;

export function createPlansService({ db, plansRepo, orgRepo, runChange, incidents, notifications }: Deps) {
  /** The problems of a plan's unit, category and receivers, by field. */
  async function planProblems(
    ctx: Pick<ChangeContext, 'tx'>,
    actor: Actor,
    plan: Partial<CreatePlanInput>,
    categories: { code: string; active: boolean }[],
  ): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    if (plan.orgUnitId !== undefined) {
      const unit = await orgRepo.findInScope(ctx.tx, actor, plan.orgUnitId);
      if (!unit) problems.push({ path: 'body.orgUnitId', message: 'no such org unit in your area' });
      else if (!PLAN_UNIT_KINDS.has(unit.kind))
        problems.push({ path: 'body.orgUnitId', message: 'a plan belongs to the city or a county' });
    }
    if (plan.category !== undefined && !categories.some((c) => c.code === plan.category && c.active !== false))
      problems.push({ path: 'body.category', message: `no active incident category ${plan.category}` });
    if (plan.notify) {
      for (const [i, id] of plan.notify.orgUnitIds.entries())
        if (!(await orgRepo.findInScope(ctx.tx, actor, id)))
          problems.push({ path: `body.notify.orgUnitIds.${i}`, message: 'no such org unit in your area' });
      const roles = await plansRepo.existingRoles(ctx.tx, plan.notify.roles);
      for (const [i, id] of plan.notify.roles.entries())
        if (!roles.includes(id)) problems.push({ path: `body.notify.roles.${i}`, message: 'no such role' });
      const hooks = await notifications.existingWebhooksIn(ctx.tx, plan.notify.webhookIds);
      for (const [i, id] of plan.notify.webhookIds.entries())
        if (!hooks.includes(id)) problems.push({ path: `body.notify.webhookIds.${i}`, message: 'no such webhook' });
    }
    return problems;
  }

  const mustFind = async (actor: Actor, id: string, tx = db as ChangeContext['tx']) =>
    found(await plansRepo.findPlanInScope(tx, actor, id), 'Plan');

  /** Writes how a notification about an incident ended into the incident's timeline. */
  async function recordOutcome(ctx: ChangeContext, delivery: SettledDelivery) {
    const incidentId = INCIDENT_REF.exec(delivery.ref ?? '')?.[1];
    if (!incidentId || !(await incidents.getIn(ctx.tx, incidentId))) return;
    const channel = CHANNEL_LABELS[delivery.channel] ?? delivery.channel;
    const target = delivery.channel === 'webhook' ? delivery.target.slice(0, 8) : delivery.target;
    await incidents.timelineIn(ctx, incidentId, {
      by: 'notifier',
      kind: 'notification',
      text: `${channel}通知${delivery.status === 'delivered' ? '已送达' : '发送失败'}：${target}`,
      data: {
        deliveryId: delivery.id,
        channel: delivery.channel,
        target: delivery.target,
        status: delivery.status,
        attempts: delivery.attempts,
        responseCode: delivery.responseCode,
        error: delivery.error,
      },
    });
  }
  notifications.onSettled(recordOutcome);

  return {
    /** One page of the plans the actor may use: their own subtree's and those of the units above. */
    list: (actor: Actor, filter: PlanFilter, page: PageRequest) =>
      plansRepo.listPlans(db, actor, filter, pageWindow(page)).then(({ items, total }) => ({ items: items.map(publicPlan), total })),

    /** One plan; 404 when it is neither the actor's nor from above, or deleted. */
    get: async (actor: Actor, id: string) => publicPlan(await mustFind(actor, id)),

    /** Records a plan of the city or of a county in the actor's area. */
    async create(actor: Actor, input: CreatePlanInput) {
      // The dictionary is read before the change: the embedded database serves one connection at a time.
      const categories = await incidents.listCategories();
      return runChange(actor, async (ctx) => {
        const problems = await planProblems(ctx, actor, input, categories);
        if (problems.length) throw validationFailed(problems);
        const id = await plansRepo.insertPlan(ctx.tx, input);
        const plan = publicPlan(await mustFind(actor, id, ctx.tx));
        ctx.audit({ action: 'plan.create', entity: 'emergency_plan', entityId: id, orgUnitId: plan.orgUnitId, after: plan });
        return plan;
      });
    },

    /** Changes a plan of the actor's own area (a county does not change the city's) if nobody changed it since `version`. */
    async update(actor: Actor, id: string, input: UpdatePlanInput) {
      const categories = input.category === undefined ? [] : await incidents.listCategories();
      return runChange(actor, async (ctx) => {
        const row = await mustFind(actor, id, ctx.tx);
        if (!row.orgPath.startsWith(actor.orgPath)) throw aboveYours();
        const before = publicPlan(row);
        assertVersion(STALE, before, input.version);
        const { version, ...changes } = input;
        const problems = await planProblems(ctx, actor, changes, categories);
        if (problems.length) throw validationFailed(problems);
        if (!(await plansRepo.updatePlan(ctx.tx, actor, id, version, changes))) throw conflict(STALE);
        const after = publicPlan(await mustFind(actor, id, ctx.tx));
        ctx.audit({ action: 'plan.update', entity: 'emergency_plan', entityId: id, orgUnitId: after.orgUnitId, before, after });
        return after;
      });
    },

    /** Removes a plan of the actor's own area; its past activations stay on their incidents. */
    async remove(actor: Actor, id: string, version?: number) {
      await runChange(actor, async (ctx) => {
        const before = await mustFind(actor, id, ctx.tx);
        assertVersion(STALE, before, version);
        if (!before.orgPath.startsWith(actor.orgPath)) throw aboveYours();
        await plansRepo.softDeletePlan(ctx.tx, actor, id);
        ctx.audit({
          action: 'plan.delete',
          entity: 'emergency_plan',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before: publicPlan(before),
        });
      });
    },

    /**
     * Activates a plan on an incident of the actor's scope: queues its notifications (staff of its
     * units by text message, its contacts by text message and e-mail, its webhooks), records the
     * activation with its checklist, and writes both into the incident's timeline. A county's plan
     * applies to incidents in that county only; a plan is activated once per incident.
     */
    async activate(actor: Actor, planId: string, incidentId: string) {
      return runChange(actor, async (ctx) => {
        const incident = await incidents.findInScope(actor, incidentId, ctx.tx);
        const plan = await mustFind(actor, planId, ctx.tx);
        const row = found(await incidents.getIn(ctx.tx, incident.id), 'Incident');
        if (!plan.active) throw conflict('The plan is switched off');
        if (!row.orgPath.startsWith(plan.orgPath))
          throw validationFailed([
            { path: 'body.incidentId', message: `the incident lies outside the area of the plan (${plan.orgUnitName})` },
          ]);
        const { notify } = plan;
        const phones = new Set([
          ...(await plansRepo.staffPhones(ctx.tx, notify.orgUnitIds, notify.roles)),
          ...notify.contacts.flatMap((c) => (c.phone ? [c.phone] : [])),
        ]);
        const emails = notify.contacts.flatMap((c) => (c.email ? [c.email] : []));
        const level = PLAN_LEVEL_LABELS[plan.level];
        const [lon, lat] = row.location.coordinates;
        const { deliveryIds, unknownWebhooks } = await notifications.enqueueIn(ctx, {
          event: 'plan.activated',
          payload: {
            plan: { id: plan.id, name: plan.name, level: plan.level, category: plan.category },
            incident: {
              id: row.id,
              code: row.code,
              category: row.category,
              priority: row.priority,
              title: row.title,
              location: row.location,
              placeText: row.placeText,
              countyCode: row.countyCode,
            },
            activatedBy: actor.username,
          },
          subject: `启动应急预案：${plan.name}（${level}级）`,
          text: `警情${row.code}：${row.title}。地点：${row.placeText ?? `${lon.toFixed(5)}, ${lat.toFixed(5)}`}。请按预案${plan.name}立即处置。`,
          targets: { webhookIds: notify.webhookIds, emails, phones: [...phones] },
          orgUnitId: row.orgUnitId,
          ref: `incident:${row.id}`,
        });
        const steps: ActivationStep[] = plan.steps.map((text) => ({ text, done: false, doneBy: null, doneAt: null }));
        const id = await plansRepo.insertActivation(ctx.tx, {
          planId: plan.id,
          incidentId: row.id,
          orgUnitId: row.orgUnitId,
          planName: plan.name,
          level: plan.level,
          steps,
          deliveries: deliveryIds.length,
          activatedBy: actor.username,
        });
        if (!id) throw conflict('The plan is already active on this incident');
        await incidents.timelineIn(ctx, row.id, {
          by: actor.username,
          kind: 'plan_activated',
          text: `启动应急预案：${plan.name}（${level}级），发出${deliveryIds.length}条联动通知`,
          data: {
            activationId: id,
            planId: plan.id,
            level: plan.level,
            checklist: plan.steps,
            deliveries: deliveryIds.length,
            unknownWebhooks,
          },
        });
        const activation = found(await plansRepo.findActivationInScope(ctx.tx, actor, id), 'Activation');
        ctx.audit({ action: 'plan.activate', entity: 'plan_activation', entityId: id, orgUnitId: row.orgUnitId, after: activation });
        return activation;
      });
    },

    /** The plans activated on an incident of the actor's scope (404 for another's incident). */
    async activations(actor: Actor, incidentId: string) {
      await incidents.findInScope(actor, incidentId);
      return { items: await plansRepo.listActivations(db, actor, incidentId) };
    },

    /** Checks a step of an activated plan off (or back on); written into the incident's timeline with who and when. */
    async checkStep(actor: Actor, activationId: string, step: number, body: { done: boolean; version?: number }) {
      return runChange(actor, async (ctx) => {
        const before = found(await plansRepo.findActivationInScope(ctx.tx, actor, activationId), 'Activation');
        assertVersion('The checklist was changed by someone else; reload it', before, body.version);
        const index = step - 1;
        if (index >= before.steps.length)
          throw validationFailed([{ path: 'params.step', message: `the plan has ${before.steps.length} steps` }]);
        if (before.steps[index].done === body.done)
          throw conflict(body.done ? 'The step is checked off already' : 'The step is not checked off');
        const at = new Date();
        const steps = before.steps.map((s, i) =>
          i === index
            ? { ...s, done: body.done, doneBy: body.done ? actor.username : null, doneAt: body.done ? at.toISOString() : null }
            : s,
        );
        if (!(await plansRepo.setSteps(ctx.tx, actor, activationId, before.version, steps)))
          throw conflict('The checklist was changed by someone else; reload it');
        await incidents.timelineIn(ctx, before.incidentId, {
          by: actor.username,
          kind: 'plan_step',
          at,
          text: `${body.done ? '完成' : '撤销'}预案步骤${step}：${before.steps[index].text}`,
          data: { activationId, step, done: body.done },
        });
        const after = found(await plansRepo.findActivationInScope(ctx.tx, actor, activationId), 'Activation');
        ctx.audit({ action: 'plan.step', entity: 'plan_activation', entityId: activationId, orgUnitId: after.orgUnitId, before, after });
        return after;
      });
    },
  };
}
export type PlansService = ReturnType<typeof createPlansService>;
