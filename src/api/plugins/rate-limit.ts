import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { problem, sendProblem } from '../problems.ts';

/**
 * Three limits, each a minute long (@fastify/rate-limit, its counts in memory; several instances
 * share them through its Redis store, docs/operations.md):
 * - per address, before anything else, so that a flood is turned away before it costs a token check;
 * - failed authentications per address, counted apart, so that guessing tokens stops after a few;
 * - per credential (token or session), after authentication, so one busy client cannot starve others.
 */
export interface RateLimits {
  readonly perAddressPerMinute: number;
  readonly failedAuthenticationsPerMinute: number;
  readonly perCredentialPerMinute: number;
}

type Limiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{
  isAllowed: boolean;
  remaining?: number;
  isExceeded?: boolean;
  ttlInSeconds?: number;
}>;

declare module 'fastify' {
  interface FastifyInstance {
    failedAuthentications: Limiter;
  }
}

export const addressRateLimit = fastifyPlugin<{ limits: RateLimits }>(
  async (app, { limits }) => {
    await app.register(rateLimit, { global: false, timeWindow: 60_000 });
    const byAddress = app.createRateLimit({
      max: limits.perAddressPerMinute,
      keyGenerator: (request) => `address:${request.ip}`,
    });
    app.decorate(
      'failedAuthentications',
      app.createRateLimit({
        max: limits.failedAuthenticationsPerMinute,
        keyGenerator: (request) => `failed:${request.ip}`,
      }) as Limiter,
    );
    app.addHook('onRequest', async (request, reply) => {
      const limit = await byAddress(request);
      if (!limit.isAllowed && limit.isExceeded)
        return tooMany(
          reply,
          limit.ttlInSeconds,
          `more than ${limits.perAddressPerMinute} requests a minute came from your address`,
        );
    });
  },
  { name: 'address-rate-limit' },
);

export const credentialRateLimit = fastifyPlugin<{ limits: RateLimits }>(
  async (app, { limits }) => {
    const byCredential = app.createRateLimit({
      max: limits.perCredentialPerMinute,
      keyGenerator: (request) => `credential:${request.caller?.tokenId ?? request.ip}`,
    });
    app.addHook('onRequest', async (request, reply) => {
      if (request.caller === undefined) return;
      const limit = await byCredential(request);
      if (!limit.isAllowed && limit.isExceeded)
        return tooMany(
          reply,
          limit.ttlInSeconds,
          `you made more than ${limits.perCredentialPerMinute} requests in a minute`,
        );
    });
  },
  { name: 'credential-rate-limit', dependencies: ['address-rate-limit', 'authentication'] },
);

export function tooMany(reply: FastifyReply, seconds: number | undefined, what: string) {
  const wait = Math.max(1, seconds ?? 60);
  reply.header('retry-after', String(wait));
  return sendProblem(reply, problem('rate-limited', `${what}; try again in ${wait} s`));
}
