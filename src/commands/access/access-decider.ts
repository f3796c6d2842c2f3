import type { AccessEvent, UserRole } from '../../events/catalogue/index.ts';
import { type AccessState, evolveAccess, initialAccessState } from '../../rules/access-register.ts';

export type { AccessState, AccessUser } from '../../rules/access-register.ts';

import { accept, type Decider, type Decision, refuse } from '../decider.ts';
import { type Actor, refusal } from '../refusals.ts';

/**
 * Users and their tokens (`access` stream). Tokens are made by the caller: the decider receives
 * only the token's id and the hash of its secret, never the secret.
 */
export type AccessCommand =
  | {
      type: 'RegisterUser';
      actor: Actor;
      userId: string;
      name: string;
      role: UserRole;
      pools: '*' | string[];
    }
  | { type: 'DeactivateUser'; actor: Actor; userId: string }
  | {
      type: 'IssueToken';
      actor: Actor;
      userId: string;
      tokenId: string;
      secretHash: string;
      label: string;
    }
  | { type: 'RevokeToken'; actor: Actor; userId: string; tokenId: string };

export const accessDecider: Decider<AccessCommand, AccessState, AccessEvent> = {
  initialState: initialAccessState,
  evolve: evolveAccess,
  decide(command, state): Decision<AccessEvent> {
    const user = state.users.get(command.userId);
    if (command.type === 'RegisterUser') {
      if (user !== undefined)
        return refuse(
          refusal(
            'duplicate-id',
            `user "${command.userId}" already exists`,
            'userId',
            command.userId,
          ),
        );
      const { userId, name, role, pools } = command;
      return accept({ type: 'UserRegistered.v1', data: { userId, name, role, pools } });
    }
    if (user === undefined)
      return refuse(
        refusal('user-unknown', `no user "${command.userId}"`, 'userId', command.userId),
      );
    switch (command.type) {
      case 'DeactivateUser':
        return user.active
          ? accept({ type: 'UserDeactivated.v1', data: { userId: command.userId } })
          : accept();
      case 'IssueToken':
        if (!user.active)
          return refuse(
            refusal(
              'user-unknown',
              `user "${command.userId}" has been deactivated`,
              'userId',
              command.userId,
            ),
          );
        if (state.tokenOwners.has(command.tokenId))
          return refuse(
            refusal('duplicate-id', 'that token id is taken', 'tokenId', command.tokenId),
          );
        return accept({
          type: 'TokenIssued.v1',
          data: {
            userId: command.userId,
            tokenId: command.tokenId,
            secretHash: command.secretHash,
            label: command.label,
          },
        });
      case 'RevokeToken': {
        const token = user.tokens.get(command.tokenId);
        if (token === undefined)
          return refuse(
            refusal(
              'token-unknown',
              `user "${command.userId}" has no token "${command.tokenId}"`,
              'tokenId',
              command.tokenId,
            ),
          );
        return token.revoked
          ? accept()
          : accept({
              type: 'TokenRevoked.v1',
              data: { userId: command.userId, tokenId: command.tokenId },
            });
      }
    }
  },
};
