import { z } from 'zod';
import { factId, name, poolScope, userRole } from '../catalogue/index.ts';

/** What a user command asks for, as the API and the pages accept it. */
export const registerUser = z.strictObject({
  userId: factId,
  name,
  role: userRole,
  pools: poolScope,
});
export const issueToken = z.strictObject({ label: name });
