import { appendAuditEvent } from '../audit/index.ts';
import { type Actor, authorize, listOrganisationsOf, type OrganisationOfAccount } from '../identity/index.ts';
import type { Config } from '../platform/config.ts';
import { newId, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import {
  altTextProblem,
  changedFields,
  detectImageType,
  fieldsOf,
  type ImageKind,
  imageProblem,
  inputOf,
  MAX_SCREENSHOTS,
  mayEditProduct,
  mayViewProduct,
  type Product,
  type ProductImage,
  type ProductInput,
  validateProduct,
} from './model.ts';
import * as store from './store.ts';

export interface ProductDeps {
  db: Db;
  config: Pick<Config, 'productImageMaxBytes'>;
}

/**
 * An update based on a version of the service that is no longer the current one. It carries the current
 * service so the person (or program) sees the colleague's change before deciding again.
 */
export class ProductConflict extends AppError {
  readonly current: Product;
  constructor(current: Product) {
    super('conflict', 409, 'product.conflict', { version: current.rowVersion });
    this.current = current;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

function check(actor: Actor, action: 'product.view' | 'product.edit', organisationId: string): void {
  const decision = authorize(actor, action, { organisationId });
  if (decision.allowed) return;
  if (decision.reason === 'unauthenticated')
    throw new AppError('unauthenticated', 401, 'error.unauthenticated');
  if (decision.reason === 'second_factor_required')
    throw new AppError('second_factor_required', 403, 'error.second_factor_required');
  throw forbidden();
}

async function audit(
  trx: Db,
  actor: Actor,
  action: string,
  productId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: actor.kind === 'account' ? 'account' : 'anonymous',
    actorId: actor.kind === 'account' ? actor.accountId : null,
    action,
    subjectType: 'product',
    subjectId: productId,
    data,
  });
}

const accountIdOf = (actor: Actor) => (actor.kind === 'account' ? actor.accountId : null);

/** An organisation that is suspended keeps its services as they are: none is created or changed. */
async function ensureActiveOrganisation(db: Db, actor: Actor, organisationId: string): Promise<void> {
  if (actor.kind !== 'account') throw forbidden();
  const organisation = (await listOrganisationsOf(db, actor.accountId)).find((o) => o.id === organisationId);
  if (!organisation) throw forbidden();
  if (organisation.status !== 'active')
    throw new AppError('organisation_suspended', 409, 'product.organisation_suspended');
}

// ── reading ─────────────────────────────────────────────────────────────────

/** An organisation's services, for its members and staff. */
export async function listOrganisationProducts(
  deps: ProductDeps,
  actor: Actor,
  organisationId: string,
): Promise<Product[]> {
  if (!UUID.test(organisationId)) throw notFound();
  check(actor, 'product.view', organisationId);
  return store.listProducts(deps.db, organisationId);
}

export interface OrganisationProducts {
  organisation: OrganisationOfAccount;
  products: Product[];
}

/** The services of every organisation the person belongs to (the publisher's « Mes services »). */
export async function listMyProducts(deps: ProductDeps, actor: Actor): Promise<OrganisationProducts[]> {
  if (actor.kind !== 'account') return [];
  const organisations = (await listOrganisationsOf(deps.db, actor.accountId)).filter(
    (o) => !actor.apiTokenOrganisationId || o.id === actor.apiTokenOrganisationId,
  );
  const products = await store.listProductsOfOrganisations(
    deps.db,
    organisations.map((o) => o.id),
  );
  return organisations.map((organisation) => ({
    organisation,
    products: products.filter((p) => p.organisationId === organisation.id),
  }));
}

/** One service, for those who may see it. Unknown, and another organisation's, both answer 404. */
export async function getProductFor(deps: ProductDeps, actor: Actor, id: string): Promise<Product> {
  if (!UUID.test(id)) throw notFound();
  const product = await store.findProduct(deps.db, id);
  if (!product || !mayViewProduct(actor, product)) throw notFound();
  return product;
}

export async function listProductImages(
  deps: ProductDeps,
  actor: Actor,
  productId: string,
): Promise<ProductImage[]> {
  await getProductFor(deps, actor, productId);
  return store.listImages(deps.db, productId);
}

/** An image's bytes and what to serve them as. */
export async function productImageContent(
  deps: ProductDeps,
  actor: Actor,
  productId: string,
  imageId: string,
): Promise<{ image: ProductImage; content: Buffer }> {
  await getProductFor(deps, actor, productId);
  if (!UUID.test(imageId)) throw notFound();
  const found = await store.findImageContent(deps.db, productId, imageId);
  if (!found) throw notFound();
  return found;
}

// ── writing ─────────────────────────────────────────────────────────────────

/** Creates a service in an organisation the person belongs to. */
export async function createProduct(
  deps: ProductDeps,
  actor: Actor,
  organisationId: string,
  input: ProductInput,
): Promise<Product> {
  if (!UUID.test(organisationId)) throw notFound();
  check(actor, 'product.edit', organisationId);
  await ensureActiveOrganisation(deps.db, actor, organisationId);
  const checked = validateProduct(input);
  if (!checked.ok) throw validationFailed(checked.errors);
  const id = newId();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await store.insertProduct(trx, {
        id,
        organisationId,
        createdBy: accountIdOf(actor),
        fields: checked.fields,
      });
      await audit(trx, actor, 'product.created', id, { organisationId, ...checked.fields });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validationFailed({ commercialName: 'product.field.duplicate' });
    throw error;
  }
  return (await store.findProduct(deps.db, id)) as Product;
}

/**
 * Changes a service. `rowVersion` is the version the change was based on: when someone changed the
 * service since, nothing is written and the current service comes back in a ProductConflict. `changes`
 * holds only the fields to change; the others keep their current value.
 */
export async function updateProduct(
  deps: ProductDeps,
  actor: Actor,
  id: string,
  rowVersion: number,
  changes: Partial<ProductInput>,
): Promise<Product> {
  const seen = await getProductFor(deps, actor, id);
  if (!mayEditProduct(actor, seen)) throw forbidden();
  await ensureActiveOrganisation(deps.db, actor, seen.organisationId);
  try {
    await deps.db.transaction().execute(async (trx) => {
      const locked = await store.lockProduct(trx, id);
      // Gone, or moved out of reach, since it was read.
      if (!locked || locked.organisation_id !== seen.organisationId) throw notFound();
      const current = (await store.findProduct(trx, id)) as Product;
      if (locked.row_version !== rowVersion) throw new ProductConflict(current);
      const checked = validateProduct({ ...inputOf(current), ...changes });
      if (!checked.ok) throw validationFailed(checked.errors);
      const changed = changedFields(fieldsOf(current), checked.fields);
      if (changed.length === 0) return;
      if (!(await store.updateProduct(trx, id, rowVersion, checked.fields))) {
        throw new ProductConflict((await store.findProduct(trx, id)) as Product);
      }
      const after = checked.fields as unknown as Record<string, unknown>;
      await audit(trx, actor, 'product.updated', id, {
        fromVersion: rowVersion,
        toVersion: rowVersion + 1,
        changes: Object.fromEntries(changed.map((field) => [field, after[field]])),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validationFailed({ commercialName: 'product.field.duplicate' });
    throw error;
  }
  return (await store.findProduct(deps.db, id)) as Product;
}

/** For a change that touches the service's images: the service, its rights and its row lock. */
async function lockForImages(trx: Db, actor: Actor, productId: string): Promise<void> {
  const locked = await store.lockProduct(trx, productId);
  if (!locked) throw notFound();
  const target = { organisationId: locked.organisation_id };
  if (!mayViewProduct(actor, target)) throw notFound();
  if (!mayEditProduct(actor, target)) throw forbidden();
  await ensureActiveOrganisation(trx, actor, locked.organisation_id);
}

/**
 * Adds an image: a logo replaces the one before; screenshots are kept up to MAX_SCREENSHOTS. The type is
 * read from the bytes, whatever name or type the upload claimed.
 */
export async function addProductImage(
  deps: ProductDeps,
  actor: Actor,
  productId: string,
  upload: { kind: string; bytes: Buffer; altText?: string },
): Promise<ProductImage> {
  const seen = await getProductFor(deps, actor, productId);
  if (!mayEditProduct(actor, seen)) throw forbidden();
  const kind = upload.kind as ImageKind;
  if (kind !== 'logo' && kind !== 'screenshot') throw validationFailed({ kind: 'product.image.kind' });
  const problem = imageProblem(upload.bytes, deps.config.productImageMaxBytes);
  if (problem === 'product.image.too_large') {
    throw new AppError('payload_too_large', 413, problem, {
      max: Math.floor(deps.config.productImageMaxBytes / 1024),
    });
  }
  const errors: Record<string, string> = {};
  if (problem) errors.file = problem;
  const altText = (upload.altText ?? '').trim();
  const altProblem = altTextProblem(kind, altText);
  if (altProblem) errors.altText = altProblem;
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const mediaType = detectImageType(upload.bytes) as NonNullable<ReturnType<typeof detectImageType>>;
  const id = newId();
  const digest = sha256(upload.bytes);
  await deps.db.transaction().execute(async (trx) => {
    await lockForImages(trx, actor, productId);
    let position = 0;
    let replaced: string | undefined;
    if (kind === 'logo') {
      replaced = await store.deleteLogo(trx, productId);
    } else {
      const { count, last } = await store.countScreenshots(trx, productId);
      if (count >= MAX_SCREENSHOTS)
        throw new AppError('too_many_images', 409, 'product.image.too_many', { max: MAX_SCREENSHOTS });
      position = last + 1;
    }
    await store.insertImage(trx, {
      id,
      productId,
      kind,
      position,
      mediaType,
      sha256: digest,
      content: upload.bytes,
      altText: kind === 'logo' ? '' : altText,
      createdBy: accountIdOf(actor),
    });
    await store.touchProduct(trx, productId);
    await audit(trx, actor, 'product.image_added', productId, {
      imageId: id,
      kind,
      mediaType,
      sizeBytes: upload.bytes.length,
      sha256: digest,
      ...(replaced ? { replaced } : {}),
    });
  });
  const images = await store.listImages(deps.db, productId);
  return images.find((i) => i.id === id) as ProductImage;
}

export async function removeProductImage(
  deps: ProductDeps,
  actor: Actor,
  productId: string,
  imageId: string,
): Promise<void> {
  const seen = await getProductFor(deps, actor, productId);
  if (!mayEditProduct(actor, seen)) throw forbidden();
  if (!UUID.test(imageId)) throw notFound();
  await deps.db.transaction().execute(async (trx) => {
    await lockForImages(trx, actor, productId);
    const removed = await store.deleteImage(trx, productId, imageId);
    if (!removed) throw notFound();
    await store.touchProduct(trx, productId);
    await audit(trx, actor, 'product.image_removed', productId, { imageId, ...removed });
  });
}
