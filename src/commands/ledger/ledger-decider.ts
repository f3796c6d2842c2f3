import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { type Decider, type Decision, refuse } from '../decider.ts';
import {
  allocateFunds,
  approveVirement,
  rejectVirement,
  releaseAllocation,
  requestVirement,
} from './budget.ts';
import {
  applyRiskShare,
  approveQuarterClose,
  determineYearEndOutturn,
  requestQuarterClose,
} from './control.ts';
import { checkLedgerContext } from './ledger-checks.ts';
import type { LedgerCommand } from './ledger-commands.ts';
import { evolveLedger } from './ledger-evolve.ts';
import { initialLedgerState, type LedgerState } from './ledger-state.ts';
import {
  approveContributionVariation,
  planContribution,
  recordContributionReceived,
  recordGrantAward,
  recordGrantInstalment,
  rejectContributionVariation,
  requestContributionVariation,
} from './money-in.ts';
import {
  planSaving,
  postPriorPeriodAdjustment,
  recordRealisedSaving,
  recordSpend,
  reverseSpend,
  updateForecast,
} from './money-out.ts';

/**
 * The ledger of one pool for one financial year (`ledger-{poolId}-{year}`): all its money and
 * its closes. Short per-year streams keep folding bounded ("closing the books").
 */
export const ledgerDecider: Decider<LedgerCommand, LedgerState, LedgerEvent> = {
  initialState: initialLedgerState,
  evolve: evolveLedger,
  decide(command, state): Decision<LedgerEvent> {
    const context = checkLedgerContext(command);
    if (context !== undefined) return refuse(context);
    switch (command.type) {
      case 'PlanContribution':
        return planContribution(command, state);
      case 'RequestContributionVariation':
        return requestContributionVariation(command, state);
      case 'ApproveContributionVariation':
        return approveContributionVariation(command, state);
      case 'RejectContributionVariation':
        return rejectContributionVariation(command, state);
      case 'RecordContributionReceived':
        return recordContributionReceived(command, state);
      case 'RecordGrantAward':
        return recordGrantAward(command, state);
      case 'RecordGrantInstalment':
        return recordGrantInstalment(command, state);
      case 'AllocateFunds':
        return allocateFunds(command, state);
      case 'ReleaseAllocation':
        return releaseAllocation(command, state);
      case 'RequestVirement':
        return requestVirement(command, state);
      case 'ApproveVirement':
        return approveVirement(command, state);
      case 'RejectVirement':
        return rejectVirement(command, state);
      case 'RecordSpend':
        return recordSpend(command, state);
      case 'ReverseSpend':
        return reverseSpend(command, state);
      case 'UpdateForecast':
        return updateForecast(command, state);
      case 'PlanSaving':
        return planSaving(command, state);
      case 'RecordRealisedSaving':
        return recordRealisedSaving(command, state);
      case 'RequestQuarterClose':
        return requestQuarterClose(command, state);
      case 'ApproveQuarterClose':
        return approveQuarterClose(command, state);
      case 'PostPriorPeriodAdjustment':
        return postPriorPeriodAdjustment(command, state);
      case 'DetermineYearEndOutturn':
        return determineYearEndOutturn(command, state);
      case 'ApplyRiskShare':
        return applyRiskShare(command, state);
    }
  },
};
