import type { Db, Tx } from '../../db/connection.js';
import { AppError } from '../errors.js';
import type { AuthRepo } from './auth.repo.js';

/**
 * How one kind of throttle key counts failed password checks in a window of `windowSeconds`
 * (starting at the first failure): the failure that reaches `limit`, and each one after it, blocks
 * the key for a delay that doubles from `firstDelaySeconds` up to `maxDelaySeconds`.
 */
export type ThrottlePolicy = {
  limit: number;
  windowSeconds: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
};

/** One username tried from one address: a user who mistypes is slowed a little, a guesser a lot. */
export const ACCOUNT_AT_ADDRESS: ThrottlePolicy = { limit: 5, windowSeconds: 86_400, firstDelaySeconds: 15, maxDelaySeconds: 900 };

/** One address, whatever the usernames: tries of many accounts from one place (password spraying). */
export const ADDRESS: ThrottlePolicy = { limit: 100, windowSeconds: 3_600, firstDelaySeconds: 60, maxDelaySeconds: 900 };

/** One address within a minute (`LOGIN_FAILURES_PER_MINUTE`): an office behind one NAT signs in freely, failures are capped. */
export const addressPerMinute = (failuresPerMinute: number): ThrottlePolicy => ({
  limit: failuresPerMinute,
  windowSeconds: 60,
  firstDelaySeconds: 60,
  maxDelaySeconds: 60,
});

/** The block a key earns with its `failures`-th failure in the window, in seconds (0: none yet). */
export function throttleDelaySeconds(policy: ThrottlePolicy, failures: number): number {
  const past = failures - policy.limit;
  if (past < 0) return 0;
  return Math.min(policy.firstDelaySeconds * 2 ** Math.min(past, 30), policy.maxDelaySeconds);
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', `Too many failed attempts; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });

type Deps = { db: Db; authRepo: AuthRepo; failuresPerMinute: number };

/**
 * Throttles password checks (sign-in and password change) by username and address, and by address
 * alone. Nothing here depends on whether the username exists, so the answers never tell; and since
 * every key includes the address, failures from one place never stop the right password from another.
 */
export function createSignInThrottle({ db, authRepo, failuresPerMinute }: Deps) {
  const keysOf = (username: string, address: string | null) => {
    const where = address ?? 'unknown';
    return [
      { kind: 'account_at_address', key: `account:${username.trim().toLowerCase()}@${where}`, policy: ACCOUNT_AT_ADDRESS },
      { kind: 'address', key: `address:${where}`, policy: ADDRESS },
      { kind: 'address_per_minute', key: `address-minute:${where}`, policy: addressPerMinute(failuresPerMinute) },
    ];
  };

  return {
    /** Throws 429 `too_many_attempts` (with the seconds to wait) while any key of this attempt is blocked. */
    async check(username: string, address: string | null) {
      const now = new Date();
      const until = await authRepo.throttleBlockedUntil(
        db,
        keysOf(username, address).map((k) => k.key),
        now,
      );
      if (until) throw tooManyAttempts(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)));
    },

    /** Counts a failed check against every key; returns the blocks it started, for the audit log. */
    async fail(tx: Tx, username: string, address: string | null) {
      const now = new Date();
      await authRepo.sweepThrottle(tx, now);
      const started: { kind: string; seconds: number }[] = [];
      for (const { kind, key, policy } of keysOf(username, address)) {
        const failures = await authRepo.countThrottleFailure(tx, key, now, policy.windowSeconds);
        const seconds = throttleDelaySeconds(policy, failures);
        if (seconds > 0) {
          await authRepo.blockThrottleKey(tx, key, new Date(now.getTime() + seconds * 1000));
          started.push({ kind, seconds });
        }
      }
      return started;
    },

    /** The right password from an address clears that username's count there (the address counts stay). */
    succeed: (tx: Tx, username: string, address: string | null) => authRepo.clearThrottleKey(tx, keysOf(username, address)[0].key),
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
