import { createHash } from 'node:crypto';
import type { Caller, WriteFace } from '../commands/write-face.ts';
import { canonicalJson } from '../events/canonical-json.ts';
import type { StagedUpload, StagedUploads } from '../events/store/uploads.ts';
import {
  checkSpendImport,
  recordSpendImport,
  type SpendImportOutcome,
  type SpendImportReport,
} from './spend-import.ts';
import type { SpendMapping } from './spend-mapping.ts';

/**
 * Spend imports as the API and the pages take them, in three steps: upload (the file is kept
 * and checked), look (the check: counts, totals per line and quarter, problems by row and
 * column), confirm (recorded, or refused if there are problems the user has not accepted to
 * skip). An upload is known by its uploader's idempotency key; a confirmation given twice
 * records once and answers the same.
 */
export interface StagedImport {
  readonly importId: string;
  readonly poolId: string;
  readonly fileName: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  readonly expiresAt: string;
  readonly status: 'checked' | 'recorded';
  readonly report: SpendImportReport;
  readonly outcome: ConfirmedImport | null;
}

export interface ConfirmedImport {
  readonly recorded: boolean;
  readonly rowsRecorded: number;
  readonly alreadyRecorded: number;
  readonly rowsSkipped: number;
  readonly eventsRecorded: number;
  readonly commits: number;
  readonly confirmedBy: string;
  readonly stopped: SpendImportOutcome['stopped'] | null;
}

export type UploadOutcome =
  | { readonly kind: 'staged'; readonly staged: StagedImport; readonly replayed: boolean }
  | { readonly kind: 'key-reused' };

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly staged: StagedImport; readonly replayed: boolean }
  | { readonly kind: 'has-problems'; readonly staged: StagedImport }
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'not-found' };

/** How long an upload waits for its confirmation. */
const KEPT_FOR_MS = 24 * 60 * 60 * 1_000;

export class SpendImports {
  readonly #writeFace: WriteFace;
  readonly #uploads: StagedUploads;
  readonly #clock: () => Date;
  readonly #confirming = new Set<string>();

  constructor(writeFace: WriteFace, uploads: StagedUploads, clock: () => Date) {
    this.#writeFace = writeFace;
    this.#uploads = uploads;
    this.#clock = clock;
  }

  /** Keeps the file and checks it; the same upload again (same key, same file) answers the same. */
  async upload(request: {
    readonly poolId: string;
    readonly caller: Caller;
    readonly idempotencyKey: string;
    readonly fileName: string;
    readonly bytes: Uint8Array;
    readonly mapping: SpendMapping;
  }): Promise<UploadOutcome> {
    const now = this.#clock();
    await this.#uploads.purgeBefore(new Date(now.getTime() - KEPT_FOR_MS).toISOString());
    const importId = createHash('sha256')
      .update(`${request.caller.id}\u0000${request.poolId}\u0000${request.idempotencyKey}`)
      .digest('hex')
      .slice(0, 32);
    const contentDigest = createHash('sha256')
      .update(request.bytes)
      .update(canonicalJson(request.mapping))
      .digest('hex');
    const earlier = await this.#uploads.find(importId);
    if (earlier !== undefined) {
      if (earlier.contentDigest !== contentDigest) return { kind: 'key-reused' };
      return { kind: 'staged', staged: stagedImport(earlier), replayed: true };
    }
    const { report } = await checkSpendImport(this.#writeFace, {
      poolId: request.poolId,
      files: [{ fileName: request.fileName, bytes: request.bytes }],
      mapping: request.mapping,
      caller: request.caller,
    });
    const upload: StagedUpload = {
      uploadId: importId,
      poolId: request.poolId,
      callerId: request.caller.id,
      stagedAt: now.toISOString(),
      fileName: request.fileName,
      contentDigest,
      bytes: request.bytes,
      mapping: request.mapping,
      report,
    };
    await this.#uploads.stage(upload);
    return { kind: 'staged', staged: stagedImport(upload), replayed: false };
  }

  async find(poolId: string, importId: string): Promise<StagedImport | undefined> {
    const upload = await this.#uploads.find(importId);
    if (upload === undefined || upload.poolId !== poolId || expired(upload, this.#clock()))
      return undefined;
    return stagedImport(upload);
  }

  /** Records the upload's rows, checked again against the ledger as it is now. */
  async confirm(
    poolId: string,
    importId: string,
    caller: Caller,
    options: { readonly skipRowsWithProblems: boolean },
  ): Promise<ConfirmOutcome> {
    const upload = await this.#uploads.find(importId);
    if (upload === undefined || upload.poolId !== poolId || expired(upload, this.#clock()))
      return { kind: 'not-found' };
    if (upload.outcome !== undefined)
      return { kind: 'confirmed', staged: stagedImport(upload), replayed: true };
    if (this.#confirming.has(importId)) return { kind: 'in-flight' };
    this.#confirming.add(importId);
    try {
      const outcome = await recordSpendImport(this.#writeFace, {
        poolId,
        files: [{ fileName: upload.fileName, bytes: upload.bytes }],
        mapping: upload.mapping as SpendMapping,
        caller,
        skipRowsWithProblems: options.skipRowsWithProblems,
        correlationId: `spend-import:${importId}`,
      });
      const checked = { ...upload, report: outcome.report };
      if (!outcome.recorded && outcome.stopped === undefined)
        return { kind: 'has-problems', staged: stagedImport(checked) };
      const confirmed: ConfirmedImport = {
        recorded: outcome.recorded,
        rowsRecorded: outcome.rowsRecorded,
        alreadyRecorded: outcome.report.alreadyRecorded,
        rowsSkipped: outcome.rowsSkipped,
        eventsRecorded: outcome.eventsRecorded,
        commits: outcome.commits,
        confirmedBy: caller.id,
        stopped: outcome.stopped ?? null,
      };
      await this.#uploads.settle(importId, { report: outcome.report, confirmed });
      return {
        kind: 'confirmed',
        staged: stagedImport({ ...checked, outcome: { report: outcome.report, confirmed } }),
        replayed: false,
      };
    } finally {
      this.#confirming.delete(importId);
    }
  }
}

function expired(upload: StagedUpload, now: Date): boolean {
  return Date.parse(upload.stagedAt) + KEPT_FOR_MS <= now.getTime();
}

function stagedImport(upload: StagedUpload): StagedImport {
  const settled = upload.outcome as
    | { report: SpendImportReport; confirmed: ConfirmedImport }
    | undefined;
  return {
    importId: upload.uploadId,
    poolId: upload.poolId,
    fileName: upload.fileName,
    uploadedBy: upload.callerId,
    uploadedAt: upload.stagedAt,
    expiresAt: new Date(Date.parse(upload.stagedAt) + KEPT_FOR_MS).toISOString(),
    status: settled === undefined ? 'checked' : 'recorded',
    report: settled?.report ?? (upload.report as SpendImportReport),
    outcome: settled?.confirmed ?? null,
  };
}
