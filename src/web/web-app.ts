import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { auditPages } from './audit-pages.ts';
import { dashboardPages } from './dashboard-pages.ts';
import { forecastPages } from './forecast-pages.ts';
import { homePages } from './home-pages.ts';
import { importPages } from './import-pages.ts';
import type { WebDependencies } from './page-kit.ts';
import { page } from './render.ts';
import { sessions } from './sessions.ts';
import { signInPages } from './sign-in-pages.ts';
import { workPages } from './work-pages.ts';

/**
 * The ledger's pages, on the same server as the API, under /app: GOV.UK Frontend's Nunjucks
 * templates rendered on the server, forms that post without JavaScript, a session cookie for
 * people (bearer tokens stay for machines), CSRF tokens on every form, and the pages' own
 * content security policy (docs/decisions/0011).
 */
const require = createRequire(import.meta.url);
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const views = join(import.meta.dirname, 'views');

/**
 * GOV.UK Frontend's page template runs one inline script (it marks the page as able to run the
 * components' scripts); the policy allows exactly that script, by its hash, and nothing else inline.
 */
function templateScriptHash(): string {
  const template = readFileSync(join(govukDist, 'govuk/template.njk'), 'utf8');
  const script = /<script[^>]*>([\s\S]*?)<\/script>/.exec(template)?.[1] ?? '';
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

export async function webPages(app: FastifyInstance, deps: WebDependencies): Promise<void> {
  // GOV.UK Frontend's compiled stylesheet finds its fonts and images under /assets/.
  await app.register(fastifyStatic, {
    root: join(govukDist, 'govuk/assets'),
    prefix: '/assets/',
  });
  await app.register((pages) => pagesUnderApp(pages, deps), { prefix: '/app' });
}

async function pagesUnderApp(app: FastifyInstance, deps: WebDependencies): Promise<void> {
  const scriptHash = templateScriptHash();
  app.addHook('onRoute', (route) => {
    const directives = {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", scriptHash],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    };
    route.config = Object.assign(route.config ?? {}, {
      helmet: { contentSecurityPolicy: { directives } },
    });
  });
  await app.register(fastifyFormbody, { bodyLimit: 65_536 });
  await app.register(fastifyCookie);
  // Files come as multipart forms; their fields, the CSRF token among them, are read from the body.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    limits: { fileSize: deps.config.uploadLimitBytes, files: 4, fields: 20 },
  });
  await app.register(fastifyCsrf, {
    getToken: (request) => {
      const token = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      const value =
        typeof token === 'object' && token !== null ? (token as { value?: unknown }).value : token;
      return typeof value === 'string' ? value : '';
    },
    cookieKey: 'bcf_csrf',
    cookieOpts: { path: '/app', httpOnly: true, sameSite: 'strict', secure: 'auto' },
  });
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [views, govukDist],
    options: { autoescape: true, throwOnUndefined: false },
  });
  await app.register(fastifyStatic, {
    root: [join(govukDist, 'govuk'), join(import.meta.dirname, 'assets')],
    prefix: '/static/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.css') || path.endsWith('.css.map'),
  });
  app.setErrorHandler((error, request, reply) => errorPage(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    page(reply.code(404), request, 'error.njk', {
      title: 'Page not found',
      message: 'If you typed the web address, check it is correct.',
      next: { href: '/app', text: 'Go to your pools' },
    }),
  );
  await app.register(sessions, { deps });
  await app.register(signInPages, { deps });
  await app.register(homePages, { deps });
  await app.register(dashboardPages, { deps });
  await app.register(auditPages, { deps });
  await app.register(workPages, { deps });
  await app.register(importPages, { deps });
  await app.register(forecastPages, { deps });
}

function errorPage(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const code = (error as { code?: string }).code ?? '';
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  if (code.startsWith('FST_CSRF'))
    return page(reply.code(403), request, 'error.njk', {
      title: 'This form has expired',
      message:
        'For your security the form could not be sent. Go back, reload the page and send it again.',
      next: { href: request.url, text: 'Reload the page' },
    });
  if (status >= 400 && status < 500)
    return page(reply.code(status), request, 'error.njk', {
      title: 'There is a problem with the request',
      message: 'The page could not be shown for what was sent. Go back and try again.',
      next: { href: '/app', text: 'Go to your pools' },
    });
  request.log.error({ err: error }, 'a page failed');
  return page(reply.code(500), request, 'error.njk', {
    title: 'Sorry, there is a problem with the service',
    message: 'Try again later. Nothing you sent was recorded unless a page said so.',
  });
}
