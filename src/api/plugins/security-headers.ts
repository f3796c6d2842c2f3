import helmet from '@fastify/helmet';
import fastifyPlugin from 'fastify-plugin';

/**
 * Security headers on every answer (@fastify/helmet): a content security policy that allows only
 * the ledger's own scripts, styles and images (the API reference at /docs included: its scripts and
 * styles are served from here), no framing, no sniffing of media types, HSTS behind TLS, and no
 * referrer sent elsewhere.
 */
const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/**
 * The one inline style element Swagger UI adds, allowed by its hash on the /docs pages alone
 * (a browser test fails, naming the new hash, if a Swagger UI upgrade changes it).
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

export const securityHeaders = fastifyPlugin(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: { directives: DIRECTIVES },
      referrerPolicy: { policy: 'no-referrer' },
    });
    app.addHook('onRoute', (route) => {
      if (route.url !== '/docs' && !route.url.startsWith('/docs/')) return;
      const styleSrc = ["'self'", SWAGGER_UI_STYLE];
      const helmet = { contentSecurityPolicy: { directives: { ...DIRECTIVES, styleSrc } } };
      route.config = Object.assign(route.config ?? {}, { helmet });
    });
  },
  { name: 'security-headers' },
);
