import type { UserRole } from '../events/catalogue/index.ts';

/**
 * Who may do what: every route names one permission, and this table says which roles hold it.
 * Auditors read everything in their scope and write nothing. Approving is further refused to
 * the person who made the request, whatever their role (a domain rule, not this table).
 */
export const PERMISSIONS = {
  'read-set-up': 'see the pools and how they are set up: partners, schemes, years',
  read: 'read ledgers, reports and the audit trail',
  'set-up': 'register pools, let partners join, open financial years',
  record:
    'record schemes, contributions, allocations, spend, corrections, forecasts, savings; request virements, variations and quarter closes',
  approve:
    'approve or reject virements and contribution variations, close quarters, agree risk-share terms, determine the outturn and apply the risk share',
  'administer-users': 'register and deactivate users, issue and revoke tokens',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/**
 * Administrators set pools and people up and hold no finance permission: they neither read the
 * money nor record or approve anything in a ledger.
 */
export const ROLE_PERMISSIONS: Readonly<Record<UserRole, readonly Permission[]>> = {
  admin: ['read-set-up', 'set-up', 'administer-users'],
  'finance-officer': ['read-set-up', 'read', 'record'],
  cfo: ['read-set-up', 'read', 'record', 'approve'],
  auditor: ['read-set-up', 'read'],
};

export function mayDo(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
