import { type Actor, authorize, type FieldErrors, hasControlCharacters } from '../identity/model.ts';

/**
 * A publisher's digital health services (produits, in the words of the national Convergence platform):
 * what the catalogue of Mon espace santé shows of each, and the pure rules about them.
 */

export const productOses = ['ios', 'android', 'web', 'multi'] as const;
export type ProductOs = (typeof productOses)[number];

/** The device (appareil) of the Convergence naming rule. */
export const productDevices = ['mobile', 'site-web', 'tablette', 'ordinateur'] as const;
export type ProductDevice = (typeof productDevices)[number];

/** The catalogue's economic models (`GRATUIT`, `PAYANT`, `GRATUIT_ACHATS_INTEGRES`). */
export const economicModels = ['gratuit', 'payant', 'gratuit-achats-integres'] as const;
export type EconomicModel = (typeof economicModels)[number];

/** Medical-device classes of Regulation (EU) 2017/745. */
export const medicalDeviceClasses = ['I', 'IIa', 'IIb', 'III'] as const;
export type MedicalDeviceClass = (typeof medicalDeviceClasses)[number];

/**
 * Themes a service may be filed under. mesref's own list (the catalogue's codes are not published): the
 * catalogue filters on `thematics[]`, so each service names at least one.
 */
export const productThematics = [
  'prevention',
  'activite-physique',
  'nutrition',
  'sommeil',
  'sante-mentale',
  'maladies-chroniques',
  'grossesse-parentalite',
  'medicaments',
  'suivi-de-mesures',
  'rendez-vous-teleconsultation',
  'autonomie-handicap',
  'addictions',
  'sante-sexuelle',
  'documents-de-sante',
] as const;

/** The regions of France by their INSEE code (the catalogue's `codesRegions[]`). None: the whole country. */
export const productRegions = [
  '01',
  '02',
  '03',
  '04',
  '06',
  '11',
  '24',
  '27',
  '28',
  '32',
  '44',
  '52',
  '53',
  '75',
  '76',
  '84',
  '93',
  '94',
] as const;

/** Who the service is for (it serves citizens: professionals' tools are outside the catalogue). */
export const productAudiences = [
  'tout-public',
  'enfants-adolescents',
  'parents',
  'seniors',
  'aidants',
  'patients-chroniques',
  'personnes-handicap',
  'femmes-enceintes',
] as const;

export const productUrlKinds = ['web', 'ios', 'android', 'cgu', 'privacy'] as const;
export type ProductUrlKind = (typeof productUrlKinds)[number];
export type ProductUrls = Partial<Record<ProductUrlKind, string>>;

/** A service as other modules see it. */
export interface Product {
  id: string;
  organisationId: string;
  /** The commercial name citizens will see (the same as filed on Convergence). */
  commercialName: string;
  os: ProductOs;
  device: ProductDevice;
  /** « [Nom] [OS] [Appareil] », the Convergence naming rule (see `productDisplayName`). */
  displayName: string;
  /** The service's own version (the one under assessment). */
  version: string;
  description: string;
  urls: ProductUrls;
  thematics: string[];
  /** INSEE region codes; empty: the whole country. */
  regions: string[];
  economicModel: EconomicModel;
  medicalDevice: { is: boolean; class?: MedicalDeviceClass };
  audience: string[];
  /** The publisher means to exchange data with Mon espace santé (typology « avec échange de données »). */
  dataExchange: boolean;
  hasLogo: boolean;
  screenshotCount: number;
  /**
   * The row's version, bumped by every update: an update names the one it was based on and is refused
   * with a conflict when someone changed the service in between (optimistic concurrency).
   */
  rowVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What a person fills in to create or change a service. */
export interface ProductInput {
  commercialName: string;
  os: string;
  device: string;
  version: string;
  description: string;
  urls: Partial<Record<ProductUrlKind, string>>;
  thematics: string[];
  regions: string[];
  economicModel: string;
  medicalDevice: boolean;
  medicalDeviceClass: string;
  audience: string[];
  dataExchange: boolean;
}

/** A checked input, ready to be stored. */
export interface ProductFields {
  commercialName: string;
  os: ProductOs;
  device: ProductDevice;
  version: string;
  description: string;
  urls: ProductUrls;
  thematics: string[];
  regions: string[];
  economicModel: EconomicModel;
  medicalDevice: { is: boolean; class?: MedicalDeviceClass };
  audience: string[];
  dataExchange: boolean;
}

export const COMMERCIAL_NAME_MAX = 80;
export const VERSION_MAX = 40;
export const DESCRIPTION_MAX = 4000;
export const URL_MAX = 500;
/** Screenshots a service may have, besides its logo. */
export const MAX_SCREENSHOTS = 6;
export const ALT_TEXT_MAX = 200;

// ── the naming rule ─────────────────────────────────────────────────────────

const osNames: Record<ProductOs, string> = {
  ios: 'iOS',
  android: 'Android',
  web: 'Web',
  multi: 'Multiplateforme',
};
const deviceNames: Record<ProductDevice, string> = {
  mobile: 'Mobile',
  'site-web': 'Site Web',
  tablette: 'Tablette',
  ordinateur: 'Ordinateur',
};

/** The name as Convergence wants it: « [NomDuProduit] [OS] [Appareil] », e.g. « Forme+ iOS Mobile ». */
export function productDisplayName(commercialName: string, os: ProductOs, device: ProductDevice): string {
  return `${commercialName.trim().replace(/\s+/g, ' ')} ${osNames[os]} ${deviceNames[device]}`;
}

export function osName(os: ProductOs): string {
  return osNames[os];
}

export function deviceName(device: ProductDevice): string {
  return deviceNames[device];
}

/** A store app (iOS, Android) is used on a phone or a tablet, never as a website. */
export function osFitsDevice(os: ProductOs, device: ProductDevice): boolean {
  if (os === 'ios' || os === 'android') return device === 'mobile' || device === 'tablette';
  return true;
}

// ── field checks ────────────────────────────────────────────────────────────

const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/** An https address of at most URL_MAX characters. */
export function isValidServiceUrl(value: string): boolean {
  if (value.length > URL_MAX || hasControlCharacters(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
}

function requiredText(value: string, max: number, multiline = false): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0) return 'product.field.required';
  if ([...trimmed].length > max) return 'product.field.too_long';
  const cleaned = multiline ? value.replace(/[\r\n\t]/g, '') : value;
  if (hasControlCharacters(cleaned) || (!multiline && /[\r\n]/.test(value)))
    return 'product.field.invalid_characters';
  return undefined;
}

/** The distinct values of a list, in the order of the reference list. */
function pick(list: readonly string[], values: readonly string[]): string[] {
  return list.filter((v) => values.includes(v));
}

/** Checks a service's fields; returns either the field problems (message keys) or the fields to store. */
export function validateProduct(
  input: ProductInput,
): { ok: true; fields: ProductFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const put = (field: string, problem: string | undefined) => {
    if (problem && !errors[field]) errors[field] = problem;
  };
  put('commercialName', requiredText(input.commercialName, COMMERCIAL_NAME_MAX));
  if (!includes(productOses, input.os)) put('os', 'product.field.os_invalid');
  if (!includes(productDevices, input.device)) put('device', 'product.field.device_invalid');
  if (includes(productOses, input.os) && includes(productDevices, input.device)) {
    if (!osFitsDevice(input.os, input.device)) put('device', 'product.field.device_for_os');
  }
  put('version', requiredText(input.version, VERSION_MAX));
  put('description', requiredText(input.description, DESCRIPTION_MAX, true));
  const urls: ProductUrls = {};
  for (const kind of productUrlKinds) {
    const value = (input.urls[kind] ?? '').trim();
    if (value === '') continue;
    if (!isValidServiceUrl(value)) put(`urls.${kind}`, 'product.field.url');
    else urls[kind] = value;
  }
  if (input.thematics.length === 0) put('thematics', 'product.field.thematics_required');
  else if (input.thematics.some((v) => !includes(productThematics, v)))
    put('thematics', 'product.field.choice');
  if (input.regions.some((v) => !includes(productRegions, v))) put('regions', 'product.field.choice');
  if (input.audience.length === 0) put('audience', 'product.field.audience_required');
  else if (input.audience.some((v) => !includes(productAudiences, v)))
    put('audience', 'product.field.choice');
  if (!includes(economicModels, input.economicModel))
    put('economicModel', 'product.field.economic_model_invalid');
  let medicalClass: MedicalDeviceClass | undefined;
  if (input.medicalDevice) {
    if (includes(medicalDeviceClasses, input.medicalDeviceClass)) medicalClass = input.medicalDeviceClass;
    else put('medicalDeviceClass', 'product.field.medical_device_class_required');
  } else if (input.medicalDeviceClass !== '') {
    put('medicalDeviceClass', 'product.field.medical_device_class_without');
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      commercialName: input.commercialName.trim().replace(/\s+/g, ' '),
      os: input.os as ProductOs,
      device: input.device as ProductDevice,
      version: input.version.trim(),
      description: input.description.trim(),
      urls,
      thematics: pick(productThematics, input.thematics),
      regions: pick(productRegions, input.regions),
      economicModel: input.economicModel as EconomicModel,
      medicalDevice: input.medicalDevice ? { is: true, class: medicalClass } : { is: false },
      audience: pick(productAudiences, input.audience),
      dataExchange: input.dataExchange,
    },
  };
}

/** The input that leaves a service as it is (the base of a partial change). */
export function inputOf(product: Product): ProductInput {
  return {
    commercialName: product.commercialName,
    os: product.os,
    device: product.device,
    version: product.version,
    description: product.description,
    urls: { ...product.urls },
    thematics: [...product.thematics],
    regions: [...product.regions],
    economicModel: product.economicModel,
    medicalDevice: product.medicalDevice.is,
    medicalDeviceClass: product.medicalDevice.class ?? '',
    audience: [...product.audience],
    dataExchange: product.dataExchange,
  };
}

/** The fields that differ between a service and a change (names of ProductFields), for the audit log. */
export function changedFields(before: ProductFields, after: ProductFields): string[] {
  return (Object.keys(after) as Array<keyof ProductFields>).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

export function fieldsOf(product: Product): ProductFields {
  const { commercialName, os, device, version, description, urls, thematics, regions, economicModel } =
    product;
  return {
    commercialName,
    os,
    device,
    version,
    description,
    urls,
    thematics,
    regions,
    economicModel,
    medicalDevice: product.medicalDevice,
    audience: product.audience,
    dataExchange: product.dataExchange,
  };
}

// ── images ──────────────────────────────────────────────────────────────────

export const imageKinds = ['logo', 'screenshot'] as const;
export type ImageKind = (typeof imageKinds)[number];
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/webp';

/**
 * The image's type from its first bytes (PNG, JPEG, WebP), never from the name or declared type it came
 * with: anything else (SVG, HTML, a renamed executable) is not an image here.
 */
export function detectImageType(bytes: Uint8Array): ImageMediaType | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (bytes.length >= 8 && starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (bytes.length >= 4 && starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF <size> WEBP
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return undefined;
}

export type ImageProblem = 'product.image.empty' | 'product.image.too_large' | 'product.image.type';

/** What is wrong with an uploaded image, if anything: emptiness, size over the limit, or its type. */
export function imageProblem(bytes: Uint8Array, maxBytes: number): ImageProblem | undefined {
  if (bytes.length === 0) return 'product.image.empty';
  if (bytes.length > maxBytes) return 'product.image.too_large';
  if (!detectImageType(bytes)) return 'product.image.type';
  return undefined;
}

/** A screenshot's text alternative is required (RGAA: an informative image has one); a logo's is made. */
export function altTextProblem(kind: ImageKind, alt: string): string | undefined {
  if (kind === 'logo') return undefined;
  return requiredText(alt, ALT_TEXT_MAX);
}

/** An image as the pages and the API describe it (its bytes are served at its own address). */
export interface ProductImage {
  id: string;
  productId: string;
  kind: ImageKind;
  position: number;
  mediaType: ImageMediaType;
  sizeBytes: number;
  sha256: string;
  altText: string;
  createdAt: Date;
}

// ── rights ──────────────────────────────────────────────────────────────────

/** Members of the service's organisation (any role) change it; staff do not. */
export function mayEditProduct(actor: Actor, product: Pick<Product, 'organisationId'>): boolean {
  return authorize(actor, 'product.edit', { organisationId: product.organisationId }).allowed;
}

/** Members of the service's organisation and staff see it. */
export function mayViewProduct(actor: Actor, product: Pick<Product, 'organisationId'>): boolean {
  return authorize(actor, 'product.view', { organisationId: product.organisationId }).allowed;
}
