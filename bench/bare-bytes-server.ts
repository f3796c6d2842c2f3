import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The baseline for bench/reports.ts: a bare fastify route answering GET with the bytes of a
 * report read once from the ledger (the file BENCH_BODY_FILE names), with no authentication,
 * read model or log.
 */
const body = readFileSync(process.env.BENCH_BODY_FILE ?? '', 'utf8');
const app = Fastify({ logger: false });
app.get('/report', async (_request, reply) => reply.type('application/json').send(body));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
