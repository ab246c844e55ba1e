import type { Db, Tx } from '../../db/connection.js';
import { AppError } from '../errors.js';
import type { AuthRepo } from './auth.repo.js';

/**
 * How one kind of throttle key counts failed password checks in a window of `windowSeconds`
 * (starting at the first failure): the failure that reaches `limit`, and each one after it, blocks
 * the key for a delay that doubles from `firstDelaySeconds` up to `maxDelaySeconds`. (A username at
 * an address counts each attempt as it starts and takes it back when the password is right.)
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

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', `Too many failed attempts; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });

type Deps = { db: Db; authRepo: AuthRepo; failuresPerMinute: number };

/** An attempt let through, and the block its username-at-address key took on with it (seconds, or null). */
export type AdmittedAttempt = { username: string; address: string | null; accountBlockSeconds: number | null };

const secondsFrom = (now: Date, until: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/**
 * Throttles password checks (sign-in and password change) by username and address, and by address
 * alone. Nothing here depends on whether the username exists, so the answers never tell; and since
 * every key includes the address, failures from one place never stop the right password from another.
 */
export function createSignInThrottle({ db, authRepo, failuresPerMinute }: Deps) {
  const accountKey = (username: string, address: string | null) => `account:${username.trim().toLowerCase()}@${address ?? 'unknown'}`;
  const addressKeys = (address: string | null) => [
    { kind: 'address', key: `address:${address ?? 'unknown'}`, policy: ADDRESS },
    { kind: 'address_per_minute', key: `address-minute:${address ?? 'unknown'}`, policy: addressPerMinute(failuresPerMinute) },
  ];

  async function refuse(keys: string[], now: Date): Promise<never> {
    const until = await authRepo.throttleBlockedUntil(db, keys, now);
    throw tooManyAttempts(until ? secondsFrom(now, until) : 1);
  }

  return {
    /**
     * Lets a password check go ahead, or throws 429 `too_many_attempts` (with the seconds to wait)
     * while a key of the attempt is blocked. The attempt is counted against its username-at-address
     * key before the password is checked — a success takes it back — so a burst of parallel guesses
     * gets no more checks than guesses made one after another.
     */
    async admit(username: string, address: string | null): Promise<AdmittedAttempt> {
      const now = new Date();
      const account = accountKey(username, address);
      const byAddress = addressKeys(address).map((k) => k.key);
      if (await authRepo.throttleBlockedUntil(db, byAddress, now)) await refuse(byAddress, now);
      const counted = await authRepo.countThrottledAttempt(db, account, now, ACCOUNT_AT_ADDRESS, { unlessBlocked: true });
      if (!counted) return refuse([account], now);
      return { username, address, accountBlockSeconds: counted.blockedUntil ? secondsFrom(now, counted.blockedUntil) : null };
    },

    /**
     * Records that the admitted attempt failed: the address keys count it (they count failures
     * only, after the fact); returns the blocks that started, for the audit log.
     */
    async fail(tx: Tx, attempt: AdmittedAttempt) {
      const now = new Date();
      await authRepo.sweepThrottle(tx, now);
      const started: { kind: string; seconds: number }[] = [];
      if (attempt.accountBlockSeconds) started.push({ kind: 'account_at_address', seconds: attempt.accountBlockSeconds });
      for (const { kind, key, policy } of addressKeys(attempt.address)) {
        const counted = await authRepo.countThrottledAttempt(tx, key, now, policy, { unlessBlocked: false });
        if (counted?.blockedUntil) started.push({ kind, seconds: secondsFrom(now, counted.blockedUntil) });
      }
      return started;
    },

    /** The right password clears its username's count at that address (the address counts stay). */
    succeed: (tx: Tx, attempt: AdmittedAttempt) => authRepo.clearThrottleKey(tx, accountKey(attempt.username, attempt.address)),
  };
}
