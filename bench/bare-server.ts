import Fastify from 'fastify';

/**
 * The baseline for bench/http.ts: a bare fastify route that parses the same JSON body and answers
 * 201, with no validation, authentication, store or log.
 */
const app = Fastify({ logger: false });
app.post('/spend', async (request, reply) =>
  reply.code(201).send({ received: typeof request.body === 'object' }),
);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
