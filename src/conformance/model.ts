/**
 * Connection tests (tests d'accrochage), the pure part: what a session recorded (calls and platform-side
 * actions) and the verdict of each test of its plans. Every check is a pure function of the session's facts,
 * its calls and its actions; a test passes only on the evidence of recorded calls, never by default.
 */

/** A text in the two languages of the interface. */
export interface Localized {
  fr: string;
  en: string;
}

export type TestStatus = 'passed' | 'failed' | 'not_run';

/** Kinds of recorded calls (see the recorder): one per protocol operation the plans look at. */
export type CallKind =
  | 'oauth.authorize'
  | 'oauth.token'
  | 'oauth.revoke'
  | 'oauth.introspect'
  | 'fhir.push'
  | 'fhir.search'
  | 'fhir.read'
  | 'fhir.other'
  | 'documents.provide'
  | 'documents.search'
  | 'documents.retrieve';

/** One HTTP call of the session's client, as the recorder stored it: never a token, secret, code or body. */
export interface RecordedCall {
  id: number;
  /** ISO 8601 instant. */
  at: string;
  kind: CallKind | string;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  ms: number;
  /** Facts of the call, by kind (see the contract): `pkce`, `grantType`, `category`, `bodySha256`, `mode`… */
  facts: Record<string, unknown>;
}

export type ActionName = 'withdraw-consent' | 'unpair' | 'refuse-next-push';
export const ACTION_NAMES: readonly ActionName[] = ['withdraw-consent', 'unpair', 'refuse-next-push'];

/** A platform-side action the publisher triggered (a button of the session page or the API). */
export interface RecordedAction {
  id: number;
  at: string;
  action: ActionName | string;
  /** `{ citizen, category? }` */
  detail: Record<string, unknown>;
}

/** What the session declared when it was opened. */
export interface SessionFacts {
  /** What the session declared (the convention's shape; ids are the data categories' codes). */
  categories: { finalites: string[]; categories: Array<{ id: string; read: boolean; write: boolean }> };
  /** Ids of the plans the categories require. */
  plans: string[];
  /** Measure categories declared for writing (the pushes `mesures.push-valid` expects). */
  measureWriteCategories: string[];
}

export interface TestVerdict {
  planId: string;
  testId: string;
  status: TestStatus;
  /** Ids of the recorded calls that support the status (empty when not run). */
  evidence: number[];
  reason: Localized;
}

export interface PlanVerdict {
  planId: string;
  planVersion: number;
  status: TestStatus;
  tests: TestVerdict[];
}

// ── plans (data files, see plans.ts) ────────────────────────────────────────

export type PlanRequirement = 'always' | 'measure-category' | 'documents-category';

export interface PlanTest {
  id: string;
  title: Localized;
  instructions: Localized;
  /** Name of an evaluator of `CHECKS`. */
  check: string;
  params: Record<string, unknown>;
  action?: { id: ActionName; label: Localized };
}

export interface TestPlan {
  id: string;
  version: number;
  title: Localized;
  requiredWhen: PlanRequirement;
  /** The referencing criteria whose assessment a passing run of the plan supports. */
  evidenceFor?: string[];
  tests: PlanTest[];
}

// ── evaluators ──────────────────────────────────────────────────────────────

export interface CheckInput {
  facts: SessionFacts;
  /** Sorted by id (the order they were recorded). */
  calls: RecordedCall[];
  /** Sorted by id. */
  actions: RecordedAction[];
  params: Record<string, unknown>;
}

export interface CheckResult {
  status: TestStatus;
  evidence: number[];
  reason: Localized;
}

export type Check = (input: CheckInput) => CheckResult;

const time = (at: string): number => {
  const t = Date.parse(at);
  return Number.isNaN(t) ? 0 : t;
};
const ok = (c: RecordedCall): boolean => c.status >= 200 && c.status < 300;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isApiCall = (c: RecordedCall): boolean => c.kind.startsWith('fhir.') || c.kind.startsWith('documents.');
const after = (calls: RecordedCall[], at: string): RecordedCall[] =>
  calls.filter((c) => time(c.at) > time(at));

const passed = (evidence: number[], fr: string, en: string): CheckResult => ({
  status: 'passed',
  evidence,
  reason: { fr, en },
});
const failed = (evidence: number[], fr: string, en: string): CheckResult => ({
  status: 'failed',
  evidence,
  reason: { fr, en },
});
const notRun = (fr: string, en: string): CheckResult => ({
  status: 'not_run',
  evidence: [],
  reason: { fr, en },
});

function codeExchanges(calls: RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => c.kind === 'oauth.token' && c.facts.grantType === 'authorization_code' && ok(c));
}

/** An authorization request with PKCE S256, then a code exchanged (200). */
const authorizePkce: Check = ({ calls }) => {
  const authorizes = calls.filter((c) => c.kind === 'oauth.authorize');
  if (authorizes.length === 0)
    return notRun("Aucune demande d'autorisation n'a été reçue.", 'No authorization request was received.');
  const withS256 = authorizes.filter((c) => c.facts.pkce === 'S256');
  if (withS256.length === 0)
    return failed(
      authorizes.map((c) => c.id),
      "Les demandes d'autorisation n'utilisent pas PKCE S256 (code_challenge_method=S256).",
      'The authorization requests do not use PKCE S256 (code_challenge_method=S256).',
    );
  const first = withS256[0];
  const exchange = codeExchanges(calls).find((c) => c.id > first.id);
  if (!exchange)
    return notRun(
      "Une demande PKCE S256 a été reçue ; le code n'a pas encore été échangé.",
      'A PKCE S256 request was received; the code has not been exchanged yet.',
    );
  return passed(
    [first.id, exchange.id],
    'Demande PKCE S256 puis échange du code accepté.',
    'PKCE S256 request, then the code exchange was accepted.',
  );
};

/** A refresh_token grant accepted after a code exchange. */
const refresh: Check = ({ calls, actions }) => {
  const exchange = codeExchanges(calls)[0];
  if (!exchange) return notRun("Aucun code n'a encore été échangé.", 'No code has been exchanged yet.');
  const refreshes = calls.filter(
    (c) => c.kind === 'oauth.token' && c.facts.grantType === 'refresh_token' && c.id > exchange.id,
  );
  const good = refreshes.find(ok);
  if (good)
    return passed(
      [exchange.id, good.id],
      'Le jeton a été renouvelé (refresh_token).',
      'The token was renewed (refresh_token).',
    );
  // A refresh refused after the citizen unpaired or withdrew consent is the expected answer, not a fault.
  const firstAction = actions.find((a) => a.action === 'unpair' || a.action === 'withdraw-consent');
  const refusedBefore = refreshes.filter((c) => !firstAction || time(c.at) <= time(firstAction.at));
  if (refusedBefore.length > 0)
    return failed(
      refusedBefore.map((c) => c.id),
      'Le renouvellement du jeton (refresh_token) a été refusé.',
      'The token renewal (refresh_token) was refused.',
    );
  return notRun("Le jeton n'a pas encore été renouvelé.", 'The token has not been renewed yet.');
};

/**
 * After a refusal tied to a platform-side action, the client must stop: one refused call is how it learns,
 * a second one is a client that ignores the answer.
 */
function stopsAfter(refusedAfter: RecordedCall[], what: Localized): CheckResult {
  if (refusedAfter.length === 0)
    return notRun(
      `Aucun appel refusé après l'action (${what.fr}).`,
      `No call was refused after the action (${what.en}).`,
    );
  if (refusedAfter.length === 1)
    return passed(
      [refusedAfter[0].id],
      `Un seul appel refusé puis arrêt (${what.fr}).`,
      `A single refused call, then the client stopped (${what.en}).`,
    );
  return failed(
    refusedAfter.map((c) => c.id),
    `L'application a continué après un refus (${refusedAfter.length} appels refusés, ${what.fr}).`,
    `The application kept calling after a refusal (${refusedAfter.length} refused calls, ${what.en}).`,
  );
}

/** After the action `unpair`, at most one API call answered 401. */
const withdrawalStops: Check = ({ calls, actions }) => {
  const unpair = actions.find((a) => a.action === 'unpair');
  if (!unpair)
    return notRun(
      "L'action « Le citoyen désappaire le service » n'a pas été déclenchée.",
      'The action “The citizen unpairs the service” has not been triggered.',
    );
  return stopsAfter(
    after(calls, unpair.at).filter((c) => isApiCall(c) && c.status === 401),
    { fr: '401 après désappairage', en: '401 after unpairing' },
  );
};

/** An accepted push for each measure category declared for writing; failed when a category got only invalid ones. */
const pushAcceptedPerCategory: Check = ({ facts, calls }) => {
  const categories = facts.measureWriteCategories;
  if (categories.length === 0)
    return notRun(
      "Aucune catégorie de mesures n'est déclarée en écriture.",
      'No measure category is declared for writing.',
    );
  const pushes = calls.filter((c) => c.kind === 'fhir.push');
  const evidence: number[] = [];
  const invalidOnly: string[] = [];
  const missing: string[] = [];
  for (const category of categories) {
    const mine = pushes.filter((c) => c.facts.category === category);
    const accepted = mine.find((c) => ok(c) && c.facts.outcome === 'accepted');
    if (accepted) evidence.push(accepted.id);
    else if (mine.some((c) => c.facts.outcome === 'invalid')) {
      invalidOnly.push(category);
      evidence.push(...mine.filter((c) => c.facts.outcome === 'invalid').map((c) => c.id));
    } else missing.push(category);
  }
  if (invalidOnly.length > 0)
    return failed(
      evidence,
      `Envois seulement invalides pour : ${invalidOnly.join(', ')}.`,
      `Only invalid pushes for: ${invalidOnly.join(', ')}.`,
    );
  if (missing.length > 0)
    return notRun(
      `Aucun envoi accepté pour : ${missing.join(', ')}.`,
      `No accepted push for: ${missing.join(', ')}.`,
    );
  return passed(
    evidence,
    'Un envoi accepté pour chaque catégorie déclarée.',
    'An accepted push for each declared category.',
  );
};

/** A push answered 422 is never sent again unchanged. */
const noBlindRetry: Check = ({ calls }) => {
  const pushes = calls.filter((c) => c.kind === 'fhir.push');
  const refused = pushes.filter((c) => c.status === 422);
  if (refused.length === 0)
    return notRun(
      "Aucun envoi n'a reçu de réponse 422 (action « Refuser le prochain envoi (422) »).",
      'No push was answered 422 (action “Refuse the next push (422)”).',
    );
  const resent = pushes.filter((c) =>
    refused.some((r) => c.id > r.id && str(r.facts.bodySha256) && c.facts.bodySha256 === r.facts.bodySha256),
  );
  if (resent.length > 0) {
    const firstResent = resent[0];
    const original = refused.find(
      (r) => r.facts.bodySha256 === firstResent.facts.bodySha256 && r.id < firstResent.id,
    );
    return failed(
      [...(original ? [original.id] : []), ...resent.map((c) => c.id)],
      'Un envoi refusé (422) a été renvoyé à l’identique.',
      'A push refused with 422 was sent again unchanged.',
    );
  }
  return passed(
    refused.map((c) => c.id),
    'Envoi refusé (422) non renvoyé à l’identique.',
    'The push refused with 422 was not sent again unchanged.',
  );
};

/** A `last` search answered 200 for a code the client pushed (accepted). */
const readLast: Check = ({ calls }) => {
  const pushed = new Set(
    calls
      .filter((c) => c.kind === 'fhir.push' && ok(c) && c.facts.outcome === 'accepted')
      .map((c) => str(c.facts.code))
      .filter((c): c is string => c !== undefined),
  );
  const lasts = calls.filter((c) => c.kind === 'fhir.search' && c.facts.mode === 'last');
  const good = lasts.find((c) => ok(c) && pushed.has(str(c.facts.code) ?? ''));
  if (good)
    return passed(
      [good.id],
      'Dernière mesure lue pour un code envoyé.',
      'Last measure read for a pushed code.',
    );
  const refused = lasts.filter((c) => c.status === 400);
  if (refused.length > 0 && !lasts.some(ok))
    return failed(
      refused.map((c) => c.id),
      'La recherche de la dernière mesure a été refusée (400).',
      'The search for the last measure was refused (400).',
    );
  return notRun(
    "Aucune lecture de la dernière mesure d'un code envoyé.",
    'No read of the last measure of a pushed code.',
  );
};

/** An `all` search answered 200, and no search refused for a `_count` over the limit. */
const countLimits: Check = ({ calls, params }) => {
  const max = typeof params.maxCount === 'number' ? params.maxCount : 100;
  const searches = calls.filter((c) => c.kind === 'fhir.search');
  const over = searches.filter(
    (c) => c.status === 400 && typeof c.facts.count === 'number' && (c.facts.count as number) > max,
  );
  if (over.length > 0)
    return failed(
      over.map((c) => c.id),
      `Recherche refusée : _count au-delà de ${max}.`,
      `Search refused: _count over ${max}.`,
    );
  const all = searches.find((c) => c.facts.mode === 'all' && ok(c));
  if (all)
    return passed(
      [all.id],
      `Recherche de toutes les mesures avec _count ≤ ${max}.`,
      `Search for all measures with _count ≤ ${max}.`,
    );
  return notRun(
    'Aucune recherche de toutes les mesures (mode « all »).',
    'No search for all measures (mode “all”).',
  );
};

/** After the action `withdraw-consent` on a category, at most one push of that category answered 403. */
const consentWithdrawn: Check = ({ calls, actions }) => {
  const withdrawals = actions.filter((a) => a.action === 'withdraw-consent');
  if (withdrawals.length === 0)
    return notRun(
      "L'action « Le citoyen retire son consentement » n'a pas été déclenchée.",
      'The action “The citizen withdraws consent” has not been triggered.',
    );
  // The first withdrawal of each category: later ones would count the same refused pushes twice.
  const firstByCategory = new Map<string, RecordedAction>();
  for (const a of withdrawals) {
    const key = str(a.detail.category) ?? '';
    if (!firstByCategory.has(key)) firstByCategory.set(key, a);
  }
  const results = [...firstByCategory].map(([category, action]) =>
    stopsAfter(
      after(calls, action.at).filter(
        (c) =>
          c.kind === 'fhir.push' && c.status === 403 && (category === '' || c.facts.category === category),
      ),
      {
        fr: `403 après retrait du consentement ${category}`.trim(),
        en: `403 after consent withdrawal ${category}`.trim(),
      },
    ),
  );
  return (
    results.find((r) => r.status === 'failed') ?? results.find((r) => r.status === 'passed') ?? results[0]
  );
};

function acceptedOrInvalid(kind: CallKind, done: Localized, invalid: Localized, none: Localized): Check {
  return ({ calls }) => {
    const mine = calls.filter((c) => c.kind === kind);
    const good = mine.find((c) => ok(c) && (c.facts.outcome === undefined || c.facts.outcome === 'accepted'));
    if (good) return passed([good.id], done.fr, done.en);
    const bad = mine.filter((c) => c.status === 400 || c.status === 422 || c.facts.outcome === 'invalid');
    if (bad.length > 0)
      return failed(
        bad.map((c) => c.id),
        invalid.fr,
        invalid.en,
      );
    return notRun(none.fr, none.en);
  };
}

/** The evaluators plans may name in `check`. */
export const CHECKS: Readonly<Record<string, Check>> = {
  'authorize-pkce': authorizePkce,
  'refresh-token': refresh,
  'withdrawal-stops': withdrawalStops,
  'push-accepted-per-category': pushAcceptedPerCategory,
  'no-blind-retry': noBlindRetry,
  'read-last': readLast,
  'count-limits': countLimits,
  'consent-withdrawn': consentWithdrawn,
  'documents-provide': acceptedOrInvalid(
    'documents.provide',
    { fr: 'Document déposé (ITI-65) et accepté.', en: 'Document provided (ITI-65) and accepted.' },
    { fr: 'Dépôts de documents refusés (ITI-65).', en: 'Document provisions refused (ITI-65).' },
    { fr: 'Aucun dépôt de document (ITI-65).', en: 'No document provided (ITI-65).' },
  ),
  'documents-search': acceptedOrInvalid(
    'documents.search',
    { fr: 'Recherche de documents (ITI-67) réussie.', en: 'Document search (ITI-67) succeeded.' },
    { fr: 'Recherches de documents refusées (ITI-67).', en: 'Document searches refused (ITI-67).' },
    { fr: 'Aucune recherche de documents (ITI-67).', en: 'No document search (ITI-67).' },
  ),
  'documents-retrieve': acceptedOrInvalid(
    'documents.retrieve',
    { fr: 'Document récupéré (ITI-68).', en: 'Document retrieved (ITI-68).' },
    { fr: 'Récupérations de documents refusées (ITI-68).', en: 'Document retrievals refused (ITI-68).' },
    { fr: 'Aucune récupération de document (ITI-68).', en: 'No document retrieved (ITI-68).' },
  ),
};

export const CHECK_NAMES: readonly string[] = Object.keys(CHECKS);

/** Plan status: failed if any test failed, passed if all passed, else not run. */
export function planStatus(tests: Array<{ status: TestStatus }>): TestStatus {
  if (tests.some((t) => t.status === 'failed')) return 'failed';
  if (tests.length > 0 && tests.every((t) => t.status === 'passed')) return 'passed';
  return 'not_run';
}

/** Ids of the plans a session with these categories must pass, in the order of `plans`. */
export function requiredPlanIds(
  plans: TestPlan[],
  categories: { hasMeasureCategory: boolean; hasDocumentsCategory: boolean },
): string[] {
  return plans
    .filter(
      (p) =>
        p.requiredWhen === 'always' ||
        (p.requiredWhen === 'measure-category' && categories.hasMeasureCategory) ||
        (p.requiredWhen === 'documents-category' && categories.hasDocumentsCategory),
    )
    .map((p) => p.id);
}

/**
 * The verdicts of the session's plans (those of `facts.plans`, in the order of `plans`). Total: any calls
 * and actions give a verdict for every test; a test passes only with evidence.
 */
export function evaluate(
  plans: TestPlan[],
  facts: SessionFacts,
  calls: RecordedCall[],
  actions: RecordedAction[],
): PlanVerdict[] {
  const sortedCalls = [...calls].sort((a, b) => a.id - b.id);
  const sortedActions = [...actions].sort((a, b) => a.id - b.id);
  return plans
    .filter((p) => facts.plans.includes(p.id))
    .map((plan) => {
      const tests = plan.tests.map((test): TestVerdict => {
        const check = Object.hasOwn(CHECKS, test.check) ? CHECKS[test.check] : undefined;
        let result: CheckResult = check
          ? check({ facts, calls: sortedCalls, actions: sortedActions, params: test.params ?? {} })
          : notRun(`Vérification inconnue : ${test.check}.`, `Unknown check: ${test.check}.`);
        if (result.status === 'passed' && result.evidence.length === 0)
          result = notRun('Aucun appel ne le montre.', 'No call shows it.');
        return { planId: plan.id, testId: test.id, ...result };
      });
      return { planId: plan.id, planVersion: plan.version, status: planStatus(tests), tests };
    });
}
