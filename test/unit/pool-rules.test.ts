import { describe, expect, it } from 'vitest';
import { type PoolCommand, poolDecider } from '../../src/commands/pool/pool-decider.ts';
import type { SchemeColumns } from '../../src/events/catalogue/index.ts';
import {
  admin,
  decideLedger,
  foldPool,
  linesAllocated,
  MIN_CCG,
  officer,
  POOL,
  poolSetUp,
  referenceData,
  YEAR,
} from '../support/domain.ts';

/** The pool's rules: set-up, partners, risk-share terms, years, schemes. */

const decide = (command: PoolCommand, given = poolSetUp) =>
  poolDecider.decide(command, foldPool(given));

const columns: SchemeColumns = {
  name: 'Falls liaison service',
  schemeType: 'Other',
  description: 'Falls prevention and liaison',
  areaOfSpend: 'Community Health',
  commissioner: 'CCG',
  provider: 'NHS Community Provider',
  newOrExisting: 'Existing',
};

describe('pool set-up', () => {
  it('registers a pool with its host partner', () => {
    const decision = decide(
      {
        type: 'RegisterPool',
        actor: admin,
        poolId: POOL,
        name: 'Hertfordshire BCF',
        hwbArea: 'Hertfordshire',
        host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
      },
      [],
    );
    expect(decision).toEqual({ ok: true, events: poolSetUp.slice(0, 2) });
  });

  it('does nothing when the same pool is registered again, and refuses different details', () => {
    const again = {
      type: 'RegisterPool' as const,
      actor: admin,
      poolId: POOL,
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      host: { partnerId: 'HCC', name: 'x', kind: 'Local Authority' as const },
    };
    expect(decide(again)).toEqual({ ok: true, events: [] });
    expect(decide({ ...again, name: 'Another' })).toMatchObject({
      ok: false,
      error: { code: 'pool-already-registered', field: 'poolId', value: POOL },
    });
  });

  it('refuses anything for a pool that is not registered', () => {
    expect(
      decide(
        {
          type: 'JoinPartner',
          actor: admin,
          poolId: POOL,
          partnerId: 'CPCCG',
          name: 'C&P CCG',
          kind: 'CCG',
        },
        [],
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'pool-not-registered' },
    });
  });

  it('lets a partner join once; the same details again change nothing', () => {
    const join = {
      type: 'JoinPartner' as const,
      actor: admin,
      poolId: POOL,
      partnerId: 'CPCCG',
      name: 'Cambridgeshire and Peterborough CCG',
      kind: 'CCG' as const,
    };
    expect(decide(join)).toMatchObject({ ok: true, events: [{ type: 'PartnerJoined.v1' }] });
    expect(decide({ ...join, partnerId: 'HVCCG', name: 'Herts Valleys CCG' })).toEqual({
      ok: true,
      events: [],
    });
    expect(decide({ ...join, partnerId: 'HVCCG' })).toMatchObject({
      ok: false,
      error: { code: 'partner-already-joined', value: 'HVCCG' },
    });
  });
});

describe('risk-share terms', () => {
  const terms = (shares: { partnerId: string; percentage: string }[]) =>
    decide({
      type: 'AgreeRiskShareTerms',
      actor: admin,
      poolId: POOL,
      basis: 'fixed-shares',
      fixedShares: [{ schemeId: '1', shares }],
    });

  it('agrees fixed shares that add up to 100%', () => {
    expect(
      terms([
        { partnerId: 'HCC', percentage: '60' },
        { partnerId: 'ENHCCG', percentage: '40.00' },
      ]),
    ).toMatchObject({ ok: true, events: [{ type: 'RiskShareTermsAgreed.v1' }] });
  });

  it('refuses shares that do not, naming the total', () => {
    expect(
      terms([
        { partnerId: 'HCC', percentage: '60' },
        { partnerId: 'ENHCCG', percentage: '39.99' },
      ]),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'risk-share-terms-invalid',
        value: '99.99',
        message: 'the shares of scheme "1" add up to 99.99%, not 100%',
      },
    });
  });

  it('refuses shares for unknown partners or schemes', () => {
    expect(terms([{ partnerId: 'NOBODY', percentage: '100' }])).toMatchObject({
      ok: false,
      error: { code: 'partner-unknown', value: 'NOBODY' },
    });
    expect(
      decide({
        type: 'AgreeRiskShareTerms',
        actor: admin,
        poolId: POOL,
        basis: 'fixed-shares',
        fixedShares: [{ schemeId: '99', shares: [] }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'scheme-unknown', value: '99' } });
  });
});

describe('financial years', () => {
  it('opens a year once; the same reference lists again change nothing', () => {
    const open = {
      type: 'OpenFinancialYear' as const,
      actor: admin,
      poolId: POOL,
      year: '2018-19',
      referenceData,
    };
    expect(decide(open)).toMatchObject({
      ok: true,
      events: [{ type: 'FinancialYearOpened.v1', data: { year: '2018-19' } }],
    });
    expect(decide({ ...open, year: YEAR })).toEqual({ ok: true, events: [] });
    expect(
      decide({ ...open, year: YEAR, referenceData: { ...referenceData, version: 'other' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'year-already-open', value: YEAR },
    });
  });
});

describe('schemes', () => {
  const register = (overrides: Partial<SchemeColumns> = {}) =>
    decide({
      type: 'RegisterScheme',
      actor: officer,
      poolId: POOL,
      schemeId: '6',
      columns: { ...columns, ...overrides },
    });

  it('registers a scheme in the template’s columns', () => {
    expect(register()).toEqual({
      ok: true,
      events: [{ type: 'SchemeRegistered.v1', data: { poolId: POOL, schemeId: '6', ...columns } }],
    });
  });

  it('refuses values outside the year’s reference lists, naming the column and value', () => {
    expect(register({ schemeType: 'Bingo' })).toMatchObject({
      ok: false,
      error: { code: 'reference-unknown', field: 'schemeType', value: 'Bingo' },
    });
    expect(register({ provider: 'Nobody' })).toMatchObject({
      ok: false,
      error: { code: 'reference-unknown', field: 'provider', value: 'Nobody' },
    });
  });

  it('needs NHS and LA percentages adding up to 100 for a joint scheme, and none otherwise', () => {
    expect(
      register({ commissioner: 'Joint', nhsPercentage: '60', laPercentage: '40' }),
    ).toMatchObject({ ok: true });
    expect(
      register({ commissioner: 'Joint', nhsPercentage: '60', laPercentage: '30' }),
    ).toMatchObject({ ok: false, error: { code: 'commissioner-split-invalid' } });
    expect(register({ nhsPercentage: '60', laPercentage: '40' })).toMatchObject({
      ok: false,
      error: { code: 'commissioner-split-invalid', field: 'commissioner' },
    });
  });

  it('refuses schemes before any year is open', () => {
    expect(
      decide(
        { type: 'RegisterScheme', actor: officer, poolId: POOL, schemeId: '6', columns },
        poolSetUp.slice(0, 4),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'year-not-open' },
    });
  });

  it('amends only what changed; an amendment changing nothing records nothing', () => {
    expect(
      decide({
        type: 'AmendScheme',
        actor: officer,
        poolId: POOL,
        schemeId: '1',
        changes: { name: 'SCAH', provider: 'Local Authority' },
      }),
    ).toEqual({
      ok: true,
      events: [
        {
          type: 'SchemeAmended.v1',
          data: { poolId: POOL, schemeId: '1', changes: { name: 'SCAH' } },
        },
      ],
    });
    expect(
      decide({
        type: 'AmendScheme',
        actor: officer,
        poolId: POOL,
        schemeId: '1',
        changes: { provider: 'Local Authority' },
      }),
    ).toEqual({ ok: true, events: [] });
  });

  it('withdraws a scheme, after which it takes no new spend', () => {
    const withdrawn = decide({
      type: 'WithdrawScheme',
      actor: officer,
      poolId: POOL,
      schemeId: '1',
    });
    expect(withdrawn).toEqual({
      ok: true,
      events: [{ type: 'SchemeWithdrawn.v1', data: { poolId: POOL, schemeId: '1' } }],
    });
    const pool = [...poolSetUp, ...(withdrawn.ok ? withdrawn.events : [])];
    const spend = decideLedger(
      { pool, ledger: linesAllocated },
      {
        type: 'RecordSpend',
        actor: officer,
        spendId: 's1',
        schemeId: '1',
        fundingStream: MIN_CCG,
        quarter: 'Q1',
        spendDate: '2017-04-03',
        amount: '1.00',
        supplier: '',
        erpReference: '',
        description: '',
      },
    );
    expect(spend).toMatchObject({
      ok: false,
      error: { code: 'scheme-withdrawn', field: 'schemeId', value: '1' },
    });
  });
});
