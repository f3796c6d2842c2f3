import { Money } from '#money';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import { type Balances, poolBalances } from './balances.ts';
import { compareSchemeIds, type RagThresholds } from './figures.ts';

/**
 * The year-end pooled fund statement: contributions by partner and stream, expenditure by scheme,
 * scheme type and stream, the net position, the risk-share allocation (as applied, or projected
 * from the forecasts before the year end) and what is carried forward: an underspend not yet
 * allocated back to partners.
 */
export interface YearEndStatement {
  poolId: string;
  poolName: string;
  year: string;
  outturnDetermined: boolean;
  contributions: {
    partnerId: string;
    name: string;
    byStream: { fundingStream: string; amount: string }[];
    total: string;
  }[];
  expenditureByScheme: {
    schemeId: string;
    schemeName: string;
    schemeType: string;
    budget: string;
    spent: string;
    variance: string;
  }[];
  expenditureBySchemeType: {
    schemeType: string;
    budget: string;
    spent: string;
    variance: string;
  }[];
  expenditureByStream: {
    fundingStream: string;
    contributions: string;
    spent: string;
    net: string;
  }[];
  net: { contributions: string; spent: string; net: string };
  riskShare: {
    status: 'applied' | 'projected';
    basis: string;
    allocations: { partnerId: string; amount: string }[];
  };
  carryForward: string;
}

export function yearEndStatement(
  view: PoolView,
  yearId: string,
  thresholds: RagThresholds,
): YearEndStatement | undefined {
  const year = own(view.years, yearId);
  const balances = poolBalances(view, yearId, thresholds);
  if (year === undefined || balances === undefined) return undefined;
  const expenditureByScheme = bySchemes(balances);
  const totalContributions = sum(balances.streams.map((stream) => stream.contributions));
  const totalSpent = sum(balances.streams.map((stream) => stream.spent));
  const net = totalSpent.minus(totalContributions);
  const applied = year.riskShare;
  return {
    poolId: view.poolId,
    poolName: balances.poolName,
    year: yearId,
    outturnDetermined: year.outturn !== null,
    contributions: contributionsByPartner(view, year),
    expenditureByScheme,
    expenditureBySchemeType: bySchemeTypes(expenditureByScheme),
    expenditureByStream: balances.streams.map((stream) => ({
      fundingStream: stream.fundingStream,
      contributions: stream.contributions,
      spent: stream.spent,
      net: Money.parseTotal(stream.spent).minus(Money.parseTotal(stream.contributions)).toString(),
    })),
    net: {
      contributions: totalContributions.toString(),
      spent: totalSpent.toString(),
      net: net.toString(),
    },
    riskShare:
      applied === null
        ? {
            status: 'projected' as const,
            basis: view.riskShare.basis,
            allocations: balances.partners.map((partner) => ({
              partnerId: partner.partnerId,
              amount: partner.riskShareExposure,
            })),
          }
        : { status: 'applied' as const, basis: applied.basis, allocations: applied.allocations },
    carryForward: applied === null && net.isNegative() ? net.negated().toString() : '0.00',
  };
}

function sum(values: readonly string[]): Money {
  return Money.sum(values.map((value) => Money.parseTotal(value)));
}

function contributionsByPartner(view: PoolView, year: YearView) {
  return view.partners.map((partner) => {
    const ofPartner = own(year.contributions, partner.partnerId) ?? {};
    const byStream = Object.keys(ofPartner)
      .map((fundingStream) => ({
        fundingStream,
        amount: balancesContribution(own(ofPartner, fundingStream)).toString(),
      }))
      .filter((entry) => !Money.parseTotal(entry.amount).isZero());
    return {
      partnerId: partner.partnerId,
      name: partner.name,
      byStream,
      total: sum(byStream.map((entry) => entry.amount)).toString(),
    };
  });
}

function bySchemes(balances: Balances): YearEndStatement['expenditureByScheme'] {
  const schemeIds = [...new Set(balances.lines.map((line) => line.schemeId))].sort(
    compareSchemeIds,
  );
  return schemeIds.map((schemeId) => {
    const lines = balances.lines.filter((line) => line.schemeId === schemeId);
    const budget = sum(lines.map((line) => line.currentBudget));
    const spent = sum(lines.map((line) => line.spent));
    return {
      schemeId,
      schemeName: lines[0]?.schemeName ?? '',
      schemeType: lines[0]?.schemeType ?? '',
      budget: budget.toString(),
      spent: spent.toString(),
      variance: spent.minus(budget).toString(),
    };
  });
}

function bySchemeTypes(
  schemes: YearEndStatement['expenditureByScheme'],
): YearEndStatement['expenditureBySchemeType'] {
  const schemeTypes = [...new Set(schemes.map((scheme) => scheme.schemeType))].sort();
  return schemeTypes.map((schemeType) => {
    const ofType = schemes.filter((scheme) => scheme.schemeType === schemeType);
    const budget = sum(ofType.map((scheme) => scheme.budget));
    const spent = sum(ofType.map((scheme) => scheme.spent));
    return {
      schemeType,
      budget: budget.toString(),
      spent: spent.toString(),
      variance: spent.minus(budget).toString(),
    };
  });
}

function balancesContribution(
  figures:
    | { plannedByQuarter: Record<string, string>; variedByQuarter: Record<string, string> }
    | undefined,
): Money {
  if (figures === undefined) return Money.zero;
  return Money.sum(
    [...Object.values(figures.plannedByQuarter), ...Object.values(figures.variedByQuarter)].map(
      (amount) => Money.parseTotal(amount),
    ),
  );
}
