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
  'auth.sign_out', // ending one's session: anyone (nothing happens without one)
  'account.second_factor', // enrolling or typing the second factor: a signed-in account, before it is checked
  'account.view', // who am I: any signed-in account, personal API tokens included
  'account.self', // one's own account: password, second factor, sessions
  'account.api_tokens', // one's own personal API tokens (publishers)
  'organisation.view', // an organisation's page and member list: its members, staff
  'organisation.manage_members', // invite, change role, remove: mandataire, representant (not salarie)
  'organisation.manage_representatives', // grant or remove the mandataire/representant roles: mandataire
  'staff.workspace', // instruction space: any staff role
  'admin.console', // people, organisations, roles, lockouts: admin
  'sandbox.mailbox', // captured mail of the sandbox: anyone in sandbox mode (test identities only)
  'citizen.space', // the citizen's own space
  'fhir.validate', // validating a FHIR resource against the MES profiles: anyone (needs neither consent nor OAuth)
  'product.view', // an organisation's services (produits): its members, staff
  'product.edit', // creating or changing an organisation's services: its members (any role)
  'product.view_one', // one service found by its id: publishers' members and staff; the service then checks product.view
  'product.edit_one', // changing one service found by its id: publishers' members; the service then checks product.edit
  'pathway.view', // the guided pathway, its result and the resources page: anyone, no account
  'pathway.save_outcome', // saving a pathway outcome onto a service: publishers' members; the service then checks mayEditProduct
  'notification.inbox', // one's own notifications (inbox, mark as read): any signed-in account (API tokens included) or citizen
  'dossier.publisher', // a publisher's referencing files and administrative file: publishers' members; the dossier module then checks the organisation
  'dossier.view_one', // one referencing file found by its id: publishers' members and staff; the dossier module then decides
  'dossier.staff', // instruction: files, verdicts, opinions, decisions, complaints, audits: staff; the dossier module then checks the role of each step
  'complaint.file', // reporting a problem about a catalogue service: a signed-in citizen
  'catalogue.view', // the public catalogue, a service's page, its images and the open-data API: anyone, no account
  'service.api', // a referenced service's call with its OAuth access token: the route verifies the token itself
  'citizen.consents', // one's paired services, their consents and activity, and those of the minors in one's care: a signed-in citizen; the consent module then checks whose
  'citizen.export', // downloading all of one's own data (JSON, FHIR): a signed-in citizen
  'citizen.close', // closing one's own space (erasure): a signed-in citizen
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

/** A member of some organisation (within the organisation of its API token, when it uses one). */
function publisherMember(actor: AccountActor): boolean {
  return actor.memberships.some(
    (m) => !actor.apiTokenOrganisationId || m.organisationId === actor.apiTokenOrganisationId,
  );
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
    case 'auth.sign_out':
    case 'fhir.validate':
    case 'pathway.view':
    case 'catalogue.view':
    case 'service.api':
      return allow;
    case 'sandbox.mailbox':
      return resource.mode === 'sandbox' ? allow : forbidden;
    case 'citizen.space':
    case 'citizen.consents':
    case 'citizen.export':
    case 'citizen.close':
    case 'complaint.file':
      if (actor.kind === 'anonymous') return unauthenticated;
      return actor.kind === 'citizen' ? allow : forbidden;
  }

  if (actor.kind === 'anonymous') return unauthenticated;
  if (action === 'notification.inbox' && actor.kind === 'citizen') return allow;
  if (actor.kind !== 'account') return forbidden;
  if (action === 'account.second_factor')
    return actor.apiTokenOrganisationId === undefined ? allow : forbidden;
  // A session past the password but owing its enabled second factor can do nothing else until it is typed.
  if (actor.totpEnabled && !actor.secondFactorOk) return { allowed: false, reason: 'second_factor_required' };
  const isStaff = actor.staffRoles.length > 0;
  // A personal API token serves the publisher's organisation only, never staff work.
  const staffOk = isStaff && actor.apiTokenOrganisationId === undefined;

  switch (action) {
    case 'account.view':
      return allow;
    // Staff notifications speak of instruction work: like the rest of it, they wait for the second factor.
    case 'notification.inbox':
      return isStaff ? staffGate(actor, true) : allow;
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
    case 'product.view':
      if (membershipIn(actor, resource.organisationId)) return allow;
      return staffGate(actor, staffOk);
    case 'product.edit':
      return membershipIn(actor, resource.organisationId) ? allow : forbidden;
    // The service's organisation is only known once it is read: these let a caller that could hold the
    // right through; the product module decides product.view or product.edit on the service it reads.
    case 'product.view_one':
      if (publisherMember(actor)) return allow;
      return staffGate(actor, staffOk);
    case 'dossier.view_one':
      if (publisherMember(actor)) return allow;
      return staffGate(actor, staffOk && actor.staffRoles.some((r) => r !== 'admin'));
    case 'dossier.staff':
      return staffGate(actor, staffOk && actor.staffRoles.some((r) => r !== 'admin'));
    case 'dossier.publisher':
    case 'pathway.save_outcome':
    case 'product.edit_one':
      return publisherMember(actor) ? allow : forbidden;
    case 'staff.workspace':
      return staffGate(actor, staffOk);
    case 'admin.console':
      return staffGate(actor, staffOk && actor.staffRoles.includes('admin'));
  }
}

// ── pure rules of accounts and organisations ────────────────────────────────

/** Field problems of a form or body: field name → message key. */
export type FieldErrors = Record<string, string>;

export const MIN_PASSWORD_LENGTH = 12;
/** Beyond this, a password is refused rather than hashed (scrypt of megabytes is a denial of service). */
export const MAX_PASSWORD_LENGTH = 256;
/** Consecutive failures (password or code) that lock an account. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
export const RESET_TOKEN_MINUTES = 60;
export const VERIFY_TOKEN_HOURS = 48;
export const INVITATION_DAYS = 7;
export const API_TOKEN_MAX_DAYS = 365;
export const MAX_LIVE_API_TOKENS = 25;

/** A SIREN without the spaces people type in it. */
export function normaliseSiren(value: string): string {
  return value.replace(/[\s.\u00a0]/g, '');
}

/** A SIREN is 9 digits whose Luhn key is right (the ninth digit is the key). */
export function isValidSiren(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    // From the right, every second digit is doubled.
    let digit = Number(value[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** A plausible address: one @, something either side, a dot in the domain, no spaces. */
export function isValidEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && !hasControlCharacters(value);
}

/** The message key of what is wrong with a new password, if anything. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'identity.field.password_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'identity.field.password_long';
  return undefined;
}

/** A required text of at most `max` characters: the message key of its problem, if any. */
export function textProblem(value: string, max = 200): string | undefined {
  if (value.trim().length === 0) return 'identity.field.required';
  if (value.length > max) return 'identity.field.too_long';
  if (hasControlCharacters(value)) return 'identity.field.invalid_characters';
  return undefined;
}

/** Control characters (NUL above all, which PostgreSQL text refuses) have no place in a name or address. */
export function hasControlCharacters(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}

export interface RegistrationInput {
  legalName: string;
  siren: string;
  address: string;
  legalRepresentative: string;
  displayName: string;
  email: string;
  password: string;
}

/** Checks a registration before anything is written; returns the field problems. */
export function validateRegistration(input: RegistrationInput): FieldErrors {
  const errors: FieldErrors = {};
  const put = (field: keyof RegistrationInput, problem: string | undefined) => {
    if (problem) errors[field] = problem;
  };
  put('legalName', textProblem(input.legalName));
  const siren = normaliseSiren(input.siren);
  if (siren.length === 0) errors.siren = 'identity.field.required';
  else if (!/^\d{9}$/.test(siren)) errors.siren = 'identity.field.siren_format';
  else if (!isValidSiren(siren)) errors.siren = 'identity.field.siren_key';
  put('address', textProblem(input.address, 500));
  put('legalRepresentative', textProblem(input.legalRepresentative));
  put('displayName', textProblem(input.displayName));
  const email = normaliseEmail(input.email);
  if (email.length === 0) errors.email = 'identity.field.required';
  else if (!isValidEmail(email)) errors.email = 'identity.field.email_format';
  put('password', passwordProblem(input.password));
  return errors;
}

/**
 * Where to go after signing in: only a path of this site (`/…`), never another origin (`//host`, `/\host`,
 * `https://…`) nor anything with control characters.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  return value;
}

/** After a failed password or code: the new counter, and the lock when the threshold is reached. */
export function afterFailure(failedSoFar: number, now: Date): { failed: number; lockedUntil: Date | null } {
  const failed = failedSoFar + 1;
  if (failed >= LOCKOUT_THRESHOLD) {
    // The counter starts again once the lock has run out.
    return { failed: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) };
  }
  return { failed, lockedUntil: null };
}

export function isLocked(lockedUntil: Date | string | null, now: Date): boolean {
  return lockedUntil !== null && new Date(lockedUntil).getTime() > now.getTime();
}

/** Staff roles must use the second factor; publishers may. */
export function secondFactorRequired(roles: readonly StaffRole[]): boolean {
  return roles.length > 0;
}

export function isOrganisationRole(value: unknown): value is OrganisationRole {
  return typeof value === 'string' && (organisationRoles as readonly string[]).includes(value);
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}

/** The roles an actor may give in an organisation (what the invitation and role forms offer). */
export function grantableRoles(actor: Actor, organisationId: string): OrganisationRole[] {
  return organisationRoles.filter(
    (role) => authorize(actor, 'organisation.manage_members', { organisationId, targetRole: role }).allowed,
  );
}

/**
 * Would the organisation still have a mandataire after this member's role changes (to `newRole`, or removed
 * when `newRole` is undefined)? An organisation always keeps at least one.
 */
export function keepsAMandataire(
  members: ReadonlyArray<{ accountId: string; role: OrganisationRole }>,
  accountId: string,
  newRole: OrganisationRole | undefined,
): boolean {
  return members.some((m) =>
    m.accountId === accountId ? newRole === 'mandataire' : m.role === 'mandataire',
  );
}

/** An API token lives 1 to 365 whole days. */
export function apiTokenDaysProblem(days: number): string | undefined {
  if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS) return 'identity.field.token_days';
  return undefined;
}

/** Ids in paths are UUIDs: anything else is unknown without asking the database. */
export function isUuid(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}

/** Where a person lands after signing in, when no page asked for them. */
export function landingPath(roles: {
  staffRoles: readonly StaffRole[];
  memberships: readonly Membership[];
}): string {
  if (roles.staffRoles.some((r) => r !== 'admin')) return '/instruction';
  if (roles.staffRoles.includes('admin')) return '/admin';
  if (roles.memberships.length > 0) return '/editeur';
  return '/compte';
}
