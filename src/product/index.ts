/** What other modules (and the CLI) may use of the product module: a publisher's services. */

import type { Db } from '../platform/db/index.ts';
import type { Product } from './model.ts';
import { findProduct, findProducts, listProducts } from './store.ts';

export {
  type EconomicModel,
  type MedicalDeviceClass,
  mayEditProduct,
  mayViewProduct,
  type Product,
  type ProductDevice,
  type ProductInput,
  type ProductOs,
  productDisplayName,
} from './model.ts';

/**
 * One service by its id, or undefined (also for an id that is not a UUID). No rights are checked here:
 * the caller decides with `mayViewProduct` / `mayEditProduct`.
 */
export async function getProduct(db: Db, id: string): Promise<Product | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return findProduct(db, id);
}

/** Several services by id, as a map (for lists); no rights are checked here. */
export async function getProducts(db: Db, ids: string[]): Promise<Map<string, Product>> {
  return new Map((await findProducts(db, ids)).map((p) => [p.id, p]));
}

/** An organisation's services, by name, then OS and device. No rights are checked here. */
export function listProductsOf(db: Db, organisationId: string): Promise<Product[]> {
  return listProducts(db, organisationId);
}

export { DEMO_PRODUCTS, type DemoGlyph, demoServiceLogo, seedDemoProducts } from './demo.ts';
export { demoLogo, generatePng } from './png.ts';
export {
  addProductImage,
  createProduct,
  type ProductDeps,
} from './service.ts';
