import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Money } from '#money';
import type { Caller, WriteFace } from '../commands/write-face.ts';
import type { LedgerConfig } from '../config.ts';
import type { ReferenceData, UserRole } from '../events/catalogue/index.ts';
import type { SpendImports } from '../import/spend-imports.ts';
import type { SpendMapping } from '../import/spend-mapping.ts';
import type { ReadFace } from '../projections/read-face.ts';

/**
 * What every page shares: who is signed in, what they may see, their navigation, and figures as
 * a finance officer reads them.
 */
export interface WebDependencies {
  readonly readFace: ReadFace;
  readonly writeFace: WriteFace;
  readonly spendImports: SpendImports;
  readonly library: Library;
  readonly config: LedgerConfig;
}

/** What the server offers to choose from by name: reference lists and spend-file mappings. */
export interface Library {
  readonly referenceData: readonly { readonly name: string; readonly data: ReferenceData }[];
  readonly mappings: readonly { readonly name: string; readonly mapping: SpendMapping }[];
}

export interface Person {
  readonly userId: string;
  readonly role: UserRole;
  readonly pools: '*' | readonly string[];
  readonly sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    person: Person | undefined;
  }
}

/** The signed-in person as the write face's caller, with the session they proved it with. */
export function callerOf(person: Person): Caller {
  return { id: person.userId, role: person.role, credentialId: `session:${person.sessionId}` };
}

/** The key a form carries (a UUID made when it was shown), or a new one for a form without. */
export function formKeyOf(posted: unknown): string {
  return typeof posted === 'string' && /^[0-9a-f-]{36}$/.test(posted) ? posted : randomUUID();
}

/** Who reads the money: everyone but the administrators, who set pools and people up. */
export const READERS: readonly UserRole[] = ['finance-officer', 'cfo', 'auditor'];

export function mayRead(person: Person | undefined, poolId?: string): person is Person {
  if (person === undefined || !READERS.includes(person.role)) return false;
  return poolId === undefined || person.pools === '*' || person.pools.includes(poolId);
}

export function navigationFor(person: Person | undefined, url: string) {
  if (person === undefined) return [{ href: '/app/sign-in', text: 'Sign in', active: true }];
  const items = [{ href: '/app', text: 'Pools' }];
  if (READERS.includes(person.role)) items.push({ href: '/app/inbox', text: 'Decisions' });
  if (READERS.includes(person.role)) items.push({ href: '/app/audit', text: 'Audit trail' });
  if (person.role === 'auditor') items.push({ href: '/app/verification', text: 'Verification' });
  const path = url.split('?')[0] ?? url;
  return items.map((item) => ({
    ...item,
    active:
      item.href === '/app'
        ? path === '/app' || path.startsWith('/app/pools')
        : path.startsWith(item.href),
  }));
}

/** Sends a person who is not signed in to the sign-in page, and back here afterwards. */
export function requireSignIn(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.person !== undefined) return true;
  const next = encodeURIComponent(request.url);
  const idle = request.signedOutIdle === true ? '&idle=1' : '';
  void reply.redirect(`/app/sign-in?next=${next}${idle}`, 303);
  return false;
}

/** Pounds and pence as finance writes them: £1,234,567.89, and −£250.00 below zero. */
export function pounds(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', pence = '00'] = amount.replace('-', '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}£${grouped}.${pence.padEnd(2, '0')}`;
}

/** An amount as the height of a bar: for drawing only, never for a figure anyone reads. */
export function drawn(amount: string): number {
  return Money.parseTotal(amount).toSpreadsheetNumber();
}

export function sumOf(amounts: readonly string[]): string {
  return Money.sum(amounts.map((amount) => Money.parseTotal(amount))).toString();
}

export function difference(a: string, b: string): string {
  return Money.parseTotal(a).minus(Money.parseTotal(b)).toString();
}

/** A query's moment, if it is one the read face takes (UTC with milliseconds). */
export function asAtOf(query: unknown): string | undefined {
  const asAt = (query as { asAt?: unknown }).asAt;
  return typeof asAt === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(asAt)
    ? asAt
    : undefined;
}
