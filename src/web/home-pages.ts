import type { FastifyInstance } from 'fastify';
import { QUARTERS } from '../events/catalogue/index.ts';
import { mayRead, requireSignIn, type WebDependencies } from './page-kit.ts';
import { page } from './render.ts';

/**
 * Where a person lands: the pools they may read, each year with its latest quarter (the open one,
 * or Q4 once all are closed); an administrator, who reads no money, sees the people they manage.
 */
export async function homePages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  app.get('/', async (request, reply) => {
    if (!requireSignIn(request, reply)) return reply;
    const person = request.person;
    if (person?.role === 'admin') {
      const state = await deps.readFace.users();
      const scope = person.pools;
      const users = [...state.users.values()]
        .filter(
          (user) =>
            scope === '*' ||
            (user.pools !== '*' && user.pools.every((pool) => scope.includes(pool))),
        )
        .map((user) => ({
          userId: user.userId,
          name: user.name,
          role: user.role,
          pools: user.pools === '*' ? 'every pool' : user.pools.join(', '),
          active: user.active,
          passwordSet: user.passwordSet,
          tokens: [...user.tokens.values()].filter((token) => !token.revoked).length,
        }));
      const pools = await deps.readFace.pools(scope);
      return page(reply, request, 'users.njk', { title: 'People', users, pools });
    }
    const pools = [];
    if (mayRead(person)) {
      for (const { poolId, name } of await deps.readFace.pools(person.pools)) {
        const found = await deps.readFace.pool(poolId);
        const years = found.found
          ? found.value.years.map((year) => ({
              year: year.year,
              quarter: QUARTERS[Math.min(year.closedQuarters, 3)],
            }))
          : [];
        pools.push({ poolId, name, years });
      }
    }
    return page(reply, request, 'home.njk', {
      title: 'Your pools',
      pools,
      emptyMessage:
        'You have no pools to see yet: ask your administrator to add them to your access.',
      links: [],
    });
  });
}
