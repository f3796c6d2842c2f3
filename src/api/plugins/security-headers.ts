import helmet from '@fastify/helmet';
import fastifyPlugin from 'fastify-plugin';

/**
 * Security headers on every answer (@fastify/helmet): a content security policy that allows only
 * the ledger's own scripts, styles and images (the API reference at /docs included: its scripts and
 * styles are served from here), no framing, no sniffing of media types, HSTS behind TLS, and no
 * referrer sent elsewhere.
 */
export const securityHeaders = fastifyPlugin(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'security-headers' },
);
