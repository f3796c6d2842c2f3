import type { ActorRole } from '../events/envelope.ts';
import type { DomainError } from './decider.ts';

/** Who issues a command: the decider needs it for maker-checker rules. */
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}

/**
 * Every refusal code of the domain, with what it means. The API maps each to a problem type;
 * the codes are stable: a client may rely on them.
 */
export const REFUSAL_CODES = {
  'pool-not-registered': 'the pool has not been registered',
  'pool-already-registered': 'a pool with this id is already registered',
  'pool-mismatch': 'the command names another pool than the one it was sent to',
  'partner-unknown': 'the partner has not joined the pool',
  'partner-already-joined': 'a partner with this id has already joined with other details',
  'risk-share-terms-invalid': 'the year-end terms cannot be applied as they stand',
  'terms-not-agreed': 'no year-end terms have been agreed for the year',
  'terms-not-proposed': 'no year-end terms have been proposed for the year',
  'metric-unknown': 'the metric is not one of the plan cycle’s national metrics',
  'metric-final': 'a final actual of a metric is not replaced by a provisional one',
  'already-brought-forward': 'the previous year’s balance has already been brought forward',
  'year-not-open': 'the financial year has not been opened',
  'year-already-open': 'the financial year is already open with other reference data',
  'year-closed': 'the year is closed: nothing changes it, corrections go into the next year',
  'outturn-determined':
    'the year-end outturn has been determined: only the risk share and the year close remain',
  'reference-unknown': 'a value is not in the reference lists of the year',
  'scheme-unknown': 'the scheme is not registered',
  'scheme-already-registered': 'a scheme with this id is already registered with other columns',
  'scheme-withdrawn': 'the scheme has been withdrawn',
  'scheme-line-unknown':
    'no funds have been allocated to this scheme from this funding stream in this year',
  'commissioner-split-invalid': 'the NHS and LA percentages of a joint scheme must add up to 100',
  'duplicate-id': 'the id has been used already',
  'amount-invalid': 'the amount is not allowed here',
  'text-invalid': 'the text holds control characters, is too long, or is missing',
  'total-out-of-range': 'the posting would take a total beyond the largest amount the ledger keeps',
  'contribution-not-planned': 'no contribution is planned for this partner and funding stream',
  'contribution-already-planned':
    'a contribution is already planned for this partner and funding stream',
  'insufficient-unallocated-funds': 'the funding stream has not that much unallocated',
  'insufficient-line-budget': 'the scheme line has not that much unspent budget',
  'instalment-exceeds-award': 'the instalments would exceed the grant award',
  'grant-unknown': 'no grant award with this id',
  'capital-to-revenue': 'capital funding may only go to capital schemes',
  'virement-same-line': 'a virement moves budget between two different scheme lines',
  'virement-unknown': 'no virement with this id',
  'variation-unknown': 'no contribution variation with this id',
  'not-pending': 'the request has already been decided',
  'approver-role-required': 'only the approver role may decide this',
  'same-person-approval': 'the person who requested it may not approve it',
  'ibcf-purpose-required': 'iBCF spend must name one of the three iBCF purposes',
  'ibcf-purpose-not-applicable': 'only iBCF spend names an iBCF purpose',
  'date-outside-quarter': 'the date does not fall in the quarter',
  'date-outside-year': 'the date does not fall in the financial year',
  'classification-fixed':
    'a scheme’s name and type for the year cannot change once a quarter of it is closed',
  'profile-invalid': 'the quarters’ percentages of a budget profile must sum to 100',
  'due-exceeds-contribution': 'more would be due from the partner than it contributes',
  'credit-exceeds-invoice': 'the credit is more than is left of the invoice it names',
  'credit-line-mismatch': 'the credit note names another line than the invoice it credits',
  'spend-credited': 'the invoice has credit notes or recodes against it',
  'recode-same-line': 'a recode moves a posting to another line',
  'recode-exceeds-spend': 'the recode moves more than is left of the invoice on its line',
  'commitment-unknown': 'no open commitment with this id',
  'commitment-line-mismatch': 'the invoice is on another line than the commitment it names',
  'commitment-exceeded': 'the release is more than is outstanding on the commitment',
  'accrual-before-year-end': 'accruals are posted after Q4 closes and before the year closes',
  'forecast-after-year-end':
    'after Q4 closes the outturn is actual plus accruals: post an accrual instead of a forecast',
  'prior-year-not-closed': 'the year corrected must be an earlier year of the pool that is closed',
  'year-close-not-ready': 'the year closes after Q4, the outturn and the risk share',
  'year-close-not-requested': 'closing the year has not been requested',
  'year-statement-changed-since-request':
    'the year-end statement has changed since the year close was requested',
  'quarter-closed': 'the quarter is closed',
  'quarter-not-closed': 'the quarter is not closed',
  'quarter-out-of-order': 'quarters close in order',
  'close-not-requested': 'closing the quarter has not been requested',
  'close-already-requested': 'closing the quarter has already been requested',
  'position-out-of-date': 'the ledger has changed since the position was computed',
  'position-changed-since-request':
    'the quarterly position has changed since the close was requested',
  'spend-unknown': 'no spend with this id',
  'already-reversed': 'the spend has already been reversed',
  'reason-required': 'a reason must be given',
  'year-end-not-ready': 'the year-end outturn needs all four quarters closed',
  'outturn-already-determined': 'the year-end outturn has already been determined',
  'outturn-not-determined': 'the year-end outturn has not been determined',
  'risk-share-already-applied': 'the risk share has already been applied',
  'saving-unknown': 'no planned saving with this id for this scheme',
  'user-unknown': 'no active user with this id',
  'admin-role-required': 'only an administrator manages users',
  'outside-scope': 'the user acts on pools beyond those you administer',
  'last-admin': 'the last active administrator cannot be deactivated',
  'token-unknown': 'the user has no token with this id',
  'forbidden-for-another': 'a person does this only for themselves',
  'password-not-set': 'the person has not chosen a password yet',
  'setup-link-invalid': 'the set-up link has been used or has expired',
  'version-mismatch': 'the stream is not at the version the request expected',
} as const;

export type RefusalCode = keyof typeof REFUSAL_CODES;

export function refusal(
  code: RefusalCode,
  message: string,
  field?: string,
  value?: string,
): DomainError {
  return {
    code,
    message,
    ...(field === undefined ? {} : { field }),
    ...(value === undefined ? {} : { value }),
  };
}
