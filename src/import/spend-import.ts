import { Money } from '#money';
import type {
  BatchRecorded,
  Caller,
  LedgerBatchRequest,
  WriteFace,
} from '../commands/write-face.ts';
import { quarterOfDate } from '../events/catalogue/index.ts';
import { readSpendFile, SpendFileError } from './spend-file.ts';
import type { SpendMapping } from './spend-mapping.ts';
import { mapSpendRows, type RowProblem, type SpendCandidate } from './spend-rows.ts';

/**
 * A council's spend files imported through a mapping (docs/spend-import.md): checked whole first
 * (every problem with its file, row and column; counts and totals per line and quarter), then
 * recorded in a few atomic writes. Each row's id comes from its content and transaction number,
 * so a row recorded before, from this file or one that overlaps it, is recognised and passed over.
 */
export interface SpendFileInput {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface SpendImportRequest {
  readonly poolId: string;
  readonly files: readonly SpendFileInput[];
  readonly mapping: SpendMapping;
  readonly caller: Caller;
}

export interface ImportProblem extends RowProblem {
  readonly file: string;
}

export interface LineQuarterTotal {
  year: string;
  schemeId: string;
  fundingStream: string;
  quarter: string;
  invoices: number;
  credits: number;
  spend: string;
  credited: string;
  net: string;
}

export interface SpendImportReport {
  readonly files: { fileName: string; rows: number; excluded: number; taken: number }[];
  /** Rows with any text, in all the files. */
  readonly rows: number;
  readonly excluded: number;
  readonly invoices: number;
  readonly credits: number;
  /** Rows recorded before (or twice in these files): passed over. */
  readonly alreadyRecorded: number;
  /** Rows that will be recorded, or were. */
  readonly toRecord: number;
  readonly problems: readonly ImportProblem[];
  /** What the rows to record come to, per scheme line and quarter of their dates. */
  readonly byLine: readonly LineQuarterTotal[];
  readonly totals: { spend: string; credited: string; net: string };
  /** No problems: the import may be recorded whole. */
  readonly clean: boolean;
}

export interface SpendImportOutcome {
  readonly report: SpendImportReport;
  /** False when nothing was recorded: problems not accepted, or the ledger needs attention. */
  readonly recorded: boolean;
  readonly rowsRecorded: number;
  readonly rowsSkipped: number;
  readonly eventsRecorded: number;
  readonly commits: number;
  /** Why the import stopped, if something changed between the check and the recording. */
  readonly stopped?: ImportProblem;
}

interface Planned {
  readonly candidate: SpendCandidate;
  readonly file: string;
  readonly request: LedgerBatchRequest;
}

/** Reads, maps and checks the files against the ledger as it stands: records nothing. */
export async function checkSpendImport(
  writeFace: WriteFace,
  request: SpendImportRequest,
): Promise<{ report: SpendImportReport; planned: readonly Planned[] }> {
  const files: SpendImportReport['files'][number][] = [];
  const problems: ImportProblem[] = [];
  const candidates: { candidate: SpendCandidate; file: string }[] = [];
  let rows = 0;
  let excluded = 0;
  for (const file of request.files) {
    const mapped = await mapFile(file, request.mapping);
    if ('problem' in mapped) {
      problems.push(mapped.problem);
      files.push({ fileName: file.fileName, rows: 0, excluded: 0, taken: 0 });
      continue;
    }
    rows += mapped.read;
    excluded += mapped.excluded;
    files.push({
      fileName: file.fileName,
      rows: mapped.read,
      excluded: mapped.excluded,
      taken: mapped.candidates.length,
    });
    problems.push(...mapped.problems.map((problem) => ({ ...problem, file: file.fileName })));
    candidates.push(...mapped.candidates.map((candidate) => ({ candidate, file: file.fileName })));
  }
  const { fresh, alreadyRecorded } = await newRows(writeFace, request.poolId, candidates);
  const planned = await planCommands(writeFace, request.poolId, fresh);
  const refusals = await writeFace.check(
    request.caller,
    planned.map((entry) => entry.request),
  );
  const refused = new Set<number>();
  for (const { index, error } of refusals) {
    const entry = planned[index];
    if (entry === undefined) continue;
    refused.add(index);
    problems.push(refusalProblem(entry, error, request.mapping));
  }
  const clean = planned.filter((_, index) => !refused.has(index));
  const sorted = problems.sort((a, b) =>
    a.file === b.file ? a.rowNumber - b.rowNumber : a.file.localeCompare(b.file),
  );
  return {
    report: summary({ files, rows, excluded, alreadyRecorded, problems: sorted, planned: clean }),
    planned: clean,
  };
}

/**
 * Checks the files, then records every row to record, unless there are problems and the caller
 * has not accepted to skip the rows they are on.
 */
export async function recordSpendImport(
  writeFace: WriteFace,
  request: SpendImportRequest & {
    readonly skipRowsWithProblems?: boolean;
    readonly correlationId: string;
    readonly onProgress?: (done: number, total: number) => void;
  },
): Promise<SpendImportOutcome> {
  const { report, planned } = await checkSpendImport(writeFace, request);
  const skipped = new Set(
    report.problems.map((problem) => `${problem.file}\u0000${problem.rowNumber}`),
  ).size;
  const nothing = { report, rowsRecorded: 0, rowsSkipped: 0, eventsRecorded: 0, commits: 0 };
  if (!report.clean && request.skipRowsWithProblems !== true)
    return { ...nothing, recorded: false };
  const batch = await writeFace.recordBatch(
    request.caller,
    planned.map((entry) => entry.request),
    {
      correlationId: request.correlationId,
      onCommitted: (done) => request.onProgress?.(done, planned.length),
    },
  );
  if ('kind' in batch) {
    const problem = {
      file: '',
      rowNumber: 0,
      column: '',
      kind: 'ledger-broken',
      message: batch.detail,
    };
    return { ...nothing, recorded: false, stopped: problem };
  }
  return outcomeOf(report, planned, batch, skipped, request.mapping);
}

function outcomeOf(
  report: SpendImportReport,
  planned: readonly Planned[],
  batch: BatchRecorded,
  skipped: number,
  mapping: SpendMapping,
): SpendImportOutcome {
  const stoppedAt = batch.outcomes.findIndex((outcome) => outcome.kind === 'refused');
  const refusal = batch.outcomes[stoppedAt];
  const entry = planned[stoppedAt];
  const stopped =
    refusal?.kind === 'refused' && entry !== undefined
      ? refusalProblem(entry, refusal.error, mapping)
      : undefined;
  return {
    report,
    recorded: true,
    rowsRecorded: batch.outcomes.filter((outcome) => outcome.kind === 'recorded').length,
    rowsSkipped: skipped,
    eventsRecorded: batch.eventsRecorded,
    commits: batch.commits,
    ...(stopped === undefined ? {} : { stopped }),
  };
}

async function mapFile(
  file: SpendFileInput,
  mapping: SpendMapping,
): Promise<ReturnType<typeof mapSpendRows> | { problem: ImportProblem }> {
  try {
    const table = await readSpendFile(file.fileName, file.bytes, mapping.sheet);
    return mapSpendRows(table, mapping);
  } catch (error) {
    if (!(error instanceof SpendFileError)) throw error;
    return {
      problem: {
        file: file.fileName,
        rowNumber: 0,
        column: '',
        kind: 'file-unreadable',
        message: error.message,
      },
    };
  }
}

/** The id a row is recorded under: the same for the same row in any file. */
function factIdOf(candidate: SpendCandidate): string {
  return `imp-${candidate.key}`;
}

/** The rows not recorded before, nor met earlier in these files. */
async function newRows(
  writeFace: WriteFace,
  poolId: string,
  candidates: readonly { candidate: SpendCandidate; file: string }[],
) {
  const states = new Map<string, Awaited<ReturnType<WriteFace['ledgerState']>>['state']>();
  for (const year of new Set(candidates.map((entry) => entry.candidate.year)))
    states.set(year, (await writeFace.ledgerState(poolId, year)).state);
  const seen = new Set<string>();
  const fresh: (typeof candidates)[number][] = [];
  let alreadyRecorded = 0;
  for (const entry of candidates) {
    const id = factIdOf(entry.candidate);
    const state = states.get(entry.candidate.year);
    const recorded =
      entry.candidate.kind === 'spend'
        ? state?.spends.has(id) === true
        : state?.usedIds.has(`credit:${id}`) === true;
    if (recorded || seen.has(id)) alreadyRecorded += 1;
    else fresh.push(entry);
    seen.add(id);
  }
  return { fresh, alreadyRecorded };
}

/** Each new row as the command that records it; a credit names its invoice where it can be found. */
async function planCommands(
  writeFace: WriteFace,
  poolId: string,
  rows: readonly { candidate: SpendCandidate; file: string }[],
): Promise<Planned[]> {
  const invoices = new Map<string, string>();
  for (const year of new Set(rows.map((row) => row.candidate.year))) {
    const { state } = await writeFace.ledgerState(poolId, year);
    for (const [spendId, spend] of state.spends)
      invoices.set(`${year}\u0000${spend.erpReference}`, spendId);
  }
  for (const { candidate } of rows)
    if (candidate.kind === 'spend')
      invoices.set(`${candidate.year}\u0000${candidate.reference}`, factIdOf(candidate));
  return rows.map(({ candidate, file }) => {
    const id = factIdOf(candidate);
    const common = {
      poolId,
      year: candidate.year,
      amount: candidate.amount.toString(),
      supplier: candidate.supplier,
      ...(candidate.amountAsWritten === undefined
        ? {}
        : { amountAsWritten: candidate.amountAsWritten }),
    };
    if (candidate.kind === 'spend') {
      const command = {
        type: 'RecordSpend' as const,
        ...common,
        spendId: id,
        schemeId: candidate.schemeId,
        fundingStream: candidate.fundingStream,
        spendDate: candidate.date,
        erpReference: candidate.reference,
        description: candidate.description,
        ...(candidate.ibcfPurpose === undefined ? {} : { ibcfPurpose: candidate.ibcfPurpose }),
      };
      return { candidate, file, request: { idempotencyKey: `spend-import:${id}`, command } };
    }
    const invoice =
      candidate.credits === undefined
        ? undefined
        : invoices.get(`${candidate.year}\u0000${candidate.credits}`);
    const named =
      candidate.credits === undefined ? '' : ` (credits invoice ${candidate.credits}, not found)`;
    const command = {
      type: 'RecordCreditNote' as const,
      ...common,
      creditId: id,
      ...(invoice === undefined
        ? {
            schemeId: candidate.schemeId,
            fundingStream: candidate.fundingStream,
            ...(candidate.ibcfPurpose === undefined ? {} : { ibcfPurpose: candidate.ibcfPurpose }),
          }
        : { creditsSpendId: invoice }),
      creditDate: candidate.date,
      reference: candidate.reference,
      description:
        invoice === undefined ? `${candidate.description}${named}` : candidate.description,
    };
    return { candidate, file, request: { idempotencyKey: `spend-import:${id}`, command } };
  });
}

/** A refusal of the ledger's, as a problem on the row and the column it came from. */
function refusalProblem(
  entry: Planned,
  error: { code: string; message: string; field?: string | undefined },
  mapping: SpendMapping,
): ImportProblem {
  const { columns } = mapping;
  const rule = mapping.rules[entry.candidate.rule - 1];
  const byField: Record<string, string | undefined> = {
    spendDate: columns.date,
    creditDate: columns.date,
    year: columns.date,
    quarter: columns.date,
    amount: columns.amount,
    amountAsWritten: columns.amount,
    supplier: columns.supplier,
    erpReference: columns.reference,
    reference: columns.reference,
    description: columns.description[0],
    creditsSpendId: columns.credits,
    schemeId: rule?.column,
    fundingStream: rule?.column,
    ibcfPurpose: rule?.column,
  };
  const viaRule = ['schemeId', 'fundingStream', 'ibcfPurpose'].includes(error.field ?? '');
  return {
    file: entry.file,
    rowNumber: entry.candidate.rowNumber,
    column: byField[error.field ?? ''] ?? columns.reference,
    kind: error.code,
    message: viaRule
      ? `rule ${entry.candidate.rule} sends the row to scheme "${entry.candidate.schemeId}" ${entry.candidate.fundingStream}: ${error.message}`
      : error.message,
  };
}

function summary(parts: {
  files: SpendImportReport['files'];
  rows: number;
  excluded: number;
  alreadyRecorded: number;
  problems: readonly ImportProblem[];
  planned: readonly Planned[];
}): SpendImportReport {
  const lines = new Map<string, { total: LineQuarterTotal; spend: Money; credited: Money }>();
  for (const { candidate } of parts.planned) {
    const quarter = quarterOfDate(candidate.year, candidate.date) ?? '';
    const key = [candidate.year, candidate.schemeId, candidate.fundingStream, quarter].join(
      '\u0000',
    );
    const entry = lines.get(key) ?? {
      total: {
        year: candidate.year,
        schemeId: candidate.schemeId,
        fundingStream: candidate.fundingStream,
        quarter,
        invoices: 0,
        credits: 0,
        spend: '',
        credited: '',
        net: '',
      },
      spend: Money.zero,
      credited: Money.zero,
    };
    if (candidate.kind === 'spend') {
      entry.total.invoices += 1;
      entry.spend = entry.spend.plus(candidate.amount);
    } else {
      entry.total.credits += 1;
      entry.credited = entry.credited.plus(candidate.amount);
    }
    lines.set(key, entry);
  }
  const byLine = [...lines.values()]
    .map(({ total, spend, credited }) => ({
      ...total,
      spend: spend.toString(),
      credited: credited.toString(),
      net: spend.minus(credited).toString(),
    }))
    .sort((a, b) =>
      [a.year, a.schemeId, a.fundingStream, a.quarter]
        .join('\u0000')
        .localeCompare([b.year, b.schemeId, b.fundingStream, b.quarter].join('\u0000')),
    );
  const spend = Money.sum(byLine.map((line) => Money.parseTotal(line.spend)));
  const credited = Money.sum(byLine.map((line) => Money.parseTotal(line.credited)));
  return {
    files: parts.files,
    rows: parts.rows,
    excluded: parts.excluded,
    invoices: parts.planned.filter((entry) => entry.candidate.kind === 'spend').length,
    credits: parts.planned.filter((entry) => entry.candidate.kind === 'credit').length,
    alreadyRecorded: parts.alreadyRecorded,
    toRecord: parts.planned.length,
    problems: parts.problems,
    byLine,
    totals: {
      spend: spend.toString(),
      credited: credited.toString(),
      net: spend.minus(credited).toString(),
    },
    clean: parts.problems.length === 0,
  };
}
