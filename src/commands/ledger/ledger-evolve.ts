import {
  type LedgerEvent,
  type LedgerEventIn,
  ledgerEventGroup,
} from '../../events/catalogue/index.ts';
import { evolveBudget } from './evolve-budget.ts';
import { evolveControl } from './evolve-control.ts';
import { evolveMoneyIn } from './evolve-money-in.ts';
import { evolveMoneyOut } from './evolve-money-out.ts';
import { evolvePlan } from './evolve-plan.ts';
import type { LedgerState } from './ledger-state.ts';

/** Folds one event into the state, by its group: each group's fold lives in its own file. */
export function evolveLedger(state: LedgerState, event: LedgerEvent): LedgerState {
  state.version += 1;
  switch (ledgerEventGroup(event.type)) {
    case 'moneyIn':
      evolveMoneyIn(state, event as LedgerEventIn<'moneyIn'>);
      break;
    case 'budget':
      evolveBudget(state, event as LedgerEventIn<'budget'>);
      break;
    case 'plan':
      evolvePlan(state, event as LedgerEventIn<'plan'>);
      break;
    case 'moneyOut':
      evolveMoneyOut(state, event as LedgerEventIn<'moneyOut'>);
      break;
    case 'control':
      evolveControl(state, event as LedgerEventIn<'control'>);
      break;
    case undefined:
      throw new Error(`"${event.type}" is not an event of a year's ledger`);
  }
  return state;
}
