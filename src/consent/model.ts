/**
 * Citizens' consents (accord exprès) as pure rules: what a service may be offered, how scopes name a data
 * category and an action, and the one decision every data access asks: (service, citizen's pairing, consents,
 * finalité, data category, action, time) → permit, or deny with the reason. No I/O: the service module reads
 * the facts fresh from the database on every call and asks `decide`.
 *
 * Grant granularity (as the MES application structures it): service × finalité × data category × action. The
 * citizen decides per finalité; the categories and actions a finalité covers are what the service's
 * convention allows and the service asked for (its scopes).
 */

export const consentActions = ['read', 'write'] as const;
export type ConsentAction = (typeof consentActions)[number];

export type ConsentStatus = 'active' | 'withdrawn';

/** One grant: a finalité, a data category, an action. */
export interface ConsentGrant {
  finalite: string;
  category: string;
  action: ConsentAction;
  status: ConsentStatus;
  grantedAt: Date;
  withdrawnAt: Date | null;
  /** The citizen who decided: the holder, or a guardian for a minor. */
  grantedBy: string;
}

/** What the decision needs to know of the service. */
export interface ServiceFacts {
  oid: string;
  /** The catalogue status of its referencing (`EN_LIGNE`, `SUSPENDUE`...), null before publication. */
  catalogueStatus: string | null;
  /** The service's version as the catalogue publishes it now. */
  version: string;
}

/** What the decision needs to know of the citizen's pairing with the service. */
export interface PairingFacts {
  citizenId: string;
  status: 'active' | 'unpaired';
  /** The service version the consents were last approved for. */
  acknowledgedVersion: string;
  /** The citizen's 18th birthday (`YYYY-MM-DD`), when known: the consents a guardian gave end there. */
  majorityDate: string | null;
}

export type DenyReason =
  | 'not_paired' // no pairing of this citizen with this service
  | 'unpaired' // the citizen unpaired (désynchronisé) the service
  | 'service_suspended' // catalogue status SUSPENDUE: no data, whatever the consents
  | 'service_unavailable' // not published, offline or dereferenced
  | 'reapproval_version' // a new version was published: the consents wait for the citizen's re-approval
  | 'reapproval_majority' // the citizen came of age: the consents a guardian gave wait for their approval
  | 'no_consent'; // no active consent covers the finalité, category and action

export type Decision = { permit: true; finalites: string[] } | { permit: false; reason: DenyReason };

export interface AccessRequest {
  /** When the caller names the finalité it acts for; otherwise any finalité the citizen consented to. */
  finalite?: string;
  category: string;
  action: ConsentAction;
}

/** Catalogue statuses under which a paired service may exchange data. */
const exchanging = new Set(['EN_LIGNE', 'PRESERIE']);

/**
 * The one decision of every data access. Permits only when the service may exchange data, the pairing is
 * active and acknowledged for the current version (and, for a guardian's consents, the citizen is still a
 * minor), and an active consent covers exactly the category and action (and the finalité, when named).
 */
export function decide(
  service: ServiceFacts,
  pairing: PairingFacts | undefined,
  consents: readonly ConsentGrant[],
  request: AccessRequest,
  now: Date,
): Decision {
  if (service.catalogueStatus === 'SUSPENDUE') return { permit: false, reason: 'service_suspended' };
  if (!exchanging.has(service.catalogueStatus ?? '')) return { permit: false, reason: 'service_unavailable' };
  if (!pairing) return { permit: false, reason: 'not_paired' };
  if (pairing.status !== 'active') return { permit: false, reason: 'unpaired' };
  if (pairing.acknowledgedVersion !== service.version) return { permit: false, reason: 'reapproval_version' };
  const adult = pairing.majorityDate !== null && isoDayOf(now) >= pairing.majorityDate;
  const finalites: string[] = [];
  let guardianOnly = false;
  for (const c of consents) {
    if (c.status !== 'active' || c.category !== request.category || c.action !== request.action) continue;
    if (request.finalite !== undefined && c.finalite !== request.finalite) continue;
    if (c.grantedAt.getTime() > now.getTime()) continue;
    if (adult && c.grantedBy !== pairing.citizenId) {
      guardianOnly = true;
      continue;
    }
    if (!finalites.includes(c.finalite)) finalites.push(c.finalite);
  }
  if (finalites.length > 0) return { permit: true, finalites };
  return { permit: false, reason: guardianOnly ? 'reapproval_majority' : 'no_consent' };
}

/** Whether the pairing waits for the citizen's re-approval, and why (null: it does not). */
export function reapprovalNeeded(
  service: ServiceFacts,
  pairing: PairingFacts,
  consents: readonly ConsentGrant[],
  now: Date,
): 'version' | 'majority' | null {
  if (pairing.status !== 'active') return null;
  if (pairing.acknowledgedVersion !== service.version) return 'version';
  const adult = pairing.majorityDate !== null && isoDayOf(now) >= pairing.majorityDate;
  if (adult && consents.some((c) => c.status === 'active' && c.grantedBy !== pairing.citizenId))
    return 'majority';
  return null;
}

// ── scopes ──────────────────────────────────────────────────────────────────

/** The OAuth2 scope of a data category and an action: `poids.read`, `documents.write`. */
export const scopeOf = (category: string, action: ConsentAction): string => `${category}.${action}`;

/** A data scope's category and action; undefined for any other scope (`openid`, `offline_access`...). */
export function parseScope(scope: string): { category: string; action: ConsentAction } | undefined {
  const dot = scope.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const action = scope.slice(dot + 1);
  if (action !== 'read' && action !== 'write') return undefined;
  return { category: scope.slice(0, dot), action };
}

// ── what a service may ask ──────────────────────────────────────────────────

/** What the service's convention allows: finalités, and per data category whether it reads and/or writes. */
export interface ConventionAllowance {
  finalites: readonly string[];
  categories: ReadonlyArray<{ code: string; read: boolean; write: boolean }>;
}

export interface Exchange {
  category: string;
  action: ConsentAction;
}

/** What the citizen is asked: per finalité, the exchanges it covers. */
export interface ConsentOffer {
  finalites: Array<{ code: string; exchanges: Exchange[] }>;
}

/**
 * The offer of a consent page: the convention's finalités, each covering the exchanges the convention allows
 * and the service asked for (its data scopes; all that is allowed when it named none). Nothing outside the
 * convention is ever offered.
 */
export function offerOf(convention: ConventionAllowance, requestedScopes?: readonly string[]): ConsentOffer {
  const asked = requestedScopes?.map(parseScope).filter((s): s is Exchange => s !== undefined);
  const exchanges: Exchange[] = [];
  for (const c of convention.categories) {
    for (const action of consentActions) {
      if (!(action === 'read' ? c.read : c.write)) continue;
      if (asked && asked.length > 0 && !asked.some((a) => a.category === c.code && a.action === action))
        continue;
      exchanges.push({ category: c.code, action });
    }
  }
  if (exchanges.length === 0) return { finalites: [] };
  return { finalites: convention.finalites.map((code) => ({ code, exchanges: [...exchanges] })) };
}

/** The grants that ticking `chosen` finalités of an offer makes (finalités not offered are ignored). */
export function grantsOf(
  offer: ConsentOffer,
  chosen: readonly string[],
): Array<Exchange & { finalite: string }> {
  return offer.finalites
    .filter((f) => chosen.includes(f.code))
    .flatMap((f) => f.exchanges.map((e) => ({ finalite: f.code, ...e })));
}

/** The data scopes the chosen finalités grant (each once). */
export function scopesOf(offer: ConsentOffer, chosen: readonly string[]): string[] {
  return [...new Set(grantsOf(offer, chosen).map((g) => scopeOf(g.category, g.action)))];
}

// ── dates ───────────────────────────────────────────────────────────────────

const isoDayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** The 18th birthday of someone born on `birthdate` (`YYYY-MM-DD`); a 29 February birth comes of age on 1 March. */
export function majorityDate(birthdate: string | null): string | null {
  if (!birthdate || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) return null;
  const [y, m, d] = birthdate.split('-').map(Number);
  const date = new Date(Date.UTC(y + 18, m - 1, d));
  // Date.UTC rolls 29 February over to 1 March in a common year.
  return isoDayOf(date);
}
