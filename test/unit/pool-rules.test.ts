import { describe, it } from 'vitest';
import type { PoolEvent, SchemeColumns } from '../../src/events/catalogue/index.ts';
import {
  admin,
  linesAllocated,
  MIN_CCG,
  officer,
  POOL,
  poolSetUp,
  referenceData,
  YEAR,
} from '../support/domain.ts';
import { given, givenPool } from '../support/given.ts';

/** The pool's rules: set-up, partners, risk-share terms, years, schemes. */

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
    givenPool([])
      .when({
        type: 'RegisterPool',
        actor: admin,
        poolId: POOL,
        name: 'Hertfordshire BCF',
        hwbArea: 'Hertfordshire',
        host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
      })
      .then(...poolSetUp.slice(0, 2));
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
    givenPool().when(again).thenNothing();
    givenPool()
      .when({ ...again, name: 'Another' })
      .thenRefused('pool-already-registered', 'poolId', POOL);
  });

  it('refuses anything for a pool that is not registered', () => {
    givenPool([])
      .when({
        type: 'JoinPartner',
        actor: admin,
        poolId: POOL,
        partnerId: 'CPCCG',
        name: 'C&P CCG',
        kind: 'CCG',
      })
      .thenRefused('pool-not-registered', 'poolId', POOL);
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
    const { type: _type, actor: _actor, ...joined } = join;
    givenPool().when(join).then({ type: 'PartnerJoined.v1', data: joined });
    givenPool()
      .when({ ...join, partnerId: 'HVCCG', name: 'Herts Valleys CCG' })
      .thenNothing();
    givenPool()
      .when({ ...join, partnerId: 'HVCCG' })
      .thenRefused('partner-already-joined', 'partnerId', 'HVCCG');
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
    givenPool()
      .when(open)
      .then({
        type: 'FinancialYearOpened.v1',
        data: { poolId: POOL, year: '2018-19', referenceData },
      });
    givenPool()
      .when({ ...open, year: YEAR })
      .thenNothing();
    givenPool()
      .when({ ...open, year: YEAR, referenceData: { ...referenceData, version: 'other' } })
      .thenRefused('year-already-open', 'year', YEAR);
  });
});

describe('schemes', () => {
  const register = (overrides: Partial<SchemeColumns> = {}) =>
    givenPool().when({
      type: 'RegisterScheme',
      actor: officer,
      poolId: POOL,
      schemeId: '6',
      columns: { ...columns, ...overrides },
    });

  it('registers a scheme in the template’s columns', () => {
    register().then({
      type: 'SchemeRegistered.v1',
      data: { poolId: POOL, schemeId: '6', ...columns },
    });
  });

  it('refuses values outside the year’s reference lists, naming the column and value', () => {
    register({ schemeType: 'Bingo' }).thenRefused('reference-unknown', 'schemeType', 'Bingo');
    register({ provider: 'Nobody' }).thenRefused('reference-unknown', 'provider', 'Nobody');
  });

  it('needs NHS and LA percentages adding up to 100 for a joint scheme, and none otherwise', () => {
    const joint = { commissioner: 'Joint', nhsPercentage: '60', laPercentage: '40' };
    register(joint).then({
      type: 'SchemeRegistered.v1',
      data: { poolId: POOL, schemeId: '6', ...columns, ...joint },
    });
    register({ ...joint, laPercentage: '30' }).thenRefused(
      'commissioner-split-invalid',
      'nhsPercentage',
    );
    register({ nhsPercentage: '60', laPercentage: '40' }).thenRefused(
      'commissioner-split-invalid',
      'commissioner',
    );
  });

  it('refuses schemes before any year is open', () => {
    givenPool(poolSetUp.slice(0, 4))
      .when({ type: 'RegisterScheme', actor: officer, poolId: POOL, schemeId: '6', columns })
      .thenRefused('year-not-open');
  });

  it('amends only what changed; an amendment changing nothing records nothing', () => {
    const amend = { type: 'AmendScheme' as const, actor: officer, poolId: POOL, schemeId: '1' };
    givenPool()
      .when({ ...amend, changes: { name: 'SCAH', provider: 'Local Authority' } })
      .then({
        type: 'SchemeAmended.v1',
        data: { poolId: POOL, schemeId: '1', changes: { name: 'SCAH' } },
      });
    givenPool()
      .when({ ...amend, changes: { provider: 'Local Authority' } })
      .thenNothing();
  });

  it('withdraws a scheme, after which it takes no new spend', () => {
    const withdrawn: PoolEvent = {
      type: 'SchemeWithdrawn.v1',
      data: { poolId: POOL, schemeId: '1' },
    };
    givenPool()
      .when({ type: 'WithdrawScheme', actor: officer, poolId: POOL, schemeId: '1' })
      .then(withdrawn);
    given({ pool: [...poolSetUp, withdrawn], ledger: linesAllocated })
      .when({
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
      })
      .thenRefused('scheme-withdrawn', 'schemeId', '1');
  });
});
