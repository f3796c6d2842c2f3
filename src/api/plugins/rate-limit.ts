import fastifyPlugin from 'fastify-plugin';
import { problem, sendProblem } from '../problems.ts';
import { RateLimiter } from './rate-limiter.ts';

/** At most `perMinute` requests per caller per minute; beyond it 429 with Retry-After. */
export const rateLimit = fastifyPlugin<{ perMinute: number; now: () => number }>(
  async (app, { perMinute, now }) => {
    const limiter = new RateLimiter(perMinute, now);
    app.addHook('onRequest', async (request, reply) => {
      if (request.caller === undefined) return;
      const wait = limiter.take(request.caller.userId);
      if (wait === 0) return;
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      return sendProblem(
        reply,
        problem(
          'rate-limited',
          `you made more than ${perMinute} requests in a minute; try again in ${seconds} s`,
        ),
      );
    });
  },
  { name: 'rate-limit', dependencies: ['authentication'] },
);
