import type { CommandInput, WriteOutcome } from '../../commands/write-face.ts';

/** What the demo's parts share: its pool and year, and how they run a command. */
export const POOL = 'herts';
export const YEAR = '2017-18';

/** Runs a command as a demo user, on the demo's clock (`at` moves it on); a refusal stops the demo. */
export type Run = (
  userId: string,
  command: CommandInput,
  options?: { at?: number; reason?: string },
) => Promise<WriteOutcome>;
