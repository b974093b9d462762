import { type AuditEventView, appendAuditEvent, listAuditEvents } from '../audit/index.ts';
import type { Config } from '../platform/config.ts';
import {
  dummyPasswordHash,
  hashPassword,
  newId,
  randomToken,
  sha256,
  verifyPassword,
} from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, tooManyRequests, validationFailed } from '../platform/errors.ts';
import { type Locale, translator } from '../platform/i18n.ts';
import { queueMail } from '../platform/mail.ts';
import { identityMessages } from './messages.ts';
import {
  type AccountActor,
  type Action,
  type Actor,
  afterFailure,
  apiTokenDaysProblem,
  authorize,
  type FieldErrors,
  hasControlCharacters,
  INVITATION_DAYS,
  isLocked,
  isOrganisationRole,
  isStaffRole,
  isUuid,
  isValidEmail,
  keepsAMandataire,
  LOCKOUT_MINUTES,
  MAX_LIVE_API_TOKENS,
  normaliseEmail,
  normaliseSiren,
  type OrganisationRole,
  passwordProblem,
  RESET_TOKEN_MINUTES,
  type RegistrationInput,
  type ResourceContext,
  type StaffRole,
  secondFactorRequired,
  textProblem,
  VERIFY_TOKEN_HOURS,
  validateRegistration,
} from './model.ts';
import { API_TOKEN_PREFIX } from './sessions.ts';
import * as store from './store.ts';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp.ts';

// ── dependencies ────────────────────────────────────────────────────────────

/**
 * Counts attempts per key in a sliding window, in this process. It slows guessing down; the lockout stored
 * in the database is what holds across processes.
 */
export class AttemptLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly limit: number;
  readonly windowMs: number;

  constructor(limit = 10, windowMs = 5 * 60_000) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /**
   * Records an attempt under every key, unless one of them is over its limit: then nothing is recorded and
   * the answer is how many seconds to wait.
   */
  hit(keys: string[], now = Date.now()): number | undefined {
    const since = now - this.windowMs;
    let wait: number | undefined;
    const recents = keys.map((key) => (this.#hits.get(key) ?? []).filter((at) => at > since));
    recents.forEach((recent) => {
      if (recent.length >= this.limit) {
        const seconds = Math.ceil((recent[0] + this.windowMs - now) / 1000);
        wait = Math.max(wait ?? 0, seconds, 1);
      }
    });
    keys.forEach((key, i) => {
      if (wait === undefined) recents[i].push(now);
      this.#hits.set(key, recents[i]);
    });
    if (this.#hits.size > 50_000) this.#sweep(since);
    return wait;
  }

  #sweep(since: number): void {
    for (const [key, hits] of this.#hits) if (!hits.some((at) => at > since)) this.#hits.delete(key);
  }
}

export interface IdentityDeps {
  db: Db;
  config: Config;
  /** Sign-in, code, reset and registration attempts (per IP, per address, per account). */
  limiter: AttemptLimiter;
}

export function identityDeps(ctx: { db: Db; config: Config }): IdentityDeps {
  return { db: ctx.db, config: ctx.config, limiter: new AttemptLimiter() };
}

function limit(deps: IdentityDeps, keys: string[]): void {
  const wait = deps.limiter.hit(keys);
  if (wait !== undefined) {
    throw tooManyRequests('identity.rate_limited', { minutes: Math.max(1, Math.ceil(wait / 60)) });
  }
}

// ── small helpers ───────────────────────────────────────────────────────────

const fail = (code: string, status: number, key: string, params?: Record<string, string | number>) =>
  new AppError(code, status, key, params);
const invalidToken = () => fail('invalid_token', 400, 'identity.token.invalid');

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

type AuditActor = { type: 'account'; id: string } | { type: 'anonymous' } | { type: 'system' };

function auditActorOf(actor: Actor | AuditActor): AuditActor {
  if ('type' in actor) return actor;
  return actor.kind === 'account' ? { type: 'account', id: actor.accountId } : { type: 'anonymous' };
}

async function audit(
  trx: Db,
  actor: Actor | AuditActor,
  action: string,
  subject: { type: string; id: string } | { chain: string },
  data: Record<string, unknown> = {},
): Promise<void> {
  const who = auditActorOf(actor);
  await appendAuditEvent(trx, {
    actorType: who.type,
    actorId: who.type === 'account' ? who.id : null,
    action,
    ...('chain' in subject ? { chain: subject.chain } : { subjectType: subject.type, subjectId: subject.id }),
    data,
  });
}

const accountSubject = (id: string) => ({ type: 'account', id });
const organisationSubject = (id: string) => ({ type: 'organisation', id });

/** A token for a mail link, and the hash the database keeps of it. */
function mailToken(): { token: string; id: string } {
  const token = randomToken();
  return { token, id: sha256(token) };
}

function link(config: Config, path: string, token: string): string {
  return `${config.publicUrl}${path}?jeton=${encodeURIComponent(token)}`;
}

async function sendMail(
  trx: Db,
  config: Config,
  locale: Locale,
  to: string,
  kind: string,
  params: Record<string, string | number>,
): Promise<void> {
  const t = translator(identityMessages, locale);
  const all = { operator: config.operatorName, ...params };
  await queueMail(trx, {
    to,
    subject: t(`identity.mail.${kind}.subject`, all),
    text: t(`identity.mail.${kind}.text`, all),
  });
}

function minutesUntil(when: Date | string, now = new Date()): number {
  return Math.max(1, Math.ceil((new Date(when).getTime() - now.getTime()) / 60_000));
}

function check(actor: Actor, action: Action, resource: ResourceContext = {}): void {
  const decision = authorize(actor, action, resource);
  if (!decision.allowed) {
    if (decision.reason === 'unauthenticated')
      throw new AppError('unauthenticated', 401, 'error.unauthenticated');
    if (decision.reason === 'second_factor_required')
      throw new AppError('second_factor_required', 403, 'error.second_factor_required');
    throw forbidden();
  }
}

async function queueVerification(
  config: Config,
  trx: Db,
  account: { id: string; email: string; display_name: string },
  locale: Locale,
) {
  await store.retireAccountTokens(trx, account.id, 'verify_email');
  const { token, id } = mailToken();
  await store.insertEmailToken(trx, {
    id,
    purpose: 'verify_email',
    email: account.email,
    accountId: account.id,
    expiresAt: new Date(Date.now() + VERIFY_TOKEN_HOURS * 3600_000),
  });
  await sendMail(trx, config, locale, account.email, 'verify', {
    name: account.display_name,
    link: link(config, '/verification-courriel', token),
    hours: VERIFY_TOKEN_HOURS,
  });
}

// ── registration and address verification ───────────────────────────────────

/**
 * A publisher registers: organisation, account and mandataire membership in one transaction, and a mail to
 * verify the address. Signing in waits for that verification.
 */
export async function registerPublisher(
  deps: IdentityDeps,
  input: RegistrationInput,
  meta: { ip: string; locale: Locale },
): Promise<{ organisationId: string; accountId: string }> {
  const errors = validateRegistration(input);
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  limit(deps, [`register:ip:${meta.ip}`]);
  const siren = normaliseSiren(input.siren);
  const email = normaliseEmail(input.email);
  const taken = await takenFields(deps.db, siren, email);
  if (Object.keys(taken).length > 0) throw validationFailed(taken);

  const passwordHash = await hashPassword(input.password);
  const organisationId = newId();
  const accountId = newId();
  const displayName = input.displayName.trim();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await store.insertOrganisation(trx, {
        id: organisationId,
        legalName: input.legalName.trim(),
        siren,
        address: input.address.trim(),
        legalRepresentative: input.legalRepresentative.trim(),
      });
      await store.insertAccount(trx, {
        id: accountId,
        email,
        displayName,
        passwordHash,
        locale: meta.locale,
        emailVerifiedAt: null,
      });
      await store.insertMembership(trx, organisationId, accountId, 'mandataire');
      const actor: AuditActor = { type: 'account', id: accountId };
      await audit(trx, actor, 'organisation.registered', organisationSubject(organisationId), {
        legalName: input.legalName.trim(),
        siren,
        mandataire: accountId,
      });
      await audit(trx, actor, 'account.registered', accountSubject(accountId), {
        organisationId,
        role: 'mandataire',
      });
      await queueVerification(
        deps.config,
        trx,
        { id: accountId, email, display_name: displayName },
        meta.locale,
      );
    });
  } catch (error) {
    // Someone registered the same SIREN or address in between: say which, as the checks above would have.
    if (isUniqueViolation(error)) {
      const raced = await takenFields(deps.db, siren, email);
      throw validationFailed(Object.keys(raced).length ? raced : { email: 'identity.field.email_taken' });
    }
    throw error;
  }
  return { organisationId, accountId };
}

async function takenFields(db: Db, siren: string, email: string): Promise<FieldErrors> {
  const [organisation, account] = await Promise.all([
    store.findOrganisationBySiren(db, siren),
    store.findAccountByEmail(db, email),
  ]);
  const errors: FieldErrors = {};
  if (organisation) errors.siren = 'identity.field.siren_taken';
  if (account) errors.email = 'identity.field.email_taken';
  return errors;
}

/** Follows the link of a verification mail: the address is verified, the token spent. */
export async function verifyEmail(deps: IdentityDeps, token: string): Promise<{ accountId: string }> {
  if (!token) throw invalidToken();
  const id = sha256(token);
  return deps.db.transaction().execute(async (trx) => {
    const row = await store.findLiveEmailToken(trx, id, 'verify_email');
    if (!row?.account_id || !(await store.consumeEmailToken(trx, id))) throw invalidToken();
    const account = await store.lockAccount(trx, row.account_id);
    if (!account) throw invalidToken();
    if (!account.email_verified_at) {
      await store.updateAccount(trx, account.id, { email_verified_at: new Date() });
      await audit(
        trx,
        { type: 'account', id: account.id },
        'account.email_verified',
        accountSubject(account.id),
      );
    }
    return { accountId: account.id };
  });
}

// ── sign-in ─────────────────────────────────────────────────────────────────

export interface SignedIn {
  accountId: string;
  locale: Locale;
  staffRoles: StaffRole[];
  memberships: Array<{ organisationId: string; role: OrganisationRole }>;
  /** The account has TOTP: the session waits for the code. */
  needsCode: boolean;
  /** A staff account without TOTP: it must enrol before any staff work. */
  mustEnrol: boolean;
}

const badCredentials = () => fail('invalid_credentials', 401, 'identity.signin.invalid');
const lockedFor = (until: Date | string) =>
  fail('account_locked', 403, 'identity.signin.locked', { minutes: minutesUntil(until) });

/** Counts a failed password or code; locks the account at the threshold. Returns the lock, if any. */
async function recordFailure(
  deps: IdentityDeps,
  accountId: string,
  reason: string,
  ip: string,
): Promise<Date | null> {
  return deps.db.transaction().execute(async (trx) => {
    const account = await store.lockAccount(trx, accountId);
    if (!account) return null;
    const next = afterFailure(account.failed_sign_ins, new Date());
    await store.updateAccount(trx, accountId, {
      failed_sign_ins: next.failed,
      ...(next.lockedUntil ? { locked_until: next.lockedUntil } : {}),
    });
    await audit(trx, { type: 'anonymous' }, 'account.sign_in_failed', accountSubject(accountId), {
      reason,
      ip,
    });
    if (next.lockedUntil) {
      await audit(trx, { type: 'system' }, 'account.locked', accountSubject(accountId), {
        until: next.lockedUntil.toISOString(),
        minutes: LOCKOUT_MINUTES,
      });
    }
    return next.lockedUntil;
  });
}

/**
 * The password step. Unknown addresses cost the same scrypt as known ones; failures count towards the
 * lockout; an unverified address gets a fresh verification mail instead of a session.
 */
export async function signInWithPassword(
  deps: IdentityDeps,
  input: { email: string; password: string; ip: string },
): Promise<SignedIn> {
  const email = normaliseEmail(input.email);
  if (!email || !input.password) {
    throw validationFailed({
      ...(email ? {} : { email: 'identity.field.required' }),
      ...(input.password ? {} : { password: 'identity.field.required' }),
    });
  }
  limit(deps, [`signin:ip:${input.ip}`, `signin:email:${email}`]);
  const password = input.password.slice(0, 1024);
  // Something that is not an address names no account (and is never sent to the database).
  const account = isValidEmail(email) ? await store.findAccountByEmail(deps.db, email) : undefined;
  if (!account?.password_hash) {
    await verifyPassword(password, await dummyPasswordHash());
    await deps.db.transaction().execute((trx) =>
      audit(
        trx,
        { type: 'anonymous' },
        'account.sign_in_failed',
        { chain: 'sign-in' },
        {
          reason: account ? 'no_password' : 'unknown_account',
          ip: input.ip,
        },
      ),
    );
    throw badCredentials();
  }
  if (isLocked(account.locked_until, new Date())) {
    await deps.db.transaction().execute((trx) =>
      audit(trx, { type: 'anonymous' }, 'account.sign_in_failed', accountSubject(account.id), {
        reason: 'locked',
        ip: input.ip,
      }),
    );
    throw lockedFor(account.locked_until as Date);
  }
  if (!(await verifyPassword(password, account.password_hash))) {
    const lockedUntil = await recordFailure(deps, account.id, 'bad_password', input.ip);
    throw lockedUntil ? lockedFor(lockedUntil) : badCredentials();
  }
  if (account.disabled_at) {
    await deps.db.transaction().execute((trx) =>
      audit(trx, { type: 'anonymous' }, 'account.sign_in_failed', accountSubject(account.id), {
        reason: 'disabled',
        ip: input.ip,
      }),
    );
    throw fail('account_disabled', 403, 'identity.signin.disabled');
  }
  if (!account.email_verified_at) {
    await deps.db.transaction().execute(async (trx) => {
      await store.updateAccount(trx, account.id, { failed_sign_ins: 0 });
      await queueVerification(deps.config, trx, account, account.locale);
    });
    throw fail('email_not_verified', 403, 'identity.signin.unverified');
  }
  const roles = await store.rolesOf(deps.db, account.id);
  const needsCode = account.totp_enabled_at !== null;
  await deps.db.transaction().execute(async (trx) => {
    await store.updateAccount(trx, account.id, { failed_sign_ins: 0, locked_until: null });
    await audit(trx, { type: 'account', id: account.id }, 'account.signed_in', accountSubject(account.id), {
      ip: input.ip,
      secondFactor: needsCode ? 'pending' : 'not_enabled',
    });
  });
  return {
    accountId: account.id,
    locale: account.locale,
    ...roles,
    needsCode,
    mustEnrol: !needsCode && secondFactorRequired(roles.staffRoles),
  };
}

export async function recordSignOut(deps: IdentityDeps, actor: Actor): Promise<void> {
  if (actor.kind !== 'account') return;
  await deps.db
    .transaction()
    .execute((trx) => audit(trx, actor, 'account.signed_out', accountSubject(actor.accountId)));
}

// ── TOTP ────────────────────────────────────────────────────────────────────

export interface CodeCheck {
  ok: boolean;
  /** The code matched a step already used. */
  reused?: boolean;
  lockedUntil?: Date | null;
}

/** Checks a code against the account's secret, never accepting a step twice; counts failures. */
async function checkCode(
  deps: IdentityDeps,
  accountId: string,
  code: string,
  options: { pending?: boolean; ip: string },
  onSuccess: (trx: Db, step: number) => Promise<void>,
): Promise<CodeCheck> {
  limit(deps, [`code:${accountId}`]);
  const outcome = await deps.db.transaction().execute(async (trx): Promise<CodeCheck | 'failed'> => {
    const account = await store.lockAccount(trx, accountId);
    if (!account?.totp_secret) return 'failed';
    if (isLocked(account.locked_until, new Date()))
      return { ok: false, lockedUntil: new Date(account.locked_until as Date) };
    if (!options.pending && !account.totp_enabled_at) return 'failed';
    const step = verifyTotp(account.totp_secret, code, { lastStep: account.totp_last_step });
    if (step === undefined || !(await store.consumeTotpStep(trx, accountId, step))) {
      const reused = verifyTotp(account.totp_secret, code) !== undefined;
      return reused ? { ok: false, reused: true } : 'failed';
    }
    await onSuccess(trx, step);
    return { ok: true };
  });
  if (outcome === 'failed' || (!outcome.ok && outcome.reused)) {
    // A wrong code while enrolling only costs a retry: the person already proved their password this session.
    const lockedUntil = options.pending ? null : await recordFailure(deps, accountId, 'bad_code', options.ip);
    return { ok: false, reused: outcome !== 'failed' && outcome.reused, lockedUntil };
  }
  return outcome;
}

/** The code step of sign-in: the session becomes second-factor-ok. */
export async function verifySignInCode(
  deps: IdentityDeps,
  actor: AccountActor,
  code: string,
  sessionId: string,
  ip: string,
): Promise<CodeCheck> {
  return checkCode(deps, actor.accountId, code, { ip }, async (trx) => {
    await store.markSecondFactor(trx, sessionId);
    await audit(trx, actor, 'account.second_factor_verified', accountSubject(actor.accountId), { ip });
  });
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
}

/**
 * The secret being enrolled (made on first visit and kept until confirmed, so a reload does not change the
 * secret already scanned). Undefined when TOTP is already enabled.
 */
export async function beginTotpEnrolment(
  deps: IdentityDeps,
  actor: AccountActor,
): Promise<TotpEnrolment | undefined> {
  const account = await store.findAccountById(deps.db, actor.accountId);
  if (!account || account.totp_enabled_at) return undefined;
  let secret = account.totp_secret;
  if (!secret) {
    secret = generateTotpSecret();
    await store.updateAccount(deps.db, account.id, { totp_secret: secret, totp_last_step: null });
  }
  return { secret, uri: otpauthUri(secret, account.email, deps.config.operatorName) };
}

/** Confirms enrolment with a first code: TOTP is on, and this session counts as second-factor-ok. */
export async function confirmTotpEnrolment(
  deps: IdentityDeps,
  actor: AccountActor,
  code: string,
  sessionId: string | undefined,
  ip: string,
): Promise<void> {
  const account = await store.findAccountById(deps.db, actor.accountId);
  if (!account) throw notFound();
  if (account.totp_enabled_at) throw fail('totp_already_enabled', 409, 'identity.totp.already_enabled');
  const result = await checkCode(deps, actor.accountId, code, { pending: true, ip }, async (trx) => {
    await store.updateAccount(trx, actor.accountId, { totp_enabled_at: new Date() });
    if (sessionId) await store.markSecondFactor(trx, sessionId);
    await audit(trx, actor, 'account.totp_enabled', accountSubject(actor.accountId));
  });
  if (!result.ok) throw codeError(result);
}

/** The error to show for a refused code. */
export function codeError(result: CodeCheck): AppError {
  if (result.lockedUntil) return lockedFor(result.lockedUntil);
  return validationFailed({
    code: result.reused ? 'identity.totp.code_reused' : 'identity.totp.code_invalid',
  });
}

/** Turns TOTP off with a current code; staff may not. */
export async function disableTotp(
  deps: IdentityDeps,
  actor: AccountActor,
  code: string,
  ip: string,
): Promise<void> {
  if (secondFactorRequired(actor.staffRoles))
    throw fail('totp_required', 409, 'identity.totp.staff_required');
  if (!actor.totpEnabled) throw fail('totp_not_enabled', 409, 'identity.totp.not_enabled');
  const result = await checkCode(deps, actor.accountId, code, { ip }, async (trx) => {
    await store.updateAccount(trx, actor.accountId, {
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    await audit(trx, actor, 'account.totp_disabled', accountSubject(actor.accountId));
  });
  if (!result.ok) throw codeError(result);
}

// ── password reset ──────────────────────────────────────────────────────────

/** Mails a reset link when the address has an account. The caller says the same thing either way. */
export async function requestPasswordReset(
  deps: IdentityDeps,
  input: { email: string; ip: string },
): Promise<void> {
  const email = normaliseEmail(input.email);
  if (!email) throw validationFailed({ email: 'identity.field.required' });
  if (!isValidEmail(email)) throw validationFailed({ email: 'identity.field.email_format' });
  limit(deps, [`reset:ip:${input.ip}`, `reset:email:${email}`]);
  const account = await store.findAccountByEmail(deps.db, email);
  if (!account || account.disabled_at) return;
  await deps.db.transaction().execute(async (trx) => {
    await issueResetToken(deps.config, trx, account, RESET_TOKEN_MINUTES, 'reset');
    await audit(trx, { type: 'anonymous' }, 'account.password_reset_requested', accountSubject(account.id), {
      ip: input.ip,
    });
  });
}

async function issueResetToken(
  config: Config,
  trx: Db,
  account: { id: string; email: string; display_name: string; locale: Locale },
  minutes: number,
  mail: 'reset' | 'welcome',
): Promise<string> {
  await store.retireAccountTokens(trx, account.id, 'reset_password');
  const { token, id } = mailToken();
  await store.insertEmailToken(trx, {
    id,
    purpose: 'reset_password',
    email: account.email,
    accountId: account.id,
    expiresAt: new Date(Date.now() + minutes * 60_000),
  });
  const url = link(config, '/reinitialisation', token);
  await sendMail(trx, config, account.locale, account.email, mail, {
    name: account.display_name,
    link: url,
    minutes,
    hours: Math.round(minutes / 60),
  });
  return url;
}

/** Whether a reset link is still good (to show the form or say it is not). */
export async function checkResetToken(deps: IdentityDeps, token: string): Promise<boolean> {
  if (!token) return false;
  return (await store.findLiveEmailToken(deps.db, sha256(token), 'reset_password')) !== undefined;
}

/** Sets a new password from a reset link: single use, unlocks, ends every other session of the account. */
export async function resetPassword(
  deps: IdentityDeps,
  input: { token: string; password: string; currentSessionId?: string },
): Promise<{ accountId: string }> {
  const problem = passwordProblem(input.password);
  if (problem) throw validationFailed({ password: problem });
  if (!input.token) throw invalidToken();
  const id = sha256(input.token);
  if (!(await store.findLiveEmailToken(deps.db, id, 'reset_password'))) throw invalidToken();
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const row = await store.findLiveEmailToken(trx, id, 'reset_password');
    if (!row?.account_id || !(await store.consumeEmailToken(trx, id))) throw invalidToken();
    const account = await store.lockAccount(trx, row.account_id);
    if (!account) throw invalidToken();
    await store.updateAccount(trx, account.id, {
      password_hash: passwordHash,
      failed_sign_ins: 0,
      locked_until: null,
      // The link came by mail: the address is proven.
      email_verified_at: account.email_verified_at ?? new Date(),
    });
    await store.retireAccountTokens(trx, account.id, 'reset_password');
    await store.deleteAccountSessions(trx, account.id, input.currentSessionId);
    await audit(
      trx,
      { type: 'account', id: account.id },
      'account.password_reset',
      accountSubject(account.id),
    );
    return { accountId: account.id };
  });
}

// ── one's own account ───────────────────────────────────────────────────────

export interface AccountView {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  totpEnabled: boolean;
  staffRoles: StaffRole[];
  organisations: OrganisationOfAccount[];
}

export async function accountView(deps: IdentityDeps, actor: AccountActor): Promise<AccountView> {
  const account = await store.findAccountById(deps.db, actor.accountId);
  if (!account) throw notFound();
  const organisations = (await listOrganisationsOf(deps.db, actor.accountId)).filter(
    (o) => !actor.apiTokenOrganisationId || o.id === actor.apiTokenOrganisationId,
  );
  return {
    id: account.id,
    email: account.email,
    displayName: account.display_name,
    locale: account.locale,
    totpEnabled: account.totp_enabled_at !== null,
    staffRoles: actor.staffRoles,
    organisations,
  };
}

export async function updateProfile(
  deps: IdentityDeps,
  actor: AccountActor,
  input: { displayName: string; locale: string },
): Promise<void> {
  const errors: FieldErrors = {};
  const nameProblem = textProblem(input.displayName);
  if (nameProblem) errors.displayName = nameProblem;
  if (input.locale !== 'fr' && input.locale !== 'en') errors.locale = 'identity.field.locale';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const displayName = input.displayName.trim();
  const locale = input.locale as Locale;
  await deps.db.transaction().execute(async (trx) => {
    const before = await store.lockAccount(trx, actor.accountId);
    if (!before) throw notFound();
    if (before.display_name === displayName && before.locale === locale) return;
    await store.updateAccount(trx, actor.accountId, { display_name: displayName, locale });
    await audit(trx, actor, 'account.profile_updated', accountSubject(actor.accountId), {
      ...(before.display_name !== displayName ? { displayName } : {}),
      ...(before.locale !== locale ? { locale } : {}),
    });
  });
}

/** Changes the password (the current one is asked again); other sessions end. */
export async function changePassword(
  deps: IdentityDeps,
  actor: AccountActor,
  input: { current: string; next: string; sessionId?: string },
): Promise<void> {
  limit(deps, [`password:${actor.accountId}`]);
  const errors: FieldErrors = {};
  if (!input.current) errors.currentPassword = 'identity.field.required';
  const problem = passwordProblem(input.next);
  if (problem) errors.newPassword = problem;
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const account = await store.findAccountById(deps.db, actor.accountId);
  if (!account) throw notFound();
  const ok = account.password_hash
    ? await verifyPassword(input.current.slice(0, 1024), account.password_hash)
    : false;
  if (!ok) throw validationFailed({ currentPassword: 'identity.field.current_password_wrong' });
  const passwordHash = await hashPassword(input.next);
  await deps.db.transaction().execute(async (trx) => {
    await store.updateAccount(trx, actor.accountId, { password_hash: passwordHash });
    await store.deleteAccountSessions(trx, actor.accountId, input.sessionId);
    await audit(trx, actor, 'account.password_changed', accountSubject(actor.accountId));
  });
}

// ── personal API tokens ─────────────────────────────────────────────────────

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  organisationId: string;
  organisationName: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: 'active' | 'revoked' | 'expired';
}

export async function listApiTokens(deps: IdentityDeps, actor: AccountActor): Promise<ApiTokenView[]> {
  const rows = await store.apiTokensOf(deps.db, actor.accountId);
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    organisationId: r.organisation_id,
    organisationName: r.legal_name,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
    status: r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= now ? 'expired' : 'active',
  }));
}

/** Creates a token bound to one of the person's organisations. The token itself is returned only here. */
export async function createApiToken(
  deps: IdentityDeps,
  actor: AccountActor,
  input: { name: string; organisationId: string; days: number },
): Promise<{ token: string; view: ApiTokenView }> {
  check(actor, 'account.api_tokens');
  const errors: FieldErrors = {};
  const nameProblem = textProblem(input.name, 100);
  if (nameProblem) errors.name = nameProblem;
  if (!actor.memberships.some((m) => m.organisationId === input.organisationId))
    errors.organisationId = 'identity.field.organisation';
  const daysProblem = apiTokenDaysProblem(input.days);
  if (daysProblem) errors.days = daysProblem;
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const organisation = await store.findOrganisationById(deps.db, input.organisationId);
  if (!organisation) throw validationFailed({ organisationId: 'identity.field.organisation' });
  if (organisation.status !== 'active')
    throw fail('organisation_suspended', 409, 'identity.organisation.suspended');
  if ((await store.countLiveApiTokens(deps.db, actor.accountId)) >= MAX_LIVE_API_TOKENS)
    throw fail('too_many_tokens', 409, 'identity.tokens.too_many', { max: MAX_LIVE_API_TOKENS });

  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const id = newId();
  const prefix = token.slice(0, API_TOKEN_PREFIX.length + 6);
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  const name = input.name.trim();
  await deps.db.transaction().execute(async (trx) => {
    await store.insertApiToken(trx, {
      id,
      accountId: actor.accountId,
      organisationId: input.organisationId,
      name,
      tokenHash: sha256(token),
      prefix,
      expiresAt,
    });
    await audit(trx, actor, 'api_token.created', accountSubject(actor.accountId), {
      tokenId: id,
      name,
      prefix,
      organisationId: input.organisationId,
      expiresAt: expiresAt.toISOString(),
    });
  });
  return {
    token,
    view: {
      id,
      name,
      prefix,
      organisationId: input.organisationId,
      organisationName: organisation.legal_name,
      createdAt: new Date(),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      status: 'active',
    },
  };
}

export async function revokeApiToken(
  deps: IdentityDeps,
  actor: AccountActor,
  tokenId: string,
): Promise<void> {
  if (!isUuid(tokenId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await store.revokeApiToken(trx, actor.accountId, tokenId))) throw notFound();
    await audit(trx, actor, 'api_token.revoked', accountSubject(actor.accountId), { tokenId });
  });
}

// ── organisations and their members ─────────────────────────────────────────

export interface OrganisationOfAccount {
  id: string;
  legalName: string;
  siren: string;
  status: 'active' | 'suspended';
  role: OrganisationRole;
}

/** The organisations a person belongs to, with their role in each. */
export async function listOrganisationsOf(db: Db, accountId: string): Promise<OrganisationOfAccount[]> {
  const rows = await store.organisationsOfAccount(db, accountId);
  return rows.map((r) => ({
    id: r.id,
    legalName: r.legal_name,
    siren: r.siren,
    status: r.status,
    role: r.role as OrganisationRole,
  }));
}

export interface OrganisationView {
  id: string;
  legalName: string;
  siren: string;
  address: string;
  legalRepresentative: string;
  status: 'active' | 'suspended';
}

export interface MemberView {
  accountId: string;
  email: string;
  displayName: string;
  role: OrganisationRole;
  disabled: boolean;
  since: Date;
}

export interface InvitationView {
  email: string;
  role: OrganisationRole;
  expiresAt: Date;
}

/** One organisation as its members (and staff) see it. */
export async function getOrganisation(
  deps: IdentityDeps,
  actor: Actor,
  organisationId: string,
): Promise<OrganisationView> {
  if (!isUuid(organisationId)) throw notFound();
  check(actor, 'organisation.view', { organisationId });
  const row = await store.findOrganisationById(deps.db, organisationId);
  if (!row) throw notFound();
  return {
    id: row.id,
    legalName: row.legal_name,
    siren: row.siren,
    address: row.address,
    legalRepresentative: row.legal_representative,
    status: row.status,
  };
}

export async function listMembers(
  deps: IdentityDeps,
  actor: Actor,
  organisationId: string,
): Promise<{ members: MemberView[]; invitations: InvitationView[] }> {
  await getOrganisation(deps, actor, organisationId);
  const [members, invitations] = await Promise.all([
    store.membersOf(deps.db, organisationId),
    store.pendingInvitations(deps.db, organisationId),
  ]);
  return {
    members: members.map((m) => ({
      accountId: m.account_id,
      email: m.email,
      displayName: m.display_name,
      role: m.role as OrganisationRole,
      disabled: m.disabled_at !== null,
      since: new Date(m.created_at),
    })),
    invitations: invitations.map((i) => ({
      email: i.email,
      role: i.role as OrganisationRole,
      expiresAt: new Date(i.expires_at),
    })),
  };
}

async function activeOrganisation(db: Db, organisationId: string) {
  if (!isUuid(organisationId)) throw notFound();
  const organisation = await store.findOrganisationById(db, organisationId);
  if (!organisation) throw notFound();
  if (organisation.status !== 'active')
    throw fail('organisation_suspended', 409, 'identity.organisation.suspended');
  return organisation;
}

/** May the actor give (or take away) this role in this organisation? */
function checkRole(actor: Actor, organisationId: string, role: OrganisationRole): void {
  const decision = authorize(actor, 'organisation.manage_members', { organisationId, targetRole: role });
  if (decision.allowed) return;
  const member =
    actor.kind === 'account' && actor.memberships.some((m) => m.organisationId === organisationId);
  if (
    member &&
    role !== 'salarie' &&
    authorize(actor, 'organisation.manage_members', { organisationId }).allowed
  )
    throw forbidden('identity.members.mandataire_only');
  check(actor, 'organisation.manage_members', { organisationId, targetRole: role });
}

/** Invites someone by mail to join with a role; the link creates their account or adds the membership. */
export async function inviteMember(
  deps: IdentityDeps,
  actor: AccountActor,
  organisationId: string,
  input: { email: string; role: string },
  locale: Locale,
): Promise<InvitationView> {
  const organisation = await activeOrganisation(deps.db, organisationId);
  const errors: FieldErrors = {};
  const email = normaliseEmail(input.email);
  if (!email) errors.email = 'identity.field.required';
  else if (!isValidEmail(email)) errors.email = 'identity.field.email_format';
  if (!isOrganisationRole(input.role)) errors.role = 'identity.field.role';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const role = input.role as OrganisationRole;
  checkRole(actor, organisationId, role);
  const members = await store.membersOf(deps.db, organisationId);
  if (members.some((m) => m.email.toLowerCase() === email))
    throw validationFailed({ email: 'identity.field.already_member' });

  const { token, id } = mailToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await deps.db.transaction().execute(async (trx) => {
    await store.retireInvitations(trx, organisationId, email);
    await store.insertEmailToken(trx, {
      id,
      purpose: 'invitation',
      email,
      organisationId,
      role,
      createdBy: actor.accountId,
      expiresAt,
    });
    const t = translator(identityMessages, locale);
    await sendMail(trx, deps.config, locale, email, 'invitation', {
      inviter: actor.displayName,
      organisation: organisation.legal_name,
      role: t(`role.${role}`),
      link: link(deps.config, '/invitation', token),
      days: INVITATION_DAYS,
    });
    await audit(trx, actor, 'organisation.member_invited', organisationSubject(organisationId), {
      email,
      role,
    });
  });
  return { email, role, expiresAt };
}

export interface InvitationDetails {
  email: string;
  role: OrganisationRole;
  organisationId: string;
  organisationName: string;
  /** An account already uses the invited address: it must sign in to accept. */
  accountExists: boolean;
}

export async function getInvitation(
  deps: IdentityDeps,
  token: string,
): Promise<InvitationDetails | undefined> {
  if (!token) return undefined;
  const row = await store.findLiveEmailToken(deps.db, sha256(token), 'invitation');
  if (!row?.organisation_id || !isOrganisationRole(row.role)) return undefined;
  const organisation = await store.findOrganisationById(deps.db, row.organisation_id);
  if (organisation?.status !== 'active') return undefined;
  const account = await store.findAccountByEmail(deps.db, row.email);
  return {
    email: row.email,
    role: row.role,
    organisationId: organisation.id,
    organisationName: organisation.legal_name,
    accountExists: account !== undefined,
  };
}

/**
 * Accepts an invitation: a new person gives their name and a password (the mail proved the address); a
 * person who has an account accepts while signed in to it.
 */
export async function acceptInvitation(
  deps: IdentityDeps,
  actor: Actor,
  input: { token: string; displayName?: string; password?: string; locale?: Locale },
): Promise<{ organisationId: string; accountId: string; created: boolean }> {
  const details = await getInvitation(deps, input.token);
  if (!details) throw invalidToken();
  const id = sha256(input.token);
  const existing = await store.findAccountByEmail(deps.db, details.email);
  if (existing) {
    if (actor.kind !== 'account' || actor.accountId !== existing.id)
      throw fail('sign_in_required', 403, 'identity.invitation.sign_in_first', { email: details.email });
    await deps.db.transaction().execute(async (trx) => {
      if (!(await store.consumeEmailToken(trx, id))) throw invalidToken();
      const added = await store.insertMembership(trx, details.organisationId, existing.id, details.role);
      if (added) {
        await audit(
          trx,
          actor,
          'organisation.invitation_accepted',
          organisationSubject(details.organisationId),
          {
            accountId: existing.id,
            role: details.role,
          },
        );
      }
    });
    return { organisationId: details.organisationId, accountId: existing.id, created: false };
  }

  const errors: FieldErrors = {};
  const nameProblem = textProblem(input.displayName ?? '');
  if (nameProblem) errors.displayName = nameProblem;
  const problem = passwordProblem(input.password ?? '');
  if (problem) errors.password = problem;
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const passwordHash = await hashPassword(input.password as string);
  const accountId = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await store.consumeEmailToken(trx, id))) throw invalidToken();
      await store.insertAccount(trx, {
        id: accountId,
        email: details.email,
        displayName: (input.displayName as string).trim(),
        passwordHash,
        locale: input.locale ?? 'fr',
        emailVerifiedAt: new Date(),
      });
      await store.insertMembership(trx, details.organisationId, accountId, details.role);
      const who: AuditActor = { type: 'account', id: accountId };
      await audit(trx, who, 'account.registered', accountSubject(accountId), {
        organisationId: details.organisationId,
        role: details.role,
        invited: true,
      });
      await audit(trx, who, 'organisation.invitation_accepted', organisationSubject(details.organisationId), {
        accountId,
        role: details.role,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalidToken();
    throw error;
  }
  return { organisationId: details.organisationId, accountId, created: true };
}

/** Changes a member's role. Only a mandataire touches the mandataire and representant roles; one mandataire stays. */
export async function changeMemberRole(
  deps: IdentityDeps,
  actor: AccountActor,
  organisationId: string,
  accountId: string,
  roleInput: string,
): Promise<void> {
  await activeOrganisation(deps.db, organisationId);
  if (!isOrganisationRole(roleInput)) throw validationFailed({ role: 'identity.field.role' });
  const role = roleInput;
  if (!isUuid(accountId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    const members = (await store.lockMemberships(trx, organisationId)).map((m) => ({
      accountId: m.account_id,
      role: m.role as OrganisationRole,
    }));
    const target = members.find((m) => m.accountId === accountId);
    if (!target) throw notFound('identity.members.not_found');
    checkRole(actor, organisationId, target.role);
    checkRole(actor, organisationId, role);
    if (target.role === role) return;
    if (!keepsAMandataire(members, accountId, role))
      throw fail('last_mandataire', 409, 'identity.members.last_mandataire');
    await store.updateMembershipRole(trx, organisationId, accountId, role);
    await audit(trx, actor, 'organisation.member_role_changed', organisationSubject(organisationId), {
      accountId,
      from: target.role,
      to: role,
    });
  });
}

/** Removes a member (and revokes their API tokens for this organisation). One mandataire stays. */
export async function removeMember(
  deps: IdentityDeps,
  actor: AccountActor,
  organisationId: string,
  accountId: string,
): Promise<void> {
  await activeOrganisation(deps.db, organisationId);
  if (!isUuid(accountId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    const members = (await store.lockMemberships(trx, organisationId)).map((m) => ({
      accountId: m.account_id,
      role: m.role as OrganisationRole,
    }));
    const target = members.find((m) => m.accountId === accountId);
    if (!target) throw notFound('identity.members.not_found');
    checkRole(actor, organisationId, target.role);
    if (!keepsAMandataire(members, accountId, undefined))
      throw fail('last_mandataire', 409, 'identity.members.last_mandataire');
    await store.deleteMembership(trx, organisationId, accountId);
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('account_id', '=', accountId)
      .where('organisation_id', '=', organisationId)
      .where('revoked_at', 'is', null)
      .execute();
    await audit(trx, actor, 'organisation.member_removed', organisationSubject(organisationId), {
      accountId,
      role: target.role,
    });
  });
}

// ── admin console ───────────────────────────────────────────────────────────

export interface PersonView {
  id: string;
  email: string;
  displayName: string;
  staffRoles: StaffRole[];
  memberships: Array<{ organisationId: string; organisationName: string; role: OrganisationRole }>;
  emailVerified: boolean;
  totpEnabled: boolean;
  lockedUntil: Date | null;
  disabled: boolean;
  createdAt: Date;
}

async function peopleViews(
  db: Db,
  rows: Awaited<ReturnType<typeof store.searchAccounts>>,
): Promise<PersonView[]> {
  const ids = rows.map((r) => r.id);
  const [staff, memberships] = await Promise.all([
    store.staffRolesOfAccounts(db, ids),
    store.membershipsOfAccounts(db, ids),
  ]);
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    staffRoles: staff.filter((s) => s.account_id === r.id).map((s) => s.role),
    memberships: memberships
      .filter((m) => m.account_id === r.id)
      .map((m) => ({
        organisationId: m.organisation_id,
        organisationName: m.legal_name,
        role: m.role as OrganisationRole,
      })),
    emailVerified: r.email_verified_at !== null,
    totpEnabled: r.totp_enabled_at !== null,
    lockedUntil: isLocked(r.locked_until, now) ? new Date(r.locked_until as Date) : null,
    disabled: r.disabled_at !== null,
    createdAt: new Date(r.created_at),
  }));
}

/** People whose address contains the search text (the first 50 by address when it is empty). */
export async function searchPeople(
  deps: IdentityDeps,
  actor: Actor,
  email: string | undefined,
): Promise<PersonView[]> {
  check(actor, 'admin.console');
  const search = email && !hasControlCharacters(email) ? email.slice(0, 254) : undefined;
  return peopleViews(deps.db, await store.searchAccounts(deps.db, { email: search }));
}

export async function getPerson(deps: IdentityDeps, actor: Actor, accountId: string): Promise<PersonView> {
  check(actor, 'admin.console');
  if (!isUuid(accountId)) throw notFound();
  const [person] = await peopleViews(deps.db, await store.searchAccounts(deps.db, { id: accountId }));
  if (!person) throw notFound();
  return person;
}

/** The latest audit events about a person, for the console. */
export async function personHistory(
  deps: IdentityDeps,
  actor: Actor,
  accountId: string,
  limit = 30,
): Promise<AuditEventView[]> {
  check(actor, 'admin.console');
  if (!isUuid(accountId)) throw notFound();
  return listAuditEvents(deps.db, { subjectType: 'account', subjectId: accountId, limit });
}

async function adminAccount(trx: Db, accountId: string) {
  if (!isUuid(accountId)) throw notFound();
  const account = await store.lockAccount(trx, accountId);
  if (!account) throw notFound();
  return account;
}

export async function grantStaffRole(
  deps: IdentityDeps,
  actor: AccountActor,
  accountId: string,
  role: string,
): Promise<void> {
  check(actor, 'admin.console');
  if (!isStaffRole(role)) throw validationFailed({ role: 'identity.field.role' });
  await deps.db.transaction().execute(async (trx) => {
    await adminAccount(trx, accountId);
    if (await store.insertStaffRole(trx, accountId, role))
      await audit(trx, actor, 'account.staff_role_granted', accountSubject(accountId), { role });
  });
}

export async function removeStaffRole(
  deps: IdentityDeps,
  actor: AccountActor,
  accountId: string,
  role: string,
): Promise<void> {
  check(actor, 'admin.console');
  if (!isStaffRole(role)) throw validationFailed({ role: 'identity.field.role' });
  await deps.db.transaction().execute(async (trx) => {
    const account = await adminAccount(trx, accountId);
    if (role === 'admin' && !account.disabled_at && (await store.countActiveAdmins(trx)) <= 1) {
      const roles = await store.rolesOf(trx, accountId);
      if (roles.staffRoles.includes('admin')) throw fail('last_admin', 409, 'identity.admin.last_admin');
    }
    if (await store.deleteStaffRole(trx, accountId, role))
      await audit(trx, actor, 'account.staff_role_removed', accountSubject(accountId), { role });
  });
}

export async function unlockAccount(
  deps: IdentityDeps,
  actor: AccountActor,
  accountId: string,
): Promise<void> {
  check(actor, 'admin.console');
  await deps.db.transaction().execute(async (trx) => {
    const account = await adminAccount(trx, accountId);
    if (!account.locked_until && account.failed_sign_ins === 0) return;
    await store.updateAccount(trx, accountId, { locked_until: null, failed_sign_ins: 0 });
    await audit(trx, actor, 'account.unlocked', accountSubject(accountId));
  });
}

/** Disables (all sessions end, tokens stop working) or re-enables an account. */
export async function setAccountDisabled(
  deps: IdentityDeps,
  actor: AccountActor,
  accountId: string,
  disabled: boolean,
): Promise<void> {
  check(actor, 'admin.console');
  if (disabled && accountId === actor.accountId) throw fail('self', 409, 'identity.admin.not_self');
  await deps.db.transaction().execute(async (trx) => {
    const account = await adminAccount(trx, accountId);
    if ((account.disabled_at !== null) === disabled) return;
    if (disabled) {
      const roles = await store.rolesOf(trx, accountId);
      if (roles.staffRoles.includes('admin') && (await store.countActiveAdmins(trx)) <= 1)
        throw fail('last_admin', 409, 'identity.admin.last_admin');
      await store.deleteAccountSessions(trx, accountId);
    }
    await store.updateAccount(trx, accountId, { disabled_at: disabled ? new Date() : null });
    await audit(trx, actor, disabled ? 'account.disabled' : 'account.enabled', accountSubject(accountId));
  });
}

export interface OrganisationSummary {
  id: string;
  legalName: string;
  siren: string;
  status: 'active' | 'suspended';
  memberCount: number;
  createdAt: Date;
}

export async function searchOrganisationsForAdmin(
  deps: IdentityDeps,
  actor: Actor,
  search: string | undefined,
): Promise<OrganisationSummary[]> {
  check(actor, 'admin.console');
  const text = search && !hasControlCharacters(search) ? search.trim().slice(0, 200) : undefined;
  const rows = await store.searchOrganisations(deps.db, text || undefined);
  return rows.map((r) => ({
    id: r.id,
    legalName: r.legal_name,
    siren: r.siren,
    status: r.status,
    memberCount: Number(r.member_count ?? 0),
    createdAt: new Date(r.created_at),
  }));
}

/** Suspends an organisation (its API tokens stop, its members cannot be changed) or reactivates it. */
export async function setOrganisationStatus(
  deps: IdentityDeps,
  actor: AccountActor,
  organisationId: string,
  status: 'active' | 'suspended',
): Promise<void> {
  check(actor, 'admin.console');
  if (!isUuid(organisationId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await store.findOrganisationById(trx, organisationId))) throw notFound();
    if (await store.setOrganisationStatus(trx, organisationId, status)) {
      await audit(
        trx,
        actor,
        status === 'suspended' ? 'organisation.suspended' : 'organisation.reactivated',
        organisationSubject(organisationId),
      );
    }
  });
}

// ── accounts made by the operator (CLI, demo seed) ──────────────────────────

export interface NewAccountInput {
  email: string;
  displayName: string;
  /** Without one, a mail invites the person to choose theirs (the link is also returned). */
  password?: string;
  staffRoles?: StaffRole[];
  /** An existing organisation to join, or a new one to create (the person is its mandataire by default). */
  organisation?:
    | { id: string; role?: OrganisationRole }
    | {
        legalName: string;
        siren: string;
        address: string;
        legalRepresentative: string;
        role?: OrganisationRole;
      };
  locale?: Locale;
}

export interface NewAccount {
  accountId: string;
  organisationId?: string;
  /** When no password was given: the link to choose one (valid 72 hours), also mailed. */
  setPasswordLink?: string;
}

/** Password-setting links for accounts made by the operator last longer than reset links. */
const WELCOME_LINK_MINUTES = 72 * 60;

/**
 * Creates a staff or publisher account with a verified address, as the operator (`mesref user create`, the
 * demo seed). Throws an AppError with field problems on bad input or an address or SIREN already in use.
 */
export async function createStaffOrPublisherAccount(
  deps: { db: Db; config: Config },
  input: NewAccountInput,
): Promise<NewAccount> {
  const errors: FieldErrors = {};
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) errors.email = 'identity.field.email_format';
  const nameProblem = textProblem(input.displayName);
  if (nameProblem) errors.displayName = nameProblem;
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) errors.password = problem;
  }
  for (const role of input.staffRoles ?? [])
    if (!isStaffRole(role)) errors.staffRoles = 'identity.field.role';
  const org = input.organisation;
  if (org?.role !== undefined && !isOrganisationRole(org.role))
    errors.organisationRole = 'identity.field.role';
  let newOrganisation:
    | { legalName: string; siren: string; address: string; legalRepresentative: string }
    | undefined;
  if (org && 'id' in org) {
    if (!isUuid(org.id) || !(await store.findOrganisationById(deps.db, org.id)))
      errors.organisation = 'identity.field.organisation';
  } else if (org) {
    const orgErrors = validateRegistration({
      ...org,
      displayName: input.displayName,
      email,
      password: 'x'.repeat(12),
    });
    for (const key of ['legalName', 'siren', 'address', 'legalRepresentative'] as const)
      if (orgErrors[key]) errors[key] = orgErrors[key];
    newOrganisation = { ...org, siren: normaliseSiren(org.siren) };
  }
  if (Object.keys(errors).length === 0) {
    Object.assign(errors, await takenFields(deps.db, newOrganisation?.siren ?? '', email));
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);

  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const accountId = newId();
  const organisationId = org ? ('id' in org ? org.id : newId()) : undefined;
  const role: OrganisationRole = org?.role ?? (org && 'id' in org ? 'salarie' : 'mandataire');
  const locale = input.locale ?? 'fr';
  const system: AuditActor = { type: 'system' };
  let setPasswordLink: string | undefined;
  await deps.db.transaction().execute(async (trx) => {
    if (newOrganisation && organisationId) {
      await store.insertOrganisation(trx, { id: organisationId, ...newOrganisation });
      await audit(trx, system, 'organisation.registered', organisationSubject(organisationId), {
        legalName: newOrganisation.legalName,
        siren: newOrganisation.siren,
      });
    }
    const displayName = input.displayName.trim();
    await store.insertAccount(trx, {
      id: accountId,
      email,
      displayName,
      passwordHash,
      locale,
      emailVerifiedAt: new Date(),
    });
    for (const staffRole of new Set(input.staffRoles ?? []))
      await store.insertStaffRole(trx, accountId, staffRole);
    if (organisationId) await store.insertMembership(trx, organisationId, accountId, role);
    await audit(trx, system, 'account.created', accountSubject(accountId), {
      staffRoles: input.staffRoles ?? [],
      ...(organisationId ? { organisationId, role } : {}),
    });
    if (!passwordHash) {
      setPasswordLink = await issueResetToken(
        deps.config,
        trx,
        { id: accountId, email, display_name: displayName, locale },
        WELCOME_LINK_MINUTES,
        'welcome',
      );
    }
  });
  return { accountId, organisationId, setPasswordLink };
}

// ── who to notify (for the notification module) ─────────────────────────────

/** Whose notifications an account group is: some accounts, an organisation's members, a staff role. */
export type NotificationAccountGroup =
  | { accountIds: string[] }
  | { organisationId: string; roles?: OrganisationRole[] }
  | { staffRole: StaffRole };

export interface NotificationAccount {
  accountId: string;
  email: string;
  locale: Locale;
}

/**
 * The enabled accounts of a group, with the address and language their mail goes out in. A disabled
 * account is notified of nothing; an id that is not a UUID is nobody (and never reaches the database, so
 * it cannot break the caller's transaction).
 */
export async function accountsForNotification(
  db: Db,
  group: NotificationAccountGroup,
): Promise<NotificationAccount[]> {
  let checked: NotificationAccountGroup;
  if ('accountIds' in group) checked = { accountIds: group.accountIds.filter(isUuid) };
  else if ('organisationId' in group) {
    if (!isUuid(group.organisationId)) return [];
    checked = { organisationId: group.organisationId, roles: group.roles?.filter(isOrganisationRole) };
  } else {
    if (!isStaffRole(group.staffRole)) return [];
    checked = group;
  }
  const rows = await store.accountsToNotify(db, checked);
  return rows.map((r) => ({ accountId: r.id, email: r.email, locale: r.locale }));
}

/** Which of these citizens exist (an id that is not a UUID is nobody). */
export function citizensForNotification(db: Db, citizenIds: string[]): Promise<string[]> {
  return store.existingCitizenIds(db, citizenIds.filter(isUuid));
}
