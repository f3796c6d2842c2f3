import { z } from 'zod';

/** What every command route answers, and the empty body of action routes. */
export const commandAccepted = z
  .object({
    streamId: z.string().describe('The stream the command was recorded in'),
    streamVersion: z
      .int()
      .describe('The stream version after the command: the ETag of what it changed'),
    eventCount: z.int().describe('0 when the command changed nothing (it was already so)'),
    firstPosition: z.int().nullable(),
    lastPosition: z.int().nullable(),
  })
  .meta({
    id: 'CommandAccepted',
    description: 'The command was recorded, or there was nothing to change',
  });

/** Action routes (approve, close, withdraw) take no body: none at all, null, or {}. */
export const noBody = z.strictObject({}).nullish();

export const commandResponses = { 200: commandAccepted, 201: commandAccepted };
