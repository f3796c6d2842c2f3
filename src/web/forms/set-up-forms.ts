import { z } from 'zod';
import type { CommandInput } from '../../commands/write-face.ts';
import { PARTNER_KINDS, USER_ROLES } from '../../events/catalogue/index.ts';
import * as pools from '../../events/requests/pool-requests.ts';
import * as users from '../../events/requests/user-requests.ts';
import type { Library } from '../page-kit.ts';
import type { FormSpec } from './form-spec.ts';

/**
 * The administrator's forms: pools, their partners and financial years; people, their roles and
 * pools, set-up links, deactivation and machine tokens. A set-up link's code and a token's secret
 * are shown once, on the confirmation, and only their hashes are kept.
 */
const partnerKind = {
  name: 'kind',
  label: 'Kind of partner',
  kind: 'select',
  options: () => PARTNER_KINDS.map((kind) => ({ value: kind, text: kind })),
} as const;

export function setUpForms(library: Library): FormSpec[] {
  return [registerPool, ...poolForms(library), ...peopleForms()];
}

const registerPool: FormSpec = {
  slug: 'register-pool',
  title: 'Register a pool',
  lead: 'A Better Care Fund pooled budget, with the partner that hosts it.',
  permission: 'set-up',
  stream: 'pool',
  schema: pools.registerPool,
  fields: [
    { name: 'poolId', label: 'Pool code', hint: 'For example, herts', kind: 'text' },
    { name: 'name', label: 'Name of the pool', kind: 'text' },
    { name: 'hwbArea', label: 'Health and wellbeing board area', kind: 'text' },
    { name: 'region', label: 'NHS England region', kind: 'text', optional: true },
    { name: 'hostId', label: 'Host partner’s code', kind: 'text' },
    { name: 'hostName', label: 'Host partner’s name', kind: 'text' },
    { ...partnerKind, name: 'hostKind', label: 'Kind of host partner' },
  ],
  prepare: ({ hostId, hostName, hostKind, ...rest }) => ({
    ...rest,
    host: { partnerId: hostId, name: hostName, kind: hostKind },
  }),
  toCommand: (values) => ({ type: 'RegisterPool', ...values }) as unknown as CommandInput,
  done: 'Pool registered',
};

function poolForms(library: Library): FormSpec[] {
  return [
    {
      slug: 'join-partner',
      title: 'Add a partner to the pool',
      lead: 'A council or NHS body that contributes to the pool.',
      permission: 'set-up',
      stream: 'pool',
      schema: pools.joinPartner,
      fields: [
        { name: 'partnerId', label: 'Partner code', kind: 'text' },
        { name: 'name', label: 'Name', kind: 'text' },
        partnerKind,
      ],
      toCommand: (values, context) =>
        ({ type: 'JoinPartner', poolId: context.poolId, ...values }) as unknown as CommandInput,
      done: 'Partner added',
    },
    {
      slug: 'open-year',
      title: 'Open a financial year',
      lead: 'Opens a year of the pool with the national reference lists it uses.',
      permission: 'set-up',
      stream: 'pool',
      schema: pools.openYear,
      fields: [
        { name: 'year', label: 'Financial year', hint: 'For example, 2017-18', kind: 'text' },
        {
          name: 'referenceData',
          label: 'Reference lists',
          hint: 'The edition of the national planning template’s lists',
          kind: 'select',
          options: () => library.referenceData.map(({ name }) => ({ value: name, text: name })),
        },
      ],
      prepare: (values) => ({
        ...values,
        referenceData: library.referenceData.find(({ name }) => name === values.referenceData)
          ?.data,
      }),
      toCommand: (values, context) =>
        ({
          type: 'OpenFinancialYear',
          poolId: context.poolId,
          ...values,
        }) as unknown as CommandInput,
      done: 'Financial year opened',
    },
  ];
}

const subjectOnly = z.strictObject({});

function peopleForms(): FormSpec[] {
  return [
    {
      slug: 'register-user',
      title: 'Add a person',
      lead: 'Someone who uses the ledger, with their role and the pools they work on. Then issue them a set-up link.',
      permission: 'administer-users',
      stream: 'access',
      schema: users.registerUser,
      fields: [
        {
          name: 'userId',
          label: 'User name',
          hint: 'What they sign in with, for example j.smith',
          kind: 'text',
        },
        { name: 'name', label: 'Full name', kind: 'text' },
        {
          name: 'role',
          label: 'Role',
          kind: 'select',
          options: () => USER_ROLES.map((role) => ({ value: role, text: role })),
        },
        {
          name: 'pools',
          label: 'Pools',
          hint: 'Pool codes separated by commas, or * for every pool',
          kind: 'list',
        },
      ],
      toCommand: (values) => ({ type: 'RegisterUser', ...values }) as unknown as CommandInput,
      done: 'Person added',
    },
    {
      slug: 'issue-setup-link',
      title: 'Issue a set-up link',
      lead: 'A one-time link with which the person chooses their password. It is shown once: send it to them.',
      permission: 'administer-users',
      stream: 'access',
      schema: subjectOnly,
      fields: [],
      toCommand: (_values, context) => ({ type: 'IssueSetupLink', userId: context.subject }),
      done: 'Set-up link issued',
    },
    {
      slug: 'deactivate-user',
      title: 'Deactivate a person',
      lead: 'They can no longer sign in, and their tokens stop working. What they recorded stays.',
      permission: 'administer-users',
      stream: 'access',
      schema: subjectOnly,
      fields: [],
      toCommand: (_values, context) =>
        ({ type: 'DeactivateUser', userId: context.subject }) as unknown as CommandInput,
      done: 'Person deactivated',
    },
    {
      slug: 'issue-token',
      title: 'Issue a machine token',
      lead: 'A bearer token a finance system uses to call the API as this user. It is shown once.',
      permission: 'administer-users',
      stream: 'access',
      schema: users.issueToken,
      fields: [{ name: 'label', label: 'What the token is for', kind: 'text' }],
      toCommand: (values, context) =>
        ({ type: 'IssueToken', userId: context.subject, ...values }) as unknown as CommandInput,
      done: 'Token issued',
    },
  ];
}
