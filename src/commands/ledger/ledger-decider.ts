import type { LedgerEvent } from '../../events/catalogue/index.ts';
import { type Decider, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { postAccrual, postPriorPeriodAdjustment, postPriorYearAdjustment } from './adjustments.ts';
import {
  allocateFunds,
  approveVirement,
  rejectVirement,
  releaseAllocation,
  requestVirement,
} from './budget.ts';
import { raiseCommitment, releaseCommitment } from './commitments.ts';
import {
  approveQuarterClose,
  approveYearClose,
  determineYearEndOutturn,
  requestQuarterClose,
  requestYearClose,
} from './control.ts';
import { planSaving, recordRealisedSaving, updateForecast } from './forecasts-and-savings.ts';
import { checkLedgerContext } from './ledger-checks.ts';
import type { LedgerCommand } from './ledger-commands.ts';
import { evolveLedger } from './ledger-evolve.ts';
import { initialLedgerState, type LedgerState } from './ledger-state.ts';
import {
  approveContributionVariation,
  planContribution,
  recordContributionDue,
  recordContributionReceived,
  recordGrantAward,
  recordGrantInstalment,
  rejectContributionVariation,
  requestContributionVariation,
} from './money-in.ts';
import { recodeSpend, recordCreditNote, recordSpend, reverseSpend } from './money-out.ts';
import { recordMetricActual, setMetricTarget, setMinimums } from './national.ts';
import { classifyScheme, phaseBudget, setRagThresholds } from './plan.ts';
import {
  applyRiskShare,
  approveYearEndTerms,
  bringForwardBalance,
  proposeYearEndTerms,
} from './year-end.ts';

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
    if (state.yearClosed) {
      return refuse(
        refusal(
          'year-closed',
          `${command.year} is closed: nothing changes it; post a correction in the next year, naming ${command.year}`,
          'year',
          command.year,
        ),
      );
    }
    return HANDLERS[command.type](command as never, state);
  },
};

type Handler<Type extends LedgerCommand['type']> = (
  command: Extract<LedgerCommand, { type: Type }>,
  state: LedgerState,
) => Decision<LedgerEvent>;

const HANDLERS: { readonly [Type in LedgerCommand['type']]: Handler<Type> } = {
  PlanContribution: planContribution,
  RequestContributionVariation: requestContributionVariation,
  ApproveContributionVariation: approveContributionVariation,
  RejectContributionVariation: rejectContributionVariation,
  RecordContributionDue: recordContributionDue,
  RecordContributionReceived: recordContributionReceived,
  RecordGrantAward: recordGrantAward,
  RecordGrantInstalment: recordGrantInstalment,
  AllocateFunds: allocateFunds,
  ReleaseAllocation: releaseAllocation,
  RequestVirement: requestVirement,
  ApproveVirement: approveVirement,
  RejectVirement: rejectVirement,
  ClassifyScheme: classifyScheme,
  PhaseBudget: phaseBudget,
  SetRagThresholds: setRagThresholds,
  RecordSpend: recordSpend,
  RecordCreditNote: recordCreditNote,
  ReverseSpend: reverseSpend,
  RecodeSpend: recodeSpend,
  RaiseCommitment: raiseCommitment,
  ReleaseCommitment: releaseCommitment,
  PostAccrual: postAccrual,
  UpdateForecast: updateForecast,
  PlanSaving: planSaving,
  RecordRealisedSaving: recordRealisedSaving,
  PostPriorPeriodAdjustment: postPriorPeriodAdjustment,
  PostPriorYearAdjustment: postPriorYearAdjustment,
  RequestQuarterClose: requestQuarterClose,
  ApproveQuarterClose: approveQuarterClose,
  DetermineYearEndOutturn: determineYearEndOutturn,
  ProposeYearEndTerms: proposeYearEndTerms,
  ApproveYearEndTerms: approveYearEndTerms,
  ApplyRiskShare: applyRiskShare,
  BringForwardBalance: bringForwardBalance,
  SetMinimums: setMinimums,
  SetMetricTarget: setMetricTarget,
  RecordMetricActual: recordMetricActual,
  RequestYearClose: requestYearClose,
  ApproveYearClose: approveYearClose,
};
