/**
 * Use cases of the guided pathway: deciding an outcome from answers (with the newest referential for the
 * workload), listing the services an actor may save it onto, saving it (rights, row and audit event in one
 * transaction) and reading a service's latest outcome.
 */
import { appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/model.ts';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { badRequest, forbidden, notFound } from '../platform/errors.ts';
import {
  getProduct,
  listProductsOf,
  mayEditProduct,
  mayViewProduct,
  type Product,
} from '../product/index.ts';
import type { Referentials } from '../referential/index.ts';
import {
  decideOutcome,
  type PathwayAnswers,
  type PathwayOutcome,
  type PathwayRules,
  progress,
} from './model.ts';
import { findLatestOutcome, insertOutcome, type SavedOutcome } from './store.ts';

export interface PathwayDeps {
  db: Db;
  rules: PathwayRules;
  referentials: Referentials;
}

/** The outcome for complete answers, with the workload counted in the newest referential version. */
export function outcomeFor(
  deps: Pick<PathwayDeps, 'rules' | 'referentials'>,
  answers: PathwayAnswers,
): PathwayOutcome {
  const version = deps.referentials.versions.length > 0 ? deps.referentials.newest() : undefined;
  return decideOutcome(deps.rules, answers, version);
}

/** The services of the actor's organisations it may change (those it may save an outcome onto). */
export async function productsForSaving(deps: PathwayDeps, actor: Actor): Promise<Product[]> {
  if (actor.kind !== 'account') return [];
  const organisations = actor.memberships
    .map((m) => m.organisationId)
    .filter((id) => !actor.apiTokenOrganisationId || id === actor.apiTokenOrganisationId);
  const products: Product[] = [];
  for (const organisationId of organisations) {
    for (const product of await listProductsOf(deps.db, organisationId)) {
      if (mayEditProduct(actor, product)) products.push(product);
    }
  }
  return products;
}

/**
 * Saves the outcome of these answers onto a service: the answers must be complete, the actor must be allowed
 * to change the service. The row and its audit event are written together.
 */
export async function saveOutcome(
  deps: PathwayDeps,
  actor: Actor,
  productId: string,
  answers: PathwayAnswers,
): Promise<{ product: Product; outcome: PathwayOutcome; id: string }> {
  const product = await getProduct(deps.db, productId);
  // A service of another organisation is not said to exist (as the product module answers).
  if (!product || !mayViewProduct(actor, product)) throw notFound('pathway.error.no_product');
  if (!mayEditProduct(actor, product)) throw forbidden();
  if (!progress(deps.rules, answers).done) throw badRequest('pathway.error.incomplete');
  const outcome = outcomeFor(deps, answers);
  const id = newId();
  const accountId = actor.kind === 'account' ? actor.accountId : null;
  await deps.db.transaction().execute(async (trx) => {
    await insertOutcome(trx, { id, productId: product.id, answers, outcome, savedBy: accountId });
    await appendAuditEvent(trx, {
      actorType: accountId ? 'account' : 'anonymous',
      actorId: accountId,
      action: 'pathway.outcome_saved',
      subjectType: 'product',
      subjectId: product.id,
      data: {
        outcomeId: id,
        organisationId: product.organisationId,
        rulesVersion: outcome.rulesVersion,
        verdict: outcome.verdict,
        reason: outcome.reason.ruleId,
        typology: outcome.typology?.id ?? null,
      },
    });
  });
  return { product, outcome, id };
}

/** The newest outcome saved onto a service (no rights checked: for the services pages, which check theirs). */
export function latestOutcome(db: Db, productId: string): Promise<SavedOutcome | undefined> {
  return findLatestOutcome(db, productId);
}

/** A service and its latest outcome, for someone allowed to see the service. */
export async function viewOutcome(
  deps: PathwayDeps,
  actor: Actor,
  productId: string,
): Promise<{ product: Product; saved?: SavedOutcome }> {
  const product = await getProduct(deps.db, productId);
  if (!product || !mayViewProduct(actor, product)) throw notFound('pathway.error.no_product');
  return { product, saved: await findLatestOutcome(deps.db, product.id) };
}
