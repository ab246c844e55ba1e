import type { Tx } from '../db/connection.js';
import { createWatchlistsRepo } from '../modules/watchlists/index.js';
import type { Actor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';
import { createAuthRepo } from '../platform/auth/auth.repo.js';
import { createOrgRepo } from '../platform/org/org.repo.js';

/**
 * The vehicles the demonstration watchlist watches, as the demo road traffic drives them: a
 * timber truck by its plate, and a pickup whose plate was read with one character unknown (the
 * entry is a pattern). The traffic drives each about one trip an hour, so a demo shows hits.
 */
export const DEMO_WATCHED_VEHICLES = [
  { plate: '云F8K372', entry: '云F8K372', plateColor: 'yellow', vehicleType: '重型货车', note: '夜间运出无证木材（演示）' },
  { plate: '云F5T019', entry: '云F5T0?9', plateColor: 'blue', vehicleType: '轻型货车', note: '号牌第六位未看清（演示）' },
] as const;

const DAY_MS = 86_400_000;

/**
 * The demonstration city-wide watchlist (布控, notice clause 九): filed by the command centre's duty officer
 * a month before the seed day, in force for a year from it, and approved by the city office, the level above, as an office
 * would do it in the app. Its name and reason say 演示 (demo).
 */
export async function seedDemoWatchlist(tx: Tx, actor: Actor, now = new Date()): Promise<void> {
  const orgRepo = createOrgRepo();
  const authRepo = createAuthRepo();
  const owner = await authRepo.findUserByUsername(tx, 'duty');
  const approver = await authRepo.findUserByUsername(tx, 'city');
  if (!owner || !approver) throw new Error('The demo watchlist needs the demo accounts duty and city');
  // A city-wide watchlist: it belongs to the city, whichever office of it filed it.
  const unit = await orgRepo.root(tx);
  if (!unit) throw new Error('The territory has no root unit');
  const repo = createWatchlistsRepo();
  const input = {
    name: '涉嫌非法运输木材车辆（演示）',
    reason: '群众举报：车辆夜间从林区运出木材，未见运输证（演示数据）',
    orgUnitId: unit.id,
    ownerId: owner.id,
    ownerUsername: owner.username,
    validFrom: new Date(now.getTime() - 30 * DAY_MS),
    validTo: new Date(now.getTime() + 365 * DAY_MS),
    entries: DEMO_WATCHED_VEHICLES.map((v) => ({ plate: v.entry, note: v.note })),
    sharedWith: [],
  };
  const id = await repo.insert(tx, input);
  const approved = await repo.setState(tx, actor, id, {
    from: ['pending'],
    to: 'approved',
    version: 1,
    by: approver.username,
    note: '同意布控（演示）',
  });
  if (!approved) throw new Error('The demo watchlist could not be approved');
  await createAuditRepo().insert(tx, actor, [
    {
      action: 'watchlist.create',
      entity: 'watchlist',
      entityId: id,
      orgUnitId: unit.id,
      after: { ...input, entries: input.entries.map((e) => e.plate), source: '演示数据' },
    },
    {
      action: 'watchlist.approved',
      entity: 'watchlist',
      entityId: id,
      orgUnitId: unit.id,
      before: { state: 'pending' },
      after: { state: 'approved', by: approver.username },
    },
  ]);
}
