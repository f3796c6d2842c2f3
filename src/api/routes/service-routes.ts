import { z } from 'zod';
import {
  allProblemCodes,
  isProblemCode,
  problem,
  problemStatus,
  problemTitle,
} from '../problems.ts';
import { type RouteSpec, route } from '../route-kit.ts';

/** Liveness, readiness and the problem types' descriptions: public, no token needed. */
export const serviceRoutes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/health/live',
    permission: 'public',
    scope: 'none',
    operationId: 'getLiveness',
    summary: 'The process is up',
    description: 'Answers while the process runs: for a supervisor deciding whether to restart it.',
    tags: ['health'],
    schema: { response: { 200: z.object({ status: z.literal('live') }) } },
    handle: async () => ({ status: 200, body: { status: 'live' } }),
  }),
  route({
    method: 'GET',
    url: '/health/ready',
    permission: 'public',
    scope: 'none',
    operationId: 'getReadiness',
    summary: 'The event store answers and the read model is caught up',
    description:
      'Ready while the event store answers and the read model is at most the configured number of events behind the log; 503 otherwise.',
    tags: ['health'],
    schema: {
      response: {
        200: z.object({
          status: z.literal('ready'),
          head: z.int(),
          checkpoint: z.int(),
          lag: z.int(),
        }),
      },
    },
    handle: async ({ deps }) => {
      const halted = deps.readFace.halted();
      if (halted !== undefined) return problem('not-ready', halted);
      let position: { head: number; checkpoint: number; lag: number };
      try {
        position = await deps.readFace.behind(deps.config.readyMaxLag);
      } catch {
        return problem('not-ready', 'the event store does not answer');
      }
      const { head, checkpoint, lag } = position;
      if (lag > deps.config.readyMaxLag) {
        return problem(
          'not-ready',
          `the read model is ${lag} events behind the log (at most ${deps.config.readyMaxLag} allowed)`,
        );
      }
      return { status: 200, body: { status: 'ready', head, checkpoint, lag } };
    },
  }),
  route<{ code: string }, unknown, unknown>({
    method: 'GET',
    url: '/problems/:code',
    permission: 'public',
    scope: 'none',
    operationId: 'getProblemType',
    summary: 'What a problem type means',
    description: 'The title and HTTP status of a problem type named in a problem’s `type`.',
    tags: ['health'],
    schema: {
      params: z.strictObject({ code: z.string().max(100) }),
      response: { 200: z.object({ type: z.string(), title: z.string(), status: z.int() }) },
    },
    handle: async ({ params }) => {
      if (!isProblemCode(params.code))
        return problem(
          'not-found',
          `no problem type "${params.code}"; known: ${allProblemCodes().join(', ')}`,
        );
      return {
        status: 200,
        body: {
          type: `/problems/${params.code}`,
          title: problemTitle(params.code),
          status: problemStatus(params.code),
        },
      };
    },
  }),
];
