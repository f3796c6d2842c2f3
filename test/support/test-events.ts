import { z } from 'zod';
import { amountString } from '#money';
import { EventCatalogue } from '../../src/events/catalogue.ts';
import type { EventMetadata, NewEvent } from '../../src/events/envelope.ts';

/** A small catalogue for testing the store and the command loop apart from the domain. */
export const testCatalogue = new EventCatalogue({
  'ItemAdded.v1': z.strictObject({ item: z.string().min(1), amount: amountString }),
  'ItemRemoved.v1': z.strictObject({ item: z.string().min(1) }),
});

export function testMetadata(
  idempotencyKey: string,
  overrides: Partial<EventMetadata> = {},
): EventMetadata {
  return {
    actor: { id: 'officer-1', role: 'finance-officer' },
    recordedAt: '2026-04-01T09:00:00.000Z',
    correlationId: `correlation-${idempotencyKey}`,
    causationId: `causation-${idempotencyKey}`,
    idempotencyKey,
    ...overrides,
  };
}

export function itemAdded(item: string, amount: string, idempotencyKey: string): NewEvent {
  return { type: 'ItemAdded.v1', data: { item, amount }, metadata: testMetadata(idempotencyKey) };
}
