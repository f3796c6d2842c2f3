import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebDependencies } from './page-kit.ts';
import { page } from './render.ts';
import { clearSession, setSession } from './sessions.ts';

/**
 * Signing in with a user name and password, choosing a password with a one-time set-up link, and
 * signing out. Wrong passwords are throttled per user name and per address: after the limit in a
 * quarter of an hour, no password is even checked until the quarter is over.
 */
const WINDOW_MS = 15 * 60_000;

/**
 * An address may make ten times as many mistakes as one user name: people behind one office
 * address sign in from it together, and one wrong typist must not lock the others out.
 */
const ADDRESS_FACTOR = 10;

class Throttle {
  readonly #failures = new Map<string, { count: number; until: number }>();
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  blocked(keys: readonly string[], now: number): boolean {
    return keys.some((key) => {
      const entry = this.#failures.get(key);
      const limit = key.startsWith('address:') ? this.limit * ADDRESS_FACTOR : this.limit;
      return entry !== undefined && entry.until > now && entry.count >= limit;
    });
  }

  fail(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const entry = this.#failures.get(key);
      if (entry === undefined || entry.until <= now)
        this.#failures.set(key, { count: 1, until: now + WINDOW_MS });
      else entry.count += 1;
    }
    // Old entries go, so that guesses at many names cannot grow the map without end.
    if (this.#failures.size > 10_000)
      for (const [key, entry] of this.#failures) if (entry.until <= now) this.#failures.delete(key);
  }

  clear(keys: readonly string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }
}

function safeNext(request: FastifyRequest): string {
  const next = (request.query as { next?: unknown }).next;
  return typeof next === 'string' && next.startsWith('/app') && !next.startsWith('//')
    ? next
    : '/app';
}

export async function signInPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  const throttle = new Throttle(deps.config.signInFailuresAllowed);

  app.get('/sign-in', (request, reply) =>
    page(reply, request, 'sign-in.njk', {
      title: 'Sign in',
      values: {},
      fieldErrors: {},
      notice:
        request.signedOutIdle === true || (request.query as { idle?: unknown }).idle === '1'
          ? 'You were signed out because you had not used the ledger for a while. Sign in again.'
          : undefined,
    }),
  );

  app.post('/sign-in', { preHandler: app.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as { userId?: unknown; password?: unknown };
    const userId = typeof body.userId === 'string' ? body.userId.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const keys = [`user:${userId.toLowerCase()}`, `address:${request.ip}`];
    const now = Date.now();
    const fieldErrors: Record<string, string> = {};
    if (userId === '') fieldErrors.userId = 'Enter your user name';
    if (password === '') fieldErrors.password = 'Enter your password';
    if (Object.keys(fieldErrors).length === 0 && throttle.blocked(keys, now)) {
      return page(reply.code(429), request, 'sign-in.njk', {
        title: 'Sign in',
        values: { userId },
        fieldErrors: { password: 'Too many wrong passwords: wait 15 minutes before trying again' },
        errors: [
          {
            text: 'Too many wrong passwords: wait 15 minutes before trying again',
            href: '#password',
          },
        ],
      });
    }
    if (Object.keys(fieldErrors).length === 0) {
      const outcome = await deps.writeFace.signIn(userId, password);
      if (outcome.ok) {
        throttle.clear(keys);
        setSession(request, reply, outcome.cookie);
        return reply.redirect(safeNext(request), 303);
      }
      throttle.fail(keys, now);
      fieldErrors.password = 'The user name or password is not right';
    }
    return page(reply.code(400), request, 'sign-in.njk', {
      title: 'Sign in',
      values: { userId },
      fieldErrors,
      errors: Object.entries(fieldErrors).map(([field, text]) => ({ text, href: `#${field}` })),
    });
  });

  app.post('/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    const person = request.person;
    if (person !== undefined)
      await deps.writeFace.signOut(
        { sessionId: person.sessionId, userId: person.userId },
        'signed-out',
      );
    clearSession(reply);
    return reply.redirect('/app/sign-in', 303);
  });

  await setUpPages(app, deps);
}

/** The page a set-up link opens: the person chooses their password. */
async function setUpPages(app: FastifyInstance, deps: WebDependencies) {
  app.get<{ Params: { code: string } }>('/set-up/:code', async (request, reply) => {
    const holder = await deps.writeFace.setupLinkHolder(request.params.code);
    if (holder === undefined)
      return page(reply.code(410), request, 'error.njk', {
        title: 'This set-up link has been used or has expired',
        message: 'Ask your administrator for a new one. Links are good for 72 hours and once.',
      });
    return page(reply, request, 'set-up.njk', {
      title: 'Choose your password',
      holder,
      code: request.params.code,
      fieldErrors: {},
    });
  });

  app.post<{ Params: { code: string } }>(
    '/set-up/:code',
    { preHandler: app.csrfProtection },
    async (request, reply) => {
      const password = String((request.body as { password?: unknown } | undefined)?.password ?? '');
      const holder = await deps.writeFace.setupLinkHolder(request.params.code);
      const outcome = await deps.writeFace.setPassword(request.params.code, password);
      if (outcome.ok)
        return page(reply, request, 'sign-in.njk', {
          title: 'Sign in',
          values: { userId: outcome.userId },
          fieldErrors: {},
          notice: 'Your password is saved. Sign in with it.',
        });
      if (outcome.field === 'code' || holder === undefined)
        return page(reply.code(410), request, 'error.njk', {
          title: 'This set-up link has been used or has expired',
          message: outcome.message,
        });
      return page(reply.code(400), request, 'set-up.njk', {
        title: 'Choose your password',
        holder,
        code: request.params.code,
        fieldErrors: { password: outcome.message },
        errors: [{ text: outcome.message, href: '#password' }],
      });
    },
  );
}
