/**
 * Use cases of pairings and consents: pairing a service (from the authorization server's consent page),
 * changing, withdrawing or re-approving consents, unpairing, the decision of every data access, its record,
 * and the activity history. Rights: a citizen manages their own space, and a guardian the space of a minor in
 * their care until the minor's majority date. Every change is one transaction that names the row version it
 * read (a stale one gets 409 with the pairing as it stands), writes its audit event with the citizen as
 * subject (service, finalités, categories: never health data), and revokes the service's tokens when no
 * consent is left or the service is unpaired. The decision reads everything fresh from the database on
 * every call: no cache can outlive a withdrawal.
 */
import type { RawBuilder } from 'kysely';
import { type AuditEventInput, appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/index.ts';
import type { Notifier } from '../notification/model.ts';
import { revokeAccountGrants } from '../oauth/grants.ts';
import { newId, randomToken, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import {
  type AccessRequest,
  type ConsentAction,
  type ConsentGrant,
  type ConsentOffer,
  type ConsentStatus,
  type ConventionAllowance,
  type Decision,
  decide,
  grantsOf,
  majorityDate,
  offerOf,
  type PairingFacts,
  parseScope,
  reapprovalNeeded,
  type ServiceFacts,
  scopeOf,
  scopesOf,
} from './model.ts';
import * as store from './store.ts';

export interface ConsentDeps {
  db: Db;
  notifier?: Notifier;
  /** The clock (tests move it). */
  now?: () => Date;
}

const nowOf = (deps: ConsentDeps) => (deps.now ? deps.now() : new Date());
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ── views ───────────────────────────────────────────────────────────────────

/** What the consent page and the pairing need to know of a published service with data exchange. */
export interface ConsentServiceView {
  oid: string;
  /** Null for the test service of a connection-test session (sandbox). */
  dossierId: string | null;
  productId: string;
  name: string;
  organisationName: string;
  logoUrl: string | null;
  catalogueStatus: string | null;
  /** The version the catalogue publishes now: consents are approved for it. */
  version: string;
  /** What its convention allows (empty when it exchanges no data). */
  convention: ConventionAllowance;
  /** The R.1111-39 information text the citizen is shown when asked for consent. */
  consentText: string;
  cguUrl: string | null;
  privacyUrl: string | null;
  /** Whether the service exchanges data with Mon espace santé (typology and convention). */
  exchangesData: boolean;
}

export interface ConsentView {
  finalite: string;
  category: string;
  action: ConsentAction;
  status: ConsentStatus;
  grantedAt: Date;
  withdrawnAt: Date | null;
  grantedBy: string;
}

export interface PairingView {
  id: string;
  citizenId: string;
  serviceOid: string;
  serviceName: string;
  organisationName: string;
  idPe: string;
  serviceUserId: string | null;
  status: 'active' | 'unpaired';
  pairedAt: Date;
  unpairedAt: Date | null;
  pairedBy: string;
  acknowledgedVersion: string;
  currentVersion: string;
  /** Why the consents wait for the citizen's approval, if they do. */
  needsReapproval: 'version' | 'majority' | null;
  catalogueStatus: string | null;
  /** What the citizen may consent to: the convention's finalités, each with what the service asked. */
  offer: ConsentOffer;
  consents: ConsentView[];
  rowVersion: number;
}

export interface ManagedCitizen {
  id: string;
  name: string;
  self: boolean;
  majorityDate: string | null;
}

export type ActivityKind = 'paired' | 'changed' | 'withdrawn' | 'reapproved' | 'unpaired' | 'access';

export interface ActivityItem {
  at: Date;
  serviceName: string;
  serviceOid: string;
  kind: ActivityKind;
  /** Who acted: the citizen, a guardian, or the service (data access). */
  by: 'self' | 'guardian' | 'service';
  finalites?: string[];
  category?: string;
  action?: ConsentAction;
  outcome?: 'permit' | 'deny';
  reason?: string;
  operation?: string;
}

/** A change based on a version of the pairing that is no longer current: `current` is the pairing as it stands. */
export class PairingConflict extends AppError {
  readonly current: PairingView;
  constructor(current: PairingView) {
    super('conflict', 409, 'consent.error.conflict', { version: current.rowVersion });
    this.current = current;
  }
}

// ── facts to views ──────────────────────────────────────────────────────────

function conventionOf(convention: Record<string, unknown> | null): ConventionAllowance {
  if (!convention) return { finalites: [], categories: [] };
  const finalites = Array.isArray(convention.finalites)
    ? convention.finalites.filter((f): f is string => typeof f === 'string')
    : [];
  const categories = Array.isArray(convention.categories)
    ? (convention.categories as Array<Record<string, unknown>>)
        .filter((c) => c && typeof c.code === 'string')
        .map((c) => ({ code: c.code as string, read: c.read === true, write: c.write === true }))
    : [];
  return { finalites, categories };
}

function serviceFactsOf(oid: string, catalogueStatus: string | null, version: string | null): ServiceFacts {
  return { oid, catalogueStatus, version: version ?? '' };
}

function pairingFactsOf(p: store.PairingFullRow): PairingFacts {
  return {
    citizenId: p.citizenId,
    status: p.status,
    acknowledgedVersion: p.acknowledgedVersion,
    majorityDate: majorityDate(p.birthdate),
  };
}

function viewOf(p: store.PairingFullRow, now: Date): PairingView {
  const service = serviceFactsOf(p.serviceOid, p.catalogueStatus, p.currentVersion);
  return {
    id: p.id,
    citizenId: p.citizenId,
    serviceOid: p.serviceOid,
    serviceName: p.serviceName ?? p.serviceOid,
    organisationName: p.organisationName ?? '',
    idPe: p.idPe,
    serviceUserId: p.serviceUserId,
    status: p.status,
    pairedAt: p.pairedAt,
    unpairedAt: p.unpairedAt,
    pairedBy: p.pairedBy,
    acknowledgedVersion: p.acknowledgedVersion,
    currentVersion: service.version,
    needsReapproval: reapprovalNeeded(service, pairingFactsOf(p), p.consents, now),
    catalogueStatus: p.catalogueStatus,
    offer: offerOf(conventionOf(p.convention), p.scopes),
    consents: p.consents.map((c) => ({ ...c })),
    rowVersion: p.rowVersion,
  };
}

// ── rights ──────────────────────────────────────────────────────────────────

/** Whether the actor manages this citizen's space: their own, or a minor's in their care before majority. */
async function manages(db: Db, actor: Actor, citizenId: string, now: Date): Promise<boolean> {
  if (actor.kind !== 'citizen' || !UUID.test(citizenId)) return false;
  if (actor.citizenId === citizenId) return true;
  const care = await store.guardianshipOf(db, actor.citizenId, citizenId);
  if (!care) return false;
  const majority = majorityDate(care.birthdate);
  return majority === null || isoDay(now) < majority;
}

/**
 * The people whose space the actor may open (themself, the minors in their care) and the one asked for by
 * `wanted` (themself when empty); anyone else is not found (404), as a pairing of someone else is.
 */
export async function personInCare(
  db: Db,
  actor: Actor,
  wanted: string,
): Promise<{ people: ManagedCitizen[]; selected: ManagedCitizen }> {
  const people = await managedCitizens(db, actor);
  const selected = wanted ? people.find((p) => p.id === wanted) : people.find((p) => p.self);
  if (!selected) throw notFound();
  return { people, selected };
}

/** The signed-in citizen and the minors in their care (until their majority date). */
export async function managedCitizens(db: Db, actor: Actor, now = new Date()): Promise<ManagedCitizen[]> {
  if (actor.kind !== 'citizen') return [];
  const self = await store.citizenFacts(db, actor.citizenId);
  const list: ManagedCitizen[] = [];
  if (self)
    list.push({ id: self.id, name: self.name, self: true, majorityDate: majorityDate(self.birthdate) });
  for (const minor of await store.minorsOf(db, actor.citizenId)) {
    const majority = majorityDate(minor.birthdate);
    if (majority !== null && isoDay(now) >= majority) continue;
    list.push({ id: minor.id, name: minor.name, self: false, majorityDate: majority });
  }
  return list;
}

// ── the service ─────────────────────────────────────────────────────────────

/** The published service of an OID as the consent page shows it; undefined when there is none. */
export async function serviceForConsent(db: Db, serviceOid: string): Promise<ConsentServiceView | undefined> {
  const row = await store.serviceByOid(db, serviceOid);
  if (row?.state !== 'published') return undefined;
  const exchange = (row.request.dataExchange ?? null) as Record<string, unknown> | null;
  const convention = conventionOf(row.convention);
  return {
    oid: row.oid,
    dossierId: row.dossierId,
    productId: row.productId,
    name: row.name,
    organisationName: row.organisationName,
    logoUrl: row.logoId && row.dossierId ? `/services/${row.dossierId}/images/${row.logoId}` : null,
    catalogueStatus: row.catalogueStatus,
    version: row.version,
    convention,
    consentText: typeof exchange?.consentText === 'string' ? exchange.consentText : '',
    cguUrl: row.cguUrl,
    privacyUrl: row.privacyUrl,
    exchangesData:
      row.typology === 'avec-echange' && exchange !== null && offerOf(convention).finalites.length > 0,
  };
}

// ── reading ─────────────────────────────────────────────────────────────────

/** One pairing as its citizen (or their guardian) sees it; 404 for anyone else, so existence is not revealed. */
export async function pairingView(
  db: Db,
  actor: Actor,
  pairingId: string,
  now = new Date(),
): Promise<PairingView> {
  if (!UUID.test(pairingId)) throw notFound('consent.error.not_found');
  const [row] = await store.fullPairings(db, { id: pairingId });
  if (!row || !(await manages(db, actor, row.citizenId, now))) throw notFound('consent.error.not_found');
  return viewOf(row, now);
}

/** The pairings of a citizen the actor manages (latest first); 404 for a citizen they do not. */
export async function pairingsOf(
  db: Db,
  actor: Actor,
  citizenId: string,
  now = new Date(),
): Promise<PairingView[]> {
  if (!(await manages(db, actor, citizenId, now))) throw notFound('consent.error.not_found');
  return (await store.fullPairings(db, { citizenId })).map((r) => viewOf(r, now));
}

/** The pairing of an idPe, for the authorization server and resource servers (no rights: they hold a token). */
export async function pairingByIdPe(
  db: Db,
  idPe: string,
  now = new Date(),
): Promise<PairingView | undefined> {
  const [row] = await store.fullPairings(db, { idPe });
  return row && viewOf(row, now);
}

// ── the decision of a data access ───────────────────────────────────────────

export interface AccessQuestion extends AccessRequest {
  idPe: string;
  serviceOid: string;
}

/**
 * The consent facts of one service call, read once: the pairing of that idPe with that service (with its
 * consents) and the service's catalogue status and version. `decide` answers for any category and action on
 * them without I/O, so a call touching several categories reads the database once and still never outlives
 * a withdrawal made before it started.
 */
export interface AccessFacts {
  pairing?: PairingView;
  decide(request: AccessRequest, now?: Date): Decision;
  /** The value of the `alongside` expression, when one was asked. */
  alongside?: unknown;
  /** A digest of every fact read: `accessFactsHold` tells, inside a later statement, whether they still hold. */
  fingerprint: string;
}

export { accessFactsHold } from './store.ts';

/** The facts of `accessDecision`; `alongside`, a scalar SQL expression of the caller's, is read in the same statement. */
export async function accessFactsOf(
  db: Db,
  idPe: string,
  serviceOid: string,
  now = new Date(),
  alongside?: RawBuilder<unknown>,
): Promise<AccessFacts> {
  const facts = await store.accessFacts(db, idPe, serviceOid, alongside);
  const service = serviceFactsOf(serviceOid, facts.catalogueStatus, facts.currentVersion);
  const row = facts.pairing;
  const pairingFacts = row && pairingFactsOf(row);
  const consents = row?.consents ?? [];
  return {
    ...(row ? { pairing: viewOf(row, now) } : {}),
    decide: (request, at = new Date()) => decide(service, pairingFacts, consents, request, at),
    fingerprint: facts.fingerprint,
    ...('alongside' in facts ? { alongside: facts.alongside } : {}),
  };
}

/**
 * May this service, for this idPe, do this action on this data category (for this finalité)? Reads the
 * pairing, its consents and the service's catalogue status and version in one statement on every call, then
 * asks `decide`.
 */
export async function accessDecision(
  db: Db,
  question: AccessQuestion,
  now = new Date(),
): Promise<{ decision: Decision; pairing?: PairingView }> {
  const facts = await accessFactsOf(db, question.idPe, question.serviceOid, now);
  const request: AccessRequest = { category: question.category, action: question.action };
  if (question.finalite !== undefined) request.finalite = question.finalite;
  const decision = facts.decide(request, now);
  return facts.pairing ? { decision, pairing: facts.pairing } : { decision };
}

/** A data access's audit event: on the citizen's own chain when the citizen is known, else the service's. */
export function accessEvent(access: {
  idPe: string;
  serviceOid: string;
  citizenId: string | undefined;
  category: string;
  action: ConsentAction;
  outcome: 'permit' | 'deny';
  reason?: string;
  operation: string;
}): AuditEventInput {
  const { citizenId } = access;
  return {
    actorType: 'client',
    actorId: access.serviceOid,
    action: 'data.access',
    subjectType: citizenId ? 'citizen' : 'service',
    subjectId: citizenId ?? access.serviceOid,
    data: {
      serviceOid: access.serviceOid,
      category: access.category,
      action: access.action,
      outcome: access.outcome,
      ...(access.reason && { reason: access.reason }),
      operation: access.operation,
      ...(citizenId ? {} : { idPe: access.idPe }),
    },
  };
}

// ── changes ─────────────────────────────────────────────────────────────────

const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Sets a pairing's consents to the grants of the chosen finalités: grants what is not yet granted (or was
 * granted by someone else, as a guardian before the holder's majority), withdraws what is no longer chosen,
 * and records the information text shown. Returns how many consents remain active.
 */
async function writeGrants(
  trx: Db,
  pairingId: string,
  grants: Array<store.ConsentKey>,
  by: string,
  textSha: string,
  at: Date,
): Promise<number> {
  const key = (k: store.ConsentKey) => `${k.finalite}\n${k.category}\n${k.action}`;
  const existing = new Map((await store.consentsOf(trx, pairingId)).map((c) => [key(c), c]));
  const wanted = new Set<string>();
  for (const g of grants) {
    const k = key(g);
    wanted.add(k);
    const row = existing.get(k);
    if (row?.status !== 'active' || row.grantedBy !== by) {
      await store.grantConsent(trx, pairingId, g, { at, grantedBy: by, informationTextSha256: textSha });
    } else if (row.informationTextSha256 !== textSha) {
      await store.restampConsent(trx, pairingId, g, textSha);
    }
  }
  for (const [k, row] of existing) {
    if (row.status === 'active' && !wanted.has(k)) await store.withdrawConsent(trx, pairingId, row, at);
  }
  return wanted.size;
}

const auditData = (
  serviceOid: string,
  pairingId: string,
  grants: store.ConsentKey[],
  by: 'self' | 'guardian',
) => ({
  serviceOid,
  pairingId,
  finalites: [...new Set(grants.map((g) => g.finalite))],
  categories: [...new Set(grants.map((g) => `${g.category}.${g.action}`))],
  by,
});

async function audit(
  trx: Db,
  actor: Actor,
  action: string,
  citizenId: string,
  data: Record<string, unknown>,
) {
  await appendAuditEvent(trx, {
    actorType: 'citizen',
    actorId: actor.kind === 'citizen' ? actor.citizenId : null,
    action,
    subjectType: 'citizen',
    subjectId: citizenId,
    data,
  });
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/**
 * Pairs a service with the space of `forCitizenId` (the actor's own or a minor's in their care): creates the
 * pairing, or makes the citizen's existing one active again (same idPe), grants the chosen finalités of
 * what the convention allows and the service asked (`scopes`), withdraws the rest, and acknowledges the
 * current version. 403 when the actor may not manage that space, 404 for an unknown service, 409 when it
 * does not exchange data or may not now, 422 for a finalité or a scope outside its convention.
 */
export async function pair(
  deps: ConsentDeps,
  actor: Actor,
  input: {
    serviceOid: string;
    forCitizenId: string;
    serviceUserId?: string | null;
    finalites: string[];
    scopes: string[];
  },
): Promise<{ pairingId: string; idPe: string; grantedScopes: string[] }> {
  if (!stringList(input.finalites)) throw validationFailed({ finalites: 'consent.field.finalites' });
  if (!stringList(input.scopes)) throw validationFailed({ scopes: 'consent.field.scopes' });
  if (
    input.serviceUserId != null &&
    (typeof input.serviceUserId !== 'string' || input.serviceUserId.length > 200)
  )
    throw validationFailed({ serviceUserId: 'consent.field.service_user_id' });
  const now = nowOf(deps);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if (actor.kind !== 'citizen' || !(await manages(trx, actor, input.forCitizenId, now)))
        throw forbidden('consent.error.not_yours');
      const service = await serviceForConsent(trx, input.serviceOid);
      if (!service) throw notFound('consent.error.service_unknown');
      if (!service.exchangesData) throw new AppError('conflict', 409, 'consent.error.no_exchange');
      if (service.catalogueStatus !== 'EN_LIGNE' && service.catalogueStatus !== 'PRESERIE')
        throw new AppError('conflict', 409, 'consent.error.service_unavailable');
      const allowed = offerOf(service.convention);
      const allowedScopes = new Set(
        scopesOf(
          allowed,
          allowed.finalites.map((f) => f.code),
        ),
      );
      const dataScopes = input.scopes.filter((s) => parseScope(s) !== undefined);
      if (dataScopes.some((s) => !allowedScopes.has(s)))
        throw validationFailed({ scopes: 'consent.field.scope_not_allowed' });
      const offer = offerOf(service.convention, dataScopes);
      const offered = new Set(offer.finalites.map((f) => f.code));
      if (input.finalites.length === 0) throw validationFailed({ finalites: 'consent.field.finalites' });
      if (input.finalites.some((f) => !offered.has(f)))
        throw validationFailed({ finalites: 'consent.field.finalite_not_offered' });
      const grants = grantsOf(offer, input.finalites);
      const existing = await store.lockPairingOf(trx, input.forCitizenId, service.oid);
      let pairingId: string;
      let idPe: string;
      if (!existing) {
        pairingId = newId();
        idPe = randomToken(24);
        await store.insertPairing(trx, {
          id: pairingId,
          citizenId: input.forCitizenId,
          serviceOid: service.oid,
          productId: service.productId,
          dossierId: service.dossierId,
          idPe,
          serviceUserId: input.serviceUserId ?? null,
          acknowledgedVersion: service.version,
          scopes: dataScopes,
          pairedBy: actor.citizenId,
          pairedAt: now,
        });
      } else {
        pairingId = existing.id;
        idPe = existing.idPe;
        const again = existing.status !== 'active';
        await store.updatePairing(trx, existing.id, existing.rowVersion, {
          status: 'active',
          acknowledgedVersion: service.version,
          scopes: dataScopes,
          productId: service.productId,
          dossierId: service.dossierId,
          ...(input.serviceUserId != null && { serviceUserId: input.serviceUserId }),
          ...(again && { pairedAt: now, pairedBy: actor.citizenId, unpairedAt: null }),
        });
      }
      await writeGrants(trx, pairingId, grants, actor.citizenId, sha256(service.consentText), now);
      await audit(trx, actor, 'consent.paired', input.forCitizenId, {
        ...auditData(
          service.oid,
          pairingId,
          grants,
          actor.citizenId === input.forCitizenId ? 'self' : 'guardian',
        ),
      });
      return { pairingId, idPe, grantedScopes: scopesOf(offer, input.finalites) };
    });
  } catch (error) {
    // Two pairings of the same citizen and service at once: the second finds the first's row taken.
    if (isUniqueViolation(error)) throw new AppError('conflict', 409, 'consent.error.pairing_race');
    throw error;
  }
}

/** Locks a pairing the actor manages, at the row version they read; 404 / 409 otherwise. */
async function lockForChange(trx: Db, actor: Actor, pairingId: string, rowVersion: number, now: Date) {
  if (!UUID.test(pairingId)) throw notFound('consent.error.not_found');
  const row = await store.lockPairing(trx, pairingId);
  if (!row || !(await manages(trx, actor, row.citizenId, now))) throw notFound('consent.error.not_found');
  if (row.rowVersion !== rowVersion) {
    const [full] = await store.fullPairings(trx, { id: pairingId });
    throw new PairingConflict(viewOf(full, now));
  }
  return row;
}

const checkRowVersion = (rowVersion: unknown): number => {
  if (typeof rowVersion !== 'number' || !Number.isSafeInteger(rowVersion) || rowVersion < 1)
    throw validationFailed({ rowVersion: 'consent.field.row_version' });
  return rowVersion;
};

/**
 * The citizen (or their guardian) changes the consents of a pairing to the chosen finalités: more, fewer,
 * none (withdrawal), or the same again (re-approval after a new version or at majority). Acknowledges the
 * current version. Withdrawing everything revokes the service's refresh tokens and grants.
 */
export async function setConsents(
  deps: ConsentDeps,
  actor: Actor,
  pairingId: string,
  rowVersion: number,
  finalites: string[],
): Promise<PairingView> {
  checkRowVersion(rowVersion);
  if (!stringList(finalites)) throw validationFailed({ finalites: 'consent.field.finalites' });
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, actor, pairingId, rowVersion, now);
    if (actor.kind !== 'citizen') throw notFound('consent.error.not_found');
    if (row.status !== 'active') throw new AppError('conflict', 409, 'consent.error.unpaired');
    const [before] = await store.fullPairings(trx, { id: pairingId });
    const service = await serviceForConsent(trx, row.serviceOid);
    const offer = offerOf(service?.convention ?? { finalites: [], categories: [] }, row.scopes);
    const offered = new Set(offer.finalites.map((f) => f.code));
    if (finalites.some((f) => !offered.has(f)))
      throw validationFailed({ finalites: 'consent.field.finalite_not_offered' });
    const grants = grantsOf(offer, finalites);
    const active = await writeGrants(
      trx,
      pairingId,
      grants,
      actor.citizenId,
      sha256(service?.consentText ?? ''),
      now,
    );
    if (
      !(await store.updatePairing(trx, pairingId, rowVersion, {
        acknowledgedVersion: service?.version ?? row.acknowledgedVersion,
      }))
    )
      throw new AppError('conflict', 409, 'consent.error.conflict');
    if (active === 0) await revokeAccountGrants(trx, row.idPe);
    const waiting = viewOf(before, now).needsReapproval;
    const action = active === 0 ? 'consent.withdrawn' : waiting ? 'consent.reapproved' : 'consent.changed';
    await audit(trx, actor, action, row.citizenId, {
      ...auditData(
        row.serviceOid,
        pairingId,
        grants,
        actor.citizenId === row.citizenId ? 'self' : 'guardian',
      ),
      ...(waiting && active > 0 && { reapproval: waiting }),
    });
  });
  return pairingView(deps.db, actor, pairingId, now);
}

/**
 * The citizen (or their guardian) withdraws one data category's read or write, whichever finalités granted
 * it, and keeps the rest: the service's next call for it is refused (403) while its other consents and its
 * tokens stand. Withdrawing the last active consent is a withdrawal like `setConsents` with none: the grants
 * are revoked. Nothing to withdraw changes nothing. Used by the sandbox's connection tests (« the citizen
 * withdraws consent now »), acting as the test citizen.
 */
export async function withdrawExchange(
  deps: ConsentDeps,
  actor: Actor,
  pairingId: string,
  rowVersion: number,
  exchange: { category: string; action: ConsentAction },
): Promise<PairingView> {
  checkRowVersion(rowVersion);
  if (typeof exchange.category !== 'string' || (exchange.action !== 'read' && exchange.action !== 'write'))
    throw validationFailed({ category: 'consent.field.scopes' });
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, actor, pairingId, rowVersion, now);
    if (actor.kind !== 'citizen') throw notFound('consent.error.not_found');
    if (row.status !== 'active') throw new AppError('conflict', 409, 'consent.error.unpaired');
    const active = (await store.consentsOf(trx, pairingId)).filter((c) => c.status === 'active');
    const hit = (c: store.ConsentRow) => c.category === exchange.category && c.action === exchange.action;
    const withdrawn = active.filter(hit);
    if (withdrawn.length === 0) return;
    for (const c of withdrawn) await store.withdrawConsent(trx, pairingId, c, now);
    if (!(await store.updatePairing(trx, pairingId, rowVersion, {})))
      throw new AppError('conflict', 409, 'consent.error.conflict');
    const remaining = active.filter((c) => !hit(c));
    if (remaining.length === 0) await revokeAccountGrants(trx, row.idPe);
    await audit(trx, actor, remaining.length === 0 ? 'consent.withdrawn' : 'consent.changed', row.citizenId, {
      ...auditData(
        row.serviceOid,
        pairingId,
        remaining,
        actor.citizenId === row.citizenId ? 'self' : 'guardian',
      ),
      withdrawn: [scopeOf(exchange.category, exchange.action)],
    });
  });
  return pairingView(deps.db, actor, pairingId, now);
}

/** Unpairs (désynchronise) a service: every consent withdrawn, the service's grants and tokens revoked. */
export async function unpair(
  deps: ConsentDeps,
  actor: Actor,
  pairingId: string,
  rowVersion: number,
): Promise<void> {
  checkRowVersion(rowVersion);
  const now = nowOf(deps);
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, actor, pairingId, rowVersion, now);
    if (actor.kind !== 'citizen') throw notFound('consent.error.not_found');
    if (row.status !== 'active') throw new AppError('conflict', 409, 'consent.error.unpaired');
    await writeGrants(trx, pairingId, [], actor.citizenId, '', now);
    await store.updatePairing(trx, pairingId, rowVersion, { status: 'unpaired', unpairedAt: now });
    const revoked = await revokeAccountGrants(trx, row.idPe);
    await audit(trx, actor, 'consent.unpaired', row.citizenId, {
      serviceOid: row.serviceOid,
      pairingId,
      by: actor.citizenId === row.citizenId ? 'self' : 'guardian',
      revoked,
    });
  });
}

// ── a new version of a paired service ───────────────────────────────────────

/**
 * Tells the citizens who paired a service (and the guardians of those who are minors) that a new version
 * was published and waits for their re-approval. Called by the referencing file in the transaction that
 * changes the published version. The decision itself needs no write: it compares the acknowledged version
 * with the published one on every call.
 */
export async function notifyNewVersion(
  trx: Db,
  notifier: Notifier | undefined,
  input: { serviceOid: string; version: string; serviceName?: string },
): Promise<number> {
  if (!notifier) return 0;
  const pairings = await store.activePairingsOfService(trx, input.serviceOid);
  if (pairings.length === 0) return 0;
  const holders = [...new Set(pairings.map((p) => p.citizenId))];
  const guardians = (await store.guardiansOf(trx, holders)).map((g) => g.guardianId);
  const name =
    input.serviceName ??
    (await store.serviceNames(trx, [input.serviceOid])).get(input.serviceOid) ??
    input.serviceOid;
  return notifier.notify(trx, {
    recipients: [...new Set([...holders, ...guardians])].map((citizenId) => ({ citizenId })),
    kind: 'consent.notify.reapproval',
    params: { service: name, version: input.version },
    link: '/usager/services',
    email: false,
  });
}

// ── activity ────────────────────────────────────────────────────────────────

const kindOf: Record<string, ActivityKind> = {
  'consent.paired': 'paired',
  'consent.changed': 'changed',
  'consent.withdrawn': 'withdrawn',
  'consent.reapproved': 'reapproved',
  'consent.unpaired': 'unpaired',
  'data.access': 'access',
};

/** A citizen's history, latest first: pairings, consent changes, data accesses (from the audit log). */
export async function activityOf(
  db: Db,
  actor: Actor,
  citizenId: string,
  page: { before?: Date; limit: number },
  now = new Date(),
): Promise<ActivityItem[]> {
  if (!(await manages(db, actor, citizenId, now))) throw notFound('consent.error.not_found');
  const limit = Math.min(Math.max(Math.trunc(page.limit) || 50, 1), 500);
  const rows = await store.activityRows(db, citizenId, { before: page.before, limit });
  const oids = [
    ...new Set(rows.map((r) => r.data.serviceOid).filter((o): o is string => typeof o === 'string')),
  ];
  const names = await store.serviceNames(db, oids);
  return rows.map((r): ActivityItem => {
    const oid = typeof r.data.serviceOid === 'string' ? r.data.serviceOid : '';
    const kind = kindOf[r.action] ?? 'changed';
    const item: ActivityItem = {
      at: r.at,
      serviceName: names.get(oid) ?? oid,
      serviceOid: oid,
      kind,
      by: kind === 'access' ? 'service' : r.actorId === citizenId ? 'self' : 'guardian',
    };
    if (stringList(r.data.finalites)) item.finalites = r.data.finalites;
    if (typeof r.data.category === 'string') item.category = r.data.category;
    if (r.data.action === 'read' || r.data.action === 'write') item.action = r.data.action;
    if (r.data.outcome === 'permit' || r.data.outcome === 'deny') item.outcome = r.data.outcome;
    if (typeof r.data.reason === 'string') item.reason = r.data.reason;
    if (typeof r.data.operation === 'string') item.operation = r.data.operation;
    return item;
  });
}

export type { ConsentGrant };
