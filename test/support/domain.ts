import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../src/commands/decider.ts';
import type { LedgerCommand } from '../../src/commands/ledger/ledger-commands.ts';
import { ledgerDecider } from '../../src/commands/ledger/ledger-decider.ts';
import type { LedgerState } from '../../src/commands/ledger/ledger-state.ts';
import { type PoolState, poolDecider } from '../../src/commands/pool/pool-decider.ts';
import type { Actor } from '../../src/commands/refusals.ts';
import {
  type LedgerEvent,
  type Period,
  type PoolEvent,
  QUARTERS,
  type Quarter,
  type ReferenceData,
} from '../../src/events/catalogue/index.ts';
import { referenceData as referenceDataSchema } from '../../src/events/catalogue/pool-events.ts';
import type { EventMetadata } from '../../src/events/envelope.ts';

/** Fixtures for domain tests: actors, the 2017-19 reference lists, and given/when/then. */

export const officer: Actor = { id: 'officer-ann', role: 'finance-officer' };
export const secondOfficer: Actor = { id: 'officer-bob', role: 'finance-officer' };
export const cfo: Actor = { id: 'cfo-carol', role: 'cfo' };
export const secondCfo: Actor = { id: 'cfo-dev', role: 'cfo' };
export const admin: Actor = { id: 'admin-erin', role: 'admin' };

export const referenceData: ReferenceData = referenceDataSchema.parse(
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../reference-data/bcf-2017-19.json'), 'utf8'),
  ),
);

export const POOL = 'herts';
export const YEAR = '2017-18';
export const MIN_CCG = 'Minimum CCG Contribution';
export const IBCF = 'iBCF';
export const DFG = 'DFG';

/** A pool with four partners, 2017-18 open, and three schemes: revenue, iBCF-funded and DFG (capital). */
export const poolSetUp: PoolEvent[] = [
  {
    type: 'PoolRegistered.v1',
    data: {
      poolId: POOL,
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      currency: 'GBP',
      hostPartnerId: 'HCC',
    },
  },
  {
    type: 'PartnerJoined.v1',
    data: {
      poolId: POOL,
      partnerId: 'HCC',
      name: 'Hertfordshire County Council',
      kind: 'Local Authority',
    },
  },
  {
    type: 'PartnerJoined.v1',
    data: {
      poolId: POOL,
      partnerId: 'ENHCCG',
      name: 'East and North Hertfordshire CCG',
      kind: 'CCG',
    },
  },
  {
    type: 'PartnerJoined.v1',
    data: { poolId: POOL, partnerId: 'HVCCG', name: 'Herts Valleys CCG', kind: 'CCG' },
  },
  { type: 'FinancialYearOpened.v1', data: { poolId: POOL, year: YEAR, referenceData } },
  scheme('1', 'Specialist Care at Home', 'Personalised support/care at home'),
  scheme('3', 'Discharge to Assess', 'HICM for managing transfer of care'),
  scheme('7', 'Disabled Facilities Grant - Home Improvement Agency', 'DFG - Adaptations'),
];

export function scheme(schemeId: string, name: string, schemeType: string): PoolEvent {
  return {
    type: 'SchemeRegistered.v1',
    data: {
      poolId: POOL,
      schemeId,
      name,
      schemeType,
      description: '',
      areaOfSpend: 'Social Care',
      commissioner: 'Local Authority',
      provider: 'Local Authority',
      newOrExisting: 'Existing',
    },
  };
}

export function foldPool(events: readonly PoolEvent[]): PoolState {
  return events.reduce(
    (state, event) => poolDecider.evolve(state, event),
    poolDecider.initialState(),
  );
}

export function foldLedger(events: readonly LedgerEvent[]): LedgerState {
  return events.reduce(
    (state, event) => ledgerDecider.evolve(state, event),
    ledgerDecider.initialState(),
  );
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type LedgerCommandWithoutContext = DistributiveOmit<
  LedgerCommand,
  'pool' | 'poolId' | 'year'
>;

/**
 * Given these pool and ledger events, when this command: the decision. The command names the
 * test pool and year unless it says otherwise.
 */
export function decideLedger(
  given: { pool?: readonly PoolEvent[]; ledger?: readonly LedgerEvent[] },
  command: LedgerCommandWithoutContext & { poolId?: string; year?: string },
): Decision<LedgerEvent> {
  const pool = foldPool(given.pool ?? poolSetUp);
  const ledger = foldLedger(given.ledger ?? []);
  return ledgerDecider.decide(
    { poolId: POOL, year: YEAR, ...command, pool } as LedgerCommand,
    ledger,
  );
}

/** Ledger events, with the test pool and year filled in. */
export function ledgerEvent<Type extends LedgerEvent['type']>(
  type: Type,
  data: Omit<Extract<LedgerEvent, { type: Type }>['data'], 'poolId' | 'year'>,
): LedgerEvent {
  return { type, data: { poolId: POOL, year: YEAR, ...data } } as unknown as LedgerEvent;
}

/** HCC plans 1,000,000.00 of Minimum CCG (a simplification) and 500,000.00 of iBCF and DFG each. */
export const contributionsPlanned: LedgerEvent[] = [
  ledgerEvent('ContributionPlanned.v1', {
    partnerId: 'ENHCCG',
    fundingStream: MIN_CCG,
    amount: '600000.00',
    quarter: 'Q1',
  }),
  ledgerEvent('ContributionPlanned.v1', {
    partnerId: 'HVCCG',
    fundingStream: MIN_CCG,
    amount: '400000.00',
    quarter: 'Q1',
  }),
  ledgerEvent('ContributionPlanned.v1', {
    partnerId: 'HCC',
    fundingStream: IBCF,
    amount: '500000.00',
    quarter: 'Q1',
  }),
  ledgerEvent('ContributionPlanned.v1', {
    partnerId: 'HCC',
    fundingStream: DFG,
    amount: '500000.00',
    quarter: 'Q1',
  }),
];

/** The year's classification of a test scheme, as its first posting copies it from the pool. */
export function classified(schemeId: string, quarter: Period = 'Q1'): LedgerEvent {
  const registered = poolSetUp.find(
    (event) => event.type === 'SchemeRegistered.v1' && event.data.schemeId === schemeId,
  );
  if (registered?.type !== 'SchemeRegistered.v1') throw new Error(`no test scheme ${schemeId}`);
  const { poolId: _pool, ...columns } = registered.data;
  return ledgerEvent('SchemeClassified.v1', { ...columns, quarter });
}

/** A quarter closed: requested by the officer, approved by the CFO. */
export function quarterClosed(quarter: Quarter): LedgerEvent[] {
  const signed = { quarter, reportDigest: 'a'.repeat(64), ledgerVersion: 0, poolVersion: 0 };
  return [
    ledgerEvent('QuarterCloseRequested.v1', { ...signed, requestedBy: officer.id }),
    ledgerEvent('QuarterClosed.v1', { ...signed, requestedBy: officer.id, approvedBy: cfo.id }),
  ];
}

/** The quarters from Q1 to `last`, closed in order. */
export function closedThrough(last: Quarter): LedgerEvent[] {
  return QUARTERS.slice(0, QUARTERS.indexOf(last) + 1).flatMap(quarterClosed);
}

/** Budget lines: scheme 1 gets 700,000.00 of Minimum CCG, scheme 3 400,000.00 of iBCF. */
export const linesAllocated: LedgerEvent[] = [
  ...contributionsPlanned,
  classified('1'),
  ledgerEvent('FundsAllocated.v1', {
    allocationId: 'a1',
    schemeId: '1',
    fundingStream: MIN_CCG,
    amount: '700000.00',
    basis: 'original',
    quarter: 'Q1',
  }),
  classified('3'),
  ledgerEvent('FundsAllocated.v1', {
    allocationId: 'a2',
    schemeId: '3',
    fundingStream: IBCF,
    amount: '400000.00',
    basis: 'original',
    quarter: 'Q1',
  }),
];

export function metadataFor(
  actor: Actor,
  idempotencyKey: string,
  recordedAt = '2017-05-01T09:00:00.000Z',
): EventMetadata {
  return {
    actor,
    recordedAt,
    correlationId: idempotencyKey,
    causationId: idempotencyKey,
    idempotencyKey,
  };
}
