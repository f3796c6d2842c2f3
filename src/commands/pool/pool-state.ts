import { Money } from '#money';
import type { PoolEvent, ReferenceData, SchemeColumns } from '../../events/catalogue/index.ts';
import type { DomainError } from '../decider.ts';
import { refusal } from '../refusals.ts';

/**
 * The pool as its stream folds: registration, partners, open years with their
 * reference lists, and schemes. The pool decider decides on it, and every ledger command carries
 * it (docs/decisions/0003), so the checks both need live here.
 */

/** Changed columns only; an absent (or undefined) column is left as it was. */
export type SchemeChanges = { [Column in keyof SchemeColumns]?: SchemeColumns[Column] | undefined };

export type PoolEventData<Type extends PoolEvent['type']> = Extract<
  PoolEvent,
  { type: Type }
>['data'];
export type PartnerKind = PoolEventData<'PartnerJoined.v1'>['kind'];

export interface PoolState {
  /** How many events the pool stream holds: a quarter close records it. */
  version: number;
  registration: PoolEventData<'PoolRegistered.v1'> | undefined;
  partners: Map<string, { name: string; kind: PartnerKind }>;
  years: Map<string, ReferenceData>;
  schemes: Map<string, SchemeColumns & { withdrawn: boolean }>;
}

export function initialPoolState(): PoolState {
  return {
    version: 0,
    registration: undefined,
    partners: new Map(),
    years: new Map(),
    schemes: new Map(),
  };
}

export function evolvePool(state: PoolState, event: PoolEvent): PoolState {
  state.version += 1;
  switch (event.type) {
    case 'PoolRegistered.v1':
      state.registration = event.data;
      break;
    case 'PartnerJoined.v1':
      state.partners.set(event.data.partnerId, { name: event.data.name, kind: event.data.kind });
      break;
    case 'FinancialYearOpened.v1':
      state.years.set(event.data.year, event.data.referenceData);
      break;
    case 'SchemeRegistered.v1': {
      const { poolId: _pool, schemeId, ...columns } = event.data;
      state.schemes.set(schemeId, { ...columns, withdrawn: false });
      break;
    }
    case 'SchemeAmended.v1': {
      const scheme = state.schemes.get(event.data.schemeId);
      if (scheme !== undefined)
        state.schemes.set(event.data.schemeId, {
          ...mergeColumns(scheme, event.data.changes),
          withdrawn: scheme.withdrawn,
        });
      break;
    }
    case 'SchemeWithdrawn.v1': {
      const scheme = state.schemes.get(event.data.schemeId);
      if (scheme !== undefined) scheme.withdrawn = true;
      break;
    }
  }
  return state;
}

/** The scheme is registered and, unless withdrawn schemes are allowed, still active. */
export function checkScheme(
  pool: PoolState,
  schemeId: string,
  field = 'schemeId',
  allowWithdrawn = false,
): DomainError | undefined {
  const scheme = pool.schemes.get(schemeId);
  if (scheme === undefined)
    return refusal('scheme-unknown', `scheme "${schemeId}" is not registered`, field, schemeId);
  if (scheme.withdrawn && !allowWithdrawn) {
    return refusal(
      'scheme-withdrawn',
      `scheme "${schemeId}" has been withdrawn and takes no new budget or spend`,
      field,
      schemeId,
    );
  }
  return undefined;
}

/** The latest open year's reference lists: the ones a scheme registered now must use. */
export function latestReferenceData(state: PoolState): ReferenceData | undefined {
  const latest = [...state.years.keys()].sort().at(-1);
  return latest === undefined ? undefined : state.years.get(latest);
}

/** The columns with the given changes applied; a change left out leaves its column as it was. */
export function mergeColumns(columns: SchemeColumns, changes: SchemeChanges): SchemeColumns {
  const merged: Record<string, unknown> = { ...columns };
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) merged[key] = value;
  return merged as SchemeColumns;
}

/** The columns use the year's reference lists, and a joint scheme's percentages add up to 100. */
export function checkColumnsAgainst(
  columns: SchemeColumns,
  reference: ReferenceData,
): DomainError | undefined {
  const lists: [keyof SchemeColumns, readonly string[]][] = [
    ['schemeType', reference.schemeTypes.map((type) => type.name)],
    ['areaOfSpend', reference.areasOfSpend],
    ['commissioner', reference.commissioners],
    ['provider', reference.providers],
  ];
  for (const [field, allowed] of lists) {
    const value = String(columns[field]);
    if (!allowed.includes(value)) {
      return refusal(
        'reference-unknown',
        `${field} "${value}" is not in the reference list (${allowed.join(', ')})`,
        field,
        value,
      );
    }
  }
  return checkCommissionerSplit(columns);
}

/** A joint scheme states the NHS and LA percentages, adding up to 100; another states neither. */
function checkCommissionerSplit(columns: SchemeColumns): DomainError | undefined {
  const joint = columns.commissioner === 'Joint';
  const { nhsPercentage, laPercentage } = columns;
  if (!joint) {
    if (nhsPercentage === undefined && laPercentage === undefined) return undefined;
    return refusal(
      'commissioner-split-invalid',
      `only a joint scheme has NHS and LA percentages; this one is commissioned by ${columns.commissioner}`,
      'commissioner',
      columns.commissioner,
    );
  }
  const split = Money.parse(nhsPercentage ?? '0').plus(Money.parse(laPercentage ?? '0'));
  if (
    nhsPercentage === undefined ||
    laPercentage === undefined ||
    !split.equals(Money.parse('100'))
  ) {
    return refusal(
      'commissioner-split-invalid',
      `the NHS and LA percentages add up to ${split.toString()}, not 100`,
      'nhsPercentage',
      nhsPercentage ?? '',
    );
  }
  return undefined;
}
