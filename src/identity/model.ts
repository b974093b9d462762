import type { OrganisationRole, StaffRole } from '../platform/db/schema.ts';

export type { OrganisationRole, StaffRole } from '../platform/db/schema.ts';

export const organisationRoles: readonly OrganisationRole[] = ['mandataire', 'representant', 'salarie'];
export const staffRoles: readonly StaffRole[] = ['instructeur', 'commission', 'decideur', 'admin'];

export interface Membership {
  organisationId: string;
  role: OrganisationRole;
}

/** Who is acting. Every request resolves to exactly one actor. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'account';
      accountId: string;
      email: string;
      displayName: string;
      staffRoles: StaffRole[];
      memberships: Membership[];
      /** Second factor checked in this session (always true for an API token: it is its own factor). */
      secondFactorOk: boolean;
      totpEnabled: boolean;
      /** Set when the request is authenticated by a personal API token: its organisation bounds it. */
      apiTokenOrganisationId?: string;
    }
  | { kind: 'citizen'; citizenId: string; displayName: string };

export type AccountActor = Extract<Actor, { kind: 'account' }>;

/**
 * Every action a route or page can do. Each route declares one; `authorize` decides it.
 * The names are `<area>.<verb>`.
 */
export const actions = [
  'public.view', // public pages, health, catalogue: anyone
  'auth.sign_in', // sign-in, registration, password reset forms: anyone
  'account.self', // one's own account: password, second factor, sessions
  'account.api_tokens', // one's own personal API tokens (publishers)
  'organisation.view', // an organisation's page and member list: its members, staff
  'organisation.manage_members', // invite, change role, remove: mandataire, representant (not salarie)
  'organisation.manage_representatives', // grant or remove the mandataire/representant roles: mandataire
  'staff.workspace', // instruction space: any staff role
  'admin.console', // people, organisations, roles, lockouts: admin
  'sandbox.mailbox', // captured mail of the sandbox: anyone in sandbox mode (test identities only)
  'citizen.space', // the citizen's own space
] as const;
export type Action = (typeof actions)[number];

export interface ResourceContext {
  /** The organisation the action touches, when it touches one. */
  organisationId?: string;
  /** The role the action would give (for member management). */
  targetRole?: OrganisationRole;
  mode?: 'sandbox' | 'production';
}

export type Decision =
  | { allowed: true }
  | { allowed: false; reason: 'unauthenticated' | 'forbidden' | 'second_factor_required' };

const allow: Decision = { allowed: true };
const unauthenticated: Decision = { allowed: false, reason: 'unauthenticated' };
const forbidden: Decision = { allowed: false, reason: 'forbidden' };

function membershipIn(actor: AccountActor, organisationId: string | undefined): Membership | undefined {
  if (!organisationId) return undefined;
  if (actor.apiTokenOrganisationId && actor.apiTokenOrganisationId !== organisationId) return undefined;
  return actor.memberships.find((m) => m.organisationId === organisationId);
}

/** Staff actions need the second factor; a staff member without one must enrol first. */
function staffGate(actor: AccountActor, ok: boolean): Decision {
  if (!ok) return forbidden;
  if (!actor.secondFactorOk) return { allowed: false, reason: 'second_factor_required' };
  return allow;
}

/**
 * The one authorization function: every route asks it before acting.
 * Pure: it decides from the actor, the action and what is known of the resource.
 */
export function authorize(actor: Actor, action: Action, resource: ResourceContext = {}): Decision {
  switch (action) {
    case 'public.view':
    case 'auth.sign_in':
      return allow;
    case 'sandbox.mailbox':
      return resource.mode === 'sandbox' ? allow : forbidden;
    case 'citizen.space':
      if (actor.kind === 'anonymous') return unauthenticated;
      return actor.kind === 'citizen' ? allow : forbidden;
  }

  if (actor.kind === 'anonymous') return unauthenticated;
  if (actor.kind !== 'account') return forbidden;
  const isStaff = actor.staffRoles.length > 0;
  // A personal API token serves the publisher's organisation only, never staff work.
  const staffOk = isStaff && actor.apiTokenOrganisationId === undefined;

  switch (action) {
    case 'account.self':
      if (actor.apiTokenOrganisationId !== undefined) return forbidden;
      return allow;
    case 'account.api_tokens':
      if (actor.apiTokenOrganisationId !== undefined) return forbidden;
      return actor.memberships.length > 0 ? allow : forbidden;
    case 'organisation.view': {
      if (membershipIn(actor, resource.organisationId)) return allow;
      return staffGate(actor, staffOk);
    }
    case 'organisation.manage_members': {
      const m = membershipIn(actor, resource.organisationId);
      if (m && (m.role === 'mandataire' || m.role === 'representant')) {
        // Only the mandataire appoints or removes those who manage accounts.
        if (resource.targetRole && resource.targetRole !== 'salarie' && m.role !== 'mandataire')
          return forbidden;
        return allow;
      }
      return staffGate(actor, staffOk && actor.staffRoles.includes('admin'));
    }
    case 'organisation.manage_representatives': {
      const m = membershipIn(actor, resource.organisationId);
      if (m?.role === 'mandataire') return allow;
      return staffGate(actor, staffOk && actor.staffRoles.includes('admin'));
    }
    case 'staff.workspace':
      return staffGate(actor, staffOk);
    case 'admin.console':
      return staffGate(actor, staffOk && actor.staffRoles.includes('admin'));
  }
}
