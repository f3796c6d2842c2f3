import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolCommand } from '../../src/commands/pool/pool-decider.ts';
import type { Actor } from '../../src/commands/refusals.ts';
import { bcfCatalogue, type Quarter } from '../../src/events/catalogue/index.ts';
import { SqliteEventStore } from '../../src/events/store/sqlite/sqlite-event-store.ts';
import { poolViewFromStreams, quarterlyReportAtVersions } from '../../src/projections/as-at.ts';
import { ProjectionRunner } from '../../src/projections/projection-runner.ts';
import { poolBalances } from '../../src/projections/reports/balances.ts';
import { quarterlyReport } from '../../src/projections/reports/quarterly-position.ts';
import {
  createTestService as createLedgerService,
  type LedgerCommandInput,
} from '../support/command-service.ts';
import {
  admin,
  cfo,
  IBCF,
  MIN_CCG,
  metadataFor,
  officer,
  POOL,
  referenceData,
  secondCfo,
  YEAR,
} from '../support/domain.ts';
import { temporaryDirectory } from '../support/temp-dir.ts';

/**
 * The worked example of docs/domain.md, end to end on a real store: from allocation to the
 * quarterly position, a quarter close, corrections after it, and the audit trail.
 */
describe('worked example: from allocation to quarterly position', () => {
  const directory = temporaryDirectory('worked');
  const store = SqliteEventStore.open({
    path: join(directory.path, 'ledger.sqlite'),
    catalogue: bcfCatalogue,
  });
  const runner = ProjectionRunner.open({ path: join(directory.path, 'projections.sqlite'), store });
  const service = createLedgerService(store);
  let clock = Date.parse('2017-04-03T09:00:00.000Z');
  let sequence = 0;
  const recorded = { closedAt: '' };

  const pool = async (command: PoolCommand) => {
    const outcome = await service.pool(
      command,
      metadataFor(command.actor, `k${++sequence}`, tick()),
    );
    expect(outcome, command.type).toMatchObject({ ok: true });
  };
  const ledger = async (command: Omit<LedgerCommandInput, 'poolId' | 'year'>) => {
    const outcome = await service.ledger(
      { poolId: POOL, year: YEAR, ...command } as LedgerCommandInput,
      metadataFor(command.actor, `k${++sequence}`, tick()),
    );
    expect(outcome, `${command.type} ${JSON.stringify(outcome)}`).toMatchObject({ ok: true });
    return outcome;
  };
  const spend = (
    spendId: string,
    schemeId: string,
    fundingStream: string,
    quarter: Quarter,
    spendDate: string,
    amount: string,
    ibcfPurpose?: string,
  ) =>
    ledger({
      type: 'RecordSpend',
      actor: officer,
      spendId,
      schemeId,
      fundingStream,
      quarter,
      spendDate,
      amount,
      supplier: 'Provider Ltd',
      erpReference: `ERP-${spendId}`,
      description: 'care',
      ...(ibcfPurpose ? { ibcfPurpose } : {}),
    } as never);
  const closeQuarter = async (quarter: Quarter, requester: Actor, approver: Actor) => {
    for (const actor of [requester, approver]) {
      const versions = {
        poolVersion: (await service.poolState(POOL)).version,
        ledgerVersion: (await service.ledgerState(POOL, YEAR)).version,
      };
      const report = await quarterlyReportAtVersions(store, POOL, YEAR, quarter, versions);
      await ledger({
        type: actor === requester ? 'RequestQuarterClose' : 'ApproveQuarterClose',
        actor,
        quarter,
        reportDigest: report?.digest ?? '',
        ...versions,
      } as never);
    }
  };

  function tick(): string {
    clock += 60_000;
    return new Date(clock).toISOString();
  }

  beforeAll(async () => {
    await pool({
      type: 'RegisterPool',
      actor: admin,
      poolId: POOL,
      name: 'Hertfordshire BCF',
      hwbArea: 'Hertfordshire',
      host: { partnerId: 'HCC', name: 'Hertfordshire County Council', kind: 'Local Authority' },
    });
    await pool({
      type: 'JoinPartner',
      actor: admin,
      poolId: POOL,
      partnerId: 'ENHCCG',
      name: 'East and North Hertfordshire CCG',
      kind: 'CCG',
    });
    await pool({
      type: 'OpenFinancialYear',
      actor: admin,
      poolId: POOL,
      year: YEAR,
      referenceData,
    });
    const columns = {
      description: '',
      areaOfSpend: 'Social Care',
      commissioner: 'Local Authority',
      provider: 'Local Authority',
      newOrExisting: 'Existing' as const,
    };
    await pool({
      type: 'RegisterScheme',
      actor: officer,
      poolId: POOL,
      schemeId: '1',
      columns: {
        ...columns,
        name: 'Specialist Care at Home',
        schemeType: 'Personalised support/care at home',
      },
    });
    await pool({
      type: 'RegisterScheme',
      actor: officer,
      poolId: POOL,
      schemeId: '3',
      columns: {
        ...columns,
        name: 'Discharge to Assess',
        schemeType: 'HICM for managing transfer of care',
      },
    });

    await ledger({
      type: 'PlanContribution',
      actor: officer,
      partnerId: 'ENHCCG',
      fundingStream: MIN_CCG,
      amount: '1000000.00',
    } as never);
    await ledger({
      type: 'PlanContribution',
      actor: officer,
      partnerId: 'HCC',
      fundingStream: IBCF,
      amount: '400000.00',
    } as never);
    await ledger({
      type: 'AllocateFunds',
      actor: officer,
      allocationId: 'a1',
      schemeId: '1',
      fundingStream: MIN_CCG,
      amount: '800000.00',
    } as never);
    await ledger({
      type: 'AllocateFunds',
      actor: officer,
      allocationId: 'a2',
      schemeId: '3',
      fundingStream: MIN_CCG,
      amount: '200000.00',
    } as never);
    await ledger({
      type: 'AllocateFunds',
      actor: officer,
      allocationId: 'a3',
      schemeId: '3',
      fundingStream: IBCF,
      amount: '400000.00',
    } as never);
    // Scheme 3's Minimum CCG budget is for a service starting in July: nothing is due in Q1.
    await ledger({
      type: 'PhaseBudget',
      actor: officer,
      schemeId: '3',
      fundingStream: MIN_CCG,
      profile: { Q1: '0', Q2: '40', Q3: '30', Q4: '30' },
    } as never);
    // The year-end terms: any overspend left is shared by contributions, underspends kept.
    await ledger({
      type: 'ProposeYearEndTerms',
      actor: cfo,
      terms: {
        steps: ['share-overspend'],
        defaultProfile: { kind: 'contributions' },
        lineProfiles: [],
        defaultUnderspend: 'carry-forward',
        underspend: [],
        unallocated: 'carry-forward',
      },
    } as never);
    await ledger({ type: 'ApproveYearEndTerms', actor: secondCfo } as never);
    await spend('s1', '1', MIN_CCG, 'Q1', '2017-04-28', '150000.00');
    await spend('s2', '1', MIN_CCG, 'Q1', '2017-05-31', '75000.50');
    await spend('s3', '3', IBCF, 'Q1', '2017-06-15', '90000.00', 'reducing-nhs-pressures');
    await ledger({
      type: 'ReverseSpend',
      actor: officer,
      reversalId: 'r1',
      spendId: 's2',
      reason: 'invoice paid twice',
    } as never);
    await ledger({
      type: 'RequestVirement',
      actor: officer,
      virementId: 'v1',
      fundingStream: MIN_CCG,
      fromSchemeId: '1',
      toSchemeId: '3',
      amount: '50000.00',
    } as never);
    await ledger({ type: 'ApproveVirement', actor: cfo, virementId: 'v1' } as never);
    await ledger({
      type: 'UpdateForecast',
      actor: officer,
      schemeId: '3',
      fundingStream: MIN_CCG,
      quarter: 'Q1',
      forecastOutturn: '260000.00',
    } as never);
    await ledger({
      type: 'PlanSaving',
      actor: officer,
      savingId: 'sv1',
      schemeId: '3',
      amount: '80000.00',
      cashable: true,
      description: 'fewer delayed discharges',
    } as never);
    await closeQuarter('Q1', officer, cfo);
    recorded.closedAt = new Date(clock).toISOString();

    await spend('s4', '1', MIN_CCG, 'Q2', '2017-07-10', '120000.00');
    await ledger({
      type: 'ReverseSpend',
      actor: officer,
      reversalId: 'r2',
      spendId: 's1',
      reason: 'charged to the wrong scheme',
    } as never);
    await ledger({
      type: 'PostPriorPeriodAdjustment',
      actor: officer,
      adjustmentId: 'p1',
      closedQuarter: 'Q1',
      schemeId: '3',
      fundingStream: MIN_CCG,
      amount: '150000.00',
      description: 'April homecare, moved from scheme 1',
    } as never);
    await runner.catchUp();
  });

  afterAll(async () => {
    runner.close();
    await store.close();
    directory.remove();
  });

  it('shows the balances: budget = spent + committed + remaining on every line, contributions = allocated + unallocated', () => {
    const balances = poolBalances(runner.poolView(POOL) ?? fail(), YEAR) ?? fail();
    expect(balances.toDate).toBe('Q2');
    expect(balances.lines.map((line) => line.budgetToDate)).toEqual([
      '375000.00',
      '100000.00',
      '200000.00',
    ]);
    expect(
      balances.lines.map((line) => [
        line.schemeId,
        line.fundingStream,
        line.currentBudget,
        line.spent,
        line.remaining,
        line.rag,
      ]),
    ).toEqual([
      ['1', MIN_CCG, '750000.00', '120000.00', '630000.00', 'red'],
      ['3', MIN_CCG, '250000.00', '150000.00', '100000.00', 'red'],
      ['3', IBCF, '400000.00', '90000.00', '310000.00', 'red'],
    ]);
    expect(
      balances.streams.map((stream) => [
        stream.fundingStream,
        stream.contributions,
        stream.allocated,
        stream.unallocated,
        stream.spent,
      ]),
    ).toEqual([
      [MIN_CCG, '1000000.00', '1000000.00', '0.00', '270000.00'],
      [IBCF, '400000.00', '400000.00', '0.00', '90000.00'],
    ]);
    expect(
      balances.partners.map((partner) => [
        partner.partnerId,
        partner.contributions,
        partner.riskShareExposure,
        partner.riskShareStatus,
      ]),
    ).toEqual([
      ['HCC', '400000.00', '-2857.14', 'projected'],
      ['ENHCCG', '1000000.00', '-7142.86', 'projected'],
    ]);
  });

  it('keeps the closed quarter as it was signed off, and lists the corrections made since', () => {
    const report = quarterlyReport(runner.poolView(POOL) ?? fail(), YEAR, 'Q1') ?? fail();
    expect(report.status).toMatchObject({
      closed: true,
      closeRequestedBy: officer.id,
      closedBy: cfo.id,
    });
    expect(report.digest).toBe(report.status.closedDigest);
    expect(
      report.position.lines.map((line) => [
        line.schemeId,
        line.fundingStream,
        line.budget,
        line.budgetToDate,
        line.spendYearToDate,
        line.forecastOutturn,
        line.rag,
      ]),
    ).toEqual([
      ['1', MIN_CCG, '750000.00', '187500.00', '150000.00', '750000.00', 'amber'],
      ['3', MIN_CCG, '250000.00', '0.00', '0.00', '260000.00', 'amber'],
      ['3', IBCF, '400000.00', '100000.00', '90000.00', '400000.00', 'green'],
    ]);
    expect(report.position.ibcfByPurpose).toEqual([
      { purpose: 'reducing-nhs-pressures', inQuarter: '90000.00', yearToDate: '90000.00' },
    ]);
    expect(report.position.virements).toMatchObject([
      { virementId: 'v1', status: 'approved', decidedBy: cfo.id },
    ]);
    expect(
      report.correctionsSinceClose.map((correction) => [
        correction.id,
        correction.amount,
        correction.postedIn,
      ]),
    ).toEqual([
      ['r2', '-150000.00', 'Q2'],
      ['p1', '150000.00', 'Q2'],
    ]);
  });

  it('shows the movement in the next quarter', () => {
    const report = quarterlyReport(runner.poolView(POOL) ?? fail(), YEAR, 'Q2') ?? fail();
    expect(
      report.position.lines.map((line) => [
        line.schemeId,
        line.fundingStream,
        line.spendInQuarter,
        line.spendYearToDate,
        line.budgetMovement,
      ]),
    ).toEqual([
      ['1', MIN_CCG, '-30000.00', '120000.00', '0.00'],
      ['3', MIN_CCG, '150000.00', '150000.00', '0.00'],
      ['3', IBCF, '0.00', '90000.00', '0.00'],
    ]);
  });

  it('reproduces what the ledger knew at the close, as at its recorded time', async () => {
    const asAtClose = await poolViewFromStreams(store, POOL, { asAt: recorded.closedAt });
    const then = poolBalances(asAtClose ?? fail(), YEAR) ?? fail();
    expect(then.totals.spent).toBe('240000.00');
    expect(quarterlyReport(asAtClose ?? fail(), YEAR, 'Q1')?.digest).toBe(
      runner.poolView(POOL)?.years[YEAR]?.quarters.Q1.reportDigest,
    );
  });

  it('refuses to close Q2 on the approval of the person who requested it', async () => {
    const versions = {
      poolVersion: (await service.poolState(POOL)).version,
      ledgerVersion: (await service.ledgerState(POOL, YEAR)).version,
    };
    const report = await quarterlyReportAtVersions(store, POOL, YEAR, 'Q2', versions);
    const command = {
      poolId: POOL,
      year: YEAR,
      quarter: 'Q2' as const,
      reportDigest: report?.digest ?? '',
      ...versions,
    };
    await service.ledger(
      { ...command, type: 'RequestQuarterClose', actor: secondCfo },
      metadataFor(secondCfo, 'q2-request', tick()),
    );
    const refused = await service.ledger(
      {
        ...command,
        type: 'ApproveQuarterClose',
        actor: secondCfo,
        ledgerVersion: versions.ledgerVersion + 1,
      },
      metadataFor(secondCfo, 'q2-approve', tick()),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'same-person-approval' } });
  });

  it('keeps an audit trail filterable by scheme, actor, type and time, in pages', () => {
    const byScheme = runner.auditTrail({ poolId: POOL, schemeId: '3', limit: 500 });
    expect(byScheme.entries.map((entry) => entry.type)).toContain('VirementApproved.v1');
    expect(byScheme.entries.every((entry) => entry.schemeIds.includes('3'))).toBe(true);
    const reversals = runner.auditTrail({ type: 'SpendReversed.v1' });
    expect(reversals.entries.map((entry) => [entry.reason, entry.actor.id])).toEqual([
      ['invoice paid twice', officer.id],
      ['charged to the wrong scheme', officer.id],
    ]);
    const byCfo = runner.auditTrail({ actorId: cfo.id });
    expect(byCfo.entries.map((entry) => entry.type)).toEqual([
      'YearEndTermsProposed.v1',
      'VirementApproved.v1',
      'QuarterClosed.v1',
    ]);
    const beforeClose = runner.auditTrail({ to: recorded.closedAt, limit: 500 });
    expect(beforeClose.entries.at(-1)?.type).toBe('QuarterClosed.v1');
    const firstPage = runner.auditTrail({ limit: 5 });
    const secondPage = runner.auditTrail({
      limit: 5,
      afterPosition: firstPage.nextAfterPosition ?? 0,
    });
    expect(firstPage.entries.map((entry) => entry.position)).toEqual([1, 2, 3, 4, 5]);
    expect(secondPage.entries[0]?.position).toBe(6);
  });
});

function fail(): never {
  throw new Error('expected a value');
}
