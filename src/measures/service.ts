/**
 * Use cases of the Mesures de santé API: a push (validated, checked against the caller, stored in one
 * transaction with its access event), the MES search, and reads by id and version. Consent is decided per
 * data category on the facts the gate read at the start of the call; what it does not cover is never
 * returned, and a read of it is answered as if it did not exist.
 */
import type { RawBuilder } from 'kysely';
import type { AppContext } from '../app.ts';
import { auditAppendCtes } from '../audit/index.ts';
import { type Decision, serviceForConsent } from '../consent/index.ts';
import { type FhirError, noBundle, notFound, requestNotValid, unprocessable } from '../fhir/api/errors.ts';
import {
  type DataCaller,
  dataAccessEvent,
  idPeSystemOf,
  recordDataAccess,
  staleFacts,
} from '../fhir/api/gate.ts';
import { plainOutcome, toOperationOutcome, type ValidationIssue, validateResource } from '../fhir/index.ts';
import { checkMetaSourceUnderRoot } from '../fhir/validation/mes-rules.ts';
import { consentRefused, idPeMismatch } from '../oauth/verify.ts';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import type { Locale } from '../platform/i18n.ts';
import { measuresText } from './messages.ts';
import {
  BMI_CODE,
  BMI_ID_PREFIX,
  bmiObservation,
  categoryOfCode,
  classify,
  codesOf,
  deviceReferenceOf,
  effectiveInstant,
  HEIGHT_CODE,
  historyBundle,
  isResourceId,
  type MeasureCategory,
  type MeasureSearch,
  type MeasureValue,
  parseSearch,
  pushPlanOf,
  searchBundle,
  storedDevice,
  storedObservation,
  subjectOf,
  transactionResponse,
  valuesOf,
  WEIGHT_CODE,
  type WriteOutcome,
} from './model.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;

/** The data categories of measures in the referential that applies today. */
export function measureCategories(ctx: Pick<AppContext, 'referentials'>): MeasureCategory[] {
  return ctx.referentials.newest().dataCategories.filter((c) => c.kind === 'measure');
}

/** The FHIR base URL resources are named under (absolute, from the public URL). */
export const fhirBase = (ctx: Pick<AppContext, 'config'>): string => `${ctx.config.publicUrl}/fhir`;

/** 422 for a rule of the API that depends on the caller or on the stored data. */
function invalid(text: string, diagnostics: string, expression?: string): FhirError {
  const outcome = plainOutcome({ severity: 'error', code: 'invalid', text, diagnostics });
  if (expression) outcome.issue[0].expression = [expression];
  return unprocessable(outcome);
}

// ── push ────────────────────────────────────────────────────────────────────

/**
 * POST /fhir with a measures push Bundle (`MesBundleFluxAlimentation`). Checks in MES's order: the validator
 * (422), meta.source under the caller's OID (422), the subject (422 for another system, 403 for another
 * idPe), the consent to write the category (403, recorded); then the Device (conditional create), the
 * Observation, their versions and the access event in one transaction. Answers a `transaction-response`.
 */
export async function pushMeasures(
  ctx: AppContext,
  caller: DataCaller,
  bundle: Json,
  locale: Locale,
): Promise<{ status: number; body: Json }> {
  if (bundle.resourceType !== 'Bundle') throw noBundle();
  const validation = validateResource(bundle, { rules: 'mes' });
  if (!validation.valid) throw unprocessable(toOperationOutcome(validation.issues, locale));
  const plan = pushPlanOf(bundle);
  if (!plan) {
    throw invalid(
      measuresText('measures.not_push_bundle', locale),
      'Bundle must contains one observation creation (POST)',
    );
  }
  const observation = plan.observation.resource;
  const at = `Bundle.entry[${plan.observation.index}].resource`;

  const issues: ValidationIssue[] = [];
  checkMetaSourceUnderRoot(observation, at, caller.serviceOid, issues);
  if (issues.length > 0) throw unprocessable(toOperationOutcome(issues, locale));

  const subject = subjectOf(observation);
  const system = idPeSystemOf(ctx.config);
  if (subject.system !== system) {
    throw invalid(
      measuresText('measures.subject_system', locale, { system }),
      `Observation.subject.identifier.system must be ${system}.`,
      `${at}.subject.identifier.system`,
    );
  }
  if (subject.value !== caller.idPe) throw idPeMismatch();

  const kind = classify(measureCategories(ctx), observation);
  if (!kind) {
    const codes = codesOf(observation).join(', ');
    throw invalid(
      measuresText('measures.no_category', locale, { codes }),
      `Observation.code (${codes}) belongs to no data category.`,
      `${at}.code`,
    );
  }
  const effectiveAt = effectiveInstant(observation);
  if (!effectiveAt) {
    throw invalid(
      measuresText('measures.effective', locale),
      'Observation.effectiveDateTime is not a valid dateTime.',
      `${at}.effectiveDateTime`,
    );
  }

  const decision = caller.decide(kind.category, 'write');
  if (!decision.permit) {
    await recordDataAccess(ctx.db, caller, {
      category: kind.category,
      action: 'write',
      outcome: 'deny',
      reason: decision.reason,
      operation: 'Observation.create',
    });
    throw consentRefused();
  }

  // An Observation without a Device in its Bundle may name one this citizen already has.
  let knownDeviceId: string | undefined;
  const reference = deviceReferenceOf(observation);
  if (!plan.device && isObject(observation.device) && observation.device.reference !== undefined) {
    const known =
      reference && isResourceId(reference)
        ? await store.deviceOf(ctx.db, caller.citizenId, reference)
        : undefined;
    if (!known) {
      throw invalid(
        measuresText('measures.device_unknown', locale),
        'Observation.device.reference must designate the Device of the Bundle or a Device already stored for this patient.',
        `${at}.device.reference`,
      );
    }
    knownDeviceId = known.id;
  }

  const now = new Date();
  const observationId = newId();
  const deviceId = newId();
  const write = {
    observation: {
      id: observationId,
      citizenId: caller.citizenId,
      serviceOid: caller.serviceOid,
      category: kind.category,
      code: kind.code,
      effectiveAt,
      deviceId: knownDeviceId ?? null,
      lastUpdated: now,
      resource: storedObservation(observation, {
        id: observationId,
        lastUpdated: now,
        serviceOid: caller.serviceOid,
        ...(plan.device ? { deviceId } : knownDeviceId ? { deviceId: knownDeviceId } : {}),
      }),
    },
    ...(plan.device && {
      device: {
        id: deviceId,
        system: plan.device.identifier.system,
        value: plan.device.identifier.value,
        resource: storedDevice(plan.device.resource, { id: deviceId, lastUpdated: now }),
      },
    }),
    holds: caller.holds,
    event: (onlyIf: RawBuilder<unknown>) =>
      auditAppendCtes(
        dataAccessEvent(caller, {
          category: kind.category,
          action: 'write',
          outcome: 'permit',
          operation: 'Observation.create',
        }),
        { onlyIf },
      ).ctes,
  };
  // One statement; a second only when another push created the same new device meanwhile (it is found then).
  const stored = (await store.storePush(ctx.db, write)) ?? (await store.storePush(ctx.db, write));
  if (stored === 'stale') throw staleFacts();
  if (!stored) throw new Error('the device of the push was neither created nor found');
  const outcomes: Array<WriteOutcome & { index: number }> = [
    {
      index: plan.observation.index,
      type: 'Observation',
      id: observationId,
      versionId: 1,
      lastUpdated: now,
      created: true,
    },
  ];
  if (plan.device && stored.device)
    outcomes.push({ index: plan.device.index, type: 'Device', ...stored.device });
  outcomes.sort((a, b) => a.index - b.index);
  return { status: 200, body: transactionResponse(newId(), outcomes, now) };
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── search ──────────────────────────────────────────────────────────────────

/**
 * GET /fhir/Observation as MES specifies it: one code, the caller's own idPe, "all" (a period, paged) or
 * "last" (`_sort=-date&_count=1`), devices included on demand. One indexed query gives the page and, in
 * "all" mode, the total; one more reads the page's devices. Records one read access event.
 */
export async function searchMeasures(
  ctx: AppContext,
  caller: DataCaller,
  query: ReadonlyArray<readonly [string, string]>,
): Promise<Json> {
  const parsed = parseSearch(query, measureCategories(ctx));
  if (!parsed.ok) throw requestNotValid(parsed.diagnostics);
  const search = parsed.search;
  const system = idPeSystemOf(ctx.config);
  if (search.subject.system !== undefined && search.subject.system !== system) {
    throw requestNotValid(`subject.identifier system must be ${system} (<system>|<idPe>).`);
  }
  if (search.subject.value !== caller.idPe) throw idPeMismatch();
  const decision = bmiAwareDecision(ctx, caller, search.code);
  const operation = 'Observation.search';
  if (!decision.permit) {
    await recordDataAccess(ctx.db, caller, {
      category: search.category,
      action: 'read',
      outcome: 'deny',
      reason: decision.reason,
      operation,
    });
    throw consentRefused();
  }
  const window = {
    citizenId: caller.citizenId,
    ...(search.from ? { from: search.from } : {}),
    ...(search.to ? { to: search.to } : {}),
    limit: search.count,
    offset: search.page * search.count,
    withTotal: search.mode === 'all',
  };
  const access = { category: search.category, action: 'read', outcome: 'permit', operation } as const;
  if (search.code === BMI_CODE) {
    // The read and its access event side by side (two connections of the pool).
    return searchBmi(ctx, search, window, recordDataAccess(ctx.db, caller, access));
  }
  // The page and its access event in one statement, while the caller's facts hold.
  const page = await store.searchPage(ctx.db, {
    ...window,
    code: search.code,
    holds: caller.holds,
    event: (onlyIf) => auditAppendCtes(dataAccessEvent(caller, access), { onlyIf }).ctes,
  });
  if (page === 'stale') throw staleFacts();
  const deviceIds = search.includeDevice
    ? page.rows.map((r) => r.deviceId).filter((id): id is string => id !== null)
    : [];
  const devices = await store.devicesOf(ctx.db, caller.citizenId, deviceIds);
  return searchBundle({
    id: newId(),
    base: fhirBase(ctx),
    search,
    total: page.total ?? page.rows.length,
    observations: page.rows.map((r) => r.resource),
    devices,
    now: new Date(),
  });
}

/**
 * The consent decision of a read of `code`. A BMI is computed from a weight and a height: it reveals both, so
 * it needs the read consent of both categories.
 */
function bmiAwareDecision(ctx: AppContext, caller: DataCaller, code: string): Decision {
  const categories = measureCategories(ctx);
  const category = categoryOfCode(categories, code) ?? '';
  const decision = caller.decide(category, 'read');
  if (!decision.permit || code !== BMI_CODE) return decision;
  return caller.decide(categoryOfCode(categories, HEIGHT_CODE) ?? '', 'read');
}

/** The BMI search: each weight with the height measured last before it, computed as MES does on read. */
async function searchBmi(
  ctx: AppContext,
  search: MeasureSearch,
  window: Omit<store.PageQuery, 'code'>,
  recorded: Promise<void>,
): Promise<Json> {
  const [page] = await Promise.all([
    store.bmiPage(ctx.db, { ...window, weightCode: WEIGHT_CODE, heightCode: HEIGHT_CODE }),
    recorded,
  ]);
  const observations = page.rows.map(bmiObservation).filter((o): o is Json => o !== undefined);
  return searchBundle({
    id: newId(),
    base: fhirBase(ctx),
    search,
    total: page.total ?? observations.length,
    observations,
    devices: [],
    now: new Date(),
  });
}

// ── reads ───────────────────────────────────────────────────────────────────

export interface ReadResult {
  resource: Json;
  versionId: number;
  lastUpdated: Date;
}

/**
 * One of the caller's citizen's observations of a category the caller may read, and records the read; 404
 * the same for an absent id, another citizen's or a category not consented (the refusal is recorded).
 */
async function readableObservation(
  ctx: AppContext,
  caller: DataCaller,
  id: string,
  operation: string,
): Promise<store.ObservationRow> {
  const row = isResourceId(id) ? await store.observationOf(ctx.db, caller.citizenId, id) : undefined;
  if (!row) throw notFound('Observation', id);
  const decision = caller.decide(row.category, 'read');
  await recordDataAccess(ctx.db, caller, {
    category: row.category,
    action: 'read',
    outcome: decision.permit ? 'permit' : 'deny',
    ...(decision.permit ? {} : { reason: decision.reason }),
    operation,
  });
  if (!decision.permit) throw notFound('Observation', id);
  return row;
}

/** GET /fhir/Observation/:id (a computed BMI, `bmi-<weight id>`, is read as it is searched). */
export async function readObservation(ctx: AppContext, caller: DataCaller, id: string): Promise<ReadResult> {
  if (id.startsWith(BMI_ID_PREFIX)) return readBmi(ctx, caller, id);
  const row = await readableObservation(ctx, caller, id, 'Observation.read');
  return { resource: row.resource, versionId: row.versionId, lastUpdated: row.lastUpdated };
}

/** A computed BMI by id: 404 as for any observation when its weight or height is not readable. */
async function readBmi(ctx: AppContext, caller: DataCaller, id: string): Promise<ReadResult> {
  const weightId = id.slice(BMI_ID_PREFIX.length);
  const source = isResourceId(weightId)
    ? await store.bmiSourceOf(ctx.db, {
        citizenId: caller.citizenId,
        weightId,
        weightCode: WEIGHT_CODE,
        heightCode: HEIGHT_CODE,
      })
    : undefined;
  const resource = source && bmiObservation(source);
  if (!source || !resource) throw notFound('Observation', id);
  const decision = bmiAwareDecision(ctx, caller, BMI_CODE);
  await recordDataAccess(ctx.db, caller, {
    category: categoryOfCode(measureCategories(ctx), BMI_CODE) ?? '',
    action: 'read',
    outcome: decision.permit ? 'permit' : 'deny',
    ...(decision.permit ? {} : { reason: decision.reason }),
    operation: 'Observation.read',
  });
  if (!decision.permit) throw notFound('Observation', id);
  const lastUpdated = new Date(String((resource.meta as Json).lastUpdated));
  return { resource, versionId: 1, lastUpdated };
}

/** GET /fhir/Observation/:id/_history */
export async function observationHistory(ctx: AppContext, caller: DataCaller, id: string): Promise<Json> {
  await readableObservation(ctx, caller, id, 'Observation.history');
  const versions = await store.versionsOf(ctx.db, caller.citizenId, 'Observation', id);
  return historyBundle({ id: newId(), base: fhirBase(ctx), type: 'Observation', versions, now: new Date() });
}

/** GET /fhir/Observation/:id/_history/:vid */
export async function observationVersion(
  ctx: AppContext,
  caller: DataCaller,
  id: string,
  vid: string,
): Promise<ReadResult> {
  await readableObservation(ctx, caller, id, 'Observation.vread');
  const versionId = /^[1-9]\d{0,8}$/.test(vid) ? Number(vid) : undefined;
  const [version] = versionId
    ? await store.versionsOf(ctx.db, caller.citizenId, 'Observation', id, versionId)
    : [];
  if (!version) throw notFound('Observation', `${id}/_history/${vid}`);
  return version;
}

/**
 * GET /fhir/Device/:id: a device of the caller's citizen that one of their observations of a category the
 * caller may read names; 404 otherwise.
 */
export async function readDevice(ctx: AppContext, caller: DataCaller, id: string): Promise<ReadResult> {
  const device = isResourceId(id)
    ? await store.linkedDevice(ctx.db, caller.citizenId, id, caller.readableCategories())
    : undefined;
  if (!device) throw notFound('Device', id);
  await recordDataAccess(ctx.db, caller, {
    category: device.category,
    action: 'read',
    outcome: 'permit',
    operation: 'Device.read',
  });
  return { resource: device.resource, versionId: device.versionId, lastUpdated: device.lastUpdated };
}

// ── the citizen's own measures (their space, export, erasure) ───────────────

export interface MeasureRow {
  id: string;
  category: string;
  code: string;
  effectiveAt: Date;
  values: MeasureValue[];
  serviceOid: string;
  serviceName?: string;
}

/** A citizen's measures, newest first, of a category and a period when given (`to` excluded). */
export async function measuresOf(
  db: Db,
  citizenId: string,
  filter: { category?: string; from?: Date; to?: Date; limit: number },
): Promise<MeasureRow[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit) || 50, 1), 1000);
  const rows = await store.observationsOfCitizen(db, citizenId, { ...filter, limit });
  const names = new Map<string, string>();
  for (const oid of new Set(rows.map((r) => r.serviceOid))) {
    const service = await serviceForConsent(db, oid);
    if (service) names.set(oid, service.name);
  }
  return rows.map((r) => {
    const name = names.get(r.serviceOid);
    return {
      id: r.id,
      category: r.category,
      code: r.code,
      effectiveAt: r.effectiveAt,
      values: valuesOf(r.resource),
      serviceOid: r.serviceOid,
      ...(name ? { serviceName: name } : {}),
    };
  });
}

/** How many measures a citizen has per data category, and the date of the newest. */
export function measureCategoriesOf(
  db: Db,
  citizenId: string,
): Promise<Array<{ category: string; count: number; last: Date }>> {
  return store.categoryCounts(db, citizenId);
}

/** Erases a citizen's measures, devices and their versions in the caller's transaction; how many measures. */
export function eraseMeasures(trx: Db, citizenId: string): Promise<number> {
  return store.eraseCitizen(trx, citizenId);
}

/** A citizen's measures and devices as stored (FHIR R4 Observation and Device resources). */
export async function measuresForExport(db: Db, citizenId: string): Promise<Json[]> {
  const { observations, devices } = await store.allResourcesOf(db, citizenId);
  return [...observations, ...devices];
}
