import type { Actor } from '../identity/index.ts';
import type { ProductInput } from './model.ts';
import { demoLogo, generatePng } from './png.ts';
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
        'Carnet de tension artérielle et de fréquence cardiaque pour les personnes suivies pour une hypertension. ' +
        'Les mesures du tensiomètre se saisissent en quelques secondes, avec des rappels matin et soir et des courbes à montrer au médecin. ' +
        'Avec l’accord de l’usager, les mesures et son poids sont versés dans Mon espace santé.',
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

/** The symbols of the demo services' logos. */
export type DemoGlyph =
  | 'plus'
  | 'heart'
  | 'drop'
  | 'moon'
  | 'steps'
  | 'document'
  | 'ring'
  | 'pulse'
  | 'pill'
  | 'bubble'
  | 'house';

/** Whether the point (u, v) of the square [-1, 1]² (v downwards) is inside the glyph. */
function inGlyph(glyph: DemoGlyph, u: number, v: number): boolean {
  const within = (cu: number, cv: number, ru: number, rv = ru) =>
    ((u - cu) / ru) ** 2 + ((v - cv) / rv) ** 2 <= 1;
  switch (glyph) {
    case 'plus':
      return (Math.abs(u) < 0.15 && Math.abs(v) < 0.5) || (Math.abs(v) < 0.15 && Math.abs(u) < 0.5);
    case 'heart': {
      const x = u * 1.9;
      const y = -v * 1.9 + 0.3;
      return (x * x + y * y - 1) ** 3 - x * x * y ** 3 <= 0;
    }
    case 'drop':
      return within(0, 0.18, 0.36) || (v > -0.58 && v <= 0.18 && Math.abs(u) <= (0.36 * (v + 0.58)) / 0.76);
    case 'moon':
      return within(0, 0, 0.5) && !within(0.24, -0.16, 0.42);
    case 'steps':
      return within(-0.2, 0.18, 0.15, 0.27) || within(0.2, -0.2, 0.15, 0.27);
    case 'document':
      return (
        Math.abs(u) < 0.34 &&
        Math.abs(v) < 0.46 &&
        !(Math.abs(u) < 0.2 && [-0.2, 0, 0.2].some((line) => Math.abs(v - line) < 0.04))
      );
    case 'ring':
      return within(0, 0, 0.5) && !within(0, 0, 0.3);
    case 'pulse': {
      // A heartbeat line: flat, a spike up and down, flat again.
      const x = Math.max(-0.6, Math.min(0.6, u));
      const y =
        x < -0.2 || x > 0.3
          ? 0
          : x < 0
            ? (x + 0.2) * -2.6
            : x < 0.15
              ? -0.52 + ((x - 0) / 0.15) * 0.94
              : 0.42 - ((x - 0.15) / 0.15) * 0.42;
      return Math.abs(u) <= 0.62 && Math.abs(v - y) < 0.09;
    }
    case 'pill':
      return within(0, 0, 0.32, 0.52) && !(Math.abs(v) < 0.035 && Math.abs(u) < 0.3);
    case 'house':
      // A roof over a body with a door.
      return (
        (v >= -0.5 && v < -0.05 && Math.abs(u) <= ((v + 0.5) / 0.45) * 0.55) ||
        (v >= -0.05 && v <= 0.5 && Math.abs(u) <= 0.38 && !(Math.abs(u) < 0.1 && v > 0.18))
      );
    case 'bubble':
      // A speech bubble: an ellipse and its tail, bottom left.
      return (
        within(0, -0.1, 0.55, 0.38) ||
        (v > 0.15 && v < 0.5 && u > -0.38 && u < -0.1 && u - -0.38 < ((0.5 - v) / 0.35) * 0.28)
      );
  }
}

/**
 * A demo service's logo: a white symbol on a rounded square of its colour (96 × 96, smoothed edges), drawn
 * here rather than shipped as a binary file.
 */
export function demoServiceLogo(colour: [number, number, number], glyph: DemoGlyph, size = 96): Buffer {
  const white: [number, number, number] = [255, 255, 255];
  const sample = (u: number, v: number): [number, number, number] => {
    const corner = Math.max(0, Math.abs(u) - 0.62) ** 2 + Math.max(0, Math.abs(v) - 0.62) ** 2;
    if (Math.abs(u) > 0.98 || Math.abs(v) > 0.98 || corner > 0.36 ** 2) return white;
    return inGlyph(glyph, u, v) ? white : colour;
  };
  return generatePng(size, size, (x, y) => {
    const sum = [0, 0, 0];
    for (const dy of [0.25, 0.75])
      for (const dx of [0.25, 0.75]) {
        const rgb = sample(((x + dx) / size) * 2 - 1, ((y + dy) / size) * 2 - 1);
        for (let i = 0; i < 3; i++) sum[i] += rgb[i] / 4;
      }
    return [Math.round(sum[0]), Math.round(sum[1]), Math.round(sum[2])];
  });
}
