import { createHash } from 'node:crypto';
import { Money } from '#money';
import { canonicalJson } from '../../events/canonical-json.ts';
import { own } from '../view/amounts.ts';
import type { PoolView, YearView } from '../view/pool-view.ts';
import { type Balances, poolBalances } from './balances.ts';
import { compareSchemeIds } from './figures.ts';

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
    accrued: string;
    /** Spent plus accrued: the outturn. */
    expenditure: string;
    variance: string;
  }[];
  expenditureBySchemeType: {
    schemeType: string;
    budget: string;
    expenditure: string;
    variance: string;
  }[];
  expenditureByStream: {
    fundingStream: string;
    contributions: string;
    spent: string;
    accrued: string;
    expenditure: string;
    net: string;
  }[];
  net: { contributions: string; expenditure: string; net: string };
  riskShare: {
    status: 'applied' | 'projected';
    basis: string;
    allocations: { partnerId: string; amount: string }[];
  };
  carryForward: string;
}

export function yearEndStatement(view: PoolView, yearId: string): YearEndStatement | undefined {
  const year = own(view.years, yearId);
  const balances = poolBalances(view, yearId);
  if (year === undefined || balances === undefined) return undefined;
  const expenditureByScheme = bySchemes(balances);
  const expenditureByStream = balances.streams.map((stream) => {
    const accrued = sum(
      balances.lines
        .filter((line) => line.fundingStream === stream.fundingStream)
        .map((line) => line.accrued),
    );
    const expenditure = Money.parseTotal(stream.spent).plus(accrued);
    return {
      fundingStream: stream.fundingStream,
      contributions: stream.contributions,
      spent: stream.spent,
      accrued: accrued.toString(),
      expenditure: expenditure.toString(),
      net: expenditure.minus(Money.parseTotal(stream.contributions)).toString(),
    };
  });
  const totalContributions = sum(balances.streams.map((stream) => stream.contributions));
  const totalExpenditure = sum(expenditureByStream.map((stream) => stream.expenditure));
  const net = totalExpenditure.minus(totalContributions);
  const applied = year.riskShare;
  return {
    poolId: view.poolId,
    poolName: balances.poolName,
    year: yearId,
    outturnDetermined: year.outturn !== null,
    contributions: contributionsByPartner(view, year),
    expenditureByScheme,
    expenditureBySchemeType: bySchemeTypes(expenditureByScheme),
    expenditureByStream,
    net: {
      contributions: totalContributions.toString(),
      expenditure: totalExpenditure.toString(),
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

/** The partners that contribute to the year: one that joined the pool later is not in it. */
function contributionsByPartner(view: PoolView, year: YearView) {
  return view.partners.flatMap((partner) => {
    const ofPartner = own(year.contributions, partner.partnerId) ?? {};
    const byStream = Object.keys(ofPartner)
      .map((fundingStream) => ({
        fundingStream,
        amount: balancesContribution(own(ofPartner, fundingStream)).toString(),
      }))
      .filter((entry) => !Money.parseTotal(entry.amount).isZero());
    if (own(year.contributions, partner.partnerId) === undefined) return [];
    return [
      {
        partnerId: partner.partnerId,
        name: partner.name,
        byStream,
        total: sum(byStream.map((entry) => entry.amount)).toString(),
      },
    ];
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
    const accrued = sum(lines.map((line) => line.accrued));
    const expenditure = spent.plus(accrued);
    return {
      schemeId,
      schemeName: lines[0]?.schemeName ?? '',
      schemeType: lines[0]?.schemeType ?? '',
      budget: budget.toString(),
      spent: spent.toString(),
      accrued: accrued.toString(),
      expenditure: expenditure.toString(),
      variance: expenditure.minus(budget).toString(),
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
    const expenditure = sum(ofType.map((scheme) => scheme.expenditure));
    return {
      schemeType,
      budget: budget.toString(),
      expenditure: expenditure.toString(),
      variance: expenditure.minus(budget).toString(),
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

/** SHA-256 of the statement's canonical JSON: what a year close records and an auditor checks. */
export function yearEndDigest(statement: YearEndStatement): string {
  return createHash('sha256').update(canonicalJson(statement)).digest('hex');
}
