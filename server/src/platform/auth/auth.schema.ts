import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from './passwords.js';

export const SignInBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const SignInResponse = z.object({ expiresAt: z.string() });

export const MeResponse = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    orgUnit: z.object({ id: z.number(), name: z.string(), kind: z.string(), path: z.string() }),
    roles: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string() })),
    permissions: z.array(z.string()),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'Me' });

/** The session check of a page load: never a 401, `me` is null when nobody is signed in. */
export const SessionResponse = z.object({ signedIn: z.boolean(), me: MeResponse.nullable() }).meta({ id: 'Session' });

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  // The service checks the length with the rest of the policy, so that every refusal carries its
  // reason (`weak_password`); the document still states the minimum for clients.
  newPassword: z.string().max(256).meta({ minLength: PASSWORD_MIN_LENGTH }),
});
