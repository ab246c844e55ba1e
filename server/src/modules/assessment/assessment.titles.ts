/**
 * Naming (分级命名): the city names city-level titles, a county names county-level titles for its
 * townships, reserves and forest farms, each with its document number and date, and only for a
 * unit whose entry in the namer's round of that year is final and not vetoed. Later years re-check
 * (复核) named units and revoke (取消称号) titles with the reason; the history stays.
 */
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { cstDate } from '../../platform/dates.js';
import { AppError, conflict, found, validationFailed } from '../../platform/errors.js';
import { pathInScope } from '../../platform/scope.js';
import type { AssessmentRepo } from './assessment.repo.js';
import type { Title } from './assessment.schema.js';

type Deps = { db: Db; assessmentRepo: AssessmentRepo; runChange: RunChange };
type TitleRow = NonNullable<Awaited<ReturnType<AssessmentRepo['findTitleInScope']>>>;

const refused = (message: string) => new AppError(403, 'forbidden', message);
const publicTitle = ({ orgUnitId: _, namedByUnitId: __, ...title }: TitleRow): Title => title;
const STALE = 'The title was changed meanwhile; reload it';

/** The kinds of unit each level of title is given to. */
const NAMED_KINDS = { city: ['county', 'nature_reserve', 'forest_farm'], county: ['township', 'nature_reserve', 'forest_farm'] } as const;

export function createTitlesService({ db, assessmentRepo: repo, runChange }: Deps) {
  /** A title of the actor's area that the actor's own unit named (others are read, not changed). */
  async function namedByActor(tx: Parameters<AssessmentRepo['findTitleInScope']>[0], actor: Actor, id: string) {
    const title = found(await repo.findTitleInScope(tx, actor, id), 'Title');
    const own = await repo.unitAtPath(tx, actor.orgPath);
    if (!own || own.id !== title.namedByUnitId)
      throw refused(`The title was named by ${title.namedByUnitName}; only it re-checks or revokes it`);
    return title;
  }

  return {
    /** Titles of the actor's area, a unit's history with `unit`. */
    async list(actor: Actor, filter: { unit?: string; year?: number; level?: 'city' | 'county'; status?: 'active' | 'revoked' }) {
      let unitId: number | undefined;
      if (filter.unit) {
        const unit = await repo.unitByCode(db, filter.unit);
        if (!unit || !pathInScope(actor, unit.path)) return { items: [] };
        unitId = unit.id;
      }
      const { unit: _, ...rest } = filter;
      return { items: (await repo.listTitles(db, actor, { ...rest, unitId })).map(publicTitle) };
    },

    get: async (actor: Actor, id: string) => publicTitle(found(await repo.findTitleInScope(db, actor, id), 'Title')),

    /** Names a unit: city-level by the city, county-level by the unit's county; its entry of that year must be final and not vetoed. */
    async name(actor: Actor, input: { unitCode: string; level: 'city' | 'county'; year: number; documentNumber: string; date: string }) {
      return runChange(actor, async (ctx) => {
        const own = found(await repo.unitAtPath(ctx.tx, actor.orgPath), 'Org unit');
        if (input.level === 'city' && own.kind !== 'city') throw refused('City-level titles are named by the city');
        if (input.level === 'county' && own.kind !== 'county') throw refused('County-level titles are named by a county');
        const unit = await repo.unitByCode(ctx.tx, input.unitCode);
        if (!unit || !pathInScope(actor, unit.path))
          throw validationFailed([{ path: 'body.unitCode', message: `no unit ${input.unitCode} in your area` }]);
        if (unit.parentId !== own.id || !(NAMED_KINDS[input.level] as readonly string[]).includes(unit.kind))
          throw validationFailed([
            {
              path: 'body.unitCode',
              message:
                input.level === 'city'
                  ? 'city-level titles go to county-level units'
                  : 'county-level titles go to the county’s townships, reserves and forest farms',
            },
          ]);
        const entry = await repo.entryOfUnit(ctx.tx, {
          roundUnitId: own.id,
          year: input.year,
          level: input.level === 'city' ? 'county' : 'township',
          unitId: unit.id,
        });
        if (!entry) throw conflict(`${unit.name} was not assessed in ${own.name}’s round of ${input.year}`);
        if (entry.status !== 'final') throw conflict(`${unit.name}’s assessment of ${input.year} is not final`);
        if (entry.vetoed) throw conflict(`${unit.name} was vetoed in ${input.year} and cannot be named`);
        const id = await repo.insertTitle(ctx.tx, {
          orgUnitId: unit.id,
          level: input.level,
          year: input.year,
          documentNumber: input.documentNumber,
          namedOn: input.date,
          namedByUnitId: own.id,
          createdBy: actor.username,
        });
        if (!id) throw conflict(`${unit.name} holds the ${input.level}-level title of ${input.year} already`);
        const title = publicTitle(found(await repo.findTitleInScope(ctx.tx, actor, id), 'Title'));
        ctx.audit({ action: 'assessment_title.name', entity: 'assessment_title', entityId: id, orgUnitId: unit.id, after: title });
        return title;
      });
    },

    /** Records a re-check (复核) of a title the actor's unit named. */
    async recheck(actor: Actor, id: string, input: { date: string; result: 'passed' | 'failed'; note?: string | null }) {
      return runChange(actor, async (ctx) => {
        const before = await namedByActor(ctx.tx, actor, id);
        if (before.status === 'revoked') throw conflict(`The title was revoked on ${before.revokedOn}`);
        if (input.date < before.date) throw validationFailed([{ path: 'body.date', message: `before the naming on ${before.date}` }]);
        const rechecks = [...before.rechecks, { date: input.date, result: input.result, note: input.note ?? null, by: actor.username }];
        if (!(await repo.updateTitle(ctx.tx, id, before.version, { rechecks }))) throw conflict(STALE);
        const after = publicTitle(found(await repo.findTitleInScope(ctx.tx, actor, id), 'Title'));
        ctx.audit({
          action: 'assessment_title.recheck',
          entity: 'assessment_title',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before: publicTitle(before),
          after,
        });
        return after;
      });
    },

    /** Revokes (取消称号) a title the actor's unit named, with the reason; it stays in the unit's history. */
    async revoke(actor: Actor, id: string, input: { reason: string; date?: string; documentNumber?: string | null }) {
      return runChange(actor, async (ctx) => {
        const before = await namedByActor(ctx.tx, actor, id);
        if (before.status === 'revoked') throw conflict(`The title was revoked on ${before.revokedOn} already`);
        const date = input.date ?? cstDate();
        if (date < before.date) throw validationFailed([{ path: 'body.date', message: `before the naming on ${before.date}` }]);
        const changes = {
          status: 'revoked' as const,
          revokedOn: date,
          revokeReason: input.reason,
          revokeDocumentNumber: input.documentNumber ?? null,
        };
        if (!(await repo.updateTitle(ctx.tx, id, before.version, changes))) throw conflict(STALE);
        const after = publicTitle(found(await repo.findTitleInScope(ctx.tx, actor, id), 'Title'));
        ctx.audit({
          action: 'assessment_title.revoke',
          entity: 'assessment_title',
          entityId: id,
          orgUnitId: before.orgUnitId,
          before: publicTitle(before),
          after,
        });
        return after;
      });
    },
  };
}
export type TitlesService = ReturnType<typeof createTitlesService>;
