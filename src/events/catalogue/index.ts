import { EventCatalogue } from '../catalogue.ts';
import { type LedgerEvent, ledgerEventSchemas } from './ledger-events.ts';
import { type PoolEvent, poolEventSchemas } from './pool-events.ts';

export type { LedgerEvent, LedgerEventOf } from './ledger-events.ts';
export type { PoolEvent, ReferenceData, SchemeColumns } from './pool-events.ts';
export * from './vocabulary.ts';

/** Every event the ledger records. */
export type BcfEvent = PoolEvent | LedgerEvent;

export const bcfCatalogue = new EventCatalogue({ ...poolEventSchemas, ...ledgerEventSchemas });
export { type RiskShareFigures, riskShareAllocations } from './risk-share.ts';
