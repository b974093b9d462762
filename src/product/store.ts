import { type Selectable, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { ProductImageTable, ProductTable } from '../platform/db/schema.ts';
import {
  type ImageKind,
  type ImageMediaType,
  type Product,
  type ProductFields,
  type ProductImage,
  productDisplayName,
} from './model.ts';

type ProductRow = Selectable<ProductTable>;

const productColumns = [
  'p.id',
  'p.organisation_id',
  'p.commercial_name',
  'p.os',
  'p.device',
  'p.version',
  'p.description',
  'p.url_web',
  'p.url_ios',
  'p.url_android',
  'p.url_cgu',
  'p.url_privacy',
  'p.thematics',
  'p.regions',
  'p.audience',
  'p.economic_model',
  'p.medical_device',
  'p.medical_device_class',
  'p.data_exchange',
  'p.row_version',
  'p.created_by',
  'p.created_at',
  'p.updated_at',
] as const;

function toProduct(row: ProductRow & { has_logo: boolean; screenshot_count: number }): Product {
  const urls: Product['urls'] = {};
  if (row.url_web) urls.web = row.url_web;
  if (row.url_ios) urls.ios = row.url_ios;
  if (row.url_android) urls.android = row.url_android;
  if (row.url_cgu) urls.cgu = row.url_cgu;
  if (row.url_privacy) urls.privacy = row.url_privacy;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    commercialName: row.commercial_name,
    os: row.os,
    device: row.device,
    displayName: productDisplayName(row.commercial_name, row.os, row.device),
    version: row.version,
    description: row.description,
    urls,
    thematics: row.thematics,
    regions: row.regions,
    economicModel: row.economic_model,
    medicalDevice: row.medical_device
      ? { is: true, ...(row.medical_device_class ? { class: row.medical_device_class } : {}) }
      : { is: false },
    audience: row.audience,
    dataExchange: row.data_exchange,
    hasLogo: row.has_logo,
    screenshotCount: Number(row.screenshot_count),
    rowVersion: row.row_version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function selectProducts(db: Db) {
  return db
    .selectFrom('products as p')
    .select(productColumns)
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('product_images as i')
            .select('i.id')
            .whereRef('i.product_id', '=', 'p.id')
            .where('i.kind', '=', 'logo'),
        )
        .as('has_logo'),
      eb
        .selectFrom('product_images as i')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('i.product_id', '=', 'p.id')
        .where('i.kind', '=', 'screenshot')
        .as('screenshot_count'),
    ]);
}

type Raw = ProductRow & { has_logo: boolean | number; screenshot_count: number | null };
const fromRaw = (row: Raw) =>
  toProduct({ ...row, has_logo: Boolean(row.has_logo), screenshot_count: row.screenshot_count ?? 0 });

/** One service, or undefined. */
export async function findProduct(db: Db, id: string): Promise<Product | undefined> {
  const row = await selectProducts(db).where('p.id', '=', id).executeTakeFirst();
  return row ? fromRaw(row) : undefined;
}

export async function listProducts(db: Db, organisationId: string): Promise<Product[]> {
  const rows = await selectProducts(db)
    .where('p.organisation_id', '=', organisationId)
    .orderBy(sql`lower(p.commercial_name)`)
    .orderBy('p.os')
    .orderBy('p.device')
    .execute();
  return rows.map((row) => fromRaw(row));
}

export async function listProductsOfOrganisations(db: Db, organisationIds: string[]): Promise<Product[]> {
  if (organisationIds.length === 0) return [];
  const rows = await selectProducts(db)
    .where('p.organisation_id', 'in', organisationIds)
    .orderBy(sql`lower(p.commercial_name)`)
    .orderBy('p.os')
    .orderBy('p.device')
    .execute();
  return rows.map((row) => fromRaw(row));
}

/** Takes the row lock of a service for the rest of the transaction; its version as it stands. */
export async function lockProduct(
  db: Db,
  id: string,
): Promise<{ organisation_id: string; row_version: number } | undefined> {
  return db
    .selectFrom('products')
    .select(['organisation_id', 'row_version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

function columnsOf(fields: ProductFields) {
  return {
    commercial_name: fields.commercialName,
    os: fields.os,
    device: fields.device,
    version: fields.version,
    description: fields.description,
    url_web: fields.urls.web ?? null,
    url_ios: fields.urls.ios ?? null,
    url_android: fields.urls.android ?? null,
    url_cgu: fields.urls.cgu ?? null,
    url_privacy: fields.urls.privacy ?? null,
    thematics: JSON.stringify(fields.thematics),
    regions: JSON.stringify(fields.regions),
    audience: JSON.stringify(fields.audience),
    economic_model: fields.economicModel,
    medical_device: fields.medicalDevice.is,
    medical_device_class: fields.medicalDevice.class ?? null,
    data_exchange: fields.dataExchange,
  };
}

export async function insertProduct(
  db: Db,
  row: { id: string; organisationId: string; createdBy: string | null; fields: ProductFields },
): Promise<void> {
  await db
    .insertInto('products')
    .values({
      id: row.id,
      organisation_id: row.organisationId,
      created_by: row.createdBy,
      row_version: 1,
      updated_at: new Date(),
      ...columnsOf(row.fields),
    })
    .execute();
}

/**
 * Writes the fields only if the row is still at `expectedVersion`, and bumps it. False when it was not
 * (someone changed it in between): nothing is written.
 */
export async function updateProduct(
  db: Db,
  id: string,
  expectedVersion: number,
  fields: ProductFields,
): Promise<boolean> {
  const result = await db
    .updateTable('products')
    .set({
      ...columnsOf(fields),
      row_version: sql<number>`row_version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('row_version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function touchProduct(db: Db, id: string): Promise<void> {
  await db.updateTable('products').set({ updated_at: new Date() }).where('id', '=', id).execute();
}

// ── images ──────────────────────────────────────────────────────────────────

const imageColumns = [
  'id',
  'product_id',
  'kind',
  'position',
  'media_type',
  'size_bytes',
  'sha256',
  'alt_text',
  'created_at',
] as const;

function toImage(
  row: Pick<
    ProductImageTable,
    'id' | 'product_id' | 'kind' | 'position' | 'media_type' | 'size_bytes' | 'sha256' | 'alt_text'
  > & { created_at: Date },
): ProductImage {
  return {
    id: row.id,
    productId: row.product_id,
    kind: row.kind,
    position: row.position,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256.trim(),
    altText: row.alt_text,
    createdAt: new Date(row.created_at),
  };
}

export async function listImages(db: Db, productId: string): Promise<ProductImage[]> {
  const rows = await db
    .selectFrom('product_images')
    .select(imageColumns)
    .where('product_id', '=', productId)
    .orderBy('kind')
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows.map((row) => toImage(row as never));
}

export async function findImageContent(
  db: Db,
  productId: string,
  imageId: string,
): Promise<{ image: ProductImage; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('product_images')
    .select([...imageColumns, 'content'])
    .where('product_id', '=', productId)
    .where('id', '=', imageId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { image: toImage(row as never), content: Buffer.from(row.content) };
}

export async function countScreenshots(db: Db, productId: string): Promise<{ count: number; last: number }> {
  const row = await db
    .selectFrom('product_images')
    .select([sql<number>`count(*)::int`.as('count'), sql<number>`coalesce(max(position), 0)::int`.as('last')])
    .where('product_id', '=', productId)
    .where('kind', '=', 'screenshot')
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), last: Number(row.last) };
}

/** Removes the logo, if any; its id when there was one. */
export async function deleteLogo(db: Db, productId: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('product_images')
    .where('product_id', '=', productId)
    .where('kind', '=', 'logo')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertImage(
  db: Db,
  row: {
    id: string;
    productId: string;
    kind: ImageKind;
    position: number;
    mediaType: ImageMediaType;
    sha256: string;
    content: Buffer;
    altText: string;
    createdBy: string | null;
  },
): Promise<void> {
  await db
    .insertInto('product_images')
    .values({
      id: row.id,
      product_id: row.productId,
      kind: row.kind,
      position: row.position,
      media_type: row.mediaType,
      size_bytes: row.content.length,
      sha256: row.sha256,
      content: row.content,
      alt_text: row.altText,
      created_by: row.createdBy,
    })
    .execute();
}

export async function deleteImage(
  db: Db,
  productId: string,
  imageId: string,
): Promise<{ kind: ImageKind; sha256: string } | undefined> {
  const row = await db
    .deleteFrom('product_images')
    .where('product_id', '=', productId)
    .where('id', '=', imageId)
    .returning(['kind', 'sha256'])
    .executeTakeFirst();
  return row ? { kind: row.kind, sha256: row.sha256.trim() } : undefined;
}

/** Several services by id (for lists of other modules); unknown ids are left out. */
export async function findProducts(db: Db, ids: string[]): Promise<Product[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await selectProducts(db).where('p.id', 'in', unique).execute();
  return rows.map((row) => fromRaw(row));
}
