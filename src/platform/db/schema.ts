import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * The database schema, table by table. Each module reads and writes only its own tables
 * (see docs/architecture.md); this file is the one place that describes them all.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;

// ── platform ────────────────────────────────────────────────────────────────

/** One row: what this database was initialised as. A sandbox database never serves production. */
export interface DeploymentTable {
  id: ColumnType<number, number, never>;
  mode: 'sandbox' | 'production';
  created_at: CreatedAt;
}

/** Background jobs, taken with FOR UPDATE SKIP LOCKED by any number of workers. */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  status: 'queued' | 'running' | 'done' | 'failed';
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: number;
  /** While running: until when the worker holds it; past that the job returns to the queue. */
  lease_until: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** Outgoing mail, written in the transaction of the change that sends it, delivered by the worker. */
export interface OutboxMailTable {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: 'pending' | 'sent' | 'captured' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** This deployment's signing keys (JWK). `sandbox` keys are generated; `configured` ones come from a file. */
export interface SigningKeyTable {
  kid: string;
  alg: string;
  origin: 'sandbox' | 'configured';
  private_jwk: Json<Record<string, unknown>>;
  public_jwk: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

// ── audit ───────────────────────────────────────────────────────────────────

/** Append-only, hash-chained event log; chains are independent so unrelated writes never wait. */
export interface AuditEventTable {
  chain: string;
  seq: number;
  at: Timestamp;
  actor_type: 'account' | 'citizen' | 'system' | 'client' | 'anonymous';
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  data: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  chain: string;
  seq: number;
  hash: string;
  /** The hash the head had before its last advance (the last event's `prev_hash`); null on older heads. */
  prev_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

// ── identity ────────────────────────────────────────────────────────────────

/** A publisher organisation (éditeur). */
export interface OrganisationTable {
  id: string;
  legal_name: string;
  siren: string;
  address: string;
  legal_representative: string;
  status: 'active' | 'suspended';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A person who signs in with email and password: publisher member or staff. */
export interface AccountTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: 'fr' | 'en';
  email_verified_at: Timestamp | null;
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  /** Last TOTP time step accepted, so a code cannot be replayed. */
  totp_last_step: number | null;
  failed_sign_ins: Generated<number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Publisher roles of the national Convergence platform. */
export type OrganisationRole = 'mandataire' | 'representant' | 'salarie';
export type StaffRole = 'instructeur' | 'commission' | 'decideur' | 'admin';

export interface MembershipTable {
  organisation_id: string;
  account_id: string;
  role: OrganisationRole;
  created_at: CreatedAt;
}

export interface StaffRoleTable {
  account_id: string;
  role: StaffRole;
  created_at: CreatedAt;
}

/** Server-side sessions; the cookie holds a random token, the table its SHA-256. */
export interface SessionTable {
  id: string;
  account_id: string | null;
  citizen_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  /** When the second factor was checked in this session (null: not yet, or not enabled). */
  second_factor_at: Timestamp | null;
  /** For a citizen session: the id_token, kept for the identity provider's sign-out. */
  id_token_hint: string | null;
  user_agent: string | null;
}

/** Single-use tokens sent by mail: address verification, password reset, invitation. */
export interface EmailTokenTable {
  id: string;
  purpose: 'verify_email' | 'reset_password' | 'invitation';
  account_id: string | null;
  email: string;
  organisation_id: string | null;
  role: string | null;
  created_by: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

/** Personal API tokens for /api/v1, scoped to one organisation. */
export interface ApiTokenTable {
  id: string;
  account_id: string;
  organisation_id: string;
  name: string;
  token_hash: string;
  /** The first characters of the token, shown to recognise it. */
  prefix: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_at: CreatedAt;
}

/** A citizen (usager), known through the identity provider that signed them in. */
export interface CitizenTable {
  id: string;
  issuer: string;
  subject: string;
  given_name: string;
  family_name: string;
  birthdate: string | null;
  gender: string | null;
  ins_value: string | null;
  ins_system: string | null;
  created_at: CreatedAt;
  last_sign_in_at: Timestamp | null;
}

/** A legal guardian (représentant légal) acting for a minor. */
export interface GuardianshipTable {
  guardian_id: string;
  minor_id: string;
  created_at: CreatedAt;
}

// ── oauth ───────────────────────────────────────────────────────────────────

/** oidc-provider's models (sessions, grants, codes, tokens...) stored by our adapter. */
export interface OidcPayloadTable {
  provider: string;
  model: string;
  id: string;
  payload: Json<Record<string, unknown>>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

// ── product ─────────────────────────────────────────────────────────────────

/** A publisher's digital health service (produit): one per commercial name, OS and device. */
export interface ProductTable {
  id: string;
  organisation_id: string;
  /** The commercial name citizens will see in the catalogue. */
  commercial_name: string;
  os: 'ios' | 'android' | 'web' | 'multi';
  device: 'mobile' | 'site-web' | 'tablette' | 'ordinateur';
  /** The service's own version (as Convergence asks), not the row's. */
  version: string;
  description: string;
  url_web: string | null;
  url_ios: string | null;
  url_android: string | null;
  /** Terms of use (CGU). */
  url_cgu: string | null;
  url_privacy: string | null;
  thematics: Json<string[]>;
  /** INSEE region codes; empty: the whole country. */
  regions: Json<string[]>;
  audience: Json<string[]>;
  economic_model: 'gratuit' | 'payant' | 'gratuit-achats-integres';
  medical_device: boolean;
  medical_device_class: 'I' | 'IIa' | 'IIb' | 'III' | null;
  /** The publisher means to exchange data with Mon espace santé (typology « avec échange de données »). */
  data_exchange: boolean;
  /** Bumped by every update; an update names the version it was based on (optimistic concurrency). */
  row_version: number;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A service's logo (at most one) and screenshots, stored with their detected type, size and SHA-256. */
export interface ProductImageTable {
  id: string;
  product_id: string;
  kind: 'logo' | 'screenshot';
  position: number;
  media_type: 'image/png' | 'image/jpeg' | 'image/webp';
  size_bytes: number;
  sha256: string;
  content: Buffer;
  /** Text alternative of a screenshot (a logo's is made from the service's name). */
  alt_text: string;
  created_by: string | null;
  created_at: CreatedAt;
}

// ── catalogue ───────────────────────────────────────────────────────────────

/**
 * The catalogue's read model: one row per service online (a published initial file with the status EN_LIGNE)
 * with every column the catalogue filters and sorts on. Written only by `catalogue_refresh` through triggers on
 * `dossiers`, `products`, `organisations` and `ecoscore_official` (migration 016); read by the catalogue.
 */
export interface CatalogueEntriesTable {
  dossier_id: string;
  product_id: string;
  /** `lower(commercial_name)`: the list's default order. */
  name_key: string;
  os: string;
  device: string;
  /** Name, publisher's name and description folded by `catalogue_fold` (case and accents removed). */
  folded: string;
  thematics: string[];
  /** Empty: the whole country. */
  regions: string[];
  audience: string[];
  /** `ios`, `android`, `web`: the service's OS or a store or web address (as `platformsOf`). */
  platforms: string[];
  economic_model: string;
  medical_device: boolean;
  data_exchange: boolean;
  /** The newest official écoscore, if any. */
  ecoscore: number | null;
  published_at: Date | null;
}

// ── assessment ──────────────────────────────────────────────────────────────

/** A service's self-assessment (auto-évaluation) against one referential version. */
export interface AssessmentTable {
  id: string;
  product_id: string;
  /** The referential version's id (`2023-v2`). */
  referential_version: string;
  /** Answers to the version's orientation questionnaire. */
  orientation: Json<Record<string, boolean | string | string[]>>;
  /** Bumped by every change of the orientation (and by an import); a save names the version it was based on. */
  row_version: number;
  created_by: string | null;
  created_at: CreatedAt;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** One criterion's answer; its own `row_version`, so colleagues answering other criteria never collide. */
export interface AssessmentAnswerTable {
  assessment_id: string;
  criterion_id: string;
  status: 'conforme' | 'non-conforme' | 'non-applicable' | null;
  justification: string;
  /** For a gap: when the publisher plans to close it (the plan). */
  target_date: ColumnType<string | null, string | null, string | null>;
  row_version: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** Evidence (preuve) of an answer: a URL, a text, or a file kept here (no content: named, not uploaded). */
export interface AssessmentEvidenceTable {
  id: string;
  assessment_id: string;
  criterion_id: string;
  kind: 'file' | 'url' | 'text';
  url: string | null;
  text_value: string | null;
  file_name: string | null;
  /** Detected from the file's bytes, not taken from the upload. */
  media_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  content: Buffer | null;
  created_by: string | null;
  created_at: CreatedAt;
}

// ── pathway ─────────────────────────────────────────────────────────────────

/** A guided-pathway outcome saved onto a service; the newest row is the service's current one. */
export interface PathwayOutcomeTable {
  id: string;
  product_id: string;
  /** The version of src/pathway/rules.yaml the outcome was decided with. */
  rules_version: number;
  /** The pathway's answers, by question id. */
  answers: Json<Record<string, boolean | string | string[]>>;
  /** The outcome as shown (see `PathwayOutcome` in src/pathway/model.ts). */
  outcome: Json<Record<string, unknown>>;
  verdict: 'eligible' | 'not-eligible' | 'redirected';
  typology: 'sans-echange' | 'avec-echange' | null;
  saved_by: string | null;
  saved_at: CreatedAt;
}

// ── ecoscore ───────────────────────────────────────────────────────────────

/** A service's scripted user journey (parcours) for the écoscore, kept as the YAML text the publisher wrote. */
export interface EcoscoreJourneyTable {
  id: string;
  product_id: string;
  name: string;
  file_name: string;
  /** The journey file (YAML), as written or uploaded. */
  source: string;
  /** The device profile the journey names. */
  device: 'smartphone' | 'tablet' | 'desktop';
  /** For a téléconsultation service: which side of the consultation the journey measures. */
  role: 'service' | 'patient' | 'professionnel';
  row_version: number;
  created_by: string | null;
  created_at: CreatedAt;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** One measurement of a journey (N runs in headless Chromium, medians, score); one active per journey. */
export interface EcoscoreRunTable {
  id: string;
  journey_id: string;
  product_id: string;
  /** The journey's row version that was measured. */
  journey_version: number;
  /** The service's own version at launch, for the history across versions. */
  product_version: string;
  runs: number;
  status: 'queued' | 'running' | 'done' | 'failed';
  /** While running: `{ done, total, label }`. */
  progress: Json<Record<string, unknown>>;
  /** When done: medians, per-step figures, score, EcoIndex per page, environment, method version. */
  result: Json<Record<string, unknown>> | null;
  failures: Json<Array<Record<string, unknown>>>;
  error: string | null;
  score: number | null;
  method_version: string | null;
  requested_by: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  /** Written with each progress: a running run without one for long was interrupted. */
  heartbeat_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** The official écoscore (national tool) a publisher records as ETH 32 evidence; the newest is current. */
export interface EcoscoreOfficialTable {
  id: string;
  product_id: string;
  score: number;
  measured_on: ColumnType<string, string, string>;
  journey_name: string;
  report_url: string | null;
  file_name: string | null;
  media_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  content: Buffer | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

// ── dossier ─────────────────────────────────────────────────────────────────

/** A publisher's administrative file: contacts and the signed agreement; an instructor validates it. */
export interface AdminFileTable {
  organisation_id: string;
  contacts: Json<Array<{ role: string; name: string; email: string; phone: string }>>;
  /** The organisation's identity as it was when the file was submitted. */
  identity: Json<Record<string, string>> | null;
  agreement_name: string | null;
  agreement_media_type: string | null;
  agreement_size: number | null;
  agreement_sha256: string | null;
  agreement_content: Buffer | null;
  status: 'draft' | 'submitted' | 'validated' | 'rejected';
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  submitted_at: Timestamp | null;
  row_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Counters of evaluation numbers (per year) and service OIDs. */
export interface DossierCounterTable {
  name: string;
  value: ColumnType<string, number | string, number | string>;
}

/** A referencing file: the request, its instruction and, once published, its catalogue status. */
export interface DossierTable {
  id: string;
  number: string | null;
  kind: 'initial' | 'update';
  parent_id: string | null;
  organisation_id: string;
  product_id: string;
  product_version: string;
  typology: 'sans-echange' | 'avec-echange';
  referential_version: string;
  assessment_id: string | null;
  state: string;
  state_since: Timestamp;
  catalogue_status: string | null;
  request: Json<Record<string, unknown>>;
  snapshot: Json<Record<string, unknown>> | null;
  touched_criteria: Json<string[]> | null;
  opinion: Json<Record<string, unknown>> | null;
  reservations: Json<Array<Record<string, unknown>>>;
  decision: Json<Record<string, unknown>> | null;
  convention: Json<Record<string, unknown>> | null;
  info_return_state: string | null;
  phase_due_at: Timestamp | null;
  paused_at: Timestamp | null;
  paused_phase_due_at: Timestamp | null;
  overdue_notified_state: string | null;
  assigned_to: string | null;
  oid: string | null;
  referenced_until: Timestamp | null;
  renewal_requested: Generated<boolean>;
  reminders_sent: Json<number[]>;
  update_due_at: Timestamp | null;
  submitted_at: Timestamp | null;
  published_at: Timestamp | null;
  created_by: string | null;
  row_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The timeline of a file: every step, who acted, what changed. */
export interface DossierEventTable {
  id: Generated<string>;
  dossier_id: string;
  at: Timestamp;
  actor_account_id: string | null;
  actor_role: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  catalogue_from: string | null;
  catalogue_to: string | null;
  data: Json<Record<string, unknown>>;
}

export interface DossierVerdictTable {
  dossier_id: string;
  criterion_id: string;
  verdict: 'conforme' | 'non_conforme' | 'a_completer';
  comment: string;
  row_version: Generated<number>;
  decided_by: string | null;
  decided_at: Timestamp;
}

export interface DossierInfoRequestTable {
  id: string;
  dossier_id: string;
  message: string;
  criteria: Json<string[]>;
  due_at: Timestamp;
  asked_by: string | null;
  asked_at: Timestamp;
  answer: string | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
}

export interface DossierDocumentTable {
  id: string;
  dossier_id: string;
  kind: string;
  criterion_id: string | null;
  info_request_id: string | null;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  uploaded_at: Timestamp;
}

/** A verified connection-test report (signed JWS), the gate of publication for data exchange. */
export interface ConnectionTestReportTable {
  id: string;
  dossier_id: string;
  origin: 'local' | 'sandbox';
  issuer: string;
  kid: string;
  passed: boolean;
  plans: Json<Array<Record<string, unknown>>>;
  subject: Json<Record<string, unknown>>;
  issued_at: Timestamp;
  jws: string;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

/** A citizen's report of a problem about a catalogue service (non-conformity to the referencing requirements). */
export interface ComplaintTable {
  id: string;
  dossier_id: string;
  citizen_id: string | null;
  category: string;
  message: string;
  status: 'new' | 'in_review' | 'answered' | 'closed';
  answer: string | null;
  handled_by: string | null;
  answered_at: Timestamp | null;
  row_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** An audit of a referenced service: scope, findings with deadlines, conclusion. */
export interface ServiceAuditTable {
  id: string;
  dossier_id: string;
  complaint_id: string | null;
  scope: string;
  status: 'open' | 'closed';
  findings: Json<Array<{ id: string; text: string; dueAt: string; resolvedAt?: string }>>;
  due_at: Timestamp;
  conclusion: string | null;
  opened_by: string | null;
  opened_at: Timestamp;
  closed_at: Timestamp | null;
  row_version: Generated<number>;
}

// ── notification ────────────────────────────────────────────────────────────

/** One notification of one person (an account or a citizen, exactly one): the in-app inbox. */
export interface NotificationTable {
  id: string;
  recipient_account_id: string | null;
  recipient_citizen_id: string | null;
  /** A message-key prefix: the text is `${kind}.subject` and `${kind}.body` of the catalog, in the reader's language. */
  kind: string;
  /** The placeholders of those messages. */
  params: Json<Record<string, string | number>>;
  /** A path of the site the notification is about (`/editeur/…`). */
  link: string | null;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

/** The OAuth2 client of a referenced service with data exchange (created at publication, or by a test session). */
export interface OAuthClientTable {
  client_id: string;
  service_oid: string;
  product_id: string | null;
  dossier_id: string | null;
  redirect_uris: Json<string[]>;
  jwks_uri: string | null;
  jwks: Json<Record<string, unknown>> | null;
  token_endpoint_auth_method: 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post';
  client_secret_hash: string | null;
  status: 'active' | 'suspended' | 'revoked';
  origin: 'publication' | 'test_session';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// ── consent ─────────────────────────────────────────────────────────────────

/** A citizen's pairing (appariement) with a referenced service: idPe is the citizen's pseudonym for it. */
export interface PairingTable {
  id: string;
  citizen_id: string;
  service_oid: string;
  product_id: string | null;
  dossier_id: string | null;
  id_pe: string;
  /** The service's own identifier of its user, when it gave one. */
  service_user_id: string | null;
  status: 'active' | 'unpaired';
  /** The service version the citizen last approved the consents for. */
  acknowledged_version: string;
  /** The data scopes the service asked at pairing: what the citizen is offered (within the convention). */
  scopes: Json<string[]>;
  /** The citizen who paired: the holder, or a guardian for a minor. */
  paired_by: string;
  paired_at: Timestamp;
  unpaired_at: Timestamp | null;
  row_version: number;
}

/** A consent (accord exprès): pairing × finalité × data category × action. */
export interface ConsentTable {
  pairing_id: string;
  finalite: string;
  category: string;
  action: 'read' | 'write';
  status: 'active' | 'withdrawn';
  granted_at: Timestamp;
  withdrawn_at: Timestamp | null;
  granted_by: string;
  /** SHA-256 of the R.1111-39 information text the citizen was shown. */
  information_text_sha256: string;
}

// ── measures ────────────────────────────────────────────────────────────────

/** A citizen's personal health device, created on a measures push by `identifier=urn:oid:<OID>|<ID>`. */
export interface FhirDeviceTable {
  id: string;
  citizen_id: string;
  /** The service that first pushed it. */
  service_oid: string;
  identifier_system: string;
  identifier_value: string;
  resource: Json<Record<string, unknown>>;
  version_id: number;
  last_updated: Timestamp;
}

/** A health measure (Observation) written by a referenced service. */
export interface FhirObservationTable {
  id: string;
  citizen_id: string;
  /** The service that wrote it. */
  service_oid: string;
  /** The referential's data category (consent is decided on it). */
  category: string;
  /** The code searches name (`Observation?code=`). */
  code: string;
  effective_at: Timestamp;
  device_id: string | null;
  version_id: number;
  last_updated: Timestamp;
  resource: Json<Record<string, unknown>>;
}

/** Every version of a stored FHIR resource (measures and documents), for `_history`. */
export interface FhirResourceVersionTable {
  resource_type: string;
  id: string;
  version_id: number;
  citizen_id: string;
  last_updated: Timestamp;
  resource: Json<Record<string, unknown>>;
}

// ── documents ───────────────────────────────────────────────────────────────

/** The bytes of a health document (FHIR Binary) sent in an ITI-65 provide. */
export interface FhirBinaryTable {
  id: string;
  citizen_id: string;
  /** The service that sent it. */
  service_oid: string;
  content_type: string;
  data: Buffer;
  size: number;
  /** Base64 SHA-1, as PDSm's attachment.hash. */
  sha1: string;
  sha256: string;
  created_at: CreatedAt;
}

/** A health document's metadata (DocumentReference, « fiche »), with the columns ITI-67 searches on. */
export interface FhirDocumentReferenceTable {
  id: string;
  citizen_id: string;
  /** The service that sent it. */
  service_oid: string;
  status: 'current' | 'superseded' | 'entered-in-error';
  /** `system|code` of the type, class (category) and format codes. */
  type_code: string | null;
  category_code: string | null;
  format_code: string | null;
  security_labels: ColumnType<string[], string[] | undefined, string[]>;
  date: Timestamp | null;
  period_start: Timestamp | null;
  period_end: Timestamp | null;
  /** content.attachment.creation */
  creation: Timestamp | null;
  is_archived: ColumnType<boolean, boolean | undefined, boolean>;
  /** `system|value` of masterIdentifier (the XDS uniqueId), unique per citizen. */
  master_identifier: string | null;
  /** `system|value` of masterIdentifier and of every identifier. */
  identifiers: ColumnType<string[], string[] | undefined, string[]>;
  binary_id: string | null;
  version_id: number;
  last_updated: Timestamp;
  resource: Json<Record<string, unknown>>;
}

/** A submission set or a folder (List) of an ITI-65 provide. */
export interface FhirListTable {
  id: string;
  citizen_id: string;
  service_oid: string;
  kind: 'submissionset' | 'folder';
  status: string;
  date: Timestamp | null;
  version_id: number;
  last_updated: Timestamp;
  resource: Json<Record<string, unknown>>;
}

// ── conformance ─────────────────────────────────────────────────────────────

/** A connection-test session (test d'accrochage) of a publisher's service, in the sandbox. */
export interface ConformanceSessionTable {
  id: string;
  organisation_id: string;
  product_id: string;
  /** The report's subject, copied at opening. */
  product_name: string;
  product_version: string;
  siren: string;
  /** The session's test service OID: `<MESREF_OID_ROOT>.99.<n>`. */
  oid: string;
  /** `sandbox-<first 12 hex of id>`. */
  client_id: string;
  /** Like a dossier's convention: `{ finalites, categories: [{ code, read, write }] }`. */
  categories: Json<{
    finalites: string[];
    categories: Array<{ code: string; read: boolean; write: boolean }>;
  }>;
  /** Ids of the plans the categories require. */
  plans: Json<string[]>;
  status: 'open' | 'closed';
  /** The platform-side action « refuse-next-push » is pending: the next measures push is answered 422. */
  refuse_next_push: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
  row_version: Generated<number>;
}

/** One call of a session's OAuth client (never a token, secret, code or body). */
export interface ConformanceCallTable {
  id: Generated<string>;
  session_id: string;
  at: Timestamp;
  /** `oauth.authorize`, `oauth.token`, `fhir.push`, `fhir.search`, `documents.provide`… */
  kind: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  ms: number;
  facts: Json<Record<string, unknown>>;
}

/** A platform-side action the publisher triggered during a session. */
export interface ConformanceActionTable {
  id: Generated<string>;
  session_id: string;
  at: Timestamp;
  action: 'withdraw-consent' | 'unpair' | 'refuse-next-push';
  detail: Json<Record<string, unknown>>;
  actor: string | null;
}

/**
 * A view: the services with data exchange the consent module reads (published referencing files, kind
 * `initial`, and test sessions, kind `test`).
 */
export interface ExchangeServiceView {
  oid: string;
  dossier_id: string | null;
  product_id: string;
  organisation_id: string;
  typology: string;
  state: string;
  catalogue_status: string | null;
  product_version: string;
  convention: Json<Record<string, unknown>> | null;
  request: Json<Record<string, unknown>>;
  kind: 'initial' | 'test';
}

export interface Database {
  deployment: DeploymentTable;
  jobs: JobTable;
  outbox_mails: OutboxMailTable;
  signing_keys: SigningKeyTable;
  audit_events: AuditEventTable;
  audit_chain_heads: AuditChainHeadTable;
  organisations: OrganisationTable;
  accounts: AccountTable;
  memberships: MembershipTable;
  staff_roles: StaffRoleTable;
  sessions: SessionTable;
  email_tokens: EmailTokenTable;
  api_tokens: ApiTokenTable;
  citizens: CitizenTable;
  guardianships: GuardianshipTable;
  oidc_payloads: OidcPayloadTable;
  products: ProductTable;
  product_images: ProductImageTable;
  catalogue_entries: CatalogueEntriesTable;
  assessments: AssessmentTable;
  assessment_answers: AssessmentAnswerTable;
  assessment_evidence: AssessmentEvidenceTable;
  pathway_outcomes: PathwayOutcomeTable;
  ecoscore_journeys: EcoscoreJourneyTable;
  ecoscore_runs: EcoscoreRunTable;
  ecoscore_official: EcoscoreOfficialTable;
  notifications: NotificationTable;
  admin_files: AdminFileTable;
  dossier_counters: DossierCounterTable;
  dossiers: DossierTable;
  dossier_events: DossierEventTable;
  dossier_verdicts: DossierVerdictTable;
  dossier_info_requests: DossierInfoRequestTable;
  dossier_documents: DossierDocumentTable;
  connection_test_reports: ConnectionTestReportTable;
  complaints: ComplaintTable;
  service_audits: ServiceAuditTable;
  oauth_clients: OAuthClientTable;
  pairings: PairingTable;
  consents: ConsentTable;
  fhir_devices: FhirDeviceTable;
  fhir_observations: FhirObservationTable;
  fhir_resource_versions: FhirResourceVersionTable;
  fhir_binaries: FhirBinaryTable;
  fhir_document_references: FhirDocumentReferenceTable;
  fhir_lists: FhirListTable;
  conformance_sessions: ConformanceSessionTable;
  conformance_calls: ConformanceCallTable;
  conformance_actions: ConformanceActionTable;
  exchange_services: ExchangeServiceView;
}
