import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PoolCommand } from '../../src/commands/pool/pool-decider.ts';
import { parseCsv } from '../../src/import/plan-tables.ts';
import type { LedgerCommandInput } from './command-service.ts';
import { admin, officer, referenceData } from './domain.ts';

/**
 * The demo plan (demo/plan, the NHS England template's columns) as the commands a
 * finance officer would issue to set it up: the pool and partners, both years, the schemes, the
 * planned contributions, and one allocation per expenditure line and year.
 */
const directory = join(import.meta.dirname, '../../demo/plan');
export const DEMO_POOL = 'herts';
export const DEMO_YEARS = [
  { year: '2017-18', incomeColumn: '2017/18 (£)', expenditureColumn: '2017/18 Expenditure (£)' },
  { year: '2018-19', incomeColumn: '2018/19 (£)', expenditureColumn: '2018/19 Expenditure (£)' },
] as const;

export function readCsv(name: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(directory, name), 'utf8'));
  return rows
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row) =>
      Object.fromEntries((header ?? []).map((column, index) => [column, row[index] ?? ''])),
    );
}

export function demoPoolCommands(): PoolCommand[] {
  const partners = readCsv('partners.csv');
  const host = partners.find((partner) => partner.Host === 'yes');
  if (host === undefined) throw new Error('the demo plan names no host partner');
  const kind = (text: string) =>
    (text === 'Local Authority' ? 'Local Authority' : text === 'CCG' ? 'CCG' : 'Other') as
      | 'Local Authority'
      | 'CCG'
      | 'Other';
  const commands: PoolCommand[] = [
    {
      type: 'RegisterPool',
      actor: admin,
      poolId: DEMO_POOL,
      name: 'Hertfordshire Better Care Fund',
      hwbArea: 'Hertfordshire',
      host: {
        partnerId: host['Partner ID'] ?? '',
        name: host['Partner Name'] ?? '',
        kind: kind(host.Kind ?? ''),
      },
    },
    ...partners
      .filter((partner) => partner !== host)
      .map((partner) => ({
        type: 'JoinPartner' as const,
        actor: admin,
        poolId: DEMO_POOL,
        partnerId: partner['Partner ID'] ?? '',
        name: partner['Partner Name'] ?? '',
        kind: kind(partner.Kind ?? ''),
      })),
    ...DEMO_YEARS.map(({ year }) => ({
      type: 'OpenFinancialYear' as const,
      actor: admin,
      poolId: DEMO_POOL,
      year,
      referenceData,
    })),
  ];
  const registered = new Set<string>();
  for (const row of readCsv('expenditure.csv')) {
    const schemeId = row['Scheme ID'] ?? '';
    if (registered.has(schemeId)) continue;
    registered.add(schemeId);
    const nhs = row['% NHS (if Joint Commissioner)'] ?? '';
    const la = row['% LA (if Joint Commissioner)'] ?? '';
    commands.push({
      type: 'RegisterScheme',
      actor: officer,
      poolId: DEMO_POOL,
      schemeId,
      columns: {
        name: row['Scheme Name'] ?? '',
        schemeType: row['Scheme Type'] ?? '',
        description: row.Description ?? '',
        areaOfSpend: row['Area of Spend'] ?? '',
        commissioner: row.Commissioner ?? '',
        ...(nhs === '' ? {} : { nhsPercentage: nhs }),
        ...(la === '' ? {} : { laPercentage: la }),
        provider: row.Provider ?? '',
        newOrExisting: row['New/Existing Scheme'] === 'New' ? 'New' : 'Existing',
      },
    });
  }
  return commands;
}

export function demoLedgerCommands(): LedgerCommandInput[] {
  const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-');
  const commands: LedgerCommandInput[] = [];
  for (const { year, incomeColumn, expenditureColumn } of DEMO_YEARS) {
    for (const row of readCsv('income.csv')) {
      commands.push({
        type: 'PlanContribution',
        actor: officer,
        poolId: DEMO_POOL,
        year,
        partnerId: row['Partner ID'] ?? '',
        fundingStream: row['Source of Funding'] ?? '',
        amount: row[incomeColumn] ?? '',
      });
    }
    for (const row of readCsv('expenditure.csv')) {
      const fundingStream = row['Source of Funding'] ?? '';
      commands.push({
        type: 'AllocateFunds',
        actor: officer,
        poolId: DEMO_POOL,
        year,
        allocationId: `plan-${row['Scheme ID']}-${slug(fundingStream)}-${year}`,
        schemeId: row['Scheme ID'] ?? '',
        fundingStream,
        amount: row[expenditureColumn] ?? '',
      });
    }
  }
  return commands;
}
