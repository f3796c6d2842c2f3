import { Money } from '#money';
import { type Period, periodBefore } from '../../events/catalogue/index.ts';
import type { PeriodAmounts } from './types.ts';

/**
 * Small pieces the folds share. Records keyed by data (scheme ids, funding streams, partners)
 * have no prototype and are read only through `own`, so a key such as "constructor" or
 * "__proto__" is a key like any other, never a property of Object.prototype.
 */
export function dictionary<Value>(): Record<string, Value> {
  return Object.create(null) as Record<string, Value>;
}

/** The record's own entry under the key; undefined when there is none. */
export function own<Value>(
  record: Readonly<Record<string, Value>>,
  key: string,
): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The record's entry under the key, created first if it is not there. */
export function entry<Value>(
  record: Record<string, Value>,
  key: string,
  create: () => Value,
): Value {
  const existing = own(record, key);
  if (existing !== undefined) return existing;
  const created = create();
  Object.defineProperty(record, key, {
    value: created,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return created;
}

export function zeroByPeriod(): PeriodAmounts {
  return { Q1: '0.00', Q2: '0.00', Q3: '0.00', Q4: '0.00', YE: '0.00' };
}

/** Adds an amount to a decimal-string figure, exactly. */
export function addAmount(figure: string, amount: string): string {
  return Money.parseTotal(figure).plus(Money.parseTotal(amount)).toString();
}

export function addTo(amounts: PeriodAmounts, period: Period, amount: string): void {
  amounts[period] = addAmount(amounts[period], amount);
}

/** The earlier of two periods. */
export function earlierPeriod(a: Period, b: Period): Period {
  return periodBefore(b, a) ? b : a;
}

/**
 * Parses a stored view: every object comes back without a prototype, as the folds made it, so a
 * view reloaded from the read model's file behaves exactly as the one folded in memory.
 */
export function parseView<View>(json: string): View {
  return JSON.parse(json, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.assign(Object.create(null), value)
      : value,
  ) as View;
}
