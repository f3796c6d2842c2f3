import fastifyPlugin from 'fastify-plugin';

/** One log line per request: who, what, the answer's status and how long it took. Never a token. */
export const requestLog = fastifyPlugin(
  async (app) => {
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          caller: request.caller?.userId ?? null,
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request',
      );
    });
  },
  { name: 'request-log' },
);
