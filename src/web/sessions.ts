import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { WebDependencies } from './page-kit.ts';

/**
 * Who is signed in: the session cookie checked on every page, moved on when used, and ended by
 * the idle timeout (recorded as a sign-out). The cookie is HttpOnly, SameSite=Lax, limited to the
 * pages' path, and Secure whenever the page came over TLS.
 */
export const SESSION_COOKIE = 'bcf_session';

export const sessions = fastifyPlugin<{ deps: WebDependencies }>(
  async (app: FastifyInstance, { deps }) => {
    app.decorateRequest('person', undefined);
    const idleMs = deps.config.sessionIdleMinutes * 60_000;
    app.addHook('onRequest', async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie === undefined) return;
      const check = await deps.readFace.session(cookie, idleMs);
      if (check.kind === 'signed-in') {
        request.person = { ...check.identity, sessionId: check.sessionId };
        return;
      }
      clearSession(reply);
      if (check.kind === 'idle') {
        await deps.writeFace.signOut(
          { sessionId: check.sessionId, userId: check.userId },
          'idle-timeout',
        );
        request.signedOutIdle = true;
      }
    });
  },
  { name: 'web-sessions' },
);

declare module 'fastify' {
  interface FastifyRequest {
    /** The session had been idle too long, and has just been ended. */
    signedOutIdle: boolean | undefined;
  }
}

export function setSession(request: FastifyRequest, reply: FastifyReply, cookie: string): void {
  reply.setCookie(SESSION_COOKIE, cookie, {
    path: '/app',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
}

export function clearSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/app' });
}
