import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../actor.js';
import type { RunChange, Visitor } from '../change.js';
import { AppError, badRequest, conflict, found } from '../errors.js';
import { sessionEnded } from '../events.js';
import type { AuthRepo } from './auth.repo.js';
import { hashPassword, passwordProblem, passwordWeakness, verifyPassword } from './passwords.js';
import { createSignInThrottle } from './sign-in-throttle.js';

// Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
const decoyHash = hashPassword(randomBytes(16).toString('hex'));

type Deps = {
  db: Db;
  authRepo: AuthRepo;
  runChange: RunChange;
  sessionHours: number;
  /** Failed sign-ins one address may make in a minute before it waits (`LOGIN_FAILURES_PER_MINUTE`). */
  loginFailuresPerMinute: number;
};

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Wrong username or password');

/** Refuses a new password that breaks the policy, naming the field and the reason. */
function assertAcceptablePassword(password: string, username: string, path: string) {
  const weakness = passwordWeakness(password, username);
  if (weakness) {
    const problem = passwordProblem(path, weakness);
    throw new AppError(400, 'weak_password', problem.message, [problem]);
  }
}

export function createAuthService({ db, authRepo, runChange, sessionHours, loginFailuresPerMinute }: Deps) {
  const throttle = createSignInThrottle({ db, authRepo, failuresPerMinute: loginFailuresPerMinute });

  /** Builds the actor of a user: their org path and the union of their roles' permissions. */
  async function actorOf(userId: string, address: string | null): Promise<Actor | null> {
    const p = await authRepo.loadPrincipal(db, userId);
    if (!p?.active) return null;
    return {
      userId: p.id,
      username: p.username,
      displayName: p.displayName,
      orgUnitId: p.orgUnitId,
      orgPath: p.orgPath,
      roles: p.roles.map((r) => r.id),
      permissions: new Set(p.roles.flatMap((r) => r.permissions)),
      address,
    };
  }

  return {
    actorOf,

    /**
     * Checks a password and opens a session. Failures are throttled by username and address and by
     * address (429 `too_many_attempts` while blocked); an unknown username is answered exactly like a
     * wrong password, after as long. All outcomes are audited.
     */
    async signIn(username: string, password: string, address: string | null) {
      const attempt = await throttle.admit(username, address);
      const user = await authRepo.findUserByUsername(db, username);
      const known = user?.active ? user : null;
      const visitor: Visitor = { kind: 'visitor', userId: known?.id ?? null, username, address };
      const about = known ? { entity: 'user', entityId: known.id, orgUnitId: known.orgUnitId } : { entity: 'user' };
      if (!known || !(await verifyPassword(known.passwordHash, password))) {
        if (!known) await verifyPassword(await decoyHash, password);
        await runChange(visitor, async ({ tx, audit }) => {
          const blocks = await throttle.fail(tx, attempt);
          audit({ ...about, action: 'auth.sign_in_failed', after: { reason: known ? 'wrong_password' : 'unknown_user' } });
          for (const block of blocks) audit({ ...about, action: 'auth.throttled', after: block });
        });
        throw invalidCredentials();
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + sessionHours * 3_600_000);
      await runChange(visitor, async ({ tx, audit }) => {
        await throttle.succeed(tx, attempt);
        await authRepo.createSession(tx, token, known.id, expiresAt, address);
        audit({ ...about, action: 'auth.sign_in' });
      });
      return { token, expiresAt };
    },

    /** The actor behind a session cookie, or null when the session is unknown or expired. */
    async actorOfSession(token: string, address: string | null) {
      const userId = await authRepo.findSessionUser(db, token);
      return userId ? actorOf(userId, address) : null;
    },

    async signOut(actor: Actor, token: string) {
      await runChange(actor, async ({ tx, audit, emit }) => {
        await authRepo.deleteSession(tx, token);
        emit(sessionEnded(actor.userId, actor.orgPath, 'signed_out'));
        audit({ action: 'auth.sign_out', entity: 'user', entityId: actor.userId, orgUnitId: actor.orgUnitId });
      });
    },

    /** The signed-in user's profile with the permission codes the UI uses to hide what they may not do. */
    async me(actor: Actor) {
      const p = found(await authRepo.loadPrincipal(db, actor.userId), 'User');
      return {
        id: p.id,
        username: p.username,
        displayName: p.displayName,
        orgUnit: { id: p.orgUnitId, name: p.orgName, kind: p.orgKind, path: p.orgPath },
        roles: p.roles.map((r) => ({ id: r.id, name: r.name, nameEn: r.nameEn })),
        permissions: [...new Set(p.roles.flatMap((r) => r.permissions))].sort(),
        mustChangePassword: p.mustChangePassword,
      };
    },

    /**
     * Changes the actor's own password after checking the current one, throttled like sign-in; the new
     * one must meet the policy. Every session is replaced by a new one.
     */
    async changePassword(actor: Actor, currentPassword: string, newPassword: string) {
      const attempt = await throttle.admit(actor.username, actor.address);
      const user = found(await authRepo.findUserById(db, actor.userId), 'User');
      const about = { entity: 'user', entityId: user.id, orgUnitId: user.orgUnitId };
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        await runChange(actor, async ({ tx, audit }) => {
          const blocks = await throttle.fail(tx, attempt);
          audit({ ...about, action: 'auth.password_change_failed', after: { reason: 'wrong_password' } });
          for (const block of blocks) audit({ ...about, action: 'auth.throttled', after: block });
        });
        throw new AppError(400, 'wrong_password', 'The current password is wrong', [
          { path: 'body.currentPassword', message: 'wrong password' },
        ]);
      }
      // The right current password settles the attempt; refusing the new one below is not a failed guess.
      await throttle.succeed(db, attempt);
      if (currentPassword === newPassword) {
        throw new AppError(400, 'weak_password', 'The new password must differ from the current one', [
          { path: 'body.newPassword', message: 'same as the current password', reason: 'same_as_current' },
        ]);
      }
      assertAcceptablePassword(newPassword, user.username, 'body.newPassword');
      const passwordHash = await hashPassword(newPassword);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + sessionHours * 3_600_000);
      await runChange(actor, async ({ tx, audit, emit }) => {
        await authRepo.setPassword(tx, user.id, passwordHash, false);
        await authRepo.deleteSessionsOfUser(tx, user.id);
        emit(sessionEnded(user.id, actor.orgPath, 'password_changed'));
        await authRepo.createSession(tx, token, user.id, expiresAt, actor.address);
        audit({ action: 'auth.password_changed', entity: 'user', entityId: user.id, orgUnitId: user.orgUnitId });
      });
      return { token, expiresAt };
    },

    /** Creates a user (CLI); the username must be new, the roles must exist and the password must meet the policy. */
    async createUser(
      actor: Actor,
      input: {
        username: string;
        displayName: string;
        orgUnitId: number;
        password: string;
        roleIds: string[];
        mustChangePassword?: boolean;
      },
    ) {
      assertAcceptablePassword(input.password, input.username, 'password');
      if (await authRepo.findUserByUsername(db, input.username)) throw conflict(`User ${input.username} exists`);
      const known = await authRepo.existingRoleIds(db, input.roleIds);
      const unknown = input.roleIds.filter((r) => !known.includes(r));
      if (unknown.length) throw badRequest(`Unknown roles: ${unknown.join(', ')}`, [{ path: 'roles', message: 'unknown role' }]);
      const passwordHash = await hashPassword(input.password);
      return runChange(actor, async ({ tx, audit }) => {
        const user = await authRepo.createUser(tx, { ...input, passwordHash });
        audit({
          action: 'user.create',
          entity: 'user',
          entityId: user.id,
          orgUnitId: user.orgUnitId,
          after: { username: user.username, displayName: user.displayName, orgUnitId: user.orgUnitId, roles: input.roleIds },
        });
        return user;
      });
    },

    /** Sets a new password for a user (CLI), within the policy; their sessions are closed and they must change it at next sign-in. */
    async resetPassword(actor: Actor, username: string, password: string) {
      const user = found(await authRepo.findUserByUsername(db, username), `User ${username}`);
      assertAcceptablePassword(password, user.username, 'password');
      const passwordHash = await hashPassword(password);
      await runChange(actor, async ({ tx, audit, emit }) => {
        await authRepo.setPassword(tx, user.id, passwordHash, true);
        await authRepo.deleteSessionsOfUser(tx, user.id);
        emit(sessionEnded(user.id, actor.orgPath, 'password_reset'));
        audit({ action: 'user.reset_password', entity: 'user', entityId: user.id, orgUnitId: user.orgUnitId });
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
