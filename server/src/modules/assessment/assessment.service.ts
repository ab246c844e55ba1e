/**
 * The assessment year (考评, notice clause 五): the city opens a round of its county-level units,
 * each county a round of its townships, nature reserves and forest farms (分级评审). A unit checks
 * itself (自查) — items scored from indicators are filled in and change only with a reason — and
 * submits, which freezes the self-check; the level above reviews (评定) with adjustments that carry
 * a reason, site inspections and veto hits, and finalizes: score, vetoes, grade. A final entry is
 * never changed. The city recommends (推优) only eligible units: a county that did not hold its own
 * township round that year is refused, with the reason (一律取消资格).
 */
import type { Db, Tx } from '../../db/connection.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ChangeContext, RunChange } from '../../platform/change.js';
import { cstDate } from '../../platform/dates.js';
import { AppError, assertVersion, conflict, type FieldProblem, found, validationFailed } from '../../platform/errors.js';
import type { FilesRepo } from '../../platform/files/files.repo.js';
import { type IndicatorRegistry, indicatorPeriod } from '../../platform/indicators.js';
import { assessmentEvent } from './assessment.events.js';
import {
  type AssessedUnit,
  type AssessmentRepo,
  COUNTY_LEVEL_KINDS,
  type EntryRow,
  type RoundRow,
  TOWNSHIP_LEVEL_KINDS,
} from './assessment.repo.js';
import {
  type CreateRoundInput,
  ENTRY_STATUS_LABELS,
  type Entry,
  type EntryItem,
  type EntrySummary,
  type ReviewInput,
  type Round,
  type SelfCheckInput,
  type UnitResult,
} from './assessment.schema.js';
import { deducted, flatten, gradeOf, indicatorPoints, round2, totals } from './assessment.scoring.js';
import { writeEntrySheet } from './assessment.sheet.js';
import type { assessmentScores, ComputedScore, DeductionCase, StandardItem, VetoHit } from './assessment.tables.js';

type ScoreInsert = typeof assessmentScores.$inferInsert;

type Deps = {
  db: Db;
  assessmentRepo: AssessmentRepo;
  runChange: RunChange;
  indicators: Pick<IndicatorRegistry, 'get' | 'list'>;
  filesRepo: Pick<FilesRepo, 'attachInScope'>;
};

type StandardRow = NonNullable<Awaited<ReturnType<AssessmentRepo['findStandard']>>>;
type ScoreRow = Awaited<ReturnType<AssessmentRepo['listScores']>>[number];
type Eligibility = Pick<EntrySummary, 'eligible' | 'ineligibleReason' | 'ineligibleCode'>;

const refused = (message: string) => new AppError(403, 'forbidden', message);
const STALE = 'The entry was changed by someone else meanwhile; reload it';
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const publicRound = ({ unitPath: _, orgUnitId: __, ...round }: RoundRow): Round => round;

/** Whether the actor is the unit itself (its own accounts, or the staff of a department working for it). */
const isUnitItself = (actor: Actor, unitPath: string) => actor.orgPath === unitPath;

export function createAssessmentService({ db, assessmentRepo: repo, runChange, indicators, filesRepo }: Deps) {
  const mustStandard = async (tx: Tx, id: string) => found(await repo.findStandard(tx, id), 'Standard');
  const mustRound = async (tx: Tx, actor: Actor, id: string) => found(await repo.findRoundInScope(tx, actor, id), 'Round');
  const mustEntry = async (tx: Tx, actor: Actor, id: string) => found(await repo.findEntryInScope(tx, actor, id), 'Entry');

  /** May the actor review (and finalize) the entries of this round: reviewers of the unit running it. */
  const reviews = (actor: Actor, round: RoundRow) => can(actor, 'assessment:review') && isUnitItself(actor, round.unitPath);
  /** May the actor run this round (deadlines, recommendation): managers of the unit running it. */
  const manages = (actor: Actor, round: RoundRow) => can(actor, 'assessment:manage') && isUnitItself(actor, round.unitPath);
  /** May the actor check this entry themselves: the unit's own accounts. */
  const selfChecks = (actor: Actor, entry: EntryRow) => can(actor, 'assessment:self') && isUnitItself(actor, entry.unitPath);

  /**
   * What the indicators give the entry's unit for the round's year: every leaf item scored or
   * counted by an indicator, and every veto item watched by one. An indicator no module offers is
   * flagged (`unregistered`), never made up.
   */
  async function computeIndicators(tx: Tx, unit: AssessedUnit, year: number, standard: StandardRow) {
    const computed = new Map<string, ComputedScore>();
    const period = indicatorPeriod(year);
    const compute = async (code: string, key: string, item?: StandardItem) => {
      const definition = indicators.get(key);
      if (!definition) {
        computed.set(code, {
          indicator: key,
          status: 'unregistered',
          name: null,
          unit: null,
          value: null,
          points: null,
          records: null,
          link: null,
        });
        return;
      }
      const { value, basis } = await definition.compute(tx, unit, period);
      const base = {
        indicator: key,
        name: definition.name,
        unit: definition.unit,
        value,
        records: basis.records,
        link: basis.link ?? null,
      };
      if (value === null) {
        computed.set(code, { ...base, status: 'no_data', points: null });
        return;
      }
      const points = item ? indicatorPoints(item, value, definition.unit) : null;
      computed.set(code, { ...base, status: item && points === null ? 'no_curve' : 'ok', points });
    };
    for (const { item, leaf } of flatten(standard.items))
      if (leaf && item.indicator && item.kind !== 'manual') await compute(item.code, item.indicator, item);
    for (const veto of standard.vetoItems) if (veto.indicator) await compute(veto.code, veto.indicator);
    return computed;
  }

  /** The points that count per code: the review's over the self-check's. */
  function pointsOf(scores: ScoreRow[], stages: ('self' | 'review')[]) {
    const points = new Map<string, number | null>();
    for (const stage of stages) for (const s of scores) if (s.stage === stage && s.points !== null) points.set(s.itemCode, s.points);
    return points;
  }

  /** Vetoes that struck: the reviewers' codes, and veto items whose `yes_no` indicator answered 0. */
  function vetoHitsOf(standard: StandardRow, reviewCodes: string[], computed: Map<string, ComputedScore>): VetoHit[] {
    const hits: VetoHit[] = [];
    for (const veto of standard.vetoItems) {
      const c = computed.get(veto.code);
      if (c?.status === 'ok' && c.value === 0)
        hits.push({
          code: veto.code,
          title: veto.title,
          source: 'indicator',
          reason: `${c.name ?? c.indicator} = 0（依据 ${c.records ?? 0} 条记录）`,
        });
      else if (reviewCodes.includes(veto.code)) hits.push({ code: veto.code, title: veto.title, source: 'reviewer', reason: '评定组认定' });
    }
    return hits;
  }

  const storedComputed = (scores: ScoreRow[]) =>
    new Map(scores.filter((s) => s.stage === 'self' && s.computed).map((s) => [s.itemCode, s.computed as ComputedScore]));

  /** Eligibility of a round's entries for recommendation and naming (推优资格). */
  async function eligibilityOf(tx: Tx, round: RoundRow, entries: EntryRow[], vetoTitles: Map<string, string>) {
    const counties = entries.filter((e) => e.unitKind === 'county').map((e) => e.orgUnitId);
    const townshipRounds = round.level === 'county' ? await repo.townshipRoundsOf(tx, counties, round.year) : new Map();
    const result = new Map<string, Eligibility>();
    for (const entry of entries) {
      const no = (code: NonNullable<Eligibility['ineligibleCode']>, reason: string) =>
        result.set(entry.id, { eligible: false, ineligibleCode: code, ineligibleReason: reason });
      const held = townshipRounds.get(entry.orgUnitId);
      if (round.level === 'county' && entry.unitKind === 'county' && !held)
        no(
          'no_township_round',
          `${entry.unitName}未开展${round.year}年度县级评定（对乡镇、自然保护区、国有林场的考评），一律取消参加市级推优的资格`,
        );
      else if (round.level === 'county' && entry.unitKind === 'county' && (held.total === 0 || held.final < held.total))
        no(
          'township_round_unfinished',
          `${entry.unitName}的${round.year}年度县级评定未完成（${held.final}/${held.total} 个单位已定级），一律取消参加市级推优的资格`,
        );
      else if (entry.vetoed)
        no('vetoed', `${entry.unitName}被一票否决：${entry.vetoHits.map((h) => vetoTitles.get(h.code) ?? h.title).join('；')}`);
      else if (entry.status !== 'final') no('not_final', `${entry.unitName}的考评尚未定级（${ENTRY_STATUS_LABELS[entry.status]}）`);
      else result.set(entry.id, { eligible: true, ineligibleCode: null, ineligibleReason: null });
    }
    return result;
  }

  async function summaries(tx: Tx, actor: Actor, round: RoundRow) {
    const [entries, standard, recommended] = await Promise.all([
      repo.listEntries(tx, actor, round.id),
      mustStandard(tx, round.standardId),
      repo.listRecommendations(tx, round.id),
    ]);
    const eligibility = await eligibilityOf(tx, round, entries, new Map(standard.vetoItems.map((v) => [v.code, v.title])));
    const recommendedIds = new Set(recommended.map((r) => r.orgUnitId));
    return entries.map((entry) => ({
      entry,
      summary: summaryOf(entry, eligibility.get(entry.id) as Eligibility, recommendedIds.has(entry.orgUnitId)),
    }));
  }

  function summaryOf(entry: EntryRow, eligibility: Eligibility, recommended: boolean): EntrySummary {
    return {
      id: entry.id,
      roundId: entry.roundId,
      unitCode: entry.unitCode,
      unitName: entry.unitName,
      unitKind: entry.unitKind,
      status: entry.status,
      selfScore: entry.selfScore,
      finalScore: entry.finalScore,
      vetoed: entry.vetoed,
      grade: entry.grade,
      ...eligibility,
      recommended,
      submittedAt: entry.submittedAt,
      finalizedAt: entry.finalizedAt,
    };
  }

  /** After a change of an entry: tells its unit and the offices above it, and answers the whole entry. */
  function changed(ctx: ChangeContext, actor: Actor, entry: EntryRow) {
    ctx.emit(
      assessmentEvent(
        'assessment.entry.changed',
        { path: entry.unitPath },
        { entryId: entry.id, roundId: entry.roundId, status: entry.status, by: actor.username },
      ),
    );
    return detail(ctx.tx, actor, entry);
  }

  /** The whole entry as the self-check, review and score sheet show it. */
  async function detail(tx: Tx, actor: Actor, entry: EntryRow): Promise<Entry> {
    const round = found(await repo.findRound(tx, entry.roundId), 'Round');
    const standard = await mustStandard(tx, round.standardId);
    const scores = await repo.listScores(tx, [entry.id]);
    // A self-check in progress shows what the indicators give today; afterwards, what was frozen.
    const unit = found(await repo.unitById(tx, entry.orgUnitId), 'Org unit');
    const computed = entry.status === 'draft' ? await computeIndicators(tx, unit, round.year, standard) : storedComputed(scores);
    const selfRows = new Map(scores.filter((s) => s.stage === 'self').map((s) => [s.itemCode, s]));
    const reviewRows = new Map(scores.filter((s) => s.stage === 'review').map((s) => [s.itemCode, s]));
    const merged = pointsOf(scores, ['self', 'review']);
    // Computed items not saved yet count with what the indicator gives.
    for (const [code, c] of computed) if (!selfRows.has(code) && c.status === 'ok' && c.points !== null) merged.set(code, c.points);
    const { byCode } = totals(standard.items, standard.bonusItems, merged);
    const stage = (row: ScoreRow | undefined) =>
      row
        ? {
            points: row.points,
            note: row.note,
            reason: row.reason,
            evidenceFileIds: row.evidenceFileIds,
            cases: row.cases,
            updatedBy: row.updatedBy,
            updatedAt: row.updatedAt,
          }
        : null;
    const items: EntryItem[] = [
      ...flatten(standard.items).map(({ item, parentCode, depth, leaf }) => ({
        code: item.code,
        parentCode,
        depth,
        type: 'item' as const,
        leaf,
        title: item.title,
        maxPoints: item.maxPoints,
        kind: item.kind,
        guidance: item.guidance ?? null,
        evidence: item.evidence ?? null,
        indicator: item.indicator ?? null,
        pointsPerCase: item.pointsPerCase ?? null,
        computed: computed.get(item.code) ?? null,
        self: stage(selfRows.get(item.code)),
        review: stage(reviewRows.get(item.code)),
        points: byCode.get(item.code) ?? null,
      })),
      ...standard.bonusItems.map((b) => ({
        code: b.code,
        parentCode: null,
        depth: 0,
        type: 'bonus' as const,
        leaf: true,
        title: b.title,
        maxPoints: b.maxPoints,
        kind: 'manual' as const,
        guidance: b.guidance ?? null,
        evidence: b.evidence ?? null,
        indicator: null,
        pointsPerCase: null,
        computed: null,
        self: stage(selfRows.get(b.code)),
        review: stage(reviewRows.get(b.code)),
        points: byCode.get(b.code) ?? null,
      })),
    ];
    const hits = entry.status === 'final' ? entry.vetoHits : vetoHitsOf(standard, entry.reviewVetoCodes, computed);
    const vetoes = standard.vetoItems.map((v) => {
      const hit = hits.find((h) => h.code === v.code);
      return {
        code: v.code,
        title: v.title,
        indicator: v.indicator ?? null,
        hit: Boolean(hit),
        reason: hit?.reason ?? null,
        source: hit?.source ?? null,
        computed: computed.get(v.code) ?? null,
      };
    });
    const eligibility = (await eligibilityOf(tx, round, [entry], new Map(standard.vetoItems.map((v) => [v.code, v.title])))).get(
      entry.id,
    ) as Eligibility;
    const recommended = (await repo.listRecommendations(tx, round.id)).some((r) => r.orgUnitId === entry.orgUnitId);
    return {
      ...summaryOf(entry, eligibility, recommended),
      year: round.year,
      level: round.level,
      roundUnitName: round.unitName,
      standard: { id: standard.id, name: standard.name, version: standard.version, sample: standard.sample, grades: standard.grades },
      reviewScore: entry.reviewScore,
      items,
      vetoes,
      inspections: entry.inspections,
      selfCheckDue: round.selfCheckDue,
      reviewDue: round.reviewDue,
      submittedBy: entry.submittedBy,
      reviewedAt: entry.reviewedAt,
      reviewedBy: entry.reviewedBy,
      finalizedBy: entry.finalizedBy,
      can: {
        selfCheck: entry.status === 'draft' && selfChecks(actor, entry),
        review: (entry.status === 'submitted' || entry.status === 'reviewing') && reviews(actor, round),
        finalize: (entry.status === 'submitted' || entry.status === 'reviewing') && reviews(actor, round),
      },
      version: entry.version,
    };
  }

  /**
   * Checks the scores of a self-check or review against the standard and answers the rows to
   * store; problems are collected by field. `prior`: the self-check's rows (for a review, whose
   * changes of a self score need a reason).
   */
  async function scoreRows(
    tx: Tx,
    actor: Actor,
    entry: Pick<EntryRow, 'orgUnitId'>,
    stage: 'self' | 'review',
    input: (SelfCheckInput['scores'][number] | ReviewInput['scores'][number])[],
    standard: StandardRow,
    computed: Map<string, ComputedScore>,
    prior: Map<string, ScoreRow>,
    problems: FieldProblem[],
  ) {
    const leaves = new Map(flatten(standard.items).map((f) => [f.item.code, f]));
    const bonus = new Map(standard.bonusItems.map((b) => [b.code, b]));
    const veto = new Set(standard.vetoItems.map((v) => v.code));
    const seen = new Set<string>();
    const rows: ScoreInsert[] = [];
    for (const [i, score] of input.entries()) {
      const at = `body.scores.${i}`;
      const flat = leaves.get(score.itemCode);
      const b = bonus.get(score.itemCode);
      if (seen.has(score.itemCode)) {
        problems.push({ path: `${at}.itemCode`, message: `${score.itemCode} is scored twice` });
        continue;
      }
      seen.add(score.itemCode);
      if (!flat && !b) {
        problems.push({
          path: `${at}.itemCode`,
          message: veto.has(score.itemCode)
            ? `${score.itemCode} is a veto item: reviewers name it in vetoItemCodes`
            : `no item ${score.itemCode} in the standard ${standard.name} ${standard.version}`,
        });
        continue;
      }
      if (flat && !flat.leaf) {
        problems.push({ path: `${at}.itemCode`, message: `${score.itemCode} is scored by its sub-items` });
        continue;
      }
      const item = flat?.item;
      const max = item?.maxPoints ?? (b as { maxPoints: number }).maxPoints;
      const title = item?.title ?? b?.title;
      let points = score.points ?? null;
      const reason = score.reason ?? null;
      const cases: DeductionCase[] | null = score.cases ?? null;
      if (points !== null && points > max) {
        problems.push({ path: `${at}.points`, message: `${score.itemCode} ${title}: at most ${max} points, not ${points}` });
        continue;
      }
      const c = computed.get(score.itemCode);
      if (item?.kind === 'deduction' && !item.indicator && cases) {
        const worked = deducted(item.maxPoints, item.pointsPerCase ?? 0, cases.length);
        if (points !== null && points !== worked) {
          problems.push({
            path: `${at}.points`,
            message: `${score.itemCode}: ${cases.length} case(s) leave ${worked} points, not ${points}`,
          });
          continue;
        }
        points = worked;
      }
      const expected = stage === 'review' ? (prior.get(score.itemCode)?.points ?? null) : c?.status === 'ok' ? c.points : null;
      if (stage === 'self' && c?.status === 'ok' && points === null) points = c.points;
      if (points === null && stage === 'review') points = expected;
      if (expected !== null && points !== null && points !== expected && !reason) {
        problems.push({
          path: `${at}.reason`,
          message:
            stage === 'review'
              ? `${score.itemCode}: changing the self score ${expected} to ${points} needs a reason`
              : `${score.itemCode}: changing the computed ${expected} points to ${points} needs a reason`,
        });
        continue;
      }
      const evidence = 'evidenceFileIds' in score ? (score.evidenceFileIds ?? []) : (prior.get(score.itemCode)?.evidenceFileIds ?? []);
      if ('evidenceFileIds' in score)
        for (const [j, fileId] of evidence.entries())
          if (!(await filesRepo.attachInScope(tx, actor, fileId, entry.orgUnitId)))
            problems.push({ path: `${at}.evidenceFileIds.${j}`, message: 'no such file in your area' });
      rows.push({
        stage,
        itemCode: score.itemCode,
        points: points === null ? null : round2(points),
        note: score.note ?? null,
        reason,
        evidenceFileIds: evidence,
        cases,
        computed: stage === 'self' ? (c ?? null) : (prior.get(score.itemCode)?.computed ?? null),
        updatedBy: actor.username,
        entryId: '',
      });
    }
    return rows;
  }

  /** The stored self-check rows refreshed with what the indicators give now (overridden points stay, with their reason). */
  function refreshedComputed(
    actor: Actor,
    entryId: string,
    computed: Map<string, ComputedScore>,
    selfRows: Map<string, ScoreRow>,
    given: Set<string>,
  ) {
    const rows: ScoreInsert[] = [];
    for (const [code, c] of computed) {
      if (given.has(code)) continue;
      const prior = selfRows.get(code);
      const overridden = Boolean(prior?.reason) || (c.status !== 'ok' && prior?.points != null);
      rows.push({
        entryId,
        stage: 'self',
        itemCode: code,
        points: overridden ? (prior?.points ?? null) : c.points,
        note: prior?.note ?? null,
        reason: prior?.reason ?? null,
        evidenceFileIds: prior?.evidenceFileIds ?? [],
        cases: prior?.cases ?? null,
        computed: c,
        updatedBy: prior?.updatedBy ?? actor.username,
      });
    }
    return rows;
  }

  /** The entry's context inside a change: its round, standard, unit and scores. */
  async function context(tx: Tx, actor: Actor, id: string) {
    const entry = await mustEntry(tx, actor, id);
    const round = found(await repo.findRound(tx, entry.roundId), 'Round');
    const standard = await mustStandard(tx, round.standardId);
    const unit = found(await repo.unitById(tx, entry.orgUnitId), 'Org unit');
    const scores = await repo.listScores(tx, [entry.id]);
    return { entry, round, standard, unit, scores };
  }

  const frozen = (entry: EntryRow) =>
    entry.status === 'final'
      ? conflict(`The entry of ${entry.unitName} is final (${entry.finalScore} points, ${entry.grade}); it is never changed`)
      : conflict(`The self-check of ${entry.unitName} was submitted on ${entry.submittedAt?.toISOString()} and is frozen`);

  return {
    // ---- rounds ----

    /** Rounds the actor reads: those their unit runs, and those assessing their unit. */
    listRounds: async (actor: Actor, filter: { year?: number; level?: 'county' | 'township' }) => ({
      items: (await repo.listRounds(db, actor, filter)).map(publicRound),
    }),

    getRound: async (actor: Actor, id: string) => publicRound(await mustRound(db, actor, id)),

    /**
     * Opens a round with an entry for every unit it assesses: the city's county round (its
     * counties, and reserves or forest farms directly under the city), or a county's township
     * round (its townships, reserves and forest farms). A unit runs one round a level and year.
     */
    async createRound(actor: Actor, input: CreateRoundInput) {
      return runChange(actor, async (ctx) => {
        const own = found(await repo.unitAtPath(ctx.tx, actor.orgPath), 'Org unit');
        if (input.level === 'county' && own.kind !== 'city') throw refused('The city office opens the round of the county-level units');
        if (input.level === 'township' && own.kind !== 'county')
          throw refused('A county opens the round of its townships, reserves and forest farms');
        if (input.unit !== undefined && input.unit !== own.code)
          throw validationFailed([
            {
              path: 'body.unit',
              message: input.level === 'township' ? 'a county opens its own township round only' : 'the city’s round is the city’s own',
            },
          ]);
        const problems: FieldProblem[] = [];
        const standard = await repo.findStandard(ctx.tx, input.standardId);
        if (!standard) problems.push({ path: 'body.standardId', message: 'no such standard' });
        if (input.selfCheckDue && input.reviewDue && input.reviewDue < input.selfCheckDue)
          problems.push({ path: 'body.reviewDue', message: 'before the self-check deadline' });
        if (problems.length) throw validationFailed(problems);
        await repo.lockStandard(ctx.tx, input.standardId);
        const id = await repo.insertRound(ctx.tx, {
          year: input.year,
          level: input.level,
          standardId: input.standardId,
          orgUnitId: own.id,
          selfCheckDue: input.selfCheckDue ?? null,
          reviewDue: input.reviewDue ?? null,
          createdBy: actor.username,
        });
        if (!id) throw conflict(`${own.name} has a ${input.level} round of ${input.year} already`);
        const units = await repo.unitsUnder(ctx.tx, own.id, input.level === 'county' ? COUNTY_LEVEL_KINDS : TOWNSHIP_LEVEL_KINDS);
        await repo.insertEntries(
          ctx.tx,
          id,
          units.map((u) => u.id),
        );
        ctx.audit({
          action: 'assessment_round.create',
          entity: 'assessment_round',
          entityId: id,
          orgUnitId: own.id,
          after: { ...input, units: units.map((u) => u.code) },
        });
        return { id };
      });
    },

    /** Changes a round's deadlines (its managers only). */
    async updateRound(actor: Actor, id: string, input: { selfCheckDue?: string | null; reviewDue?: string | null; version?: number }) {
      return runChange(actor, async (ctx) => {
        const round = await mustRound(ctx.tx, actor, id);
        if (!manages(actor, round)) throw refused(`The round is run by ${round.unitName}`);
        if (input.version !== undefined && input.version !== round.version)
          throw conflict('The round was changed meanwhile; reload it', { currentVersion: round.version });
        const { version: _, ...changes } = input;
        const self = changes.selfCheckDue === undefined ? round.selfCheckDue : changes.selfCheckDue;
        const review = changes.reviewDue === undefined ? round.reviewDue : changes.reviewDue;
        if (self && review && review < self)
          throw validationFailed([{ path: 'body.reviewDue', message: 'before the self-check deadline' }]);
        if (!(await repo.updateRound(ctx.tx, id, round.version, changes))) throw conflict('The round was changed meanwhile; reload it');
        const after = found(await repo.findRound(ctx.tx, id), 'Round');
        ctx.audit({
          action: 'assessment_round.update',
          entity: 'assessment_round',
          entityId: id,
          orgUnitId: round.orgUnitId,
          before: publicRound(round),
          after: publicRound(after),
        });
        return publicRound(after);
      });
    },

    /** The round's entries the actor reads, each with its eligibility. */
    async listEntries(actor: Actor, roundId: string) {
      const round = await mustRound(db, actor, roundId);
      return { items: (await summaries(db, actor, round)).map((s) => s.summary) };
    },

    /** Every entry of the round with whether it may be recommended, and why not. */
    async eligibility(actor: Actor, roundId: string) {
      const round = await mustRound(db, actor, roundId);
      return {
        items: (await summaries(db, actor, round)).map(({ summary: s }) => ({
          entryId: s.id,
          unitCode: s.unitCode,
          unitName: s.unitName,
          status: s.status,
          finalScore: s.finalScore,
          vetoed: s.vetoed,
          eligible: s.eligible,
          ineligibleReason: s.ineligibleReason,
          ineligibleCode: s.ineligibleCode,
          recommended: s.recommended,
        })),
      };
    },

    /** The ranking: final entries by score (vetoed last), then those not final; with each category's points for charts. */
    async ranking(actor: Actor, roundId: string) {
      const round = await mustRound(db, actor, roundId);
      const standard = await mustStandard(db, round.standardId);
      const entries = await repo.listEntries(db, actor, roundId);
      const scores = await repo.listScores(
        db,
        entries.map((e) => e.id),
      );
      // Ranks count every final entry of the round, also those the actor does not see.
      const all = await repo.listEntries(db, { ...actor, orgPath: round.unitPath }, roundId);
      const order = (a: EntryRow, b: EntryRow) =>
        Number(a.vetoed) - Number(b.vetoed) ||
        (b.finalScore ?? 0) - (a.finalScore ?? 0) ||
        (a.unitCode ?? '').localeCompare(b.unitCode ?? '');
      const ranked = all.filter((e) => e.status === 'final').sort(order);
      const rankOf = new Map<string, number>();
      ranked.forEach((e, i) => {
        const previous = ranked[i - 1];
        const tie = previous && previous.vetoed === e.vetoed && previous.finalScore === e.finalScore;
        rankOf.set(e.id, tie ? (rankOf.get(previous.id) as number) : i + 1);
      });
      const sorted = [...entries].sort((a, b) => (rankOf.get(a.id) ?? 1e9) - (rankOf.get(b.id) ?? 1e9) || order(a, b));
      return {
        categories: standard.items.map((i) => ({ code: i.code, title: i.title, maxPoints: i.maxPoints })),
        items: sorted.map((e) => {
          const own = scores.filter((s) => s.entryId === e.id);
          const { byCode } = totals(standard.items, standard.bonusItems, pointsOf(own, ['self', 'review']));
          return {
            rank: rankOf.get(e.id) ?? null,
            entryId: e.id,
            unitCode: e.unitCode,
            unitName: e.unitName,
            status: e.status,
            selfScore: e.selfScore,
            finalScore: e.finalScore,
            vetoed: e.vetoed,
            grade: e.grade,
            categories: standard.items.map((i) => ({ code: i.code, points: e.status === 'draft' ? null : (byCode.get(i.code) ?? null) })),
          };
        }),
      };
    },

    /** Who has submitted and been reviewed, and who is overdue. */
    async progress(actor: Actor, roundId: string, now = new Date()) {
      const round = await mustRound(db, actor, roundId);
      const entries = await repo.listEntries(db, actor, roundId);
      const today = cstDate(now);
      const count = (...statuses: EntryRow['status'][]) => entries.filter((e) => statuses.includes(e.status)).length;
      const brief = (e: EntryRow) => ({ entryId: e.id, unitCode: e.unitCode, unitName: e.unitName });
      return {
        total: entries.length,
        draft: count('draft'),
        submitted: count('submitted', 'reviewing', 'final'),
        reviewing: count('reviewing'),
        reviewed: count('final'),
        selfCheckDue: round.selfCheckDue,
        reviewDue: round.reviewDue,
        overdueSelfChecks: round.selfCheckDue && round.selfCheckDue < today ? entries.filter((e) => e.status === 'draft').map(brief) : [],
        overdueReviews: round.reviewDue && round.reviewDue < today ? entries.filter((e) => e.status !== 'final').map(brief) : [],
      };
    },

    /** The units recommended from a round. */
    async recommendations(actor: Actor, roundId: string) {
      const round = await mustRound(db, actor, roundId);
      const visible = new Set((await repo.listEntries(db, actor, roundId)).map((e) => e.orgUnitId));
      const rows = await repo.listRecommendations(db, round.id);
      return { items: rows.filter((r) => visible.has(r.orgUnitId)).map(({ orgUnitId: _, ...r }) => r) };
    },

    /**
     * Recommends units of a round (市级推优). When one of them is not eligible nothing is written
     * and the refusal names each such unit with its reason.
     */
    async recommend(actor: Actor, roundId: string, unitCodes: string[]) {
      return runChange(actor, async (ctx) => {
        const round = await mustRound(ctx.tx, actor, roundId);
        if (!manages(actor, round)) throw refused(`Units of this round are recommended by ${round.unitName}`);
        const listed = await summaries(ctx.tx, actor, round);
        const byCode = new Map(listed.map((l) => [l.entry.unitCode, l]));
        const problems: FieldProblem[] = [];
        unitCodes.forEach((code, i) => {
          if (!byCode.has(code)) problems.push({ path: `body.unitCodes.${i}`, message: `${code} is not assessed in this round` });
          else if (unitCodes.indexOf(code) !== i) problems.push({ path: `body.unitCodes.${i}`, message: `${code} is named twice` });
        });
        if (problems.length) throw validationFailed(problems);
        const ineligible = unitCodes.map((code) => byCode.get(code)?.summary as EntrySummary).filter((s) => !s.eligible);
        if (ineligible.length)
          throw conflict(
            ineligible.map((s) => `${s.unitName}（${s.unitCode}）不能推优：${s.ineligibleReason}`).join('；'),
            ineligible.map((s) => ({ unitCode: s.unitCode, unitName: s.unitName, code: s.ineligibleCode, reason: s.ineligibleReason })),
          );
        const ids = unitCodes.map((code) => byCode.get(code)?.entry.orgUnitId as number);
        const added = await repo.insertRecommendations(ctx.tx, round.id, ids, actor.username);
        ctx.audit({
          action: 'assessment_round.recommend',
          entity: 'assessment_round',
          entityId: round.id,
          orgUnitId: round.orgUnitId,
          after: { year: round.year, unitCodes, added: unitCodes.filter((_, i) => added.includes(ids[i])) },
        });
        const rows = await repo.listRecommendations(ctx.tx, round.id);
        return { items: rows.map(({ orgUnitId: _, ...r }) => r) };
      });
    },

    // ---- entries ----

    /** One entry with its items, scores, computed values and vetoes; 404 outside the actor's area. */
    async getEntry(actor: Actor, id: string) {
      return detail(db, actor, await mustEntry(db, actor, id));
    },

    /**
     * Saves scores of the unit's own self-check (scores not sent stay as they were). Items scored
     * by indicators are filled in from them; a different figure needs a reason.
     */
    async selfCheck(actor: Actor, id: string, input: SelfCheckInput) {
      return runChange(actor, async (ctx) => {
        const { entry, round, standard, unit, scores } = await context(ctx.tx, actor, id);
        if (!selfChecks(actor, entry)) throw refused(`The self-check of ${entry.unitName} is done by its own accounts`);
        if (entry.status !== 'draft') throw frozen(entry);
        assertVersion(STALE, entry, input.version);
        const computed = await computeIndicators(ctx.tx, unit, round.year, standard);
        const selfRows = new Map(scores.filter((s) => s.stage === 'self').map((s) => [s.itemCode, s]));
        const problems: FieldProblem[] = [];
        const rows = await scoreRows(ctx.tx, actor, entry, 'self', input.scores, standard, computed, selfRows, problems);
        if (problems.length) throw validationFailed(problems);
        const given = new Set(rows.map((r) => r.itemCode));
        const all = [...rows.map((r) => ({ ...r, entryId: id })), ...refreshedComputed(actor, id, computed, selfRows, given)];
        await repo.upsertScores(ctx.tx, all);
        const after = await repo.listScores(ctx.tx, [id]);
        const { total } = totals(standard.items, standard.bonusItems, pointsOf(after, ['self']));
        if (!(await repo.updateEntry(ctx.tx, id, entry.version, { selfScore: total }))) throw conflict(STALE);
        ctx.audit({
          action: 'assessment_entry.self_check',
          entity: 'assessment_entry',
          entityId: id,
          orgUnitId: entry.orgUnitId,
          before: {
            selfScore: entry.selfScore,
            scores: rows.map((r) => selfRows.get(r.itemCode) ?? { itemCode: r.itemCode, points: null }),
          },
          after: { selfScore: total, scores: rows },
        });
        return changed(ctx, actor, await mustEntry(ctx.tx, actor, id));
      });
    },

    /** Submits the self-check: every item scored, the indicators' figures frozen with their basis. */
    async submit(actor: Actor, id: string) {
      return runChange(actor, async (ctx) => {
        const { entry, round, standard, unit, scores } = await context(ctx.tx, actor, id);
        if (!selfChecks(actor, entry)) throw refused(`The self-check of ${entry.unitName} is submitted by its own accounts`);
        if (entry.status !== 'draft') throw frozen(entry);
        const computed = await computeIndicators(ctx.tx, unit, round.year, standard);
        const selfRows = new Map(scores.filter((s) => s.stage === 'self').map((s) => [s.itemCode, s]));
        await repo.upsertScores(ctx.tx, refreshedComputed(actor, id, computed, selfRows, new Set()));
        const after = await repo.listScores(ctx.tx, [id]);
        const points = pointsOf(after, ['self']);
        const missing = flatten(standard.items).filter((f) => f.leaf && !points.has(f.item.code));
        if (missing.length)
          throw conflict(
            `The self-check is not complete: ${missing.map((f) => `${f.item.code} ${f.item.title}`).join('；')}`,
            missing.map((f) => ({
              path: `scores.${f.item.code}`,
              message: computed.get(f.item.code) ? `${explainFlag(computed.get(f.item.code))}: score it by hand` : 'not scored',
            })),
          );
        const { total } = totals(standard.items, standard.bonusItems, points);
        const now = new Date();
        if (
          !(await repo.updateEntry(ctx.tx, id, entry.version, {
            status: 'submitted',
            selfScore: total,
            submittedAt: now,
            submittedBy: actor.username,
          }))
        )
          throw conflict(STALE);
        ctx.audit({
          action: 'assessment_entry.submit',
          entity: 'assessment_entry',
          entityId: id,
          orgUnitId: entry.orgUnitId,
          before: { status: entry.status },
          after: { status: 'submitted', selfScore: total, computed: Object.fromEntries(computed) },
        });
        return changed(ctx, actor, await mustEntry(ctx.tx, actor, id));
      });
    },

    /** The review by the level above: adjusted scores (with reasons), veto hits, site inspections. */
    async review(actor: Actor, id: string, input: ReviewInput) {
      return runChange(actor, async (ctx) => {
        const { entry, round, standard, scores } = await context(ctx.tx, actor, id);
        if (!reviews(actor, round)) throw refused(`Entries of this round are reviewed by ${round.unitName}`);
        if (entry.status === 'draft') throw conflict(`The self-check of ${entry.unitName} is not submitted yet`);
        if (entry.status === 'final') throw frozen(entry);
        assertVersion(STALE, entry, input.version);
        const selfRows = new Map(scores.filter((s) => s.stage === 'self').map((s) => [s.itemCode, s]));
        const reviewRows = new Map(scores.filter((s) => s.stage === 'review').map((s) => [s.itemCode, s]));
        const problems: FieldProblem[] = [];
        const rows = await scoreRows(ctx.tx, actor, entry, 'review', input.scores, standard, new Map(), selfRows, problems);
        const vetoCodes = new Set(standard.vetoItems.map((v) => v.code));
        input.vetoItemCodes?.forEach((code, i) => {
          if (!vetoCodes.has(code)) problems.push({ path: `body.vetoItemCodes.${i}`, message: `no veto item ${code} in the standard` });
        });
        for (const [i, inspection] of (input.inspections ?? []).entries())
          for (const [j, fileId] of inspection.fileIds.entries())
            if (!(await filesRepo.attachInScope(ctx.tx, actor, fileId, entry.orgUnitId)))
              problems.push({ path: `body.inspections.${i}.fileIds.${j}`, message: 'no such file in your area' });
        if (problems.length) throw validationFailed(problems);
        await repo.upsertScores(
          ctx.tx,
          rows.map((r) => ({ ...r, entryId: id })),
        );
        const after = await repo.listScores(ctx.tx, [id]);
        const { total } = totals(standard.items, standard.bonusItems, pointsOf(after, ['self', 'review']));
        const changes = {
          status: 'reviewing' as const,
          reviewScore: total,
          reviewedAt: new Date(),
          reviewedBy: actor.username,
          ...(input.vetoItemCodes ? { reviewVetoCodes: [...new Set(input.vetoItemCodes)] } : {}),
          ...(input.inspections ? { inspections: input.inspections } : {}),
        };
        if (!(await repo.updateEntry(ctx.tx, id, entry.version, changes))) throw conflict(STALE);
        ctx.audit({
          action: 'assessment_entry.review',
          entity: 'assessment_entry',
          entityId: id,
          orgUnitId: entry.orgUnitId,
          before: {
            status: entry.status,
            reviewScore: entry.reviewScore,
            vetoItemCodes: entry.reviewVetoCodes,
            scores: rows.map((r) => reviewRows.get(r.itemCode) ?? { itemCode: r.itemCode, points: null }),
          },
          after: { ...changes, scores: rows },
        });
        return changed(ctx, actor, await mustEntry(ctx.tx, actor, id));
      });
    },

    /** Finalizes the entry: final score, veto hits (reviewers' and indicators'), grade. Never undone. */
    async finalize(actor: Actor, id: string) {
      return runChange(actor, async (ctx) => {
        const { entry, round, standard, scores } = await context(ctx.tx, actor, id);
        if (!reviews(actor, round)) throw refused(`Entries of this round are finalized by ${round.unitName}`);
        if (entry.status === 'draft') throw conflict(`The self-check of ${entry.unitName} is not submitted yet`);
        if (entry.status === 'final') throw frozen(entry);
        const { total } = totals(standard.items, standard.bonusItems, pointsOf(scores, ['self', 'review']));
        const hits = vetoHitsOf(standard, entry.reviewVetoCodes, storedComputed(scores));
        const vetoed = hits.length > 0;
        const grade = gradeOf(standard.grades, total, vetoed);
        const changes = {
          status: 'final' as const,
          finalScore: total,
          vetoed,
          vetoHits: hits,
          grade,
          finalizedAt: new Date(),
          finalizedBy: actor.username,
        };
        if (!(await repo.updateEntry(ctx.tx, id, entry.version, changes))) throw conflict(STALE);
        ctx.audit({
          action: 'assessment_entry.finalize',
          entity: 'assessment_entry',
          entityId: id,
          orgUnitId: entry.orgUnitId,
          before: { status: entry.status },
          after: changes,
        });
        return changed(ctx, actor, await mustEntry(ctx.tx, actor, id));
      });
    },

    /**
     * A unit's result for a year (同奖惩 in the responsibility register): its entry, and once final
     * the score, grade, vetoes, the points of every item and its titles; null when it was not assessed.
     */
    async resultOf(
      tx: Tx,
      actor: Actor,
      unitId: number,
      year: number,
    ): Promise<{ result: UnitResult; itemPoints: Map<string, number | null> } | null> {
      const entry = await repo.entryOfUnitInYear(tx, actor, unitId, year);
      if (!entry) return null;
      const final = entry.status === 'final';
      let itemPoints = new Map<string, number | null>();
      if (final) {
        const round = found(await repo.findRound(tx, entry.roundId), 'Round');
        const standard = await mustStandard(tx, round.standardId);
        itemPoints = totals(
          standard.items,
          standard.bonusItems,
          pointsOf(await repo.listScores(tx, [entry.id]), ['self', 'review']),
        ).byCode;
      }
      const titles = await repo.listTitles(tx, actor, { unitId, year });
      return {
        result: {
          entryId: entry.id,
          roundId: entry.roundId,
          status: entry.status,
          finalScore: final ? entry.finalScore : null,
          grade: final ? entry.grade : null,
          vetoed: final && entry.vetoed,
          titles: titles.map((t) => ({ level: t.level, documentNumber: t.documentNumber, date: t.date, status: t.status })),
        },
        itemPoints,
      };
    },

    /** The score sheet of an entry as a workbook: every score with its explanation. */
    async sheet(actor: Actor, id: string) {
      const entry = await detail(db, actor, await mustEntry(db, actor, id));
      return { entry, workbook: await writeEntrySheet(entry) };
    },

    /** What is due for the actor: their unit's self-checks, and the reviews of the rounds their unit runs. */
    async reminders(actor: Actor, now = new Date()) {
      const today = cstDate(now);
      const own = await repo.unitAtPath(db, actor.orgPath);
      const rows = await repo.openEntries(db, actor);
      const items = [];
      for (const row of rows) {
        let kind: 'self_check' | 'review' | null = null;
        if (row.status === 'draft' && can(actor, 'assessment:self') && isUnitItself(actor, row.unitPath)) kind = 'self_check';
        else if (row.status !== 'draft' && can(actor, 'assessment:review') && own && row.roundUnitId === own.id) kind = 'review';
        if (!kind) continue;
        const due = kind === 'self_check' ? row.selfCheckDue : row.reviewDue;
        const daysLeft = due ? daysBetween(today, due) : null;
        items.push({
          kind,
          roundId: row.roundId,
          entryId: row.entryId,
          year: row.year,
          level: row.level,
          unitCode: row.unitCode,
          unitName: row.unitName,
          status: row.status,
          due,
          daysLeft,
          overdue: daysLeft !== null && daysLeft < 0,
        });
      }
      items.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || (a.unitCode ?? '').localeCompare(b.unitCode ?? ''));
      return { items };
    },
  };
}
export type AssessmentService = ReturnType<typeof createAssessmentService>;

/** Why an indicator left an item unscored. */
function explainFlag(c: ComputedScore | undefined) {
  if (!c) return 'not scored';
  if (c.status === 'unregistered') return `indicator ${c.indicator} is not registered`;
  if (c.status === 'no_data') return `indicator ${c.indicator} counted nothing this year`;
  if (c.status === 'no_curve') return `no curve turns ${c.indicator} into points`;
  return 'not scored';
}
