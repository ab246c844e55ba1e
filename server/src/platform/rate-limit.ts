/**
 * Limits per client address on the routes anyone may call without an account (the public
 * tip-off, its status page, the CAP feed). A route names its limit in `config.rateLimit`
 * (`{ max, timeWindow }`); routes without one are not limited here (sign-in has its own
 * throttle). Counts are kept in this process's memory: several instances each count their own.
 * Over the limit the answer is a 429 in the one error shape, with `Retry-After` in seconds.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import { AppError } from './errors.js';
import type { App } from './http.js';

/** A 429 telling when to try again (the plugin has set `Retry-After` already). */
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', `请求过于频繁，请 ${retryAfterSeconds} 秒后再试 (too many requests from this address)`, {
    retryAfterSeconds,
  });

/** Registers the limiter; must come before the routes that name a limit. */
export async function installRateLimits(app: App) {
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
