import type { DatabaseHandle, Db } from '../db/connection.js';
import { createAssessmentRepo, SAMPLE_STANDARD, standardContent, standardProblems } from '../modules/assessment/index.js';
import { createCamerasRepo } from '../modules/cameras/cameras.repo.js';
import { createGoalsRepo, DEFAULT_GOAL_MEASURES } from '../modules/goals/index.js';
import { createIncidentsRepo } from '../modules/incidents/incidents.repo.js';
import { DEFAULT_INCIDENT_CATEGORIES } from '../modules/incidents/incidents.schema.js';
import { createSitesRepo } from '../modules/sites/sites.repo.js';
import { systemActor } from '../platform/actor.js';
import { createAuditRepo } from '../platform/audit/audit.repo.js';
import { createAuthRepo } from '../platform/auth/auth.repo.js';
import { generatePassword, hashPassword } from '../platform/auth/passwords.js';
import { DEFAULT_ROLES } from '../platform/auth/roles.js';
import { createOrgRepo } from '../platform/org/org.repo.js';
import { demoCameras } from './demo-cameras.js';
import { seedDemoCircles } from './demo-circles.js';
import { demoGoalEntries, goalUnitIds } from './demo-goals.js';
import { seedDemoResponsibilities } from './demo-responsibilities.js';
import { demoSites } from './demo-sites.js';
import { seedDemoStationRatings, seedSampleChecklist } from './demo-station-standards.js';
import { seedDemoWatchlist } from './demo-watchlists.js';
import { seedCheckinPoints, seedRangersAndDevices } from './rangers.js';
import { loadTerritory } from './territory.js';

/** The password of every demo account (documented in README.md as demo-only). */
export const DEMO_PASSWORD = 'SafeForest2026';

/** Demo accounts: username, display name, org unit code, roles. */
export const DEMO_ACCOUNTS: { username: string; displayName: string; orgCode: string; roles: string[] }[] = [
  { username: 'admin', displayName: '系统管理员', orgCode: '530400', roles: ['admin'] },
  { username: 'city', displayName: '市平安林区办', orgCode: '530400', roles: ['city_office'] },
  { username: 'hongta', displayName: '红塔区林业和草原局', orgCode: '530402', roles: ['county_office'] },
  { username: 'jiangchuan', displayName: '江川区林业和草原局', orgCode: '530403', roles: ['county_office'] },
  { username: 'tonghai', displayName: '通海县林业和草原局', orgCode: '530423', roles: ['county_office'] },
  { username: 'huaning', displayName: '华宁县林业和草原局', orgCode: '530424', roles: ['county_office'] },
  { username: 'yimen', displayName: '易门县林业和草原局', orgCode: '530425', roles: ['county_office'] },
  { username: 'eshan', displayName: '峨山县林业和草原局', orgCode: '530426', roles: ['county_office'] },
  { username: 'xinping', displayName: '新平县林业和草原局', orgCode: '530427', roles: ['county_office'] },
  { username: 'yuanjiang', displayName: '元江县林业和草原局', orgCode: '530428', roles: ['county_office'] },
  { username: 'chengjiang', displayName: '澄江市林业和草原局', orgCode: '530481', roles: ['county_office'] },
  { username: 'duty', displayName: '市森林公安局指挥中心值班员', orgCode: '530400-D03', roles: ['duty_officer'] },
  { username: 'police1', displayName: '红塔区森林公安民警', orgCode: '530402-P01', roles: ['police'] },
  { username: 'checkpoint1', displayName: '红塔区木材检查站人员', orgCode: '530402', roles: ['checkpoint_staff'] },
  { username: 'kakou', displayName: '市卡口平台接入账号', orgCode: '530400', roles: ['checkpoint_platform'] },
  { username: 'ranger1', displayName: '护林员 李建华', orgCode: '53040200101', roles: ['ranger'] },
  { username: 'liaison1', displayName: '红塔区联络员', orgCode: '530402', roles: ['liaison'] },
];

export type SeedOutcome = { seeded: boolean; demo: boolean; adminPassword?: string };

/**
 * Loads the roles and the default territory (玉溪市 and its units) unless the tree exists; answers
 * whether it loaded. This is the slow, always-identical part of the first start, so the prepared
 * embedded database (seed/template.ts) holds it already.
 */
export async function seedTerritory(db: Db): Promise<boolean> {
  const authRepo = createAuthRepo();
  const orgRepo = createOrgRepo();
  await authRepo.upsertRoles(db, DEFAULT_ROLES);
  // Reference data like the roles: added when missing on every start, an office's changes kept.
  await createIncidentsRepo().ensureCategories(db, DEFAULT_INCIDENT_CATEGORIES);
  await createGoalsRepo().ensureMeasures(db, DEFAULT_GOAL_MEASURES);
  const loaded = !(await orgRepo.root(db));
  if (loaded) {
    await db.transaction(async (tx) => {
      const territory = await loadTerritory(tx);
      const root = await orgRepo.root(tx);
      if (!root) throw new Error('The territory has no root unit');
      await createAuditRepo().insert(tx, systemActor(root.path, root.id), [
        { action: 'seed.territory', entity: 'org_unit', orgUnitId: root.id, after: territory },
      ]);
    });
  }
  await seedSampleStandard(db);
  await seedSampleChecklist(db);
  return loaded;
}

/**
 * The sample assessment standard (marked as a sample), written from the notice's clauses: added
 * when missing, like the other reference data; an office's own standards are left as they are.
 */
async function seedSampleStandard(db: Db): Promise<void> {
  const assessmentRepo = createAssessmentRepo();
  if (await assessmentRepo.standardNamed(db, SAMPLE_STANDARD.name, SAMPLE_STANDARD.version)) return;
  const problems = standardProblems(SAMPLE_STANDARD);
  if (problems.length) throw new Error(`The sample standard is malformed: ${JSON.stringify(problems)}`);
  const content = standardContent(SAMPLE_STANDARD);
  await db.transaction(async (tx) => {
    const root = await createOrgRepo().root(tx);
    if (!root) throw new Error('The territory has no root unit');
    const id = await assessmentRepo.insertStandard(tx, { ...content, sample: true, basedOnId: null, createdBy: 'system' });
    if (!id) return;
    await createAuditRepo().insert(tx, systemActor(root.path, root.id), [
      { action: 'assessment_standard.create', entity: 'assessment_standard', entityId: id, orgUnitId: root.id, after: content },
    ]);
  });
}

/**
 * Loads the default Yuxi data on an empty database: roles, the territory (unless present), and
 * either the demo accounts and site register (`demo`) or only an administrator with a generated
 * password. A database that already has accounts is left as it is.
 */
export async function seedDatabase(database: DatabaseHandle, options: { demo: boolean }): Promise<SeedOutcome> {
  const { db } = database;
  const authRepo = createAuthRepo();
  const orgRepo = createOrgRepo();
  const auditRepo = createAuditRepo();
  await seedTerritory(db);
  if ((await authRepo.countUsers(db)) > 0) return { seeded: false, demo: options.demo };

  return db.transaction(async (tx) => {
    const root = await orgRepo.root(tx);
    if (!root) throw new Error('The territory has no root unit');
    const actor = systemActor(root.path, root.id);

    const accounts = options.demo ? DEMO_ACCOUNTS : [{ username: 'admin', displayName: '系统管理员', orgCode: '530400', roles: ['admin'] }];
    const password = options.demo ? DEMO_PASSWORD : generatePassword();
    const passwordHash = await hashPassword(password);
    for (const account of accounts) {
      const unit = await orgRepo.findByCode(tx, account.orgCode);
      if (!unit) throw new Error(`Seed account ${account.username}: no org unit ${account.orgCode}`);
      const user = await authRepo.createUser(tx, {
        username: account.username,
        displayName: account.displayName,
        orgUnitId: unit.id,
        passwordHash,
        roleIds: account.roles,
        mustChangePassword: !options.demo,
      });
      await auditRepo.insert(tx, actor, [
        {
          action: 'user.create',
          entity: 'user',
          entityId: user.id,
          orgUnitId: unit.id,
          after: { username: user.username, roles: account.roles },
        },
      ]);
    }

    if (options.demo) {
      const inputs = await demoSites(tx);
      const ids = await createSitesRepo().insertMany(tx, inputs);
      await auditRepo.insert(
        tx,
        actor,
        ids.map((id, i) => ({ action: 'site.create', entity: 'site', entityId: id, orgUnitId: inputs[i].orgUnitId, after: inputs[i] })),
      );
      const cameraRows = await demoCameras(tx);
      const camerasRepo = createCamerasRepo();
      const cameraIds: string[] = [];
      for (const row of cameraRows) cameraIds.push(await camerasRepo.insert(tx, row));
      await auditRepo.insert(
        tx,
        actor,
        cameraIds.map((id, i) => ({
          action: 'camera.create',
          entity: 'camera',
          entityId: id,
          orgUnitId: cameraRows[i].orgUnitId,
          after: { ...cameraRows[i], source: '演示数据' },
        })),
      );
      await seedRangersAndDevices(tx, actor);
      await seedCheckinPoints(tx, actor);
      await seedDemoResponsibilities(tx, actor);
      await seedDemoStationRatings(tx, actor);
      await seedDemoCircles(tx, actor);
      await seedDemoWatchlist(tx, actor);
      const goalEntries = await createGoalsRepo().insertEntries(tx, demoGoalEntries(await goalUnitIds(tx), '530400'));
      await auditRepo.insert(tx, actor, [
        {
          action: 'seed.goal_entries',
          entity: 'goal_entry',
          orgUnitId: root.id,
          after: { entries: goalEntries.length, source: '演示数据' },
        },
      ]);
    }
    return { seeded: true, demo: options.demo, ...(options.demo ? {} : { adminPassword: password }) };
  });
}
