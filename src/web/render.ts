import type { FastifyReply, FastifyRequest } from 'fastify';
import { navigationFor, type Person } from './page-kit.ts';

/** Renders a page with what every page needs: the person, their navigation, a CSRF token. */
export async function page(
  reply: FastifyReply,
  request: FastifyRequest,
  template: string,
  data: Record<string, unknown>,
): Promise<FastifyReply> {
  const person: Person | undefined = request.person;
  return reply.type('text/html; charset=utf-8').view(template, {
    ...data,
    person,
    navigation: navigationFor(person, request.url),
    csrfToken: reply.generateCsrf(),
  });
}
