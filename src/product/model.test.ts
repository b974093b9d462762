// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../identity/model.ts';
import {
  altTextProblem,
  changedFields,
  detectImageType,
  imageProblem,
  isValidServiceUrl,
  mayEditProduct,
  mayViewProduct,
  osFitsDevice,
  type ProductInput,
  productDevices,
  productDisplayName,
  productOses,
  validateProduct,
} from './model.ts';

const valid: ProductInput = {
  commercialName: 'Forme+',
  os: 'ios',
  device: 'mobile',
  version: '2.4.1',
  description: 'Suivi de l’activité physique.',
  urls: { ios: 'https://apps.apple.com/fr/app/forme-plus/id1', cgu: 'https://forme.example/cgu' },
  thematics: ['activite-physique', 'prevention'],
  regions: [],
  audience: ['tout-public'],
  economicModel: 'gratuit',
  medicalDevice: false,
  medicalDeviceClass: '',
  dataExchange: false,
};

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x10, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

describe('the Convergence naming rule', () => {
  it('names a service « [Nom] [OS] [Appareil] »', () => {
    const cases: Array<[string, (typeof productOses)[number], (typeof productDevices)[number], string]> = [
      ['Forme+', 'ios', 'mobile', 'Forme+ iOS Mobile'],
      ['Forme+', 'android', 'tablette', 'Forme+ Android Tablette'],
      ['Carnet Santé', 'web', 'site-web', 'Carnet Santé Web Site Web'],
      ['  Carnet   Santé ', 'multi', 'ordinateur', 'Carnet Santé Multiplateforme Ordinateur'],
    ];
    for (const [name, os, device, expected] of cases)
      assert.equal(productDisplayName(name, os, device), expected);
  });

  it('always starts with the commercial name and ends with the device', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0 && !/\s/.test(s)),
        fc.constantFrom(...productOses),
        fc.constantFrom(...productDevices),
        (name, os, device) => {
          const display = productDisplayName(name, os, device);
          assert.ok(display.startsWith(`${name} `));
          assert.ok(/ (Mobile|Site Web|Tablette|Ordinateur)$/.test(display));
        },
      ),
    );
  });

  it('keeps store apps on phones and tablets', () => {
    assert.equal(osFitsDevice('ios', 'mobile'), true);
    assert.equal(osFitsDevice('android', 'tablette'), true);
    assert.equal(osFitsDevice('ios', 'site-web'), false);
    assert.equal(osFitsDevice('android', 'ordinateur'), false);
    assert.equal(osFitsDevice('web', 'site-web'), true);
    assert.equal(osFitsDevice('multi', 'mobile'), true);
  });
});

describe('field checks', () => {
  it('accepts a complete service and normalises it', () => {
    const result = validateProduct({
      ...valid,
      commercialName: '  Forme+  ',
      thematics: ['prevention', 'activite-physique'],
    });
    assert.ok(result.ok);
    assert.equal(result.fields.commercialName, 'Forme+');
    // In the order of the reference list, whatever the order given.
    assert.deepEqual(result.fields.thematics, ['prevention', 'activite-physique']);
    assert.deepEqual(result.fields.medicalDevice, { is: false });
  });

  const problems: Array<[string, Partial<ProductInput>, string, string]> = [
    ['empty name', { commercialName: '  ' }, 'commercialName', 'product.field.required'],
    ['name too long', { commercialName: 'x'.repeat(81) }, 'commercialName', 'product.field.too_long'],
    ['name on two lines', { commercialName: 'a\nb' }, 'commercialName', 'product.field.invalid_characters'],
    ['NUL in description', { description: 'a\u0000b' }, 'description', 'product.field.invalid_characters'],
    ['unknown OS', { os: 'symbian' }, 'os', 'product.field.os_invalid'],
    ['unknown device', { device: 'montre' }, 'device', 'product.field.device_invalid'],
    ['iOS website', { os: 'ios', device: 'site-web' }, 'device', 'product.field.device_for_os'],
    ['no version', { version: '' }, 'version', 'product.field.required'],
    ['http address', { urls: { web: 'http://forme.example' } }, 'urls.web', 'product.field.url'],
    ['javascript address', { urls: { cgu: 'javascript:alert(1)' } }, 'urls.cgu', 'product.field.url'],
    ['no theme', { thematics: [] }, 'thematics', 'product.field.thematics_required'],
    ['unknown theme', { thematics: ['astrologie'] }, 'thematics', 'product.field.choice'],
    ['unknown region', { regions: ['99'] }, 'regions', 'product.field.choice'],
    ['no audience', { audience: [] }, 'audience', 'product.field.audience_required'],
    [
      'unknown model',
      { economicModel: 'abonnement' },
      'economicModel',
      'product.field.economic_model_invalid',
    ],
    [
      'medical device without class',
      { medicalDevice: true, medicalDeviceClass: '' },
      'medicalDeviceClass',
      'product.field.medical_device_class_required',
    ],
    [
      'class without medical device',
      { medicalDevice: false, medicalDeviceClass: 'IIa' },
      'medicalDeviceClass',
      'product.field.medical_device_class_without',
    ],
  ];
  for (const [name, change, field, key] of problems) {
    it(`refuses: ${name}`, () => {
      const result = validateProduct({ ...valid, ...change });
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.errors[field], key);
    });
  }

  it('keeps a medical device with its class', () => {
    const result = validateProduct({ ...valid, medicalDevice: true, medicalDeviceClass: 'IIa' });
    assert.ok(result.ok);
    assert.deepEqual(result.fields.medicalDevice, { is: true, class: 'IIa' });
  });

  it('takes https addresses only', () => {
    assert.equal(isValidServiceUrl('https://forme.example/cgu'), true);
    assert.equal(isValidServiceUrl('https://user:pw@forme.example'), false);
    assert.equal(isValidServiceUrl('ftp://forme.example'), false);
    assert.equal(isValidServiceUrl('https://localhost'), false);
    assert.equal(isValidServiceUrl(`https://forme.example/${'a'.repeat(600)}`), false);
  });

  it('names the fields a change touches', () => {
    const a = validateProduct(valid);
    const b = validateProduct({ ...valid, version: '2.5', regions: ['53'] });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(changedFields(a.fields, b.fields), ['version', 'regions']);
    assert.deepEqual(changedFields(a.fields, a.fields), []);
  });
});

describe('image checks', () => {
  it('recognises PNG, JPEG and WebP by their first bytes', () => {
    assert.equal(detectImageType(PNG), 'image/png');
    assert.equal(detectImageType(JPEG), 'image/jpeg');
    assert.equal(detectImageType(WEBP), 'image/webp');
  });

  it('recognises nothing else, whatever it claims to be', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const html = Buffer.from('<!doctype html><html>');
    const gif = Buffer.from('GIF89a');
    const riffWave = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')]);
    for (const bytes of [svg, html, gif, riffWave, PNG.subarray(0, 7), Buffer.alloc(0)])
      assert.equal(detectImageType(bytes), undefined);
  });

  it('refuses empty, oversized and unknown files', () => {
    assert.equal(imageProblem(Buffer.alloc(0), 1024), 'product.image.empty');
    assert.equal(imageProblem(Buffer.concat([PNG, Buffer.alloc(2000)]), 1024), 'product.image.too_large');
    assert.equal(imageProblem(Buffer.from('not an image'), 1024), 'product.image.type');
    assert.equal(imageProblem(PNG, 1024), undefined);
    assert.equal(imageProblem(PNG, PNG.length), undefined);
    assert.equal(imageProblem(PNG, PNG.length - 1), 'product.image.too_large');
  });

  it('asks a text alternative of a screenshot, not of a logo', () => {
    assert.equal(altTextProblem('screenshot', ' '), 'product.field.required');
    assert.equal(altTextProblem('screenshot', 'Écran d’accueil'), undefined);
    assert.equal(altTextProblem('logo', ''), undefined);
  });
});

describe('rights on a service', () => {
  const product = { organisationId: 'org-a' };
  const account = (over: Partial<Extract<Actor, { kind: 'account' }>>): Actor => ({
    kind: 'account',
    accountId: 'x',
    email: 'x@exemple.test',
    displayName: 'X',
    staffRoles: [],
    memberships: [],
    secondFactorOk: true,
    totpEnabled: false,
    ...over,
  });

  it('lets every member of its organisation see and change it', () => {
    for (const role of ['mandataire', 'representant', 'salarie'] as const) {
      const actor = account({ memberships: [{ organisationId: 'org-a', role }] });
      assert.equal(mayViewProduct(actor, product), true);
      assert.equal(mayEditProduct(actor, product), true);
    }
  });

  it('lets staff see it but not change it, and nobody else either', () => {
    const instructeur = account({ staffRoles: ['instructeur'], totpEnabled: true });
    assert.equal(mayViewProduct(instructeur, product), true);
    assert.equal(mayEditProduct(instructeur, product), false);
    const outsider = account({ memberships: [{ organisationId: 'org-b', role: 'mandataire' }] });
    assert.equal(mayViewProduct(outsider, product), false);
    assert.equal(mayEditProduct(outsider, product), false);
    assert.equal(mayViewProduct({ kind: 'anonymous' }, product), false);
    assert.equal(mayViewProduct({ kind: 'citizen', citizenId: 'c', displayName: 'C' }, product), false);
  });

  it('bounds an API token to its organisation', () => {
    const actor = account({
      memberships: [
        { organisationId: 'org-a', role: 'salarie' },
        { organisationId: 'org-b', role: 'salarie' },
      ],
      apiTokenOrganisationId: 'org-b',
    });
    assert.equal(mayEditProduct(actor, product), false);
    assert.equal(mayEditProduct(actor, { organisationId: 'org-b' }), true);
  });
});
