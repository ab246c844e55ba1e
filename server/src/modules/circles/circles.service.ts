/**
 * The two prevention circles (两级林业防控圈, notice clause 八): the city ring on the city's border
 * and each county's ring on its own, made of member checkpoints. A ring's gaps are the stretches
 * of its border farther than a set distance (10 km by default) from every member active at the
 * instant asked; its coverage is the share of the border that is not a gap. A mobile checkpoint
 * counts only while deployed, at the place of its deployment.
 */
import type { Db, Tx } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { AppError, assertVersion, conflict, found, notFound, validationFailed } from '../../platform/errors.js';
import { type EventBus, type LiveEvent, platformEvent } from '../../platform/events.js';
import type { OrgRepo } from '../../platform/org/org.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { pathInScope } from '../../platform/scope.js';
import type { SettingsRepo } from '../../platform/settings/index.js';
import type { Site } from '../sites/sites.schema.js';
import type { SitesService } from '../sites/sites.service.js';
import { type CIRCLE_CHANGES, circleEvent } from './circles.events.js';
import type { CirclesRepo, CoveringPoint, DeploymentStatus } from './circles.repo.js';
import {
  CHECKPOINT_KINDS,
  type Circle,
  type CircleMember,
  type CircleQuery,
  CircleSettings,
  type CreateDeploymentInput,
  isCheckpointKind,
} from './circles.schema.js';

type Deps = {
  db: Db;
  circlesRepo: CirclesRepo;
  sites: Pick<SitesService, 'findManyIn' | 'getIn' | 'featureCollection'>;
  orgRepo: Pick<OrgRepo, 'findInScope' | 'areaCovers' | 'findManyByCode'>;
  settingsRepo: Pick<SettingsRepo, 'get' | 'put'>;
  runChange: RunChange;
  events: Pick<EventBus, 'publish'>;
  now?: () => Date;
};

const SETTINGS_KEY = 'circles';
const STALE = 'The deployment was changed by someone else; reload it';

/** A unit with a ring. */
type Ring = Awaited<ReturnType<CirclesRepo['ringUnits']>>[number];
type Deployment = Awaited<ReturnType<CirclesRepo['deploymentsAt']>>[number];

/** Whether a member checkpoint counts at `at`: in service, inside its active period, and a mobile one deployed. */
export function memberCounts(
  site: Pick<Site, 'kind' | 'status' | 'activeFrom' | 'activeTo'>,
  deployment: Deployment | undefined,
  at: Date,
) {
  if (!isCheckpointKind(site.kind) || site.status !== 'in_service') return false;
  if (site.activeFrom && site.activeFrom > at) return false;
  if (site.activeTo && site.activeTo < at) return false;
  return site.kind !== 'mobile_checkpoint' || deployment !== undefined;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * How long a ring's gaps are kept for the same active members and distance. Every viewer's list
 * holds the city ring, whose border is long; the members' places are in the key, so only a
 * changed border (an edited org area, rare) waits out this time.
 */
const GAP_CACHE_MS = 10 * 60_000;
const GAP_CACHE_ENTRIES = 200;

export function createCirclesService({ db, circlesRepo, sites, orgRepo, settingsRepo, runChange, events, now = () => new Date() }: Deps) {
  const gapCache = new Map<string, { until: number; gaps: ReturnType<CirclesRepo['gaps']> }>();

  /** The ring's gaps for these covering points, from the cache when the same were asked lately. */
  function gapsOf(tx: Tx, ringId: number, points: CoveringPoint[], distanceM: number) {
    const key = `${ringId} ${distanceM} ${JSON.stringify(points)}`;
    const hit = gapCache.get(key);
    if (hit && hit.until > Date.now()) return hit.gaps;
    const gaps = circlesRepo.gaps(tx, ringId, points, distanceM);
    gapCache.delete(key);
    gapCache.set(key, { until: Date.now() + GAP_CACHE_MS, gaps });
    gaps.catch(() => gapCache.delete(key));
    if (gapCache.size > GAP_CACHE_ENTRIES) gapCache.delete(gapCache.keys().next().value as string);
    return gaps;
  }

  async function settings(tx: Tx = db): Promise<CircleSettings> {
    return CircleSettings.parse((await settingsRepo.get(tx, SETTINGS_KEY)) ?? {});
  }

  /** Rings the actor sees: the city ring, and the county rings in their scope or holding it. */
  const sees = (actor: Actor, ring: Ring) => ring.kind === 'city' || pathInScope(actor, ring.path) || actor.orgPath.startsWith(ring.path);
  /** Rings the actor keeps: their own (the city office the city ring, a county office its ring). */
  const keeps = (actor: Actor, ring: Ring) => can(actor, 'circles:write') && pathInScope(actor, ring.path);

  async function visibleRing(tx: Tx, actor: Actor, id: number) {
    const ring = (await circlesRepo.ringUnits(tx)).find((r) => r.id === id);
    return found(ring && sees(actor, ring) ? ring : null, 'Circle');
  }

  async function keptRing(tx: Tx, actor: Actor, id: number) {
    const ring = await visibleRing(tx, actor, id);
    if (!keeps(actor, ring))
      throw new AppError(403, 'forbidden', `${ring.name}的防控圈由${ring.kind === 'city' ? '市' : '县区'}级办公室维护`);
    return ring;
  }

  /** The events telling viewers of these rings to reload them: a county ring's county; the city ring's every county. */
  async function ringEvents(tx: Tx, ringIds: readonly number[], change: (typeof CIRCLE_CHANGES)[number]): Promise<LiveEvent[]> {
    const rings = await circlesRepo.ringUnits(tx);
    const counties = rings.filter((r) => r.kind === 'county');
    return rings
      .filter((r) => ringIds.includes(r.id))
      .flatMap((r) => (r.kind === 'city' ? counties : [r]).map((at) => circleEvent('circle.changed', at, { circleId: r.id, change })));
  }

  /** Members, coverage and gaps of each ring at one instant. */
  async function circlesOf(tx: Tx, actor: Actor | null, rings: Ring[], at: Date, distanceM: number): Promise<Circle[]> {
    const memberRows = await circlesRepo.members(
      tx,
      rings.map((r) => r.id),
    );
    const siteById = new Map((await sites.findManyIn({ tx }, [...new Set(memberRows.map((m) => m.siteId))])).map((s) => [s.id, s]));
    const mobileIds = [...siteById.values()].filter((s) => s.kind === 'mobile_checkpoint').map((s) => s.id);
    const deploymentOf = new Map((await circlesRepo.deploymentsAt(tx, mobileIds, at)).map((d) => [d.siteId, d]));
    // A county sees the city ring's coverage from every member, but only its own members by name.
    const memberUnits = [...new Set([...siteById.values()].map((s) => s.orgUnitId))];
    const visibleUnits = actor ? new Set((await orgRepo.findManyByCode(tx, actor, { ids: memberUnits })).map((u) => u.id)) : null;
    const circles: Circle[] = [];
    for (const ring of rings) {
      const members: CircleMember[] = [];
      const elsewhere = { total: 0, active: 0 };
      for (const row of memberRows.filter((m) => m.ringUnitId === ring.id)) {
        const site = siteById.get(row.siteId);
        if (!site) continue;
        const deployment = site.kind === 'mobile_checkpoint' ? deploymentOf.get(site.id) : undefined;
        const active = memberCounts(site, deployment, at);
        members.push({
          siteId: site.id,
          name: site.name,
          kind: site.kind,
          orgUnitId: site.orgUnitId,
          orgUnitName: site.orgUnitName,
          active,
          location: active && deployment ? deployment.location : site.location,
          activeFrom: site.activeFrom,
          activeTo: site.activeTo,
          deployment: deployment ? { id: deployment.id, from: deployment.from, to: deployment.to } : null,
        });
      }
      const points: CoveringPoint[] = members.filter((m) => m.active).map((m) => m.location.coordinates);
      const shown = members.filter((m) => {
        if (!visibleUnits || visibleUnits.has(m.orgUnitId)) return true;
        elsewhere.total++;
        if (m.active) elsewhere.active++;
        return false;
      });
      const { borderLengthM, gaps } = await gapsOf(tx, ring.id, points, distanceM);
      const gapLengthM = gaps.reduce((sum, g) => sum + g.lengthM, 0);
      circles.push({
        id: ring.id,
        level: ring.kind === 'city' ? 'city' : 'county',
        unitCode: ring.code ?? '',
        name: ring.name,
        nameEn: ring.nameEn,
        members: shown,
        membersElsewhere: elsewhere,
        coveragePercent: borderLengthM > 0 ? round1(Math.max(0, (1 - gapLengthM / borderLengthM) * 100)) : 0,
        borderLengthM: Math.round(borderLengthM),
        gapLengthM: Math.round(gapLengthM),
        gapDistanceM: distanceM,
        at,
        gaps: {
          type: 'FeatureCollection',
          features: gaps.map((g, i) => ({
            type: 'Feature',
            id: `${ring.id}-${i + 1}`,
            geometry: g.geometry,
            properties: { lengthM: Math.round(g.lengthM), circleId: ring.id, deployAt: g.deployAt },
          })),
        },
        canManage: actor ? keeps(actor, ring) : false,
      });
    }
    return circles;
  }

  async function viewOf(query: CircleQuery) {
    const distanceM = query.distanceKm !== undefined ? Math.round(query.distanceKm * 1000) : (await settings()).gapDistanceM;
    return { at: query.at ?? now(), distanceM };
  }

  /** Ends the deployments checks: `start…` in the deployment's window and its rings told. */
  async function checkDeployment(ctx: ChangeContext, actor: Actor, input: CreateDeploymentInput) {
    const site = await sites.getIn(ctx, actor, input.siteId);
    const problems: { path: string; message: string }[] = [];
    if (site.kind !== 'mobile_checkpoint') problems.push({ path: 'body.siteId', message: 'only a mobile checkpoint is deployed' });
    else if (site.status !== 'in_service') problems.push({ path: 'body.siteId', message: 'the checkpoint is not in service' });
    if (input.to <= input.from) problems.push({ path: 'body.to', message: 'the end is not after the start' });
    if (site.activeFrom && input.from < site.activeFrom)
      problems.push({ path: 'body.from', message: 'the start is before the checkpoint’s active period' });
    if (site.activeTo && input.to > site.activeTo)
      problems.push({ path: 'body.to', message: 'the end is after the checkpoint’s active period' });
    const unit = await orgRepo.findInScope(ctx.tx, actor, site.orgUnitId);
    if (unit && !(await orgRepo.areaCovers(ctx.tx, unit.path, input.location)))
      problems.push({ path: 'body.location', message: `the place lies outside the area of ${unit.name}` });
    if (problems.length) throw validationFailed(problems);
    return site;
  }

  return {
    /** The rings the actor sees with their members, coverage and gaps at `at` (default now). */
    async list(actor: Actor, query: CircleQuery) {
      const view = await viewOf(query);
      const rings = (await circlesRepo.ringUnits(db)).filter((r) => sees(actor, r));
      return { items: await circlesOf(db, actor, rings, view.at, view.distanceM), at: view.at, gapDistanceM: view.distanceM };
    },

    /** One ring with its border line; 404 for a ring the actor does not see. */
    async get(actor: Actor, id: number, query: CircleQuery) {
      const ring = await visibleRing(db, actor, id);
      const view = await viewOf(query);
      const [circle] = await circlesOf(db, actor, [ring], view.at, view.distanceM);
      const geometry = await circlesRepo.boundary(db, ring.id);
      return { ...circle, boundary: { type: 'Feature' as const, id: ring.id, geometry, properties: { name: ring.name } } };
    },

    /** The checkpoints of the ring's unit near its border (the setting's distance), proposed as members. */
    async proposal(actor: Actor, id: number) {
      const ring = await keptRing(db, actor, id);
      const { proposalDistanceM } = await settings();
      const layer = await sites.featureCollection(actor, { kind: [...CHECKPOINT_KINDS], orgUnitId: ring.id });
      const candidates = layer.features.map((f) => ({
        ...(f.properties as { id: string; name: string; kind: Site['kind']; orgUnitName: string }),
        coordinates: f.geometry.coordinates as [number, number],
      }));
      const distances = await circlesRepo.distancesToBorder(
        db,
        ring.id,
        candidates.map((c) => c.coordinates),
      );
      const members = new Set((await circlesRepo.members(db, [ring.id])).map((m) => m.siteId));
      const items = candidates
        .map((c, i) => ({
          siteId: c.id,
          name: c.name,
          kind: c.kind,
          orgUnitName: c.orgUnitName,
          distanceM: Math.round(distances[i]),
          member: members.has(c.id),
        }))
        .filter((c) => c.distanceM <= proposalDistanceM)
        .sort((a, b) => a.distanceM - b.distanceM);
      return { items, proposalDistanceM };
    },

    /** Adds checkpoints of the ring's unit to the ring; answers the ring's members after. */
    async addMembers(actor: Actor, id: number, siteIds: string[]) {
      return runChange(actor, async (ctx) => {
        const ring = await keptRing(ctx.tx, actor, id);
        const problems: { path: string; message: string }[] = [];
        for (const [i, siteId] of siteIds.entries()) {
          const site = await sites.getIn(ctx, actor, siteId);
          const unit = await orgRepo.findInScope(ctx.tx, actor, site.orgUnitId);
          if (!isCheckpointKind(site.kind))
            problems.push({ path: `body.siteIds.${i}`, message: 'only timber, temporary and mobile checkpoints are circle members' });
          else if (!unit?.path.startsWith(ring.path))
            problems.push({ path: `body.siteIds.${i}`, message: `the checkpoint does not belong to ${ring.name}` });
        }
        if (problems.length) throw validationFailed(problems);
        const added = await circlesRepo.addMembers(ctx.tx, ring.id, [...new Set(siteIds)], actor.username);
        for (const siteId of added)
          ctx.audit({
            action: 'circle_member.add',
            entity: 'circle_member',
            entityId: siteId,
            orgUnitId: ring.id,
            after: { circleId: ring.id, siteId },
          });
        if (added.length === 0)
          ctx.audit({ action: 'circle_member.add', entity: 'circle', entityId: String(ring.id), orgUnitId: ring.id, after: { added: 0 } });
        else for (const event of await ringEvents(ctx.tx, [ring.id], 'members_added')) ctx.emit(event);
        return { added: added.length };
      });
    },

    /** Removes a checkpoint from the ring; 404 when it is not a member. */
    async removeMember(actor: Actor, id: number, siteId: string) {
      await runChange(actor, async (ctx) => {
        const ring = await keptRing(ctx.tx, actor, id);
        if (!(await circlesRepo.removeMember(ctx.tx, ring.id, siteId))) throw notFound('Circle member');
        ctx.audit({
          action: 'circle_member.remove',
          entity: 'circle_member',
          entityId: siteId,
          orgUnitId: ring.id,
          before: { circleId: ring.id, siteId },
        });
        for (const event of await ringEvents(ctx.tx, [ring.id], 'member_removed')) ctx.emit(event);
      });
    },

    /** Records where and when a mobile checkpoint is deployed; 409 when it overlaps another deployment of it. */
    async createDeployment(actor: Actor, input: CreateDeploymentInput) {
      return runChange(actor, async (ctx) => {
        const site = await checkDeployment(ctx, actor, input);
        if (await circlesRepo.overlaps(ctx.tx, site.id, input.from, input.to))
          throw conflict('The checkpoint is deployed elsewhere at that time');
        const id = await circlesRepo.insertDeployment(ctx.tx, {
          siteId: site.id,
          orgUnitId: site.orgUnitId,
          location: input.location,
          from: input.from,
          to: input.to,
          note: input.note ?? null,
          recordedBy: actor.username,
        });
        const deployment = found(await circlesRepo.findDeploymentInScope(ctx.tx, actor, id, now()), 'Deployment');
        ctx.audit({
          action: 'mobile_deployment.create',
          entity: 'mobile_deployment',
          entityId: id,
          orgUnitId: site.orgUnitId,
          after: deployment,
        });
        const change = deployment.status === 'under_way' ? 'deployment_started' : 'deployment_recorded';
        for (const event of await ringEvents(ctx.tx, await circlesRepo.ringsOfSites(ctx.tx, [site.id]), change)) ctx.emit(event);
        return deployment;
      });
    },

    /** Ends a deployment under way now; 409 when it is not under way or the version is stale. */
    async endDeployment(actor: Actor, id: string, version: number) {
      return runChange(actor, async (ctx) => {
        const at = now();
        const before = found(await circlesRepo.findDeploymentInScope(ctx.tx, actor, id, at), 'Deployment');
        assertVersion(STALE, before, version);
        if (before.status !== 'under_way') throw conflict('The deployment is not under way');
        if (!(await circlesRepo.endDeployment(ctx.tx, actor, id, version, at))) throw conflict(STALE);
        const after = found(await circlesRepo.findDeploymentInScope(ctx.tx, actor, id, at), 'Deployment');
        ctx.audit({
          action: 'mobile_deployment.end',
          entity: 'mobile_deployment',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before,
          after,
        });
        for (const event of await ringEvents(ctx.tx, await circlesRepo.ringsOfSites(ctx.tx, [before.siteId]), 'deployment_ended'))
          ctx.emit(event);
        return after;
      });
    },

    /**
     * Cancels a deployment that has not begun (recorded for the wrong day or place, or called off):
     * it never counted, so it is removed; the audit keeps what it was. 409 once it has begun (end
     * it instead) or when the version is stale.
     */
    async cancelDeployment(actor: Actor, id: string, version: number) {
      return runChange(actor, async (ctx) => {
        const at = now();
        const before = found(await circlesRepo.findDeploymentInScope(ctx.tx, actor, id, at), 'Deployment');
        assertVersion(STALE, before, version);
        if (before.status !== 'planned') throw conflict('The deployment has begun: end it instead');
        if (!(await circlesRepo.deletePlannedDeployment(ctx.tx, actor, id, version, at))) throw conflict(STALE);
        ctx.audit({
          action: 'mobile_deployment.cancel',
          entity: 'mobile_deployment',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before,
        });
        for (const event of await ringEvents(ctx.tx, await circlesRepo.ringsOfSites(ctx.tx, [before.siteId]), 'deployment_cancelled'))
          ctx.emit(event);
      });
    },

    /** A page of the deployments of the actor's mobile checkpoints. */
    listDeployments(actor: Actor, filter: { siteId?: string; status?: DeploymentStatus }, page: PageRequest) {
      return circlesRepo.listDeployments(db, actor, filter, pageWindow(page), now());
    },

    /** The coverage percent of a city's or county's ring at an instant, or null for other units (the indicator). */
    async coverageIn(tx: Tx, unitId: number, at: Date) {
      const ring = (await circlesRepo.ringUnits(tx)).find((r) => r.id === unitId);
      if (!ring) return null;
      const [circle] = await circlesOf(tx, null, [ring], at, (await settings(tx)).gapDistanceM);
      return circle;
    },

    /**
     * Tells the rings' viewers about deployments that started or ended on their own between `since`
     * and `until` (time passing changes no record, so nothing is audited).
     */
    async announceTransitions(since: Date, until: Date) {
      const moved = await circlesRepo.transitions(db, since, until);
      if (moved.length === 0) return 0;
      for (const started of [true, false]) {
        const sites = moved.filter((m) => m.started === started).map((m) => m.siteId);
        const ringIds = await circlesRepo.ringsOfSites(db, [...new Set(sites)]);
        for (const event of await ringEvents(db, ringIds, started ? 'deployment_started' : 'deployment_ended')) events.publish(event);
      }
      return moved.length;
    },

    /** The gap and proposal distances in force (`/api/circles/settings`). */
    settings: () => settings(),

    /** Changes the gap and proposal distances; in force at once. */
    async updateSettings(actor: Actor, value: CircleSettings) {
      const before = await settings();
      return runChange(actor, async ({ tx, audit, emit }) => {
        await settingsRepo.put(tx, SETTINGS_KEY, value, actor.username);
        audit({ action: 'settings.update', entity: 'settings', entityId: SETTINGS_KEY, orgUnitId: actor.orgUnitId, before, after: value });
        emit(platformEvent('settings.changed', actor, { key: SETTINGS_KEY }));
        return value;
      });
    },
  };
}
export type CirclesService = ReturnType<typeof createCirclesService>;
