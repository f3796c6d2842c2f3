import { canonicalJson } from '../../events/canonical-json.ts';
import type { PoolEvent, ReferenceData, SchemeColumns } from '../../events/catalogue/index.ts';
import { accept, type Decider, type Decision, refuse } from '../decider.ts';
import { type Actor, refusal } from '../refusals.ts';
import {
  checkColumnsAgainst,
  checkScheme,
  evolvePool,
  initialPoolState,
  latestReferenceData,
  mergeColumns,
  type PartnerKind,
  type PoolEventData,
  type PoolState,
  type SchemeChanges,
} from './pool-state.ts';

export type { PoolState, SchemeChanges } from './pool-state.ts';

/**
 * The pool: its registration, partners, open financial years with their
 * reference lists, and its schemes. One stream per pool (`pool-{poolId}`).
 */

export type PoolCommand =
  | {
      type: 'RegisterPool';
      actor: Actor;
      poolId: string;
      name: string;
      hwbArea: string;
      /** The NHS England region, for the national roll-up. */
      region?: string | undefined;
      host: { partnerId: string; name: string; kind: PartnerKind };
    }
  | {
      type: 'JoinPartner';
      actor: Actor;
      poolId: string;
      partnerId: string;
      name: string;
      kind: PartnerKind;
    }
  | {
      type: 'OpenFinancialYear';
      actor: Actor;
      poolId: string;
      year: string;
      referenceData: ReferenceData;
    }
  | {
      type: 'RegisterScheme';
      actor: Actor;
      poolId: string;
      schemeId: string;
      columns: SchemeColumns;
    }
  | { type: 'AmendScheme'; actor: Actor; poolId: string; schemeId: string; changes: SchemeChanges }
  | { type: 'WithdrawScheme'; actor: Actor; poolId: string; schemeId: string };

export const poolDecider: Decider<PoolCommand, PoolState, PoolEvent> = {
  initialState: initialPoolState,
  evolve: evolvePool,
  decide: decidePool,
};

function decidePool(command: PoolCommand, state: PoolState): Decision<PoolEvent> {
  if (command.type === 'RegisterPool') return registerPool(command, state);
  const registration = state.registration;
  if (registration === undefined) {
    return refuse(
      refusal(
        'pool-not-registered',
        `pool "${command.poolId}" has not been registered`,
        'poolId',
        command.poolId,
      ),
    );
  }
  switch (command.type) {
    case 'JoinPartner':
      return joinPartner(command, state);
    case 'OpenFinancialYear':
      return openFinancialYear(command, state);
    case 'RegisterScheme':
      return registerScheme(command, state);
    case 'AmendScheme':
      return amendScheme(command, state);
    case 'WithdrawScheme':
      return withdrawScheme(command, state);
  }
}

function registerPool(
  command: Extract<PoolCommand, { type: 'RegisterPool' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const registered: PoolEventData<'PoolRegistered.v1'> = {
    poolId: command.poolId,
    name: command.name,
    hwbArea: command.hwbArea,
    ...(command.region === undefined ? {} : { region: command.region }),
    currency: 'GBP',
    hostPartnerId: command.host.partnerId,
  };
  if (state.registration !== undefined) {
    if (sameJson(state.registration, registered)) return accept();
    return refuse(
      refusal(
        'pool-already-registered',
        `pool "${command.poolId}" is already registered`,
        'poolId',
        command.poolId,
      ),
    );
  }
  return accept(
    { type: 'PoolRegistered.v1', data: registered },
    { type: 'PartnerJoined.v1', data: { poolId: command.poolId, ...command.host } },
  );
}

function joinPartner(
  command: Extract<PoolCommand, { type: 'JoinPartner' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const existing = state.partners.get(command.partnerId);
  if (existing !== undefined) {
    if (existing.name === command.name && existing.kind === command.kind) return accept();
    return refuse(
      refusal(
        'partner-already-joined',
        `partner "${command.partnerId}" has already joined as "${existing.name}"`,
        'partnerId',
        command.partnerId,
      ),
    );
  }
  return accept({
    type: 'PartnerJoined.v1',
    data: {
      poolId: command.poolId,
      partnerId: command.partnerId,
      name: command.name,
      kind: command.kind,
    },
  });
}

function openFinancialYear(
  command: Extract<PoolCommand, { type: 'OpenFinancialYear' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const existing = state.years.get(command.year);
  if (existing !== undefined) {
    if (sameJson(existing, command.referenceData)) return accept();
    return refuse(
      refusal(
        'year-already-open',
        `financial year ${command.year} is already open`,
        'year',
        command.year,
      ),
    );
  }
  const names = command.referenceData.fundingStreams.map((stream) => stream.name);
  const duplicate = names.find((streamName, index) => names.indexOf(streamName) !== index);
  if (duplicate !== undefined) {
    return refuse(
      refusal(
        'reference-unknown',
        `funding stream "${duplicate}" is listed twice`,
        'referenceData.fundingStreams',
        duplicate,
      ),
    );
  }
  return accept({
    type: 'FinancialYearOpened.v1',
    data: { poolId: command.poolId, year: command.year, referenceData: command.referenceData },
  });
}

function registerScheme(
  command: Extract<PoolCommand, { type: 'RegisterScheme' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const existing = state.schemes.get(command.schemeId);
  if (existing !== undefined) {
    const { withdrawn: _withdrawn, ...columns } = existing;
    if (sameJson(columns, command.columns)) return accept();
    return refuse(
      refusal(
        'scheme-already-registered',
        `scheme "${command.schemeId}" is already registered`,
        'schemeId',
        command.schemeId,
      ),
    );
  }
  const problem = checkSchemeColumns(command.columns, state);
  if (problem !== undefined) return refuse(problem);
  return accept({
    type: 'SchemeRegistered.v1',
    data: { poolId: command.poolId, schemeId: command.schemeId, ...command.columns },
  });
}

function amendScheme(
  command: Extract<PoolCommand, { type: 'AmendScheme' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const unusable = checkScheme(state, command.schemeId);
  if (unusable !== undefined) return refuse(unusable);
  const scheme = state.schemes.get(command.schemeId) as SchemeColumns & { withdrawn: boolean };
  const { withdrawn: _withdrawn, ...columns } = scheme;
  const changes = Object.fromEntries(
    Object.entries(command.changes).filter(
      ([key, value]) => value !== undefined && columns[key as keyof SchemeColumns] !== value,
    ),
  ) as SchemeChanges;
  if (Object.keys(changes).length === 0) return accept();
  const problem = checkSchemeColumns(mergeColumns(columns, changes), state);
  if (problem !== undefined) return refuse(problem);
  return accept({
    type: 'SchemeAmended.v1',
    data: { poolId: command.poolId, schemeId: command.schemeId, changes },
  });
}

function withdrawScheme(
  command: Extract<PoolCommand, { type: 'WithdrawScheme' }>,
  state: PoolState,
): Decision<PoolEvent> {
  const unknown = checkScheme(state, command.schemeId, 'schemeId', true);
  if (unknown !== undefined) return refuse(unknown);
  const scheme = state.schemes.get(command.schemeId) as SchemeColumns & { withdrawn: boolean };
  if (scheme.withdrawn) return accept();
  return accept({
    type: 'SchemeWithdrawn.v1',
    data: { poolId: command.poolId, schemeId: command.schemeId },
  });
}

function checkSchemeColumns(columns: SchemeColumns, state: PoolState) {
  const reference = latestReferenceData(state);
  if (reference === undefined) {
    return refusal(
      'year-not-open',
      'open a financial year first: its reference lists say which scheme types and areas exist',
    );
  }
  return checkColumnsAgainst(columns, reference);
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
