import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { type App, actorOf, ErrorResponse, errorResponses, SESSION_COOKIE } from '../http.js';
import { ChangePasswordBody, MeResponse, SessionResponse, SignInBody, SignInResponse } from './auth.schema.js';
import type { AuthService } from './auth.service.js';

/** Runs a password check; a throttled answer tells the client, in `Retry-After`, how many seconds to wait. */
async function withRetryAfter<T>(reply: FastifyReply, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 429) {
      reply.header('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    throw error;
  }
}

type Deps = { authService: AuthService; cookieSecure: 'auto' | 'always' | 'never' };

export function registerAuthRoutes(app: App, { authService, cookieSecure }: Deps) {
  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: cookieSecure === 'always' || (cookieSecure === 'auto' && request.protocol === 'https'),
      expires: expiresAt,
    });

  app.post('/api/auth/login', {
    // csrf: a page of another site must not sign the visitor in to an account of its choosing.
    config: { access: 'public', csrf: true },
    schema: {
      operationId: 'signIn',
      tags: ['auth'],
      summary: 'Sign in with username and password; sets the session cookie',
      description:
        'Failed attempts are throttled per username and address and per address: while blocked the answer is 429 ' +
        '`too_many_attempts` with `Retry-After`. An unknown username is answered like a wrong password.',
      body: SignInBody,
      response: { 200: SignInResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { token, expiresAt } = await withRetryAfter(reply, () =>
        authService.signIn(request.body.username, request.body.password, request.ip),
      );
      setSessionCookie(request, reply, token, expiresAt);
      return { expiresAt: expiresAt.toISOString() };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'signed-in' },
    schema: { operationId: 'signOut', tags: ['auth'], summary: 'End the current session', response: { 204: z.null(), ...errorResponses } },
    handler: async (request, reply) => {
      await authService.signOut(actorOf(request), request.cookies[SESSION_COOKIE] ?? '');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.get('/api/auth/me', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'getMe',
      tags: ['auth'],
      summary: 'The signed-in user, their org unit and permission codes',
      response: { 200: MeResponse, ...errorResponses },
    },
    handler: (request) => authService.me(actorOf(request)),
  });

  // The client's first question on every page load: answered 200 whether or not a session exists,
  // so a visitor who is not signed in sees no failed request in the browser console.
  app.get('/api/auth/session', {
    config: { access: 'public' },
    schema: {
      operationId: 'getSession',
      tags: ['auth'],
      summary: 'Whether the request carries a live session, and if so who is signed in (the same as /api/auth/me)',
      response: { 200: SessionResponse, ...errorResponses },
    },
    handler: async (request) =>
      request.actor ? { signedIn: true, me: await authService.me(request.actor) } : { signedIn: false, me: null },
  });

  app.post('/api/auth/password', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'changePassword',
      tags: ['auth'],
      summary: 'Change the signed-in user’s password; other sessions are signed out',
      description:
        'A wrong current password is 400 `wrong_password` and counts like a failed sign-in (429 `too_many_attempts` ' +
        'with `Retry-After` while blocked); a new password that is too short, common, the username or easy to guess ' +
        'is 400 `weak_password` with the reason at `body.newPassword`.',
      body: ChangePasswordBody,
      response: { 200: SignInResponse, ...errorResponses, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { token, expiresAt } = await withRetryAfter(reply, () =>
        authService.changePassword(actorOf(request), request.body.currentPassword, request.body.newPassword),
      );
      setSessionCookie(request, reply, token, expiresAt);
      return { expiresAt: expiresAt.toISOString() };
    },
  });
}
