import { EventCatalogue } from '../catalogue.ts';
import { accessEventSchemas } from './access-events.ts';
import { type LedgerEvent, ledgerEventSchemas } from './ledger-events.ts';
import { type PoolEvent, poolEventSchemas } from './pool-events.ts';

export {
  ACCESS_STREAM_ID,
  type AccessEvent,
  poolScope,
  USER_ROLES,
  type UserRole,
  userRole,
} from './access-events.ts';
export {
  amountAsWritten,
  LEDGER_EVENT_GROUPS,
  type LedgerEvent,
  type LedgerEventGroup,
  type LedgerEventIn,
  type LedgerEventOf,
  ledgerEventGroup,
  measure,
} from './ledger-events.ts';
export type { PoolEvent, ReferenceData, SchemeColumns } from './pool-events.ts';
export * from './vocabulary.ts';
export * from './year-end-terms.ts';

/** Every event of a pool and its ledgers. */
export type BcfEvent = PoolEvent | LedgerEvent;

export const bcfCatalogue = new EventCatalogue({
  ...poolEventSchemas,
  ...ledgerEventSchemas,
  ...accessEventSchemas,
});
