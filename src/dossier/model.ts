/**
 * The referencing file (dossier de référencement) as pure rules: its states, who may move it and when, what
 * each move changes, the clocks of the instruction, the evaluation number, and the figures of the dashboard.
 * No I/O: the service reads the facts, asks `decide`, and writes what it answers in one transaction.
 */

// ── states ──────────────────────────────────────────────────────────────────

/** States of a file, from the draft to the publication (and the ends on the way). */
export const dossierStates = [
  'draft', // the publisher prepares the request
  'submitted', // filed, with its evaluation number: admissibility check
  'inadmissible', // end: the request is incomplete (reasons given); the publisher may file a new one
  'evaluation', // experts give a verdict per criterion
  'info_requested', // the publisher is asked for information; the instruction clock pauses
  'ready_for_commission', // every criterion has a verdict: the commission examines the file
  'opinion_given', // the commission has given its opinion: the decision is due
  'accepted', // decided: referenced; the convention is to be signed
  'refused', // end: decided not to reference
  'convention_signed', // without data exchange: ready to publish
  'connection_tests', // with data exchange: the connection tests are required before publication
  'published', // in the catalogue (see the catalogue status)
  'withdrawn', // end: withdrawn by the publisher before the decision
  'update_accepted', // end of an update file: the updated declaration is accepted
  'update_refused', // end of an update file: the updated declaration is refused
] as const;
export type DossierState = (typeof dossierStates)[number];

/** States where nothing more happens to the file. */
export const finalStates: readonly DossierState[] = [
  'inadmissible',
  'refused',
  'withdrawn',
  'update_accepted',
  'update_refused',
];

/** The catalogue status of a published service (`ServiceStatusEnum` of the MES application). */
export const catalogueStatuses = ['EN_LIGNE', 'HORS_LIGNE', 'SUSPENDUE', 'DEREFERENCEE', 'PRESERIE'] as const;
export type CatalogueStatus = (typeof catalogueStatuses)[number];

/** An initial request, or the updated declaration that a major version of a published service requires. */
export type DossierKind = 'initial' | 'update';
export type Typology = 'sans-echange' | 'avec-echange';

/** The commission's four opinions. */
export const opinionKinds = [
  'FAVORABLE',
  'FAVORABLE_RESERVES_NON_SUSPENSIVES',
  'FAVORABLE_RESERVES_SUSPENSIVES',
  'DEFAVORABLE',
] as const;
export type OpinionKind = (typeof opinionKinds)[number];

export const verdicts = ['conforme', 'non_conforme', 'a_completer'] as const;
export type Verdict = (typeof verdicts)[number];

/**
 * Who acts on a file. `publisher` is any member of the file's organisation; `publisher_manager` its mandataire
 * or représentant (who commit the organisation); `system` is the worker's clock.
 */
export type DossierRole =
  | 'publisher'
  | 'publisher_manager'
  | 'instructeur'
  | 'commission'
  | 'decideur'
  | 'system';

// ── actions ─────────────────────────────────────────────────────────────────

export interface ReservationInput {
  text: string;
  suspensive: boolean;
}

export interface Reservation extends ReservationInput {
  id: string;
  liftedAt?: string;
  liftedBy?: string;
}

export interface ConventionInput {
  /** The parties, as signed: the publisher, the minister, the CNAM. */
  parties: string[];
  /** Data categories the service may access with consent, and how (a subset of what was requested). */
  categories: Array<{ code: string; read: boolean; write: boolean }>;
  finalites: string[];
  /** Duration of the referencing, in months. */
  durationMonths: number;
  withdrawalTerms: string;
  signedOn: string;
}

export type DossierAction =
  | { type: 'submit' }
  | { type: 'withdraw'; reasons: string }
  | { type: 'declare_admissible' }
  | { type: 'declare_inadmissible'; reasons: string }
  | { type: 'request_info'; message: string; criteria: string[]; dueAt: string }
  | { type: 'answer_info'; text: string }
  | { type: 'send_to_commission' }
  | {
      type: 'give_opinion';
      opinion: OpinionKind;
      reasons: string;
      reservations: ReservationInput[];
      /** Seat ids of the members who sat. */
      sitting: string[];
      /** Finalités for which data exchange is authorised (data exchange only). */
      finalites: string[];
    }
  | { type: 'lift_reservation'; reservationId: string }
  | { type: 'decide'; decision: 'referenced' | 'refused'; reasons: string }
  | { type: 'sign_convention'; convention: ConventionInput }
  | { type: 'publish'; pilot: boolean }
  | { type: 'accept_update' }
  | { type: 'refuse_update'; reasons: string }
  | { type: 'take_offline'; reasons: string }
  | { type: 'put_online' }
  | { type: 'suspend'; reasons: string }
  | { type: 'lift_suspension' }
  | { type: 'dereference'; reasons: string }
  | { type: 'expire' }
  | { type: 'request_renewal' }
  | { type: 'renew' };
export type DossierActionType = DossierAction['type'];

export const actionTypes: readonly DossierActionType[] = [
  'submit',
  'withdraw',
  'declare_admissible',
  'declare_inadmissible',
  'request_info',
  'answer_info',
  'send_to_commission',
  'give_opinion',
  'lift_reservation',
  'decide',
  'sign_convention',
  'publish',
  'accept_update',
  'refuse_update',
  'take_offline',
  'put_online',
  'suspend',
  'lift_suspension',
  'dereference',
  'expire',
  'request_renewal',
  'renew',
];

/** Who may do each action (before the guards of the state and the facts). */
export const actionRoles: Record<DossierActionType, readonly DossierRole[]> = {
  submit: ['publisher_manager'],
  withdraw: ['publisher_manager'],
  declare_admissible: ['instructeur'],
  declare_inadmissible: ['instructeur'],
  request_info: ['instructeur'],
  answer_info: ['publisher', 'publisher_manager'],
  send_to_commission: ['instructeur'],
  give_opinion: ['commission'],
  lift_reservation: ['instructeur', 'commission'],
  decide: ['decideur'],
  sign_convention: ['instructeur', 'decideur'],
  publish: ['instructeur', 'decideur'],
  accept_update: ['instructeur'],
  refuse_update: ['instructeur'],
  take_offline: ['publisher_manager', 'instructeur', 'decideur'],
  put_online: ['instructeur', 'decideur'],
  suspend: ['instructeur', 'decideur'],
  lift_suspension: ['decideur'],
  dereference: ['decideur'],
  expire: ['system'],
  request_renewal: ['publisher_manager'],
  renew: ['instructeur', 'decideur'],
};

/** Where each action may start from (the catalogue actions also look at the catalogue status). */
const fromStates: Record<DossierActionType, readonly DossierState[]> = {
  submit: ['draft'],
  withdraw: ['draft', 'submitted', 'evaluation', 'info_requested', 'ready_for_commission'],
  declare_admissible: ['submitted'],
  declare_inadmissible: ['submitted'],
  request_info: ['submitted', 'evaluation'],
  answer_info: ['info_requested'],
  send_to_commission: ['evaluation'],
  give_opinion: ['ready_for_commission'],
  lift_reservation: ['opinion_given', 'accepted', 'convention_signed', 'connection_tests', 'published'],
  decide: ['opinion_given'],
  sign_convention: ['accepted'],
  publish: ['convention_signed', 'connection_tests'],
  accept_update: ['evaluation'],
  refuse_update: ['evaluation'],
  take_offline: ['published'],
  put_online: ['published'],
  suspend: ['published'],
  lift_suspension: ['published'],
  dereference: ['published'],
  expire: ['published'],
  request_renewal: ['published'],
  renew: ['published'],
};

const catalogueFrom: Partial<Record<DossierActionType, readonly CatalogueStatus[]>> = {
  take_offline: ['EN_LIGNE', 'PRESERIE'],
  put_online: ['HORS_LIGNE', 'PRESERIE'],
  suspend: ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE'],
  lift_suspension: ['SUSPENDUE'],
  dereference: ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE', 'SUSPENDUE'],
  expire: ['EN_LIGNE', 'PRESERIE'],
  request_renewal: ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE', 'SUSPENDUE'],
  renew: ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE', 'SUSPENDUE'],
  lift_reservation: ['EN_LIGNE', 'HORS_LIGNE', 'PRESERIE', 'SUSPENDUE'],
};

// ── facts and the decision ─────────────────────────────────────────────────

/** What the rules need to know of a file; the service reads it from the database. */
export interface DossierFacts {
  kind: DossierKind;
  state: DossierState;
  catalogueStatus: CatalogueStatus | null;
  dataExchange: boolean;
  /** Problems of the request that stop its submission (message keys by field); empty when complete. */
  requestProblems: Record<string, string>;
  /** The publisher's administrative file is validated by an instructor. */
  adminFileValidated: boolean;
  /** The self-assessment has no blocking gap. */
  assessmentReady: boolean;
  /** Criteria to evaluate that have no verdict yet, and those whose verdict is « à compléter ». */
  verdictsMissing: number;
  verdictsToComplete: number;
  /** The state an answer to the pending request for information returns to. */
  infoReturnState: DossierState | null;
  opinion: OpinionKind | null;
  reservations: Reservation[];
  /** A valid, passing connection-test report covers what the convention allows. */
  connectionTestsPassed: boolean;
  referencedUntil: string | null;
  renewalRequested: boolean;
  /** Deadline of the current phase, and what it was when the clock paused (info requested). */
  phaseDueAt: string | null;
  pausedAt: string | null;
  pausedPhaseDueAt: string | null;
}

/** The process settings (from the process data file) that the rules need. */
export interface ProcessRules {
  deadlineDays: Partial<Record<DossierState, number>>;
  initialValidityDays: number;
  renewalDays: number;
  quorum: number;
  seatIds: string[];
  finaliteCodes: string[];
}

/** What a permitted action changes; only the fields named change. */
export interface DossierPatch {
  state?: DossierState;
  catalogueStatus?: CatalogueStatus | null;
  phaseDueAt?: string | null;
  pausedAt?: string | null;
  pausedPhaseDueAt?: string | null;
  infoReturnState?: DossierState | null;
  opinion?: OpinionKind;
  reservations?: Reservation[];
  referencedUntil?: string | null;
  renewalRequested?: boolean;
}

export type Decision =
  | { ok: true; patch: DossierPatch }
  | {
      ok: false;
      code: 'forbidden' | 'illegal' | 'guard';
      key: string;
      fields?: Record<string, string>;
      params?: Record<string, string | number>;
    };

const TEXT_MAX = 10_000;

function refuse(
  code: 'forbidden' | 'illegal' | 'guard',
  key: string,
  fields?: Record<string, string>,
): Decision {
  return fields ? { ok: false, code, key, fields } : { ok: false, code, key };
}

function addDays(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

/** The deadline of a phase entered at `at`, when the process sets one. */
export function phaseDeadline(
  state: DossierState,
  at: Date,
  rules: Pick<ProcessRules, 'deadlineDays'>,
): string | null {
  const days = rules.deadlineDays[state];
  return days === undefined ? null : addDays(at, days);
}

function textMissing(value: string): boolean {
  return value.trim().length === 0;
}

function tooLong(value: string): boolean {
  return value.length > TEXT_MAX;
}

/** Checks the free texts an action carries: reasons are required where a decision against the publisher is made. */
function textProblems(action: DossierAction): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const need = (name: string, value: string) => {
    if (textMissing(value)) fields[name] = 'dossier.field.required';
    else if (tooLong(value)) fields[name] = 'dossier.field.too_long';
  };
  switch (action.type) {
    case 'withdraw':
    case 'declare_inadmissible':
    case 'refuse_update':
    case 'take_offline':
    case 'suspend':
    case 'dereference':
    case 'decide':
    case 'give_opinion':
      need('reasons', action.reasons);
      break;
    case 'request_info':
      need('message', action.message);
      break;
    case 'answer_info':
      need('text', action.text);
      break;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/**
 * The state machine: may `role` do `action` on a file in these facts at `now`, and what changes if so.
 * Any move not listed here is refused, whoever asks.
 */
export function decide(
  facts: DossierFacts,
  action: DossierAction,
  role: DossierRole,
  now: Date,
  rules: ProcessRules,
): Decision {
  if (!actionRoles[action.type].includes(role)) return refuse('forbidden', 'dossier.error.role');
  if (!fromStates[action.type].includes(facts.state)) return refuse('illegal', 'dossier.error.state');
  const catalogue = catalogueFrom[action.type];
  if (
    facts.state === 'published' &&
    catalogue &&
    !catalogue.includes(facts.catalogueStatus as CatalogueStatus)
  )
    return refuse('illegal', 'dossier.error.catalogue_status');
  if ((action.type === 'accept_update' || action.type === 'refuse_update') !== (facts.kind === 'update')) {
    if (
      action.type === 'accept_update' ||
      action.type === 'refuse_update' ||
      action.type === 'send_to_commission'
    )
      return refuse('illegal', 'dossier.error.kind');
  }
  const texts = textProblems(action);
  if (texts) return refuse('guard', 'error.validation', texts);
  const enter = (state: DossierState): DossierPatch => ({
    state,
    phaseDueAt: phaseDeadline(state, now, rules),
  });

  switch (action.type) {
    case 'submit': {
      if (!facts.adminFileValidated) return refuse('guard', 'dossier.guard.admin_file');
      if (Object.keys(facts.requestProblems).length > 0)
        return refuse('guard', 'dossier.guard.request_incomplete', facts.requestProblems);
      if (!facts.assessmentReady) return refuse('guard', 'dossier.guard.assessment_not_ready');
      return { ok: true, patch: enter('submitted') };
    }
    case 'withdraw':
      return { ok: true, patch: { ...enter('withdrawn'), pausedAt: null, pausedPhaseDueAt: null } };
    case 'declare_admissible':
      return { ok: true, patch: enter('evaluation') };
    case 'declare_inadmissible':
      return { ok: true, patch: enter('inadmissible') };
    case 'request_info': {
      const due = new Date(action.dueAt);
      if (Number.isNaN(due.getTime()) || due.getTime() <= now.getTime())
        return refuse('guard', 'error.validation', { dueAt: 'dossier.field.due_future' });
      return {
        ok: true,
        patch: {
          state: 'info_requested',
          phaseDueAt: due.toISOString(),
          // The instruction clock stops while the publisher answers.
          pausedAt: now.toISOString(),
          pausedPhaseDueAt: facts.phaseDueAt,
          infoReturnState: facts.state,
        },
      };
    }
    case 'answer_info': {
      const back = facts.infoReturnState ?? 'evaluation';
      let due: string | null = facts.pausedPhaseDueAt;
      if (due && facts.pausedAt) {
        const paused = now.getTime() - new Date(facts.pausedAt).getTime();
        due = new Date(new Date(due).getTime() + Math.max(0, paused)).toISOString();
      }
      return {
        ok: true,
        patch: {
          state: back,
          phaseDueAt: due,
          pausedAt: null,
          pausedPhaseDueAt: null,
          infoReturnState: null,
        },
      };
    }
    case 'send_to_commission':
      if (facts.verdictsMissing > 0)
        return {
          ok: false,
          code: 'guard',
          key: 'dossier.guard.verdicts_missing',
          params: { count: facts.verdictsMissing },
        };
      if (facts.verdictsToComplete > 0)
        return {
          ok: false,
          code: 'guard',
          key: 'dossier.guard.verdicts_to_complete',
          params: { count: facts.verdictsToComplete },
        };
      return { ok: true, patch: enter('ready_for_commission') };
    case 'give_opinion': {
      const fields: Record<string, string> = {};
      const sitting = new Set(action.sitting);
      if ([...sitting].some((s) => !rules.seatIds.includes(s))) fields.sitting = 'dossier.field.unknown_seat';
      else if (sitting.size < rules.quorum) fields.sitting = 'dossier.field.quorum';
      const withReservations = action.opinion.startsWith('FAVORABLE_RESERVES');
      if (withReservations && action.reservations.length === 0)
        fields.reservations = 'dossier.field.reservations';
      if (action.reservations.some((r) => textMissing(r.text) || tooLong(r.text)))
        fields.reservations = 'dossier.field.reservation_text';
      if (!withReservations && action.reservations.length > 0)
        fields.reservations = 'dossier.field.no_reservations';
      const favourable = action.opinion !== 'DEFAVORABLE';
      if (facts.dataExchange && favourable && action.finalites.length === 0)
        fields.finalites = 'dossier.field.finalites';
      if (action.finalites.some((f) => !rules.finaliteCodes.includes(f)))
        fields.finalites = 'dossier.field.unknown';
      if (Object.keys(fields).length > 0) return refuse('guard', 'error.validation', fields);
      const suspensive = action.opinion === 'FAVORABLE_RESERVES_SUSPENSIVES';
      if (suspensive && !action.reservations.some((r) => r.suspensive))
        return refuse('guard', 'error.validation', { reservations: 'dossier.field.suspensive_needed' });
      if (!suspensive && action.reservations.some((r) => r.suspensive))
        return refuse('guard', 'error.validation', { reservations: 'dossier.field.suspensive_not_allowed' });
      return {
        ok: true,
        patch: {
          ...enter('opinion_given'),
          opinion: action.opinion,
          reservations: action.reservations.map((r, i) => ({
            id: `R${i + 1}`,
            text: r.text,
            suspensive: r.suspensive,
          })),
        },
      };
    }
    case 'lift_reservation': {
      const target = facts.reservations.find((r) => r.id === action.reservationId);
      if (!target) return refuse('guard', 'dossier.guard.reservation_unknown');
      if (target.liftedAt) return refuse('guard', 'dossier.guard.reservation_lifted');
      return {
        ok: true,
        patch: {
          reservations: facts.reservations.map((r) =>
            r.id === target.id ? { ...r, liftedAt: now.toISOString(), liftedBy: role } : r,
          ),
        },
      };
    }
    case 'decide': {
      if (action.decision === 'refused') return { ok: true, patch: { state: 'refused', phaseDueAt: null } };
      if (facts.opinion === 'DEFAVORABLE') return refuse('guard', 'dossier.guard.unfavourable');
      if (facts.reservations.some((r) => r.suspensive && !r.liftedAt))
        return refuse('guard', 'dossier.guard.suspensive_reservations');
      return { ok: true, patch: enter('accepted') };
    }
    case 'sign_convention': {
      const c = action.convention;
      const fields: Record<string, string> = {};
      if (c.parties.filter((p) => !textMissing(p)).length < 2) fields.parties = 'dossier.field.parties';
      if (!Number.isInteger(c.durationMonths) || c.durationMonths < 1 || c.durationMonths > 120)
        fields.durationMonths = 'dossier.field.duration';
      if (textMissing(c.withdrawalTerms)) fields.withdrawalTerms = 'dossier.field.required';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(c.signedOn) || Number.isNaN(Date.parse(c.signedOn)))
        fields.signedOn = 'dossier.field.date';
      if (facts.dataExchange && c.categories.length === 0) fields.categories = 'dossier.field.categories';
      if (!facts.dataExchange && c.categories.length > 0) fields.categories = 'dossier.field.no_categories';
      if (Object.keys(fields).length > 0) return refuse('guard', 'error.validation', fields);
      return { ok: true, patch: enter(facts.dataExchange ? 'connection_tests' : 'convention_signed') };
    }
    case 'publish': {
      if (facts.state === 'connection_tests' && !facts.connectionTestsPassed)
        return refuse('guard', 'dossier.guard.connection_tests');
      if (facts.reservations.some((r) => r.suspensive && !r.liftedAt))
        return refuse('guard', 'dossier.guard.suspensive_reservations');
      return {
        ok: true,
        patch: {
          state: 'published',
          phaseDueAt: null,
          catalogueStatus: action.pilot ? 'PRESERIE' : 'EN_LIGNE',
          referencedUntil: addDays(now, rules.initialValidityDays),
        },
      };
    }
    case 'accept_update':
      if (facts.verdictsMissing > 0)
        return {
          ok: false,
          code: 'guard',
          key: 'dossier.guard.verdicts_missing',
          params: { count: facts.verdictsMissing },
        };
      if (facts.verdictsToComplete > 0)
        return {
          ok: false,
          code: 'guard',
          key: 'dossier.guard.verdicts_to_complete',
          params: { count: facts.verdictsToComplete },
        };
      return { ok: true, patch: { state: 'update_accepted', phaseDueAt: null } };
    case 'refuse_update':
      return { ok: true, patch: { state: 'update_refused', phaseDueAt: null } };
    case 'take_offline':
      return { ok: true, patch: { catalogueStatus: 'HORS_LIGNE' } };
    case 'put_online':
      if (!facts.referencedUntil || new Date(facts.referencedUntil).getTime() <= now.getTime())
        return refuse('guard', 'dossier.guard.expired');
      return { ok: true, patch: { catalogueStatus: 'EN_LIGNE' } };
    case 'suspend':
      return { ok: true, patch: { catalogueStatus: 'SUSPENDUE' } };
    case 'lift_suspension':
      return { ok: true, patch: { catalogueStatus: 'HORS_LIGNE' } };
    case 'dereference':
      return { ok: true, patch: { catalogueStatus: 'DEREFERENCEE', renewalRequested: false } };
    case 'expire':
      if (!facts.referencedUntil || new Date(facts.referencedUntil).getTime() > now.getTime())
        return refuse('guard', 'dossier.guard.not_expired');
      return { ok: true, patch: { catalogueStatus: 'HORS_LIGNE' } };
    case 'request_renewal':
      if (facts.renewalRequested) return refuse('guard', 'dossier.guard.renewal_pending');
      return { ok: true, patch: { renewalRequested: true } };
    case 'renew': {
      if (!facts.renewalRequested) return refuse('guard', 'dossier.guard.renewal_not_requested');
      // The new period runs from the end of the current one, or from today when it has already ended.
      const base = facts.referencedUntil ? new Date(facts.referencedUntil) : now;
      const from = base.getTime() > now.getTime() ? base : now;
      return {
        ok: true,
        patch: { referencedUntil: addDays(from, rules.renewalDays), renewalRequested: false },
      };
    }
  }
}

/** The actions a role could try on a file now (their guards aside): what the pages offer as buttons. */
export function possibleActions(facts: DossierFacts, roles: readonly DossierRole[]): DossierActionType[] {
  return actionTypes.filter((type) => {
    if (!roles.some((r) => actionRoles[type].includes(r))) return false;
    if (!fromStates[type].includes(facts.state)) return false;
    const catalogue = catalogueFrom[type];
    if (
      facts.state === 'published' &&
      catalogue &&
      !catalogue.includes(facts.catalogueStatus as CatalogueStatus)
    )
      return false;
    if (type === 'accept_update' || type === 'refuse_update') return facts.kind === 'update';
    if (type === 'send_to_commission') return facts.kind === 'initial';
    if (type === 'lift_reservation') return facts.reservations.some((r) => !r.liftedAt);
    if (type === 'request_renewal') return !facts.renewalRequested;
    if (type === 'renew') return facts.renewalRequested;
    return true;
  });
}

/** Verdicts are recorded while the experts evaluate. */
export function mayRecordVerdict(state: DossierState): boolean {
  return state === 'evaluation' || state === 'submitted';
}

/** The request may be changed while it is a draft only: what is filed is what is instructed. */
export function mayEditRequest(state: DossierState): boolean {
  return state === 'draft';
}

/** Who is expected to act next in each state. */
export function expectedFrom(
  state: DossierState,
  catalogueStatus: CatalogueStatus | null,
): 'publisher' | 'instructeur' | 'commission' | 'decideur' | null {
  switch (state) {
    case 'draft':
    case 'info_requested':
    case 'connection_tests':
      return 'publisher';
    case 'submitted':
    case 'evaluation':
    case 'accepted':
    case 'convention_signed':
      return 'instructeur';
    case 'ready_for_commission':
      return 'commission';
    case 'opinion_given':
      return 'decideur';
    default:
      // Published (the catalogue status says the rest) or ended: nobody is expected to act.
      void catalogueStatus;
      return null;
  }
}

/** The phases the dashboard counts as the administration's time (the publisher's time is apart). */
export const staffPhases: readonly DossierState[] = [
  'submitted',
  'evaluation',
  'ready_for_commission',
  'opinion_given',
  'accepted',
  'convention_signed',
];

// ── numbers, dates ──────────────────────────────────────────────────────────

/** The evaluation number given at submission: `MES-2026-000123`. */
export function evaluationNumber(year: number, sequence: number): string {
  return `MES-${year}-${String(sequence).padStart(6, '0')}`;
}

export function isEvaluationNumber(value: string): boolean {
  return /^MES-\d{4}-\d{6,}$/.test(value);
}

/** An OID of a service: the configured root, then the service's sequence. */
export function serviceOid(root: string, sequence: number): string {
  return `${root}.${sequence}`;
}

export function isOid(value: string): boolean {
  return /^[0-2](\.(0|[1-9]\d*))+$/.test(value);
}

/** The reminders due before the end of a referencing: offsets (days before) that have been reached, not yet sent. */
export function remindersDue(
  referencedUntil: string,
  offsetsDays: readonly number[],
  sent: readonly number[],
  now: Date,
): number[] {
  const end = new Date(referencedUntil).getTime();
  return offsetsDays
    .filter((days) => !sent.includes(days))
    .filter((days) => now.getTime() >= end - days * 86_400_000 && now.getTime() < end)
    .sort((a, b) => b - a);
}

/** A file is overdue when the administration holds it past its phase deadline. */
export function isOverdue(state: DossierState, phaseDueAt: string | Date | null, now: Date): boolean {
  if (!phaseDueAt || !staffPhases.includes(state)) return false;
  return new Date(phaseDueAt).getTime() < now.getTime();
}

// ── figures ─────────────────────────────────────────────────────────────────

// ── the request ─────────────────────────────────────────────────────────────

export interface DataExchangeDeclaration {
  /** Why the service needs the data for its purposes (CSP R.1111-39). */
  justification: string;
  /** How it accesses the data. */
  access: string;
  categories: Array<{ code: string; read: boolean; write: boolean }>;
  finalites: string[];
  retention: string;
  security: string;
  /** The text the citizen sees when asked for consent. */
  consentText: string;
  redirectUris: string[];
  /** The URL of the service's public keys (JWKS), or its JWKS itself. */
  jwksUri?: string;
  jwks?: string;
  supportContact: string;
}

export interface RequestContent {
  dataExchange?: DataExchangeDeclaration;
  /** Free presentation of the request by the publisher. */
  presentation?: string;
}

export type DocumentKind =
  | 'cgu'
  | 'privacy'
  | 'dpia'
  | 'other'
  | 'info_answer'
  | 'convention'
  | 'test_report'
  | 'audit'
  | 'complaint';

/** The documents a request must carry, by typology: the DPIA is required for data exchange. */
export function requiredDocuments(typology: Typology): DocumentKind[] {
  return typology === 'avec-echange' ? ['cgu', 'privacy', 'dpia'] : ['cgu', 'privacy'];
}

function isHttpsUrl(value: string, allowLocalHttp = false): boolean {
  try {
    const url = new URL(value);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    return (
      allowLocalHttp && url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

/**
 * What stops a request from being filed: field → message key. `documents` are the kinds already attached;
 * `known` the finalités and data categories of the request's referential version.
 */
export function requestProblems(
  typology: Typology,
  content: RequestContent,
  documents: readonly DocumentKind[],
  known: { finalites: readonly string[]; categories: readonly string[] },
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const kind of requiredDocuments(typology)) {
    if (!documents.includes(kind)) problems[`document.${kind}`] = 'dossier.field.document_missing';
  }
  if (typology !== 'avec-echange') return problems;
  const d = content.dataExchange;
  if (!d) {
    problems.dataExchange = 'dossier.field.data_exchange_missing';
    return problems;
  }
  for (const field of [
    'justification',
    'access',
    'retention',
    'security',
    'consentText',
    'supportContact',
  ] as const) {
    if (textMissing(d[field] ?? '')) problems[field] = 'dossier.field.required';
    else if (tooLong(d[field])) problems[field] = 'dossier.field.too_long';
  }
  if (d.categories.length === 0) problems.categories = 'dossier.field.categories';
  else if (d.categories.some((c) => !known.categories.includes(c.code)))
    problems.categories = 'dossier.field.unknown';
  else if (d.categories.some((c) => !c.read && !c.write)) problems.categories = 'dossier.field.read_or_write';
  if (d.finalites.length === 0) problems.finalites = 'dossier.field.finalites';
  else if (d.finalites.some((f) => !known.finalites.includes(f)))
    problems.finalites = 'dossier.field.unknown';
  if (d.redirectUris.length === 0) problems.redirectUris = 'dossier.field.redirect_uris';
  else if (d.redirectUris.some((u) => !isHttpsUrl(u, true)))
    problems.redirectUris = 'dossier.field.https_url';
  const hasUri = (d.jwksUri ?? '').trim().length > 0;
  const hasJwks = (d.jwks ?? '').trim().length > 0;
  if (!hasUri && !hasJwks) problems.jwksUri = 'dossier.field.keys';
  else if (hasUri && !isHttpsUrl(d.jwksUri as string)) problems.jwksUri = 'dossier.field.https_url';
  else if (hasJwks && !isJwks(d.jwks as string)) problems.jwks = 'dossier.field.jwks';
  if (
    !textMissing(d.supportContact) &&
    !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.supportContact.trim()) &&
    !isHttpsUrl(d.supportContact.trim())
  )
    problems.supportContact = 'dossier.field.contact';
  return problems;
}

/** A JWKS text: `{ "keys": [ { "kty": … } ] }` with public keys only. */
export function isJwks(text: string): boolean {
  try {
    const value = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(value.keys) || value.keys.length === 0) return false;
    return value.keys.every(
      (k) =>
        typeof k === 'object' &&
        k !== null &&
        typeof (k as { kty?: unknown }).kty === 'string' &&
        !('d' in k),
    );
  } catch {
    return false;
  }
}

/** The data categories a connection-test report must cover, and so the plans it needs. */
export function requiredTestPlans(categories: ReadonlyArray<{ code: string }>): string[] {
  const plans = ['pairing'];
  if (categories.some((c) => c.code !== 'documents')) plans.push('mesures');
  if (categories.some((c) => c.code === 'documents')) plans.push('documents');
  return plans;
}
