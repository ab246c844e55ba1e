import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/connection.js';
import { createStationStandardsRepo, SAMPLE_CHECKLIST } from '../modules/station-standards/index.js';
import { levelOf } from '../modules/station-standards/station-standards.levels.js';
import type { ItemResult } from '../modules/station-standards/station-standards.schema.js';
import type { Actor } from '../platform/actor.js';
import { systemActor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';
import { cstYear } from '../platform/dates.js';
import { createOrgRepo } from '../platform/org/org.repo.js';
import { seededRandom } from './seeded-random.js';

/**
 * The sample "五化" checklist (marked `sample`) as this year's, when no year has one: reference data
 * like the sample assessment standard, added on every start while missing; an office's own
 * checklists are left as they are.
 */
export async function seedSampleChecklist(db: Db): Promise<void> {
  const repo = createStationStandardsRepo();
  if ((await repo.checklists(db)).length > 0) return;
  await db.transaction(async (tx) => {
    const root = await createOrgRepo().root(tx);
    if (!root) throw new Error('The territory has no root unit');
    const year = cstYear();
    await insertSample(tx, year);
    await createAuditRepo().insert(tx, systemActor(root.path, root.id), [
      {
        action: 'station_checklist.create',
        entity: 'station_checklist',
        entityId: String(year),
        orgUnitId: root.id,
        after: { ...SAMPLE_CHECKLIST, year, sample: true },
      },
    ]);
  });
}

async function insertSample(tx: Tx, year: number) {
  const repo = createStationStandardsRepo();
  const { items, ...fields } = SAMPLE_CHECKLIST;
  await repo.insertChecklist(tx, { year, ...fields, sample: true, updatedBy: 'system' });
  await repo.replaceItems(tx, year, items);
}

/**
 * Demonstration "五化" ratings of last year (marked `demo`, their notes say 演示数据) on the sample
 * checklist: of the police stations of the site register, most confirmed by their county at a
 * level the invented results give, one in three of the rest submitted and waiting for review, the
 * others not started — so the dashboard and its map are not empty on a first start.
 */
export async function seedDemoStationRatings(tx: Tx, actor: Actor): Promise<void> {
  const repo = createStationStandardsRepo();
  const year = cstYear() - 1;
  if (!(await repo.checklist(tx, year))) await insertSample(tx, year);
  const list = await repo.checklist(tx, year);
  if (!list) return;
  const items = await repo.items(tx, year);
  const { rows: stations } = await tx.execute<{ id: string; org_unit_id: number; code: string }>(sql`
    SELECT s.id, s.org_unit_id, u.code FROM sites s JOIN org_units u ON u.id = s.org_unit_id
    WHERE s.kind = 'police_station' AND s.deleted_at IS NULL ORDER BY u.code, s.name`);
  const audits: Parameters<ReturnType<typeof createAuditRepo>['insert']>[2] = [];
  for (const [n, station] of stations.entries()) {
    const random = seededRandom(Number(station.code?.replace(/\D/g, '') ?? n) + n);
    const stage = n % 5 === 4 ? 'none' : n % 5 === 3 ? 'submitted' : 'confirmed';
    if (stage === 'none') continue;
    // Most stations pass most items (each fails one item in ten to twenty); key items fail less often.
    const failRate = 0.03 + random() * 0.15;
    const results = items.map((item) => {
      const roll = random();
      const result: ItemResult =
        item.evidence === null && roll > 0.93 ? 'na' : roll < (item.key ? failRate / 3 : failRate) ? 'fail' : 'pass';
      return { item, result };
    });
    const level = levelOf(
      results.map((r) => ({ dimension: r.item.dimension, key: r.item.key, result: r.result })),
      list,
    );
    const submittedAt = new Date(Date.UTC(year, 10, 10 + (n % 15), 2));
    const confirmedAt = new Date(Date.UTC(year, 11, 5 + (n % 15), 6));
    const rating = await repo.insertRating(tx, {
      siteId: station.id,
      orgUnitId: station.org_unit_id,
      year,
      status: stage,
      computedLevel: level,
      level: stage === 'confirmed' ? level : null,
      reviewComment: stage === 'confirmed' ? '演示数据：经县级实地检查核定。' : null,
      submittedAt,
      submittedBy: 'system',
      reviewedAt: stage === 'confirmed' ? confirmedAt : null,
      reviewedBy: stage === 'confirmed' ? 'system' : null,
      confirmedAt: stage === 'confirmed' ? confirmedAt : null,
      confirmedBy: stage === 'confirmed' ? 'system' : null,
      demo: true,
    });
    await repo.upsertRatingItems(
      tx,
      rating.id,
      results.map(({ item, result }) => ({ itemId: item.id, selfResult: result, selfNote: '演示数据', evidenceFileIds: [] })),
    );
    if (stage === 'confirmed')
      await repo.upsertRatingItems(
        tx,
        rating.id,
        results.map(({ item, result }) => ({ itemId: item.id, reviewResult: result, reviewComment: null })),
      );
    audits.push({
      action: 'seed.station_rating',
      entity: 'station_rating',
      entityId: rating.id,
      orgUnitId: station.org_unit_id,
      after: { year, status: stage, level: stage === 'confirmed' ? level : null, source: '演示数据' },
    });
  }
  if (audits.length) await createAuditRepo().insert(tx, actor, audits);
}
