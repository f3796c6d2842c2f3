/**
 * Files uploaded for an import, kept between their check and their confirmation: the file as it
 * was sent, the mapping it was checked with, the check, and once confirmed what was recorded.
 * Kept beside the event store on the instance that took the upload, for a day; the events an
 * import records are what lasts.
 */
export interface StagedUpload {
  readonly uploadId: string;
  readonly poolId: string;
  /** Who uploaded it. */
  readonly callerId: string;
  readonly stagedAt: string;
  readonly fileName: string;
  /** SHA-256 of the file and the mapping: a retried upload is known by it. */
  readonly contentDigest: string;
  readonly bytes: Uint8Array;
  readonly mapping: unknown;
  readonly report: unknown;
  /** What the confirmation recorded, once confirmed. */
  readonly outcome?: unknown;
}

export interface StagedUploads {
  /** Keeps the upload; one already kept under its id is left as it is. */
  stage(upload: StagedUpload): Promise<void>;
  find(uploadId: string): Promise<StagedUpload | undefined>;
  /** Records what the confirmation did; the first outcome stays. */
  settle(uploadId: string, outcome: unknown): Promise<void>;
  /** Forgets uploads staged before the moment; how many. */
  purgeBefore(moment: string): Promise<number>;
  close(): Promise<void>;
}
