import { createHash } from 'node:crypto';
import { and, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { orgUnits } from '../org/org.tables.js';
import { effectiveScopePath } from '../scope.js';
import { roles, sessions, signInThrottle, userRoles, users } from './auth.tables.js';
import type { ThrottlePolicy } from './sign-in-throttle.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAuthRepo() {
  return {
    findUserByUsername: async (tx: Tx, username: string) =>
      (await tx.select().from(users).where(eq(users.username, username)).limit(1))[0] ?? null,

    findUserById: async (tx: Tx, id: string) => (await tx.select().from(users).where(eq(users.id, id)).limit(1))[0] ?? null,

    /** Everything needed to build an actor for the user, or null. */
    async loadPrincipal(tx: Tx, userId: string) {
      const [row] = await tx
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          orgUnitId: users.orgUnitId,
          unitPath: orgUnits.path,
          parentPath: sql<string | null>`(SELECT p.path FROM org_units p WHERE p.id = ${orgUnits.parentId})`,
          orgName: orgUnits.name,
          orgKind: orgUnits.kind,
          mustChangePassword: users.mustChangePassword,
          active: users.active,
        })
        .from(users)
        .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
        .where(eq(users.id, userId));
      if (!row) return null;
      const { unitPath, parentPath, ...principal } = row;
      const orgPath = effectiveScopePath({ kind: row.orgKind, path: unitPath, parentPath });
      const roleRows = await tx
        .select({ id: roles.id, name: roles.name, nameEn: roles.nameEn, permissions: roles.permissions })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(eq(userRoles.userId, userId));
      return { ...principal, orgPath, roles: roleRows };
    },

    /** The latest end of a block among the keys, or null when none of them is blocked at `now`. */
    async throttleBlockedUntil(tx: Tx, keys: string[], now: Date) {
      const [row] = await tx
        .select({ until: sql<Date | null>`max(${signInThrottle.blockedUntil})`.mapWith(signInThrottle.blockedUntil) })
        .from(signInThrottle)
        .where(and(inArray(signInThrottle.key, keys), gt(signInThrottle.blockedUntil, now)));
      return row?.until ?? null;
    },

    /**
     * Counts one attempt against a throttle key in one statement: a window that has ended starts
     * again with this attempt, and the attempt that reaches the policy's limit, or passes it, blocks
     * the key for the doubled delay. With `unlessBlocked` a key blocked at `now` is left as it is and
     * null is answered, so parallel attempts cannot slip past the block an earlier one set.
     */
    async countThrottledAttempt(tx: Tx, key: string, now: Date, policy: ThrottlePolicy, options: { unlessBlocked: boolean }) {
      const t = signInThrottle;
      const windowStartFloor = new Date(now.getTime() - policy.windowSeconds * 1000);
      const windowEnd = new Date(now.getTime() + policy.windowSeconds * 1000);
      const restarts = sql`${t.windowStartedAt} <= ${windowStartFloor}::timestamptz`;
      const failures = sql`(CASE WHEN ${restarts} THEN 1 ELSE ${t.failures} + 1 END)`;
      const blockedUntil = (n: SQL) =>
        sql`(CASE WHEN ${n} >= ${policy.limit}::int THEN ${now}::timestamptz + make_interval(secs => least(${policy.firstDelaySeconds}::float8 * power(2, least(${n} - ${policy.limit}::int, 30)), ${policy.maxDelaySeconds}::float8)) END)`;
      const [row] = await tx
        .insert(t)
        .values({
          key,
          failures: 1,
          windowStartedAt: now,
          blockedUntil: blockedUntil(sql`1`),
          expiresAt: sql`greatest(${windowEnd}::timestamptz, ${blockedUntil(sql`1`)})`,
        })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            failures,
            windowStartedAt: sql`CASE WHEN ${restarts} THEN ${now}::timestamptz ELSE ${t.windowStartedAt} END`,
            blockedUntil: blockedUntil(failures),
            expiresAt: sql`greatest(CASE WHEN ${restarts} THEN ${windowEnd}::timestamptz ELSE ${t.expiresAt} END, ${blockedUntil(failures)})`,
          },
          ...(options.unlessBlocked ? { setWhere: sql`${t.blockedUntil} IS NULL OR ${t.blockedUntil} <= ${now}::timestamptz` } : {}),
        })
        .returning({ failures: t.failures, blockedUntil: t.blockedUntil });
      return row ?? null;
    },

    clearThrottleKey: (tx: Tx, key: string) => tx.delete(signInThrottle).where(eq(signInThrottle.key, key)),

    /** Forgets keys whose window and block have both ended. */
    sweepThrottle: (tx: Tx, now: Date) => tx.delete(signInThrottle).where(lt(signInThrottle.expiresAt, now)),

    setPassword: (tx: Tx, userId: string, passwordHash: string, mustChange: boolean) =>
      tx.update(users).set({ passwordHash, mustChangePassword: mustChange, updatedAt: new Date() }).where(eq(users.id, userId)),

    createSession: (tx: Tx, token: string, userId: string, expiresAt: Date, address: string | null) =>
      tx.insert(sessions).values({ tokenHash: hashToken(token), userId, expiresAt, address }),

    async findSessionUser(tx: Tx, token: string) {
      const [row] = await tx
        .select({ userId: sessions.userId })
        .from(sessions)
        .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())));
      return row?.userId ?? null;
    },

    deleteSession: (tx: Tx, token: string) => tx.delete(sessions).where(eq(sessions.tokenHash, hashToken(token))),

    deleteSessionsOfUser: (tx: Tx, userId: string) => tx.delete(sessions).where(eq(sessions.userId, userId)),

    async createUser(
      tx: Tx,
      input: {
        username: string;
        displayName: string;
        orgUnitId: number;
        passwordHash: string;
        roleIds: string[];
        mustChangePassword?: boolean;
        phone?: string | null;
      },
    ) {
      const [user] = await tx
        .insert(users)
        .values({
          username: input.username,
          displayName: input.displayName,
          orgUnitId: input.orgUnitId,
          passwordHash: input.passwordHash,
          mustChangePassword: input.mustChangePassword ?? false,
          phone: input.phone ?? null,
        })
        .returning();
      if (input.roleIds.length) await tx.insert(userRoles).values(input.roleIds.map((roleId) => ({ userId: user.id, roleId })));
      return user;
    },

    async upsertRoles(tx: Tx, defs: { id: string; name: string; nameEn: string; permissions: string[] }[]) {
      for (const def of defs) {
        await tx
          .insert(roles)
          .values({ ...def, builtIn: true })
          .onConflictDoUpdate({ target: roles.id, set: { name: def.name, nameEn: def.nameEn, permissions: def.permissions } });
      }
    },

    existingRoleIds: async (tx: Tx, ids: string[]) =>
      (await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, ids))).map((r) => r.id),

    listRoles: (tx: Tx) => tx.select().from(roles).orderBy(roles.id),

    countUsers: async (tx: Tx) => (await tx.select({ n: sql<number>`count(*)::int` }).from(users))[0].n,
  };
}
export type AuthRepo = ReturnType<typeof createAuthRepo>;
