import type { Actor } from '../identity/index.ts';
import type { ProductInput } from './model.ts';
import { demoLogo } from './png.ts';
import { addProductImage, createProduct, type ProductDeps } from './service.ts';
import { listProducts } from './store.ts';

/** The demo organisation's services: one without data exchange, one with (and a medical device). */
export const DEMO_PRODUCTS: Array<{ input: ProductInput; logo: [number, number, number] }> = [
  {
    input: {
      commercialName: 'Pas à Pas',
      os: 'ios',
      device: 'mobile',
      version: '3.2.0',
      description:
        'Podomètre et défis de marche pour bouger un peu plus chaque jour, avec des conseils de prévention.',
      urls: {
        ios: 'https://apps.apple.com/fr/app/pas-a-pas-demo/id0000000001',
        cgu: 'https://pasapas.demo.mesref.test/cgu',
        privacy: 'https://pasapas.demo.mesref.test/confidentialite',
      },
      thematics: ['prevention', 'activite-physique'],
      regions: [],
      audience: ['tout-public', 'seniors'],
      economicModel: 'gratuit',
      medicalDevice: false,
      medicalDeviceClass: '',
      dataExchange: false,
    },
    logo: [0, 99, 203],
  },
  {
    input: {
      commercialName: 'Tensio Suivi',
      os: 'android',
      device: 'mobile',
      version: '1.4.2',
      description:
        'Carnet de tension artérielle et de fréquence cardiaque ; avec l’accord de l’usager, les mesures sont versées dans Mon espace santé.',
      urls: {
        android: 'https://play.google.com/store/apps/details?id=test.mesref.demo.tensio',
        cgu: 'https://tensio.demo.mesref.test/cgu',
        privacy: 'https://tensio.demo.mesref.test/confidentialite',
      },
      thematics: ['maladies-chroniques', 'suivi-de-mesures'],
      regions: ['53', '52'],
      audience: ['patients-chroniques', 'seniors'],
      economicModel: 'gratuit-achats-integres',
      medicalDevice: true,
      medicalDeviceClass: 'IIa',
      dataExchange: true,
    },
    logo: [24, 117, 60],
  },
];

/**
 * Creates the demo services that the organisation lacks (by commercial name), each with a generated logo,
 * as its mandataire. Returns the names of those created.
 */
export async function seedDemoProducts(
  deps: ProductDeps,
  organisationId: string,
  mandataire: { accountId: string; email: string; displayName: string },
): Promise<string[]> {
  const actor: Actor = {
    kind: 'account',
    ...mandataire,
    staffRoles: [],
    memberships: [{ organisationId, role: 'mandataire' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
  const existing = new Set(
    (await listProducts(deps.db, organisationId)).map((p) => p.commercialName.toLowerCase()),
  );
  const created: string[] = [];
  for (const demo of DEMO_PRODUCTS) {
    if (existing.has(demo.input.commercialName.toLowerCase())) continue;
    const product = await createProduct(deps, actor, organisationId, demo.input);
    await addProductImage(deps, actor, product.id, { kind: 'logo', bytes: demoLogo(64, demo.logo) });
    created.push(product.displayName);
  }
  return created;
}
