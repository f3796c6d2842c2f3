import type { CommandInput } from '../../commands/write-face.ts';
import { factId, IBCF_PURPOSES } from '../../events/catalogue/index.ts';
import * as requests from '../../events/requests/ledger-requests.ts';
import { choose, type Field, type FormContext, type FormSpec } from './form-spec.ts';

/**
 * The finance officer's forms: money out (spend, credit notes, reversals, recodes, commitments),
 * money in (receipts), savings, requests for the CFO group, metrics. Each is validated with the
 * API's request schema for the same command.
 */
const scheme: Field = { name: 'schemeId', label: 'Scheme', kind: 'select', options: choose.scheme };
const stream: Field = {
  name: 'fundingStream',
  label: 'Funding stream',
  kind: 'select',
  options: choose.fundingStream,
};
const amount: Field = { name: 'amount', label: 'Amount', kind: 'money' };
const ibcf: Field = {
  name: 'ibcfPurpose',
  label: 'iBCF purpose',
  hint: 'Only for spend of the improved Better Care Fund grant',
  kind: 'select',
  optional: true,
  options: () => IBCF_PURPOSES.map((purpose) => ({ value: purpose, text: purpose })),
};
const supplier: Field = { name: 'supplier', label: 'Supplier', kind: 'text', optional: true };
const description: Field = {
  name: 'description',
  label: 'Description',
  kind: 'textarea',
  optional: true,
};
const reason: Field = {
  name: 'reason',
  label: 'Reason',
  hint: 'An auditor will read it',
  kind: 'textarea',
};

/** A ledger command of the form's pool and year. */
function ledger(command: Record<string, unknown>, context: FormContext): CommandInput {
  return { ...command, poolId: context.poolId, year: context.year } as unknown as CommandInput;
}

export const officerForms: readonly FormSpec[] = [
  {
    slug: 'record-spend',
    title: 'Record spend',
    lead: 'An invoice paid from the pool. Its date decides the quarter it counts in.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.recordSpend,
    fields: [
      scheme,
      stream,
      { name: 'spendDate', label: 'Invoice date', kind: 'date' },
      amount,
      supplier,
      {
        name: 'erpReference',
        label: 'Finance system reference',
        hint: 'The invoice or journal number in your finance system',
        kind: 'text',
        optional: true,
      },
      description,
      ibcf,
      {
        name: 'commitmentId',
        label: 'Commitment it pays',
        hint: 'The commitment (purchase order) this invoice draws down, if any',
        kind: 'text',
        optional: true,
      },
    ],
    newIds: ['spendId'],
    toCommand: (values, context) => ledger({ type: 'RecordSpend', ...values }, context),
    done: 'Spend recorded',
  },
  {
    slug: 'record-credit-note',
    title: 'Record a credit note',
    lead: 'Money a supplier gives back. Name the invoice it credits, and the scheme and stream are taken from it.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.recordCreditNote,
    fields: [
      {
        name: 'creditsSpendId',
        label: 'Invoice it credits',
        hint: 'The ledger’s id of the spend, as the audit trail shows it',
        kind: 'text',
        optional: true,
      },
      { ...scheme, optional: true, hint: 'Needed only when no invoice is named' },
      { ...stream, optional: true, hint: 'Needed only when no invoice is named' },
      { name: 'creditDate', label: 'Credit note date', kind: 'date' },
      amount,
      supplier,
      { name: 'reference', label: 'Credit note reference', kind: 'text', optional: true },
      description,
    ],
    newIds: ['creditId'],
    toCommand: (values, context) => ledger({ type: 'RecordCreditNote', ...values }, context),
    done: 'Credit note recorded',
  },
  {
    slug: 'reverse-spend',
    title: 'Reverse a posting',
    lead: 'Takes a spend posted in error out of the ledger. The posting stays in the audit trail with its reversal.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.reverseSpend.extend({ spendId: factId }),
    fields: [
      {
        name: 'spendId',
        label: 'Spend to reverse',
        hint: 'The ledger’s id of the spend',
        kind: 'text',
      },
      reason,
    ],
    newIds: ['reversalId'],
    toCommand: (values, context) => ledger({ type: 'ReverseSpend', ...values }, context),
    done: 'Posting reversed',
  },
  {
    slug: 'recode-spend',
    title: 'Recode a posting',
    lead: 'Moves all or part of a spend to another scheme or funding stream.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.recodeSpend.extend({ spendId: factId }),
    fields: [
      {
        name: 'spendId',
        label: 'Spend to recode',
        hint: 'The ledger’s id of the spend',
        kind: 'text',
      },
      { ...scheme, name: 'toSchemeId', label: 'To scheme' },
      { ...stream, name: 'toFundingStream', label: 'To funding stream' },
      { ...amount, optional: true, hint: 'Leave empty to move all that is left of the invoice' },
      reason,
      ibcf,
    ],
    newIds: ['recodeId'],
    toCommand: (values, context) => ledger({ type: 'RecodeSpend', ...values }, context),
    done: 'Posting recoded',
  },
  {
    slug: 'raise-commitment',
    title: 'Raise a commitment',
    lead: 'A purchase order or contract the pool is committed to pay.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.raiseCommitment,
    fields: [
      scheme,
      stream,
      { name: 'raisedOn', label: 'Date raised', kind: 'date' },
      amount,
      supplier,
      { name: 'reference', label: 'Order reference', kind: 'text', optional: true },
      description,
    ],
    newIds: ['commitmentId'],
    toCommand: (values, context) => ledger({ type: 'RaiseCommitment', ...values }, context),
    done: 'Commitment raised',
  },
  {
    slug: 'release-commitment',
    title: 'Release a commitment',
    lead: 'Frees what is no longer needed of a commitment.',
    permission: 'record',
    stream: 'ledger',
    schema: requests.releaseCommitment.extend({ commitmentId: factId }),
    fields: [
      { name: 'commitmentId', label: 'Commitment', kind: 'text' },
      { ...amount, optional: true, hint: 'Leave empty to release all that is outstanding' },
      reason,
    ],
    toCommand: (values, context) => ledger({ type: 'ReleaseCommitment', ...values }, context),
    done: 'Commitment released',
  },
  ...moneyInAndSavings(),
];

function moneyInAndSavings(): FormSpec[] {
  return [
    {
      slug: 'record-receipt',
      title: 'Record a contribution received',
      lead: 'Money a partner paid into the pool.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.recordReceipt,
      fields: [
        { name: 'partnerId', label: 'Partner', kind: 'select', options: choose.partner },
        stream,
        amount,
        { name: 'receivedOn', label: 'Date received', kind: 'date' },
        { name: 'reference', label: 'Remittance reference', kind: 'text' },
      ],
      newIds: ['receiptId'],
      toCommand: (values, context) =>
        ledger({ type: 'RecordContributionReceived', ...values }, context),
      done: 'Contribution received recorded',
    },
    {
      slug: 'plan-saving',
      title: 'Plan a saving',
      lead: 'A saving a scheme expects to make this year.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.planSaving,
      fields: [
        scheme,
        amount,
        { name: 'cashable', label: 'Is it cashable?', kind: 'yes-no' },
        { ...description, optional: false },
      ],
      newIds: ['savingId'],
      toCommand: (values, context) => ledger({ type: 'PlanSaving', ...values }, context),
      done: 'Saving planned',
    },
    {
      slug: 'realise-saving',
      title: 'Record a saving realised',
      lead: 'A saving made, with its evidence.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.realiseSaving,
      fields: [
        scheme,
        { name: 'savingId', label: 'Planned saving it realises', kind: 'text', optional: true },
        { name: 'realisedOn', label: 'Date realised', kind: 'date' },
        amount,
        { name: 'evidence', label: 'Evidence', kind: 'textarea' },
      ],
      newIds: ['realisationId'],
      toCommand: (values, context) => ledger({ type: 'RecordRealisedSaving', ...values }, context),
      done: 'Saving realised recorded',
    },
    ...requestsAndMetrics(),
  ];
}

function requestsAndMetrics(): FormSpec[] {
  return [
    {
      slug: 'request-virement',
      title: 'Request a virement',
      lead: 'Moves budget from one scheme to another within a funding stream. The CFO group decides it; you cannot approve your own.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.requestVirement,
      fields: [
        stream,
        { ...scheme, name: 'fromSchemeId', label: 'From scheme' },
        { ...scheme, name: 'toSchemeId', label: 'To scheme' },
        amount,
      ],
      newIds: ['virementId'],
      toCommand: (values, context) => ledger({ type: 'RequestVirement', ...values }, context),
      done: 'Virement requested',
    },
    {
      slug: 'request-variation',
      title: 'Request a contribution variation',
      lead: 'Changes a partner’s planned contribution. The CFO group decides it.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.requestVariation,
      fields: [
        { name: 'partnerId', label: 'Partner', kind: 'select', options: choose.partner },
        stream,
        {
          name: 'change',
          label: 'Change',
          hint: 'More is positive, less is negative, for example -25000.00',
          kind: 'money',
        },
      ],
      newIds: ['variationId'],
      toCommand: (values, context) =>
        ledger({ type: 'RequestContributionVariation', ...values }, context),
      done: 'Contribution variation requested',
    },
    {
      slug: 'record-metric-actual',
      title: 'Record a metric actual',
      lead: 'A national metric’s figure for a quarter.',
      permission: 'record',
      stream: 'ledger',
      schema: requests.metricActual,
      fields: [
        { name: 'metricId', label: 'Metric', kind: 'select', options: choose.metric },
        { name: 'forQuarter', label: 'Quarter', kind: 'select', options: choose.quarter },
        { name: 'value', label: 'Value', kind: 'text' },
        {
          name: 'status',
          label: 'Status',
          kind: 'select',
          options: () => [
            { value: 'provisional', text: 'Provisional' },
            { value: 'final', text: 'Final' },
          ],
        },
      ],
      toCommand: (values, context) => ledger({ type: 'RecordMetricActual', ...values }, context),
      done: 'Metric actual recorded',
    },
  ];
}
