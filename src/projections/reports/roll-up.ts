import { Money } from '#money';
import type { PoolView } from '../view/pool-view.ts';
import { poolBalances } from './balances.ts';

/**
 * The national roll-up (domain brief, section 5): the same figures across every pool a caller
 * may read, for one year, pool by pool, by NHS England region and for England.
 */
export interface RollUp {
  year: string;
  /** The region asked for, or null for every region. */
  region: string | null;
  pools: (RollUpFigures & { poolId: string; name: string; hwbArea: string; region: string })[];
  regions: (RollUpFigures & { region: string; pools: number })[];
  england: RollUpFigures & { pools: number };
  byStream: { fundingStream: string; contributions: string; allocated: string; spent: string }[];
}

export interface RollUpFigures {
  contributions: string;
  allocated: string;
  spent: string;
  committed: string;
  forecastOutturn: string;
}

const UNSET_REGION = '(no region)';

export function rollUp(views: readonly PoolView[], year: string, region?: string): RollUp {
  const pools = views.flatMap((view) => {
    const balances = poolBalances(view, year);
    const poolRegion = view.registration?.region ?? UNSET_REGION;
    if (balances === undefined || (region !== undefined && poolRegion !== region)) return [];
    const forecast = Money.sum(
      balances.lines.map((line) => Money.parseTotal(line.forecastOutturn)),
    );
    return [
      {
        poolId: view.poolId,
        name: balances.poolName,
        hwbArea: view.registration?.hwbArea ?? '',
        region: poolRegion,
        contributions: balances.totals.contributions,
        allocated: balances.totals.allocated,
        spent: balances.totals.spent,
        committed: balances.totals.committed,
        forecastOutturn: forecast.toString(),
        streams: balances.streams,
      },
    ];
  });
  const regions = [...new Set(pools.map((pool) => pool.region))].sort().map((name) => {
    const ofRegion = pools.filter((pool) => pool.region === name);
    return { region: name, pools: ofRegion.length, ...summed(ofRegion) };
  });
  const streams = [
    ...new Set(pools.flatMap((pool) => pool.streams.map((stream) => stream.fundingStream))),
  ];
  return {
    year,
    region: region ?? null,
    pools: pools.map(({ streams: _streams, ...pool }) => pool),
    regions,
    england: { pools: pools.length, ...summed(pools) },
    byStream: streams.map((fundingStream) => {
      const rows = pools.flatMap((pool) =>
        pool.streams.filter((stream) => stream.fundingStream === fundingStream),
      );
      const total = (pick: (row: (typeof rows)[number]) => string) =>
        Money.sum(rows.map((row) => Money.parseTotal(pick(row)))).toString();
      return {
        fundingStream,
        contributions: total((row) => row.contributions),
        allocated: total((row) => row.allocated),
        spent: total((row) => row.spent),
      };
    }),
  };
}

function summed(rows: readonly RollUpFigures[]): RollUpFigures {
  const total = (pick: (row: RollUpFigures) => string) =>
    Money.sum(rows.map((row) => Money.parseTotal(pick(row)))).toString();
  return {
    contributions: total((row) => row.contributions),
    allocated: total((row) => row.allocated),
    spent: total((row) => row.spent),
    committed: total((row) => row.committed),
    forecastOutturn: total((row) => row.forecastOutturn),
  };
}
