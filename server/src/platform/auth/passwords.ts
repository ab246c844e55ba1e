import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

// argon2id (the library's default algorithm) with OWASP's minimum cost: 19 MiB, 2 passes.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** The shortest password SafeForest accepts; the API schema carries it to the OpenAPI document. */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * Why a password is refused: too short, on the list of the most common passwords, the username
 * itself, or guessable in under a million tries (repeats, sequences, keyboard walks, the username
 * with digits — zxcvbn's estimate).
 */
export type PasswordWeakness = 'too_short' | 'common' | 'same_as_username' | 'predictable';

const WEAKNESS_MESSAGES: Record<PasswordWeakness, string> = {
  too_short: `Too short: a password has at least ${PASSWORD_MIN_LENGTH} characters`,
  common: 'This is one of the most common passwords',
  same_as_username: 'The password must not be the username',
  predictable: 'Too easy to guess: avoid repeated characters, sequences, keyboard rows and the username',
};

// zxcvbn-ts's list of the ~49,000 most common passwords (lower case), shipped in the package: no network.
const commonPasswords = new Set(dictionary['passwords-common']);
// Below score 2 a password falls to fewer than 10^6 guesses.
const MIN_STRENGTH_SCORE = 2;
let estimator: ZxcvbnFactory | null = null;

/** The first reason the password breaks SafeForest's policy, or null when it is acceptable. */
export function passwordWeakness(password: string, username: string): PasswordWeakness | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.toLowerCase() === username.trim().toLowerCase()) return 'same_as_username';
  if (commonPasswords.has(password.toLowerCase())) return 'common';
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  if (estimator.check(password, [username]).score < MIN_STRENGTH_SCORE) return 'predictable';
  return null;
}

/** The field problem a refused password is answered with: its path, the reason in words, and its code. */
export function passwordProblem(path: string, weakness: PasswordWeakness) {
  return { path, message: WEAKNESS_MESSAGES[weakness], reason: weakness, minLength: PASSWORD_MIN_LENGTH };
}

/** A password to print once for a new account: 16 characters without look-alikes, always within the policy. */
export function generatePassword(username = ''): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  for (;;) {
    // 256 is not a multiple of 56: draw again past the largest multiple so every letter is equally likely.
    const letters = Array.from(randomBytes(32))
      .filter((b) => b < 224)
      .slice(0, 16)
      .map((b) => alphabet[b % alphabet.length]);
    const password = letters.join('');
    if (letters.length === 16 && passwordWeakness(password, username) === null) return password;
  }
}
