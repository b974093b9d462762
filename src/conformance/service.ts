/**
 * Use cases of connection tests (tests d'accrochage), sandbox only: a publisher opens a test session for one
 * of its services (a test service OID, an OAuth client of its own, the test citizens, the plans its data
 * categories require), reads it with live verdicts, drives a test citizen's authorization headlessly,
 * triggers platform-side actions (the citizen withdraws consent, unpairs; the platform refuses the next
 * push), and closes it. Only members of the service's organisation see a session; anyone else gets 404, and
 * so does everyone in a production deployment.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { appendAuditEvent } from '../audit/index.ts';
import { type ConsentDeps, pairingsOf, setConsents, unpair, withdrawExchange } from '../consent/index.ts';
import { type Actor, organisationNames, testCitizensBySub, testIdentityNames } from '../identity/index.ts';
import {
  endpointsOf,
  fhirBaseOf,
  findServiceClient,
  oauthIssuer,
  redirectUriAllowed,
  registerServiceClient,
  setServiceClientStatus,
} from '../oauth/index.ts';
import type { Config } from '../platform/config.ts';
import { newId, randomToken } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, notFound, validationFailed } from '../platform/errors.ts';
import type { SigningKeys } from '../platform/keys.ts';
import { getProduct, mayEditProduct } from '../product/index.ts';
import type { Referentials } from '../referential/index.ts';
import {
  type ActionName,
  evaluate,
  type PlanVerdict,
  type RecordedAction,
  type RecordedCall,
  requiredPlanIds,
  type SessionFacts,
  type TestPlan,
} from './model.ts';
import * as store from './store.ts';

export interface ConformanceDeps {
  db: Db;
  config: Config;
  keys: SigningKeys;
  referentials: Referentials;
  /** The test plans (data files), loaded once. */
  plans: TestPlan[];
  /** The app itself: the headless authorization goes through the same pages a browser would. */
  inject?: (options: InjectOptions) => Promise<LightMyRequestResponse>;
  now?: () => Date;
}

/** The client ids of test sessions start with this (the recorder records no other client). */
export const SANDBOX_CLIENT_PREFIX = 'sandbox-';

/**
 * The sandbox's test citizens a session pairs (src/identity/test-identities.json): two adults with a space
 * of their own, so that each can be paired, withdrawn or unpaired without touching the other.
 */
export const SESSION_TEST_CITIZENS = ['test-marie-lefevre', 'test-karim-benali'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nowOf = (deps: ConformanceDeps) => (deps.now ? deps.now() : new Date());

export const sessionNotFound = () => notFound('conformance.error.not_found');

// ── views ───────────────────────────────────────────────────────────────────

export interface TestCitizen {
  sub: string;
  name: string;
}

export interface SessionView {
  id: string;
  organisationId: string;
  productId: string;
  productName: string;
  productVersion: string;
  siren: string;
  oid: string;
  clientId: string;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  finalites: string[];
  categories: store.SessionCategories['categories'];
  /** Ids of the plans the categories require. */
  planIds: string[];
  issuer: string;
  fhirBase: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  testCitizens: TestCitizen[];
  /** The next measures push will be answered 422 (action « refuse-next-push » pending). */
  refuseNextPush: boolean;
  /** Live verdicts of the required plans. */
  plans: PlanVerdict[];
  /** Every plan required passed. */
  passed: boolean;
  actions: RecordedAction[];
  callCount: number;
}

export interface OpenedSession extends SessionView {
  /** The client secret, shown this once (absent when the session authenticates with its JWKS). */
  clientSecret?: string;
}

const testCitizensOf = (): TestCitizen[] => {
  const names = testIdentityNames();
  return SESSION_TEST_CITIZENS.map((sub) => ({ sub, name: names.get(sub) ?? sub }));
};

/** What the plans decide on, from what the session declared. */
export function sessionFactsOf(session: store.SessionRow, referentials: Referentials): SessionFacts {
  const kinds = new Map(referentials.newest().dataCategories.map((c) => [c.code, c.kind]));
  return {
    categories: {
      finalites: session.categories.finalites,
      categories: session.categories.categories.map((c) => ({ id: c.code, read: c.read, write: c.write })),
    },
    plans: session.plans,
    measureWriteCategories: session.categories.categories
      .filter((c) => c.write && kinds.get(c.code) === 'measure')
      .map((c) => c.code),
  };
}

/** The verdicts of a session's plans on what it recorded so far. */
export function verdictsOf(
  deps: Pick<ConformanceDeps, 'plans' | 'referentials'>,
  session: store.SessionRow,
  calls: RecordedCall[],
  actions: RecordedAction[],
): PlanVerdict[] {
  return evaluate(deps.plans, sessionFactsOf(session, deps.referentials), calls, actions);
}

async function viewOf(deps: ConformanceDeps, session: store.SessionRow): Promise<SessionView> {
  const [calls, actions, client] = await Promise.all([
    store.callsOf(deps.db, session.id),
    store.actionsOf(deps.db, session.id),
    findServiceClient(deps.db, session.clientId),
  ]);
  const plans = verdictsOf(deps, session, calls, actions);
  const issuer = oauthIssuer(deps.config);
  const endpoints = endpointsOf(issuer);
  return {
    id: session.id,
    organisationId: session.organisationId,
    productId: session.productId,
    productName: session.productName,
    productVersion: session.productVersion,
    siren: session.siren,
    oid: session.oid,
    clientId: session.clientId,
    status: session.status,
    createdAt: session.createdAt.toISOString(),
    closedAt: session.closedAt?.toISOString() ?? null,
    finalites: session.categories.finalites,
    categories: session.categories.categories,
    planIds: session.plans,
    issuer,
    fhirBase: fhirBaseOf(deps.config),
    authorizationEndpoint: endpoints.authorization_endpoint,
    tokenEndpoint: endpoints.token_endpoint,
    redirectUris: client?.redirectUris ?? [],
    tokenEndpointAuthMethod: client?.tokenEndpointAuthMethod ?? 'private_key_jwt',
    testCitizens: testCitizensOf(),
    refuseNextPush: session.refuseNextPush,
    plans,
    passed: plans.length > 0 && plans.every((p) => p.status === 'passed'),
    actions,
    callCount: calls.length,
  };
}

// ── rights ──────────────────────────────────────────────────────────────────

/** Connection tests exist in a sandbox only: in production every session is « not found ». */
function sandboxOnly(deps: Pick<ConformanceDeps, 'config'>): void {
  if (deps.config.mode !== 'sandbox') throw sessionNotFound();
}

const accountIdOf = (actor: Actor): string | null => (actor.kind === 'account' ? actor.accountId : null);

/** A session a member of its organisation reads or changes; 404 for anyone else (existence not revealed). */
async function visibleSession(deps: ConformanceDeps, actor: Actor, id: string): Promise<store.SessionRow> {
  sandboxOnly(deps);
  if (!UUID.test(id)) throw sessionNotFound();
  const session = await store.findSession(deps.db, id);
  if (!session || !mayEditProduct(actor, { organisationId: session.organisationId })) throw sessionNotFound();
  return session;
}

async function openSessionOf(deps: ConformanceDeps, actor: Actor, id: string): Promise<store.SessionRow> {
  const session = await visibleSession(deps, actor, id);
  if (session.status !== 'open') throw new AppError('conflict', 409, 'conformance.error.closed');
  return session;
}

// ── opening ─────────────────────────────────────────────────────────────────

export interface OpenInput {
  productId: string;
  finalites: string[];
  categories: Array<{ code: string; read: boolean; write: boolean }>;
  redirectUris: string[];
  /** The client's public keys (`private_key_jwt`); without them, a client secret is issued. */
  jwks?: Record<string, unknown>;
}

function checkJwks(jwks: unknown): Record<string, unknown> | undefined {
  if (jwks === undefined || jwks === null) return undefined;
  const keys = (jwks as { keys?: unknown }).keys;
  const ok =
    typeof jwks === 'object' &&
    Array.isArray(keys) &&
    keys.length > 0 &&
    keys.length <= 10 &&
    keys.every(
      (k) =>
        typeof k === 'object' &&
        k !== null &&
        typeof (k as { kty?: unknown }).kty === 'string' &&
        !('d' in k) &&
        !('p' in k) &&
        !('k' in k),
    );
  if (!ok) throw validationFailed({ jwks: 'conformance.field.jwks' });
  return { keys };
}

/** The session's declaration checked against the newest referential; 422 with the fields otherwise. */
function checkDeclaration(deps: ConformanceDeps, input: OpenInput): store.SessionCategories {
  const version = deps.referentials.newest();
  const finaliteCodes = new Set(version.finalites.map((f) => f.code));
  const categoryCodes = new Set(version.dataCategories.map((c) => c.code));
  const fields: Record<string, string> = {};
  const finalites = [...new Set(Array.isArray(input.finalites) ? input.finalites : [])];
  if (finalites.length === 0 || finalites.some((f) => typeof f !== 'string' || !finaliteCodes.has(f)))
    fields.finalites = 'conformance.field.finalites';
  const categories = Array.isArray(input.categories) ? input.categories : [];
  const seen = new Set<string>();
  if (
    categories.length === 0 ||
    categories.some(
      (c) =>
        !c ||
        typeof c.code !== 'string' ||
        !categoryCodes.has(c.code) ||
        seen.has(c.code) ||
        !seen.add(c.code) ||
        (c.read !== true && c.write !== true),
    )
  )
    fields.categories = 'conformance.field.categories';
  const uris = Array.isArray(input.redirectUris) ? input.redirectUris : [];
  if (
    uris.length === 0 ||
    uris.length > 10 ||
    uris.some((u) => typeof u !== 'string' || u.length > 2000 || !redirectUriAllowed(u, deps.config.mode))
  )
    fields.redirectUris = 'conformance.field.redirect_uris';
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  return {
    finalites,
    categories: categories.map((c) => ({ code: c.code, read: c.read === true, write: c.write === true })),
  };
}

/**
 * Opens a test session for a service of the actor's organisation: the session, its test OID, its OAuth
 * client (with the JWKS given, or a client secret shown this once), in one transaction with its audit event.
 */
export async function openSession(
  deps: ConformanceDeps,
  actor: Actor,
  input: OpenInput,
): Promise<OpenedSession> {
  sandboxOnly(deps);
  const product =
    typeof input.productId === 'string' ? await getProduct(deps.db, input.productId) : undefined;
  if (!product || !mayEditProduct(actor, product)) throw notFound();
  if (!product.dataExchange) throw new AppError('conflict', 409, 'conformance.error.no_exchange');
  const declaration = checkDeclaration(deps, input);
  const jwks = checkJwks(input.jwks);
  const siren = (await organisationNames(deps.db, [product.organisationId])).get(
    product.organisationId,
  )?.siren;
  if (!siren) throw notFound();
  const kinds = new Map(deps.referentials.newest().dataCategories.map((c) => [c.code, c.kind]));
  const plans = requiredPlanIds(deps.plans, {
    hasMeasureCategory: declaration.categories.some((c) => kinds.get(c.code) === 'measure'),
    hasDocumentsCategory: declaration.categories.some((c) => kinds.get(c.code) === 'documents'),
  });
  const id = newId();
  const clientId = `${SANDBOX_CLIENT_PREFIX}${id.replace(/-/g, '').slice(0, 12)}`;
  // The test citizens exist before their first sign-in: actions can name them at once.
  await testCitizensBySub(deps, SESSION_TEST_CITIZENS);
  const secret = await deps.db.transaction().execute(async (trx) => {
    const oid = await store.nextTestOid(trx, deps.config.oidRoot);
    await store.insertSession(trx, {
      id,
      organisationId: product.organisationId,
      productId: product.id,
      productName: product.commercialName,
      productVersion: product.version,
      siren,
      oid,
      clientId,
      categories: declaration,
      plans,
      createdBy: accountIdOf(actor),
    });
    const client = await registerServiceClient(trx, {
      serviceOid: oid,
      productId: product.id,
      dossierId: null,
      redirectUris: input.redirectUris,
      ...(jwks ? { jwks } : { secretFrom: deps.keys }),
      clientId,
      origin: 'test_session',
    });
    await appendAuditEvent(trx, {
      actorType: 'account',
      actorId: accountIdOf(actor),
      action: 'conformance.session_opened',
      subjectType: 'organisation',
      subjectId: product.organisationId,
      data: {
        sessionId: id,
        productId: product.id,
        oid,
        clientId,
        plans,
        method: client.tokenEndpointAuthMethod,
      },
    });
    return client.clientSecret;
  });
  const session = (await store.findSession(deps.db, id)) as store.SessionRow;
  const view = await viewOf(deps, session);
  return secret ? { ...view, clientSecret: secret } : view;
}

// ── reading ─────────────────────────────────────────────────────────────────

export async function getSession(deps: ConformanceDeps, actor: Actor, id: string): Promise<SessionView> {
  return viewOf(deps, await visibleSession(deps, actor, id));
}

/** The sessions of the organisations the actor belongs to (newest first). */
export async function listSessions(deps: ConformanceDeps, actor: Actor): Promise<SessionView[]> {
  sandboxOnly(deps);
  if (actor.kind !== 'account') return [];
  const organisations = actor.memberships
    .map((m) => m.organisationId)
    .filter((o) => mayEditProduct(actor, { organisationId: o }));
  const sessions = (await Promise.all(organisations.map((o) => store.sessionsOf(deps.db, o)))).flat();
  sessions.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return Promise.all(sessions.map((s) => viewOf(deps, s)));
}

export async function sessionCalls(deps: ConformanceDeps, actor: Actor, id: string): Promise<RecordedCall[]> {
  const session = await visibleSession(deps, actor, id);
  return store.callsOf(deps.db, session.id);
}

/** A session with what its report needs (no rights: the caller checked them with `getSession`). */
export async function sessionRecord(
  deps: ConformanceDeps,
  actor: Actor,
  id: string,
): Promise<{
  session: store.SessionRow;
  calls: RecordedCall[];
  actions: RecordedAction[];
  plans: PlanVerdict[];
}> {
  const session = await visibleSession(deps, actor, id);
  const [calls, actions] = await Promise.all([store.callsOf(deps.db, id), store.actionsOf(deps.db, id)]);
  return { session, calls, actions, plans: verdictsOf(deps, session, calls, actions) };
}

// ── evidence for the assessment ─────────────────────────────────────────────

/** What a connection-test plan says of a referencing criterion it supports (the plan's `evidenceFor`). */
export interface CriterionTestEvidence {
  criterionId: string;
  planId: string;
  planTitle: { fr: string; en: string };
  status: PlanVerdict['status'];
  sessionId: string;
  /** When the session was opened (ISO). */
  at: string;
}

/**
 * The connection-test evidence of a service's criteria: for each plan that supports a criterion, its verdict in
 * the newest session of the service that requires it. The caller has checked that the actor may read the
 * service (its assessment's rights); a production deployment has no session, so no evidence.
 */
export async function criterionTestEvidence(
  deps: Pick<ConformanceDeps, 'db' | 'config' | 'plans' | 'referentials'>,
  productId: string,
): Promise<CriterionTestEvidence[]> {
  if (deps.config.mode !== 'sandbox' || !UUID.test(productId)) return [];
  const sessions = await store.sessionsOfProduct(deps.db, productId, 5);
  const evidence: CriterionTestEvidence[] = [];
  const covered = new Set<string>();
  for (const session of sessions) {
    const wanted = deps.plans.filter(
      (p) => p.evidenceFor?.length && session.plans.includes(p.id) && !covered.has(p.id),
    );
    if (wanted.length === 0) continue;
    const [calls, actions] = await Promise.all([
      store.callsOf(deps.db, session.id),
      store.actionsOf(deps.db, session.id),
    ]);
    const verdicts = verdictsOf(deps, session, calls, actions);
    for (const plan of wanted) {
      covered.add(plan.id);
      const verdict = verdicts.find((v) => v.planId === plan.id);
      if (!verdict) continue;
      for (const criterionId of plan.evidenceFor ?? [])
        evidence.push({
          criterionId,
          planId: plan.id,
          planTitle: plan.title,
          status: verdict.status,
          sessionId: session.id,
          at: session.createdAt.toISOString(),
        });
    }
  }
  return evidence;
}

// ── closing ─────────────────────────────────────────────────────────────────

/** Closes a session: its client is revoked and its test service suspended; the calls and verdicts stay. */
export async function closeSession(deps: ConformanceDeps, actor: Actor, id: string): Promise<SessionView> {
  const session = await visibleSession(deps, actor, id);
  if (session.status === 'open') {
    await deps.db.transaction().execute(async (trx) => {
      const locked = await store.lockSession(trx, id);
      if (locked?.status !== 'open') return;
      await store.closeSession(trx, id, nowOf(deps));
      await setServiceClientStatus(trx, session.oid, 'revoked');
      await appendAuditEvent(trx, {
        actorType: 'account',
        actorId: accountIdOf(actor),
        action: 'conformance.session_closed',
        subjectType: 'organisation',
        subjectId: session.organisationId,
        data: { sessionId: id, oid: session.oid, clientId: session.clientId },
      });
    });
  }
  return getSession(deps, actor, id);
}

// ── platform-side actions ───────────────────────────────────────────────────

export interface ActionInput {
  action: ActionName;
  /** The test citizen (sub) the action is about: withdraw-consent, unpair. */
  citizen?: string;
  /** withdraw-consent: the data category whose consent is withdrawn (all of them when absent). */
  category?: string;
}

async function testCitizenActor(deps: ConformanceDeps, sub: unknown): Promise<{ sub: string; actor: Actor }> {
  if (typeof sub !== 'string' || !(SESSION_TEST_CITIZENS as readonly string[]).includes(sub))
    throw validationFailed({ citizen: 'conformance.field.citizen' });
  const [citizen] = await testCitizensBySub(deps, [sub]);
  if (!citizen) throw validationFailed({ citizen: 'conformance.field.citizen' });
  return { sub, actor: { kind: 'citizen', citizenId: citizen.citizenId, displayName: citizen.name } };
}

/**
 * A platform-side action, done as the consent module would for the test citizen (withdrawal, unpairing) or
 * as a flag the push path honours once (refuse-next-push); recorded with its time once it took effect, so
 * that the plans judge the calls made after it.
 */
export async function takeAction(
  deps: ConformanceDeps,
  actor: Actor,
  id: string,
  input: ActionInput,
): Promise<RecordedAction> {
  const session = await openSessionOf(deps, actor, id);
  const consentDeps: ConsentDeps = { db: deps.db, ...(deps.now ? { now: deps.now } : {}) };
  let detail: Record<string, unknown> = {};
  if (input.action === 'refuse-next-push') {
    await store.setRefuseNextPush(deps.db, session.id);
  } else if (input.action === 'withdraw-consent' || input.action === 'unpair') {
    const citizen = await testCitizenActor(deps, input.citizen);
    const citizenId = citizen.actor.kind === 'citizen' ? citizen.actor.citizenId : '';
    const pairing = (await pairingsOf(deps.db, citizen.actor, citizenId)).find(
      (p) => p.serviceOid === session.oid && p.status === 'active',
    );
    if (!pairing) throw new AppError('conflict', 409, 'conformance.error.not_paired');
    detail = { citizen: citizen.sub };
    if (input.action === 'unpair') {
      await unpair(consentDeps, citizen.actor, pairing.id, pairing.rowVersion);
    } else if (input.category !== undefined) {
      const declared = session.categories.categories.find((c) => c.code === input.category);
      if (!declared) throw validationFailed({ category: 'conformance.field.category' });
      const action = declared.write ? 'write' : 'read';
      await withdrawExchange(consentDeps, citizen.actor, pairing.id, pairing.rowVersion, {
        category: declared.code,
        action,
      });
      detail = { ...detail, category: declared.code, consentAction: action };
    } else {
      await setConsents(consentDeps, citizen.actor, pairing.id, pairing.rowVersion, []);
    }
  } else {
    throw validationFailed({ action: 'error.validation' });
  }
  const at = nowOf(deps);
  const actionId = await deps.db.transaction().execute(async (trx) => {
    const inserted = await store.insertAction(trx, {
      sessionId: session.id,
      at,
      action: input.action,
      detail,
      actor: accountIdOf(actor),
    });
    await appendAuditEvent(trx, {
      actorType: 'account',
      actorId: accountIdOf(actor),
      action: 'conformance.action',
      subjectType: 'organisation',
      subjectId: session.organisationId,
      data: { sessionId: session.id, action: input.action, ...detail },
    });
    return inserted;
  });
  return { id: actionId, at: at.toISOString(), action: input.action, detail };
}

// ── the headless authorization ──────────────────────────────────────────────

export interface AuthorizeInput {
  authorizationUrl: string;
  citizen: string;
  finalites?: string[];
  decision: 'autoriser' | 'refuser';
}

/** Cookies across the calls of one authorization, as a browser keeps them (one site: paths not told apart). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(setCookie: string | string[] | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        value === '' ||
        attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  all(): Record<string, string> {
    return Object.fromEntries(this.cookies);
  }
}

const htmlDecode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Drives a test citizen's authorization of the session's client as their browser would: the authorization
 * request the app built, the sign-in at the sandbox's test identity provider, the consent page (the
 * finalités asked, all those offered by default), « Autoriser » or « Refuser », until the redirect to the
 * app's redirect URI, which is returned: the app exchanges the code itself.
 */
export async function authorizeAsTestCitizen(
  deps: ConformanceDeps,
  actor: Actor,
  id: string,
  input: AuthorizeInput,
): Promise<{ redirectTo: string }> {
  const session = await openSessionOf(deps, actor, id);
  const inject = deps.inject;
  if (!inject) throw new Error('the headless authorization needs the app');
  if (!(SESSION_TEST_CITIZENS as readonly string[]).includes(input.citizen))
    throw validationFailed({ citizen: 'conformance.field.citizen' });
  const base = new URL(deps.config.publicUrl);
  const issuer = new URL(oauthIssuer(deps.config));
  const url = URL.canParse(input.authorizationUrl) ? new URL(input.authorizationUrl) : undefined;
  if (
    !url ||
    url.origin !== issuer.origin ||
    url.pathname !== `${issuer.pathname}/auth` ||
    url.searchParams.getAll('client_id').join(' ') !== session.clientId
  )
    throw validationFailed({ authorizationUrl: 'conformance.field.authorization_url' });
  const client = await findServiceClient(deps.db, session.clientId);
  const redirectUris = client?.redirectUris ?? [];
  const isRedirectUri = (location: string) =>
    URL.canParse(location) &&
    redirectUris.some((uri) => {
      const target = new URL(location);
      return `${target.origin}${target.pathname}` === `${new URL(uri).origin}${new URL(uri).pathname}`;
    });

  const jar = new CookieJar();
  const csrf = randomToken(24);
  jar.take(`mesref_csrf=${csrf}`);
  const headers = {
    host: base.host,
    'x-forwarded-host': base.host,
    'x-forwarded-proto': base.protocol.replace(/:$/, ''),
    accept: 'text/html',
    'accept-language': 'fr',
  };
  const fail = (step: string, status: number) =>
    new AppError('authorize_failed', 409, 'conformance.error.authorize', { step, status });
  let current = '';
  const call = async (method: 'GET' | 'POST', path: string, form?: URLSearchParams) => {
    current = path.split('?')[0];
    const res = await inject({
      method,
      url: path,
      headers: form ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
      cookies: jar.all(),
      ...(form ? { payload: form.toString() } : {}),
    });
    jar.take(res.headers['set-cookie'] as string | string[] | undefined);
    return res;
  };

  let res = await call('GET', `${url.pathname}${url.search}`);
  for (let hop = 0; hop < 20; hop++) {
    if (res.statusCode === 302 || res.statusCode === 303) {
      const location = String(res.headers.location ?? '');
      const target = new URL(location, base);
      if (isRedirectUri(target.href)) {
        await call('POST', '/usager/deconnexion', new URLSearchParams({ _csrf: csrf })).catch(
          () => undefined,
        );
        return { redirectTo: target.href };
      }
      if (target.origin !== base.origin) throw fail('redirect', res.statusCode);
      res = await call('GET', `${target.pathname}${target.search}`);
      continue;
    }
    const path = current;
    const idp = /^\/test-idp\/interaction\/([^/]+)$/.exec(path);
    if (res.statusCode === 200 && idp) {
      res = await call(
        'POST',
        `/test-idp/interaction/${idp[1]}/login`,
        new URLSearchParams({ _csrf: csrf, sub: input.citizen }),
      );
      continue;
    }
    const consent = /^\/appariement\/([^/]+)$/.exec(path);
    if (res.statusCode === 200 && consent) {
      const pour = /name="pour" value="([^"]+)"/.exec(res.body)?.[1];
      const offered = [...res.body.matchAll(/name="finalites" value="([^"]+)"/g)].map((m) =>
        htmlDecode(m[1]),
      );
      const form = new URLSearchParams({ _csrf: csrf, decision: input.decision });
      if (pour) form.set('pour', htmlDecode(pour));
      const chosen = input.finalites ?? offered;
      for (const f of chosen) form.append('finalites', f);
      res = await call('POST', path, form);
      if (res.statusCode !== 303) throw fail('consent', res.statusCode);
      continue;
    }
    throw fail(path, res.statusCode);
  }
  throw fail('redirects', 310);
}
