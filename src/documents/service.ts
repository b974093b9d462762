/**
 * The documents API's use cases (PDSm, IHE MHD): ITI-65 provide, ITI-67 search, reads by id and history,
 * ITI-68 retrieve. Each checks in the order MES answers (validator, the caller's OID, the patient, consent),
 * writes in one transaction with its access event, and answers FHIR resources.
 */
import type { AppContext } from '../app.ts';
import { serviceForConsent } from '../consent/index.ts';
import { type FhirError, notFound, requestNotValid, unprocessable } from '../fhir/api/errors.ts';
import { type DataCaller, idPeSystemOf, recordDataAccess } from '../fhir/api/gate.ts';
import { type Outcome, toOperationOutcome, type ValidationIssue, validateResource } from '../fhir/index.ts';
import { checkMetaSourceUnderRoot } from '../fhir/validation/mes-rules.ts';
import { consentRefused, idPeMismatch } from '../oauth/index.ts';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { type Locale, translator } from '../platform/i18n.ts';
import { documentsMessages } from './messages.ts';
import {
  binaryResource,
  DOCUMENTS_CATEGORY,
  dateRange,
  documentColumns,
  type EntryOutcome,
  fileNameOf,
  type Problem,
  parseDocumentSearch,
  patientProblems,
  planProvide,
  SERVER_ID,
  searchsetBundle,
  stamp,
  supersede,
  transactionResponse,
  unsupportedEntries,
} from './model.ts';
import * as store from './store.ts';

type Json = Record<string, unknown>;
type Ctx = Pick<AppContext, 'db' | 'config'>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** 422 with the problems, each as an issue with its text for a person and MES-style diagnostics. */
function refused(problems: readonly Problem[], locale: Locale): FhirError {
  const t = translator(documentsMessages, locale);
  const outcome: Outcome = {
    resourceType: 'OperationOutcome',
    issue: problems.map((problem) => ({
      severity: 'error',
      code: problem.code,
      details: { text: t(problem.messageKey, problem.params) },
      diagnostics: problem.diagnostics,
      expression: [problem.expression],
    })),
  };
  return unprocessable(outcome);
}

/** meta.source of each resource must sit under the caller's OID (MES's rule, named for the resource's type). */
function metaSourceIssues(bundle: Json, serviceOid: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  entries.forEach((entry, index) => {
    if (!isObject(entry) || !isObject(entry.resource)) return;
    const resource = entry.resource;
    const before = issues.length;
    checkMetaSourceUnderRoot(resource, `Bundle.entry[${index}].resource`, serviceOid, issues);
    const type = String(resource.resourceType);
    for (const issue of issues.slice(before)) {
      if (issue.mes) {
        issue.mes = {
          message: `${type} resource not valid.`,
          diagnostic: issue.mes.diagnostic.replace('Observation.meta.source', `${type}.meta.source`),
        };
      }
    }
  });
  return issues;
}

// ── ITI-65: provide ─────────────────────────────────────────────────────────

/**
 * Stores an ITI-65 provide bundle for the caller's citizen: everything or nothing, with the access event in
 * the same transaction. Answers 200 with a transaction-response, one entry per request entry in order.
 */
export async function provideDocuments(
  ctx: Ctx,
  caller: DataCaller,
  bundle: Record<string, unknown>,
  locale: Locale,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const validation = validateResource(bundle, { rules: 'mes' });
  if (!validation.valid) throw unprocessable(toOperationOutcome(validation.issues, locale));
  const sourceIssues = metaSourceIssues(bundle, caller.serviceOid);
  if (sourceIssues.length > 0) throw unprocessable(toOperationOutcome(sourceIssues, locale));
  const unsupported = unsupportedEntries(bundle);
  if (unsupported.length > 0) throw refused(unsupported, locale);
  const { plan, problems: planProblems } = planProvide(bundle, newId);
  if (planProblems.length > 0) throw refused(planProblems, locale);
  const patient = patientProblems(bundle, idPeSystemOf(ctx.config), caller.idPe);
  if (patient.problems.length > 0) throw refused(patient.problems, locale);
  if (patient.mismatch) throw idPeMismatch();
  const operation = 'DocumentReference.provide';
  const decision = caller.decide(DOCUMENTS_CATEGORY, 'write');
  if (!decision.permit) {
    await recordDataAccess(ctx.db, caller, {
      category: DOCUMENTS_CATEGORY,
      action: 'write',
      outcome: 'deny',
      reason: decision.reason,
      operation,
    });
    throw consentRefused();
  }

  const now = new Date();
  const citizenId = caller.citizenId;
  const outcomes = await ctx.db.transaction().execute(async (trx) => {
    const done = new Map<number, EntryOutcome>();
    const version = (resourceType: string, id: string, versionId: number, resource: Json) =>
      store.insertVersion(trx, { resourceType, id, versionId, citizenId, lastUpdated: now, resource });

    const known = await store.citizenDocumentIds(
      trx,
      citizenId,
      plan.storedItems.map((item) => item.id),
    );
    const foreign = plan.storedItems.filter((item) => !known.has(item.id));
    if (foreign.length > 0) {
      throw refused(
        foreign.map((item) => ({
          code: 'invalid',
          messageKey: 'documents.problem.item_unknown',
          params: { reference: `DocumentReference/${item.id}` },
          diagnostics: `List.entry.item DocumentReference/${item.id} does not name a document of this bundle or of this patient.`,
          expression: item.expression,
        })),
        locale,
      );
    }

    // Replacements first: each names a current document of the citizen, which becomes superseded.
    for (const document of plan.documents) {
      for (const target of document.replaces) {
        const replaced = await store.currentDocumentForUpdate(trx, citizenId, target);
        const expression = `Bundle.entry[${document.index}].resource.relatesTo[${target.relation}].target`;
        if (!replaced) {
          throw refused(
            [
              {
                code: 'invalid',
                messageKey: 'documents.problem.replaced_unknown',
                params: { target: target.text },
                diagnostics: `DocumentReference.relatesTo.target ${target.text} does not name a current document of this patient.`,
                expression,
              },
            ],
            locale,
          );
        }
        const relation = (document.resource.relatesTo as Json[])[target.relation];
        relation.target = { ...(relation.target as Json), reference: `DocumentReference/${replaced.id}` };
        const versionId = replaced.versionId + 1;
        const resource = supersede(replaced.resource, versionId, now);
        await store.updateDocumentStatus(trx, {
          id: replaced.id,
          citizenId,
          status: 'superseded',
          versionId,
          lastUpdated: now,
          resource,
        });
        await version('DocumentReference', replaced.id, versionId, resource);
      }
    }

    for (const binary of plan.binaries) {
      await store.insertBinary(trx, {
        ...binary,
        citizenId,
        serviceOid: caller.serviceOid,
        createdAt: now,
      });
      done.set(binary.index, {
        type: 'Binary',
        id: binary.id,
        versionId: 1,
        lastUpdated: now,
        created: true,
      });
    }

    for (const document of plan.documents) {
      const resource = stamp(document.resource, 'DocumentReference', document.id, 1, now);
      const columns = documentColumns(resource);
      const inserted = await store.insertDocument(trx, {
        id: document.id,
        citizenId,
        serviceOid: caller.serviceOid,
        columns,
        binaryId: document.binaryId,
        versionId: 1,
        lastUpdated: now,
        resource,
      });
      if (!inserted) {
        const identifier = columns.masterIdentifier ?? '';
        throw refused(
          [
            {
              code: 'business-rule',
              messageKey: 'documents.problem.duplicate',
              params: { identifier },
              diagnostics: `A document with masterIdentifier ${identifier} already exists for this patient.`,
              expression: `Bundle.entry[${document.index}].resource.masterIdentifier`,
            },
          ],
          locale,
        );
      }
      await version('DocumentReference', document.id, 1, resource);
      done.set(document.index, {
        type: 'DocumentReference',
        id: document.id,
        versionId: 1,
        lastUpdated: now,
        created: true,
      });
    }

    for (const list of plan.lists) {
      let versionId = 1;
      if (list.method === 'PUT') {
        const current = await store.folderVersionForUpdate(trx, citizenId, list.id);
        if (current === undefined) {
          throw refused(
            [
              {
                code: 'invalid',
                messageKey: 'documents.problem.folder_unknown',
                params: { url: `List/${list.id}` },
                diagnostics: `List/${list.id} is not a folder of this patient.`,
                expression: `Bundle.entry[${list.index}].request.url`,
              },
            ],
            locale,
          );
        }
        versionId = current + 1;
      }
      const resource = stamp(list.resource, 'List', list.id, versionId, now);
      const row = {
        id: list.id,
        citizenId,
        status: String(resource.status),
        date: typeof resource.date === 'string' ? (dateRange(resource.date)?.start ?? null) : null,
        versionId,
        lastUpdated: now,
        resource,
      };
      if (list.method === 'PUT') await store.updateList(trx, row);
      else await store.insertList(trx, { ...row, serviceOid: caller.serviceOid, kind: list.kind });
      await version('List', list.id, versionId, resource);
      done.set(list.index, {
        type: 'List',
        id: list.id,
        versionId,
        lastUpdated: now,
        created: versionId === 1,
      });
    }

    await recordDataAccess(trx, caller, {
      category: DOCUMENTS_CATEGORY,
      action: 'write',
      outcome: 'permit',
      operation,
    });
    return plan.entries.map((_, index) => done.get(index) as EntryOutcome);
  });
  return { status: 200, body: transactionResponse(outcomes) };
}

// ── reads ───────────────────────────────────────────────────────────────────

/**
 * Whether the caller may read documents now; records the call (one access event). A refusal is recorded
 * with its reason.
 */
async function mayRead(ctx: Ctx, caller: DataCaller, operation: string): Promise<boolean> {
  const decision = caller.decide(DOCUMENTS_CATEGORY, 'read');
  await recordDataAccess(ctx.db, caller, {
    category: DOCUMENTS_CATEGORY,
    action: 'read',
    outcome: decision.permit ? 'permit' : 'deny',
    ...(decision.permit ? {} : { reason: decision.reason }),
    operation,
  });
  return decision.permit;
}

/** ITI-67: the caller's citizen's documents matching a search, as a searchset Bundle. */
export async function searchDocuments(
  ctx: Ctx,
  caller: DataCaller,
  pairs: ReadonlyArray<[string, string]>,
): Promise<Json> {
  const parsed = parseDocumentSearch(pairs, idPeSystemOf(ctx.config));
  if (!parsed.ok) throw requestNotValid(parsed.diagnostics);
  if (parsed.search.idPe !== caller.idPe) throw idPeMismatch();
  if (!(await mayRead(ctx, caller, 'DocumentReference.search'))) throw consentRefused();
  const { total, resources } = await store.searchDocuments(ctx.db, caller.citizenId, parsed.search);
  return searchsetBundle({
    base: `${ctx.config.publicUrl}/fhir`,
    pairs,
    search: parsed.search,
    total,
    resources,
  });
}

/** A resource as read: its JSON, version and last update (for ETag and Last-Modified). */
export interface ReadResult {
  resource: Json;
  versionId: number;
  lastUpdated: Date;
}

/** The caller's citizen's document (any status); 404 otherwise, or without consent to read documents. */
export async function readDocument(ctx: Ctx, caller: DataCaller, id: string): Promise<ReadResult> {
  const permitted = await mayRead(ctx, caller, 'DocumentReference.read');
  const found =
    permitted && SERVER_ID.test(id) ? await store.documentById(ctx.db, caller.citizenId, id) : undefined;
  if (!found) throw notFound('DocumentReference', id);
  return found;
}

/** The versions of one of the caller's citizen's documents, newest first, as a history Bundle. */
export async function documentHistory(ctx: Ctx, caller: DataCaller, id: string): Promise<Json> {
  const permitted = await mayRead(ctx, caller, 'DocumentReference.history');
  const versions =
    permitted && SERVER_ID.test(id)
      ? await store.versionsOf(ctx.db, caller.citizenId, 'DocumentReference', id)
      : [];
  if (versions.length === 0) throw notFound('DocumentReference', id);
  const base = `${ctx.config.publicUrl}/fhir`;
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    link: [{ relation: 'self', url: `${base}/DocumentReference/${id}/_history` }],
    entry: versions.map((v) => ({
      fullUrl: `${base}/DocumentReference/${id}/_history/${v.versionId}`,
      resource: v.resource,
      request: { method: v.versionId === 1 ? 'POST' : 'PUT', url: `DocumentReference/${id}` },
      response: {
        status: v.versionId === 1 ? '201 Created' : '200 OK',
        etag: `W/"${v.versionId}"`,
        lastModified: v.lastUpdated.toISOString(),
      },
    })),
  };
}

/** One version of one of the caller's citizen's documents. */
export async function documentVersion(
  ctx: Ctx,
  caller: DataCaller,
  id: string,
  versionId: string,
): Promise<ReadResult> {
  const permitted = await mayRead(ctx, caller, 'DocumentReference.vread');
  const valid = SERVER_ID.test(id) && /^[1-9]\d{0,8}$/.test(versionId);
  const [found] =
    permitted && valid
      ? await store.versionsOf(ctx.db, caller.citizenId, 'DocumentReference', id, Number(versionId))
      : [];
  if (!found) throw notFound('DocumentReference', `${id}/_history/${versionId}`);
  return found;
}

/** A submission set or folder of the caller's citizen. */
export async function readList(ctx: Ctx, caller: DataCaller, id: string): Promise<ReadResult> {
  const permitted = await mayRead(ctx, caller, 'List.read');
  const found =
    permitted && SERVER_ID.test(id) ? await store.listById(ctx.db, caller.citizenId, id) : undefined;
  if (!found) throw notFound('List', id);
  return found;
}

/** ITI-68: the bytes of one of the caller's citizen's documents. */
export async function readBinary(ctx: Ctx, caller: DataCaller, id: string): Promise<store.StoredBinary> {
  const permitted = await mayRead(ctx, caller, 'Binary.read');
  const found =
    permitted && SERVER_ID.test(id) ? await store.binaryById(ctx.db, caller.citizenId, id) : undefined;
  if (!found) throw notFound('Binary', id);
  return found;
}

// ── the citizen's own space ─────────────────────────────────────────────────

/** One of a citizen's documents as their space lists it. */
export interface CitizenDocument {
  id: string;
  title: string;
  typeLabel?: string;
  date: Date;
  contentType: string;
  size: number;
  serviceOid: string;
  serviceName?: string;
  binaryId: string;
}

function typeLabelOf(resource: Json): string | undefined {
  const type = isObject(resource.type) ? resource.type : undefined;
  if (!type) return undefined;
  if (typeof type.text === 'string') return type.text;
  const coding = Array.isArray(type.coding)
    ? type.coding.find((c) => isObject(c) && typeof c.display === 'string')
    : undefined;
  return isObject(coding) ? String(coding.display) : undefined;
}

function attachmentOf(resource: Json): Json {
  const content = Array.isArray(resource.content) ? resource.content[0] : undefined;
  return isObject(content) && isObject(content.attachment) ? content.attachment : {};
}

/** The citizen's current documents (a replaced one gives way to its replacement), newest first. */
/** How many documents `documentsOf` lists for the citizen, all pages together. */
export async function documentCountOf(db: Db, citizenId: string): Promise<number> {
  return store.currentDocumentCount(db, citizenId);
}

export async function documentsOf(
  db: Db,
  citizenId: string,
  page: { limit: number; offset: number },
): Promise<CitizenDocument[]> {
  const rows = await store.currentDocumentsOf(db, citizenId, page);
  const names = new Map<string, string | undefined>();
  for (const oid of new Set(rows.map((row) => row.serviceOid)))
    names.set(oid, (await serviceForConsent(db, oid))?.name);
  return rows
    .filter((row) => row.binaryId !== null)
    .map((row) => {
      const attachment = attachmentOf(row.resource);
      const typeLabel = typeLabelOf(row.resource);
      const title =
        (typeof attachment.title === 'string' && attachment.title) ||
        (typeof row.resource.description === 'string' && row.resource.description) ||
        typeLabel ||
        'Document';
      const meta = isObject(row.resource.meta) ? row.resource.meta : {};
      const serviceName = names.get(row.serviceOid);
      return {
        id: row.id,
        title,
        ...(typeLabel ? { typeLabel } : {}),
        date: row.date ?? new Date(String(meta.lastUpdated)),
        contentType: row.contentType ?? String(attachment.contentType ?? 'application/octet-stream'),
        size: row.size ?? 0,
        serviceOid: row.serviceOid,
        ...(serviceName ? { serviceName } : {}),
        binaryId: row.binaryId as string,
      };
    });
}

/** The file of one of the citizen's documents, to download; undefined when it is not theirs. */
export async function documentFile(
  db: Db,
  citizenId: string,
  documentId: string,
): Promise<{ contentType: string; data: Buffer; filename: string } | undefined> {
  if (!SERVER_ID.test(documentId)) return undefined;
  const document = await store.documentById(db, citizenId, documentId);
  if (!document?.binaryId) return undefined;
  const binary = await store.binaryById(db, citizenId, document.binaryId);
  if (!binary) return undefined;
  const title = attachmentOf(document.resource).title;
  return {
    contentType: binary.contentType,
    data: binary.data,
    filename: fileNameOf(typeof title === 'string' ? title : undefined, binary.contentType),
  };
}

/** Erases every document of the citizen (files, lists, versions) in the caller's transaction; how many. */
export async function eraseDocuments(trx: Db, citizenId: string): Promise<number> {
  return store.eraseAll(trx, citizenId);
}

/** The citizen's documents as FHIR resources: every DocumentReference, then every Binary with its bytes. */
export async function documentsForExport(db: Db, citizenId: string): Promise<Json[]> {
  const { documents, binaries } = await store.allOf(db, citizenId);
  return [...documents.map((document) => document.resource), ...binaries.map(binaryResource)];
}
