import type { Db, Tx } from '../../db/connection.js';
import type { Actor } from '../../platform/actor.js';
import type { RunChange } from '../../platform/change.js';
import { cstYear } from '../../platform/dates.js';
import { assertVersion, conflict, type FieldProblem, forbidden, found, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import { type PageRequest, pageWindow } from '../../platform/paging.js';
import { subtreeFilter } from '../../platform/scope.js';
import { dimensionScores, levelAbove, levelOf, type ScoredItem, scoresOf } from './station-standards.levels.js';
import type { ChecklistRecord, RatingRecord, StationRecord, StationStandardsRepo } from './station-standards.repo.js';
import {
  type CheckItem,
  type Checklist,
  type ConfirmBody,
  checklistProblems,
  DIMENSIONS,
  type ItemResult,
  LEVELS,
  type Rating,
  type ReopenBody,
  type SaveChecklistBody,
  type SaveReviewBody,
  type SaveSelfRatingBody,
  type StandardsDashboard,
  type StationFilter,
  type StationRow,
} from './station-standards.schema.js';

type Deps = {
  db: Db;
  stationStandardsRepo: StationStandardsRepo;
  filesRepo: Pick<FilesRepo, 'findMetaInScope'>;
  runChange: RunChange;
};

const EDITABLE: ReadonlySet<string> = new Set(['draft', 'returned']);

export function createStationStandardsService({ db, stationStandardsRepo: repo, filesRepo, runChange }: Deps) {
  /** A year's checklist with its items, or null. */
  async function checklistOf(tx: Tx, year: number): Promise<Checklist | null> {
    const row = await repo.checklist(tx, year);
    if (!row) return null;
    const [items, frozen] = await Promise.all([repo.items(tx, year), repo.frozen(tx, year)]);
    return { ...row, frozen, items };
  }

  /**
   * The checklist a station rates against in a year: the year's own, or — when the city office has
   * not written one — a copy of the latest earlier year's, made now and audited, so a past year's
   * ratings never see later edits. 404 when no year has a checklist.
   */
  async function ensureChecklist(
    ctx: { tx: Tx; audit: (e: import('../../platform/audit/audit.repo.js').AuditEntry) => void },
    actor: Actor,
    year: number,
  ) {
    const own = await repo.checklist(ctx.tx, year);
    if (own) return own;
    const from = found(await repo.latestChecklistBefore(ctx.tx, year), 'Checklist');
    const source = found(await repo.checklist(ctx.tx, from), 'Checklist');
    const items = await repo.items(ctx.tx, from);
    const row = { ...source, year, version: 1, updatedBy: actor.username, createdAt: new Date(), updatedAt: new Date() };
    await repo.insertChecklist(ctx.tx, row);
    await repo.replaceItems(ctx.tx, year, items);
    ctx.audit({
      action: 'station_checklist.create',
      entity: 'station_checklist',
      entityId: String(year),
      after: { copiedFrom: from, items: items.length },
    });
    return row as ChecklistRecord;
  }

  /** The rating as the API shows it: the station, its checklist's items with the answers, the scores. */
  async function present(tx: Tx, station: StationRecord, year: number, rating: RatingRecord | null): Promise<Rating> {
    let checklist = await repo.checklist(tx, year);
    if (!checklist && !rating) {
      const earlier = await repo.latestChecklistBefore(tx, year);
      checklist = earlier === null ? null : await repo.checklist(tx, earlier);
    }
    const list = found(checklist, 'Checklist');
    const items = await repo.items(tx, list.year);
    const answers = new Map((rating ? await repo.ratingItems(tx, rating.id) : []).map((a) => [a.itemId, a]));
    const rows = items.map((item) => {
      const a = answers.get(item.id);
      return {
        item,
        selfResult: (a?.selfResult as ItemResult | null) ?? null,
        selfNote: a?.selfNote ?? null,
        evidenceFileIds: a?.evidenceFileIds ?? [],
        reviewResult: (a?.reviewResult as ItemResult | null) ?? null,
        reviewComment: a?.reviewComment ?? null,
      };
    });
    return {
      id: rating?.id ?? null,
      station,
      year,
      status: rating?.status ?? 'not_started',
      computedLevel: (rating?.computedLevel as Rating['computedLevel']) ?? null,
      level: rating?.status === 'confirmed' ? (rating.level as Rating['level']) : null,
      levelComment: rating?.levelComment ?? null,
      reviewComment: rating?.reviewComment ?? null,
      submittedAt: rating?.submittedAt ?? null,
      submittedBy: rating?.submittedBy ?? null,
      reviewedAt: rating?.reviewedAt ?? null,
      reviewedBy: rating?.reviewedBy ?? null,
      confirmedAt: rating?.confirmedAt ?? null,
      confirmedBy: rating?.confirmedBy ?? null,
      demo: rating?.demo ?? false,
      version: rating?.version ?? 0,
      checklist: { year: list.year, sample: list.sample, standardRate: list.standardRate, modelRate: list.modelRate },
      dimensions: dimensionScores(
        rows.map((r) => ({ dimension: r.item.dimension, key: r.item.key, result: r.reviewResult ?? r.selfResult })),
      ),
      items: rows,
    };
  }

  /** The items of a rating as the level rule reads them (the review's result where there is one). */
  async function scored(tx: Tx, rating: RatingRecord): Promise<ScoredItem[]> {
    const items = await repo.items(tx, rating.year);
    const answers = new Map((await repo.ratingItems(tx, rating.id)).map((a) => [a.itemId, a]));
    return items.map((item) => {
      const a = answers.get(item.id);
      return { dimension: item.dimension, key: item.key, result: ((a?.reviewResult ?? a?.selfResult) as ItemResult | null) ?? null };
    });
  }

  /** The codes of a body as the year's items, or a 400 naming each unknown code. */
  function itemsByCode(items: CheckItem[], codes: readonly string[]) {
    const byCode = new Map(items.map((i) => [i.code, i]));
    const problems = codes.flatMap((code, i) =>
      byCode.has(code) ? [] : [{ path: `body.items.${i}.code`, message: `no item ${code} in this year’s checklist` }],
    );
    if (problems.length) throw validationFailed(problems);
    return byCode;
  }

  /** Reads the station and its rating in the actor's scope for a change, or 404. */
  async function ratingFor(tx: Tx, actor: Actor, siteId: string, year: number) {
    const station = found(await repo.findStation(tx, actor, siteId), 'Station');
    const rating = found(await repo.findRating(tx, actor, siteId, year), 'Rating');
    return { station, rating };
  }

  /** Writes a rating's fields under the version read; a stale version is a 409. */
  async function write(
    tx: Tx,
    actor: Actor,
    rating: RatingRecord,
    version: number,
    fields: Parameters<StationStandardsRepo['updateRating']>[4],
  ) {
    assertVersion('The rating was changed by someone else', rating, version);
    const row = await repo.updateRating(tx, actor, rating.id, rating.version, fields);
    if (!row) throw conflict('The rating was changed by someone else', { currentVersion: rating.version });
    return row;
  }

  /** The county's actions need someone above the station: its own account rates, it does not review. */
  function assertAbove(actor: Actor, station: StationRecord) {
    if (actor.orgUnitId === station.orgUnitId) throw forbidden();
  }

  const withLevel = async (tx: Tx, rating: RatingRecord) => {
    const list = found(await repo.checklist(tx, rating.year), 'Checklist');
    return levelOf(await scored(tx, rating), list);
  };

  return {
    /** Every year's checklist, newest first. */
    async checklists() {
      return { items: await repo.checklists(db) };
    },

    /** A year's checklist with its items; 404 when the city office has not written one for that year. */
    async checklist(year: number) {
      return found(await checklistOf(db, year), 'Checklist');
    },

    /** Writes a year's checklist (the city office): 409 once a station of that year has submitted. */
    async saveChecklist(actor: Actor, year: number, body: SaveChecklistBody) {
      const problems = checklistProblems(body);
      if (problems.length) throw validationFailed(problems);
      return runChange(actor, async (ctx) => {
        const before = await checklistOf(ctx.tx, year);
        if (before?.frozen) throw conflict(`Stations have submitted their ratings of ${year}: its checklist can no longer change`);
        const fields = {
          standardRate: body.standardRate,
          modelRate: body.modelRate,
          notes: body.notes ?? null,
          updatedBy: actor.username,
          sample: false,
        };
        if (before) {
          assertVersion('The checklist was changed by someone else', before, body.version);
          if (!(await repo.updateChecklist(ctx.tx, year, before.version, fields)))
            throw conflict('The checklist was changed by someone else', { currentVersion: before.version });
        } else await repo.insertChecklist(ctx.tx, { year, ...fields });
        await repo.replaceItems(ctx.tx, year, body.items);
        const after = found(await checklistOf(ctx.tx, year), 'Checklist');
        ctx.audit({
          action: before ? 'station_checklist.update' : 'station_checklist.create',
          entity: 'station_checklist',
          entityId: String(year),
          before: before ?? undefined,
          after,
        });
        return after;
      });
    },

    /** The stations the actor sees with their rating of the year. */
    async listStations(actor: Actor, filter: StationFilter, page: PageRequest) {
      const year = filter.year ?? cstYear();
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { items, total } = await repo.listStations(db, actor, { ...filter, year, subtreePath }, pageWindow(page));
      return {
        year,
        total,
        items: items.map(({ counts, ...row }) => ({ ...row, dimensions: scoresOf(counts) }) as StationRow),
      };
    },

    /** The dashboard: stations by county and confirmed level, and the confirmed items' pass rates by dimension. */
    async dashboard(actor: Actor, filter: { year?: number; orgUnitId?: number }): Promise<StandardsDashboard> {
      const year = filter.year ?? cstYear();
      const subtreePath = await subtreeFilter(db, actor, filter.orgUnitId);
      const { counties, dimensions } = await repo.dashboard(db, actor, { year, subtreePath });
      const zero = () => ({ none: 0, unqualified: 0, standard: 0, model: 0 });
      const byCounty = new Map<number, { orgUnitId: number; name: string; levels: ReturnType<typeof zero> }>();
      const totals = { ...zero(), stations: 0 };
      for (const row of counties) {
        const key = row.county_id ?? 0;
        const entry = byCounty.get(key) ?? { orgUnitId: key, name: row.county_name ?? '', levels: zero() };
        const level = (LEVELS as readonly string[]).includes(row.level) ? (row.level as keyof ReturnType<typeof zero>) : 'none';
        entry.levels[level] += row.n;
        totals[level] += row.n;
        totals.stations += row.n;
        byCounty.set(key, entry);
      }
      return {
        year,
        totals,
        byCounty: [...byCounty.values()],
        byDimension: DIMENSIONS.map((dimension) => {
          const row = dimensions.find((d) => d.dimension === dimension);
          const [score] = scoresOf(row ? [row] : []).filter((s) => s.dimension === dimension);
          return { ...score, stations: row?.stations ?? 0 };
        }),
      };
    },

    /** A station's rating of a year (a blank one, on the checklist it would use, when not started). */
    async rating(actor: Actor, siteId: string, year: number) {
      const station = found(await repo.findStation(db, actor, siteId), 'Station');
      const rating = await repo.findRating(db, actor, siteId, year);
      return present(db, station, year, rating);
    },

    /**
     * Saves the station's self-rating (results, notes, evidence files) for the items given, starting
     * the rating when there is none; only while it is a draft or returned — a submitted rating is
     * never changed by its station.
     */
    async saveSelfRating(actor: Actor, siteId: string, year: number, body: SaveSelfRatingBody) {
      return runChange(actor, async (ctx) => {
        const station = found(await repo.findStation(ctx.tx, actor, siteId), 'Station');
        let rating = await repo.findRating(ctx.tx, actor, siteId, year);
        if (rating && !EDITABLE.has(rating.status)) throw conflict(`The rating is ${rating.status}: the station can no longer change it`);
        if (rating) assertVersion('The rating was changed by someone else', rating, body.version);
        await ensureChecklist(ctx, actor, year);
        const byCode = itemsByCode(
          await repo.items(ctx.tx, year),
          body.items.map((i) => i.code),
        );
        const problems: FieldProblem[] = [];
        for (const [i, item] of body.items.entries())
          for (const [j, fileId] of item.evidenceFileIds.entries())
            if (!(await filesRepo.findMetaInScope(ctx.tx, actor, fileId)))
              problems.push({ path: `body.items.${i}.evidenceFileIds.${j}`, message: 'no such file in your area' });
        if (problems.length) throw validationFailed(problems);
        const created = !rating;
        rating ??= await repo.insertRating(ctx.tx, { siteId, orgUnitId: station.orgUnitId, year });
        const before = created ? null : await present(ctx.tx, station, year, rating);
        await repo.upsertRatingItems(
          ctx.tx,
          rating.id,
          body.items.map((item) => ({
            itemId: (byCode.get(item.code) as CheckItem).id,
            selfResult: item.result,
            selfNote: item.note ?? null,
            evidenceFileIds: item.evidenceFileIds,
          })),
        );
        const updated = await write(ctx.tx, actor, rating, rating.version, { computedLevel: await withLevel(ctx.tx, rating) });
        const after = await present(ctx.tx, station, year, updated);
        ctx.audit({
          action: created ? 'station_rating.create' : 'station_rating.self_rate',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: before ? { items: before.items.filter((r) => body.items.some((b) => b.code === r.item.code)) } : undefined,
          after: { items: after.items.filter((r) => body.items.some((b) => b.code === r.item.code)), computedLevel: after.computedLevel },
        });
        return after;
      });
    },

    /** Submits the self-rating to the county: every item rated, and evidence attached where an item asks for it. */
    async submit(actor: Actor, siteId: string, year: number, version: number) {
      return runChange(actor, async (ctx) => {
        const { station, rating } = await ratingFor(ctx.tx, actor, siteId, year);
        if (!EDITABLE.has(rating.status)) throw conflict(`The rating is ${rating.status} already`);
        const shown = await present(ctx.tx, station, year, rating);
        const unrated = shown.items.filter((r) => r.selfResult === null).map((r) => r.item.code);
        const unproven = shown.items
          .filter((r) => r.selfResult === 'pass' && r.item.evidence && r.evidenceFileIds.length === 0)
          .map((r) => r.item.code);
        if (unrated.length || unproven.length) throw conflict('The rating is not complete', { unrated, missingEvidence: unproven });
        const updated = await write(ctx.tx, actor, rating, version, {
          status: 'submitted',
          submittedAt: new Date(),
          submittedBy: actor.username,
        });
        ctx.audit({
          action: 'station_rating.submit',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: { status: rating.status },
          after: { status: 'submitted', computedLevel: shown.computedLevel },
        });
        return present(ctx.tx, station, year, updated);
      });
    },

    /** Records the county's review of the items given (result and comment), while the rating is submitted. */
    async saveReview(actor: Actor, siteId: string, year: number, body: SaveReviewBody) {
      return runChange(actor, async (ctx) => {
        const { station, rating } = await ratingFor(ctx.tx, actor, siteId, year);
        assertAbove(actor, station);
        if (rating.status !== 'submitted') throw conflict(`The rating is ${rating.status}: only a submitted rating is reviewed`);
        assertVersion('The rating was changed by someone else', rating, body.version);
        const byCode = itemsByCode(
          await repo.items(ctx.tx, year),
          body.items.map((i) => i.code),
        );
        const before = await present(ctx.tx, station, year, rating);
        await repo.upsertRatingItems(
          ctx.tx,
          rating.id,
          body.items.map((item) => ({
            itemId: (byCode.get(item.code) as CheckItem).id,
            reviewResult: item.result,
            reviewComment: item.comment ?? null,
          })),
        );
        const updated = await write(ctx.tx, actor, rating, body.version, {
          computedLevel: await withLevel(ctx.tx, rating),
          reviewComment: body.comment === undefined ? rating.reviewComment : body.comment,
          reviewedAt: new Date(),
          reviewedBy: actor.username,
        });
        const after = await present(ctx.tx, station, year, updated);
        const touched = (r: Rating['items'][number]) => body.items.some((b) => b.code === r.item.code);
        ctx.audit({
          action: 'station_rating.review',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: { items: before.items.filter(touched), reviewComment: rating.reviewComment },
          after: { items: after.items.filter(touched), reviewComment: updated.reviewComment, computedLevel: after.computedLevel },
        });
        return after;
      });
    },

    /** Returns a submitted rating to the station with what it must change. */
    async returnToStation(actor: Actor, siteId: string, year: number, body: { version: number; comment: string }) {
      return runChange(actor, async (ctx) => {
        const { station, rating } = await ratingFor(ctx.tx, actor, siteId, year);
        assertAbove(actor, station);
        if (rating.status !== 'submitted') throw conflict(`The rating is ${rating.status}: only a submitted rating is returned`);
        const updated = await write(ctx.tx, actor, rating, body.version, {
          status: 'returned',
          reviewComment: body.comment,
          reviewedAt: new Date(),
          reviewedBy: actor.username,
        });
        ctx.audit({
          action: 'station_rating.return',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: { status: rating.status },
          after: { status: 'returned', comment: body.comment },
        });
        return present(ctx.tx, station, year, updated);
      });
    },

    /**
     * Confirms the level (the county): every item reviewed; the level is the one the review results
     * give, or a lower one with a reason — never higher.
     */
    async confirm(actor: Actor, siteId: string, year: number, body: ConfirmBody) {
      return runChange(actor, async (ctx) => {
        const { station, rating } = await ratingFor(ctx.tx, actor, siteId, year);
        assertAbove(actor, station);
        if (rating.status !== 'submitted') throw conflict(`The rating is ${rating.status}: only a submitted rating is confirmed`);
        const shown = await present(ctx.tx, station, year, rating);
        const unreviewed = shown.items.filter((r) => r.reviewResult === null).map((r) => r.item.code);
        if (unreviewed.length) throw conflict('Review every item before confirming the level', { unreviewed });
        const computed = await withLevel(ctx.tx, rating);
        if (levelAbove(body.level, computed))
          throw validationFailed([{ path: 'body.level', message: `the review results give ${computed}: the level cannot be higher` }]);
        if (body.level !== computed && !body.comment)
          throw validationFailed([{ path: 'body.comment', message: `say why the level is lower than the ${computed} the results give` }]);
        const updated = await write(ctx.tx, actor, rating, body.version, {
          status: 'confirmed',
          computedLevel: computed,
          level: body.level,
          levelComment: body.comment ?? null,
          confirmedAt: new Date(),
          confirmedBy: actor.username,
        });
        ctx.audit({
          action: 'station_rating.confirm',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: { status: rating.status },
          after: { status: 'confirmed', computedLevel: computed, level: body.level, comment: body.comment ?? null },
        });
        return present(ctx.tx, station, year, updated);
      });
    },

    /**
     * Takes back a confirmed level (the county or the city, with a reason): the rating is submitted
     * again with the review kept, the level cleared until it is confirmed anew; the reason is shown
     * on the rating until then, and the audit keeps the level taken back.
     */
    async reopen(actor: Actor, siteId: string, year: number, body: ReopenBody) {
      return runChange(actor, async (ctx) => {
        const { station, rating } = await ratingFor(ctx.tx, actor, siteId, year);
        assertAbove(actor, station);
        if (rating.status !== 'confirmed') throw conflict(`The rating is ${rating.status}: only a confirmed level is taken back`);
        const updated = await write(ctx.tx, actor, rating, body.version, {
          status: 'submitted',
          level: null,
          levelComment: body.reason,
          confirmedAt: null,
          confirmedBy: null,
        });
        ctx.audit({
          action: 'station_rating.reopen',
          entity: 'station_rating',
          entityId: rating.id,
          orgUnitId: station.orgUnitId,
          before: { status: rating.status, level: rating.level, levelComment: rating.levelComment, confirmedBy: rating.confirmedBy },
          after: { status: 'submitted', reason: body.reason },
        });
        return present(ctx.tx, station, year, updated);
      });
    },
  };
}
export type StationStandardsService = ReturnType<typeof createStationStandardsService>;
