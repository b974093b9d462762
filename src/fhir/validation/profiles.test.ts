// mesref-test: no-database (runs once, not once per database lane)
/**
 * The Mesures de santé profiles, the PhdDevice and the MES API rules: every valid example passes, and every
 * rule has a failing case made by one change to a valid example, checked on its message, severity and path.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DataFileError } from '../../platform/datafile.ts';
import { toOperationOutcome, type ValidationIssue } from './issues.ts';
import { checkMetaSourceUnderRoot } from './mes-rules.ts';
import { buildRegistry, loadRegistry, parseDefinition } from './registry.ts';
import { validateResource, validateText } from './validator.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests change parsed JSON at any depth.
type Json = Record<string, any>;

const fixtures = new URL('./fixtures/mesures/', import.meta.url);
const load = (name: string): Json => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const BASE = 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/';

function errors(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}

function find(issues: ValidationIssue[], messageId: string, expression: string): ValidationIssue | undefined {
  return issues.find((issue) => issue.messageId === messageId && issue.expression === expression);
}

function expectIssue(
  resource: Json,
  messageId: string,
  expression: string,
  severity: ValidationIssue['severity'] = 'error',
  rules: 'mes' | 'ig' = 'ig',
): ValidationIssue {
  const { issues } = validateResource(resource, { rules });
  const issue = find(issues, messageId, expression);
  assert.ok(
    issue,
    `expected ${messageId} at ${expression}, got:\n${issues.map((i) => `  ${i.severity} ${i.messageId} ${i.expression}`).join('\n')}`,
  );
  assert.equal(issue.severity, severity);
  return issue;
}

describe('valid examples', () => {
  for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.json'))) {
    const igOnly = name.includes('.ig-only.');
    for (const rules of igOnly ? (['ig'] as const) : (['ig', 'mes'] as const)) {
      it(`${name} has no error (${rules} rules)`, () => {
        const { issues, valid } = validateResource(load(name), { rules });
        assert.deepEqual(
          errors(issues).map((i) => `${i.messageId} ${i.expression}`),
          [],
        );
        assert.equal(valid, true);
      });
    }
  }
});

describe('vital-signs rules shared by every measurement', () => {
  it('requires the vital-signs category', () => {
    const weight = load('body-weight.json');
    delete weight.category;
    const issue = expectIssue(weight, 'slice-min', 'Observation.category');
    assert.equal(issue.params?.slice, 'VSCat');
  });

  it('requires the category display "vital-signs" where the profile patterns it', () => {
    const bp = load('blood-pressure.json');
    bp.category[0].coding[0].display = 'Signes vitaux';
    expectIssue(bp, 'profile-pattern', 'Observation.category[0].coding[0].display');
    const weight = load('body-weight.json');
    weight.category[0].coding[0].display = 'Signes vitaux';
    assert.equal(validateResource(weight, { rules: 'ig' }).valid, true);
  });

  it('requires a subject that is a patient', () => {
    const weight = load('body-weight.json');
    delete weight.subject;
    expectIssue(weight, 'profile-min', 'Observation.subject');
    const other = load('body-weight.json');
    other.subject = { reference: 'Practitioner/12' };
    expectIssue(other, 'reference-type', 'Observation.subject.reference');
  });

  it('requires effective[x], a dateTime for the profiles that narrow it, precise to the day (vs-1)', () => {
    const weight = load('body-weight.json');
    delete weight.effectiveDateTime;
    expectIssue(weight, 'profile-min', 'Observation.effective');
    const bp = load('blood-pressure.json');
    delete bp.effectiveDateTime;
    bp.effectivePeriod = { start: '2026-11-20T08:00:00+01:00', end: '2026-11-20T08:05:00+01:00' };
    expectIssue(bp, 'profile-type', 'Observation.effectivePeriod');
    const month = load('heart-rate.json');
    month.effectiveDateTime = '2026-11';
    const issue = expectIssue(month, 'invariant-failed', 'Observation.effectiveDateTime');
    assert.equal(issue.params?.key, 'vs-1');
  });

  it('requires a value or a dataAbsentReason (vs-2), never both (obs-6)', () => {
    const weight = load('body-weight.json');
    delete weight.valueQuantity;
    assert.equal(expectIssue(weight, 'invariant-failed', 'Observation').params?.key, 'vs-2');
    const both = load('body-weight.json');
    both.dataAbsentReason = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }],
    };
    assert.equal(expectIssue(both, 'invariant-failed', 'Observation.dataAbsentReason').params?.key, 'obs-6');
    const absent = load('body-weight.json');
    delete absent.valueQuantity;
    absent.dataAbsentReason = { coding: [{ code: 'unknown' }] };
    expectIssue(absent, 'profile-min', 'Observation.dataAbsentReason.coding[0].system');
  });

  it('requires UCUM quantities with value, unit, system and code', () => {
    const weight = load('body-weight.json');
    delete weight.valueQuantity.system;
    expectIssue(weight, 'profile-pattern-missing', 'Observation.valueQuantity.system');
    const unit = load('body-weight.json');
    delete unit.valueQuantity.unit;
    expectIssue(unit, 'profile-min', 'Observation.valueQuantity.unit');
    const pounds = load('body-weight.json');
    pounds.valueQuantity.code = '[lb_av]';
    const issue = expectIssue(pounds, 'profile-pattern', 'Observation.valueQuantity.code');
    assert.equal(issue.params?.expected, 'kg');
  });

  it('checks reference ranges (obs-3) and the component code rule (obs-7)', () => {
    const glucose = load('glucose-blood.json');
    glucose.referenceRange = [{ appliesTo: [{ text: 'adulte' }] }];
    assert.equal(
      expectIssue(glucose, 'invariant-failed', 'Observation.referenceRange[0]').params?.key,
      'obs-3',
    );
    const weight = load('body-weight.json');
    weight.component = [{ code: weight.code, valueQuantity: weight.valueQuantity }];
    assert.equal(
      expectIssue(weight, 'invariant-failed', 'Observation.component[0].code').params?.key,
      'obs-7',
    );
  });
});

describe('profile by profile', () => {
  it('blood pressure: systolic and diastolic components in mm[Hg], no value, bodySite from J149', () => {
    const bp = load('blood-pressure.json');
    bp.component.pop();
    assert.equal(expectIssue(bp, 'slice-min', 'Observation.component').params?.slice, 'DiastolicBP');
    const value = load('blood-pressure.json');
    value.valueQuantity = { value: 1, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' };
    expectIssue(value, 'profile-forbidden', 'Observation.valueQuantity');
    const unit = load('blood-pressure.json');
    unit.component[0].valueQuantity.code = 'kPa';
    expectIssue(unit, 'profile-pattern', 'Observation.component[0].valueQuantity.code');
    const site = load('blood-pressure.json');
    site.bodySite.coding[0].code = '99999';
    expectIssue(site, 'binding-required', 'Observation.bodySite.coding[0]');
    const empty = load('blood-pressure.json');
    delete empty.component[1].valueQuantity;
    assert.equal(expectIssue(empty, 'invariant-failed', 'Observation.component[1]').params?.key, 'vs-3');
  });

  it('an extensible binding warns and does not reject; a required one rejects', () => {
    const weight = load('body-weight.json');
    weight.method.coding[0].code = 'AUTRE';
    expectIssue(weight, 'binding-extensible', 'Observation.method.coding[0]', 'warning');
    assert.equal(validateResource(weight, { rules: 'ig' }).valid, true);
    const spo2 = load('oxygen-saturation.json');
    spo2.method = { coding: [{ system: 'http://snomed.info/sct', code: '258104002' }] };
    expectIssue(spo2, 'binding-required', 'Observation.method.coding[0]');
  });

  it('heart rate, temperature, SpO2, respiratory rate, waist: their unit', () => {
    const cases: [string, string][] = [
      ['heart-rate.json', 'bpm'],
      ['body-temperature.json', '[degF]'],
      ['oxygen-saturation.json', '1'],
      ['respiratory-rate.json', 'bpm'],
      ['waist-circumference.json', 'mm'],
      ['body-height.json', 'm'],
    ];
    for (const [name, code] of cases) {
      const resource = load(name);
      resource.valueQuantity.code = code;
      expectIssue(resource, 'profile-pattern', 'Observation.valueQuantity.code');
    }
    const temperature = load('body-temperature.json');
    temperature.bodySite.coding[0].code = '24890';
    expectIssue(temperature, 'binding-required', 'Observation.bodySite.coding[0]');
  });

  it('steps per day: 41950-7 and steps/day in 1/(24.h)', () => {
    const steps = load('steps-by-day.json');
    steps.valueQuantity.unit = 'steps';
    expectIssue(steps, 'profile-pattern', 'Observation.valueQuantity.unit');
    const code = load('steps-by-day.json');
    code.code.coding[0].code = '55423-8';
    expectIssue(code, 'slice-min', 'Observation.code.coding');
  });

  it('pain severity: unit Level and code 1 are required', () => {
    const pain = load('pain-severity.json');
    delete pain.valueQuantity.unit;
    expectIssue(pain, 'profile-pattern-missing', 'Observation.valueQuantity.unit');
  });

  it('head circumference: the 8287-5 coding of 3.1.1 only warns, for 3.1.0 resources', () => {
    const head = load('head-circumference.json');
    head.code.coding.pop();
    const issue = expectIssue(head, 'slice-min', 'Observation.code.coding', 'warning');
    assert.match(toOperationOutcome([issue], 'en').issue[0].details.text, /required since version 3\.1\.1/);
    assert.equal(validateResource(head, { rules: 'ig' }).valid, true);
  });

  it('glucose: units from J163, moment from J157, the original-data extension', () => {
    const glucose = load('glucose-blood.json');
    glucose.valueQuantity.code = 'mmol/L';
    expectIssue(glucose, 'binding-required', 'Observation.valueQuantity.code');
    const moment = load('glucose-blood.json');
    moment.extension[0].valueCodeableConcept.coding[0].code = '00000-0';
    expectIssue(moment, 'binding-required', 'Observation.extension[0].valueCodeableConcept.coding[0]');
    const original = load('glucose-blood.json');
    original.extension.push({
      url: `${BASE}mesures-original-data`,
      extension: [
        { url: 'has-been-converted', valueBoolean: true },
        {
          url: 'original-code',
          valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: '15074-8' }] },
        },
      ],
    });
    const issue = expectIssue(original, 'extension-part-missing', 'Observation.extension[1].extension');
    assert.equal(issue.params?.part, 'original-value');
  });

  it('extensions: known ones checked, unknown IG ones refused, removed ones accepted with a warning', () => {
    const weight = load('body-weight.json');
    weight.extension[0] = { url: `${BASE}mesures-reason-for-measurement`, valueInteger: 3 };
    expectIssue(weight, 'profile-type', 'Observation.extension[0].valueInteger');
    const twice = load('body-weight.json');
    twice.extension.push({ ...twice.extension[0] });
    expectIssue(twice, 'extension-max', 'Observation.extension');
    const typo = load('body-weight.json');
    typo.extension[0].url = `${BASE}mesures-reason-of-measurement`;
    expectIssue(typo, 'extension-unknown', 'Observation.extension[0]');
    const retired = load('glucose-blood.json');
    retired.extension.push({
      url: `${BASE}mesures-diabetis-type`,
      valueCodeableConcept: { coding: [{ system: 'urn:x', code: 'E10' }] },
    });
    expectIssue(retired, 'extension-retired', 'Observation.extension[1]', 'warning');
    const otherVendor = load('body-weight.json');
    otherVendor.extension.push({
      url: 'https://example.org/fhir/StructureDefinition/x',
      valueString: 'libre',
    });
    assert.equal(validateResource(otherVendor, { rules: 'ig' }).valid, true);
  });
});

describe('finding the profile', () => {
  it('maps every URL family, with or without a version, to one definition', () => {
    const urls = [
      `${BASE}mesures-fr-observation-body-weight|3.1.1`,
      `${BASE}mes-fr-observation-body-weight`,
      'http://esante.gouv.fr/ci-sis/fhir/StructureDefinition/ENS_FrObservationBodyWeight',
      'https://fhir.monespacesante.fr/ref/mesure/StructureDefinition/mes-observation-bodyweight',
    ];
    for (const url of urls) {
      const weight = load('body-weight.json');
      weight.meta.profile = [url];
      weight.valueQuantity.code = 'g';
      expectIssue(weight, 'profile-pattern', 'Observation.valueQuantity.code');
    }
  });

  it('without meta.profile, infers the profile from the LOINC code; the MES API refuses the omission', () => {
    const weight = load('body-weight.json');
    delete weight.meta.profile;
    expectIssue(weight, 'profile-inferred', 'Observation.code', 'information');
    assert.equal(validateResource(weight, { rules: 'ig' }).valid, true);
    const issue = expectIssue(weight, 'mes-meta-profile', 'Observation.meta.profile', 'error', 'mes');
    assert.deepEqual(issue.mes, {
      message: 'Observation resource not valid.',
      diagnostic: 'Observation must provide meta.profile value.',
    });
    weight.valueQuantity.code = 'g';
    expectIssue(weight, 'profile-pattern', 'Observation.valueQuantity.code');
  });

  it('an unknown profile URL is reported, and the code still finds the rules', () => {
    const weight = load('body-weight.json');
    weight.meta.profile = ['https://example.org/StructureDefinition/poids'];
    expectIssue(weight, 'profile-unknown', 'Observation.meta.profile[0]', 'warning');
    expectIssue(weight, 'profile-inferred', 'Observation.code', 'information');
  });
});

describe('MES API rules (default)', () => {
  it('subject by identifier, effectiveDateTime, value quantity, meta.source format', () => {
    const weight = load('body-weight.json');
    weight.subject = { reference: 'Patient/1' };
    const subject = expectIssue(
      weight,
      'mes-subject-identifier',
      'Observation.subject.identifier',
      'error',
      'mes',
    );
    assert.equal(subject.mes?.diagnostic, 'Observation.subject.identifier is mandatory.');
    assert.equal(validateResource(weight, { rules: 'ig' }).valid, true);
    const noValue = load('body-weight.json');
    delete noValue.valueQuantity;
    noValue.dataAbsentReason = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }],
    };
    const value = expectIssue(noValue, 'mes-value-quantity', 'Observation.valueQuantity', 'error', 'mes');
    assert.equal(value.mes?.diagnostic, 'Observation value quantity not provided.');
    const source = load('body-weight.json');
    source.meta.source = 'mon-appli';
    expectIssue(source, 'mes-meta-source', 'Observation.meta.source', 'error', 'mes');
  });

  it('BMI cannot be created', () => {
    const issue = expectIssue(
      load('bmi.ig-only.json'),
      'mes-bmi-not-creatable',
      'Observation',
      'error',
      'mes',
    );
    assert.equal(issue.code, 'not-supported');
    assert.equal(issue.mes?.diagnostic, 'Bmi observation cannot be created.');
  });

  it('glucose extensions per glucose type, with MES’s own diagnostics', () => {
    const blood = load('glucose-blood.json');
    blood.extension = [];
    delete blood.extension;
    const missing = expectIssue(blood, 'mes-extension-required', 'Observation.extension', 'error', 'mes');
    assert.equal(missing.code, 'incomplete');
    assert.equal(missing.mes?.diagnostic, 'Observation.extension.moment is mandatory');
    const interstitial = load('glucose-interstitial.json');
    interstitial.extension.push(load('glucose-blood.json').extension[0]);
    const extra = expectIssue(
      interstitial,
      'mes-extension-forbidden',
      'Observation.extension',
      'error',
      'mes',
    );
    assert.equal(extra.mes?.diagnostic, 'Observation.extension.moment cannot be added');
    const gmi = load('glucose-gmi.json');
    delete gmi.extension;
    assert.equal(
      expectIssue(gmi, 'mes-extension-required', 'Observation.extension', 'error', 'mes').mes?.diagnostic,
      'Observation.extension.numberOfDays is mandatory',
    );
  });

  it('meta.source must sit under the calling publisher’s root OID', () => {
    const issues: ValidationIssue[] = [];
    checkMetaSourceUnderRoot(load('body-weight.json'), 'Observation', '2.999.2', issues);
    assert.deepEqual(issues, []);
    const refused: ValidationIssue[] = [];
    checkMetaSourceUnderRoot(load('body-weight.json'), 'Observation', '2.999.3', refused);
    assert.equal(
      refused[0].mes?.diagnostic,
      "Solution oid contains in Observation.meta.source don't belong to root editor oid (2.999.3).",
    );
  });
});

describe('measures push Bundle', () => {
  it('holds exactly one Observation creation', () => {
    const bundle = load('bundle-body-weight-with-device.json');
    bundle.entry.push({ ...bundle.entry[1], fullUrl: 'urn:uuid:4f8f8a38-8f0e-4c55-9a2b-5f1f0d6a7b10' });
    const issue = expectIssue(bundle, 'mes-bundle-one-observation', 'Bundle.entry', 'error', 'mes');
    assert.equal(issue.mes?.diagnostic, 'Bundle must contains one observation creation (POST)');
    expectIssue(bundle, 'slice-max', 'Bundle.entry');
  });

  it('refuses other resources and methods', () => {
    const bundle = load('bundle-body-weight-with-device.json');
    bundle.entry[1].request = { method: 'PUT', url: 'Observation/5138af77-df7e-4b9d-ba17-07ba3ebb950a' };
    const issue = expectIssue(bundle, 'mes-bundle-entry-not-acceptable', 'Bundle.entry[1]', 'error', 'mes');
    assert.equal(issue.mes?.diagnostic, 'Resource of type Observation is not acceptable with method PUT.');
  });

  it('needs the Device created with ifNoneExist on its identifier, and linked by id', () => {
    const bundle = load('bundle-body-weight-with-device.json');
    delete bundle.entry[0].request.ifNoneExist;
    expectIssue(bundle, 'mes-device-if-none-exist', 'Bundle.entry[0].request.ifNoneExist', 'error', 'mes');
    const unlinked = load('bundle-body-weight-with-device.json');
    unlinked.entry[1].resource.device.reference = 'Device/autre';
    const issue = expectIssue(
      unlinked,
      'mes-device-not-linked',
      'Bundle.entry[1].resource.device.reference',
      'error',
      'mes',
    );
    assert.equal(issue.mes?.message, 'Observation and Device link not valid.');
    const noLink = load('bundle-body-weight-with-device.json');
    delete noLink.entry[1].resource.device;
    expectIssue(
      noLink,
      'mes-device-reference-missing',
      'Bundle.entry[1].resource.device.reference',
      'error',
      'mes',
    );
    const noProfile = load('bundle-body-weight-with-device.json');
    delete noProfile.entry[0].resource.meta;
    expectIssue(
      noProfile,
      'mes-device-meta-profile',
      'Bundle.entry[0].resource.meta.profile',
      'error',
      'mes',
    );
  });

  it('checks each entry against its own profile, and accepts glucose but not the respiratory rate', () => {
    const bundle = load('bundle-body-weight-with-device.json');
    bundle.entry[1].resource.valueQuantity.code = 'g';
    expectIssue(bundle, 'profile-pattern', 'Bundle.entry[1].resource.valueQuantity.code');
    bundle.entry[0].resource.identifier[0].value = 'balance-42';
    expectIssue(bundle, 'profile-regex', 'Bundle.entry[0].resource.identifier[0].value');
    const glucose = load('bundle-blood-pressure.json');
    glucose.entry[0].resource = load('glucose-blood.json');
    assert.deepEqual(errors(validateResource(glucose, { rules: 'mes' }).issues), []);
    const respiration = load('bundle-blood-pressure.json');
    respiration.entry[0].resource = load('respiratory-rate.json');
    expectIssue(respiration, 'mes-push-profile', 'Bundle.entry[0].resource.meta.profile', 'error', 'mes');
  });

  it('reports issues with their line in the submitted text', () => {
    const text = JSON.stringify(load('bundle-body-weight-with-device.json'), null, 2).replace(
      '"kg"\n',
      '"g"\n',
    );
    const result = validateText(text);
    const issue = result.issues.find((i) => i.messageId === 'profile-pattern');
    assert.ok(issue?.location);
    assert.match(text.split('\n')[issue.location.line - 1], /"code": "g"/);
  });
});

describe('definition files', () => {
  it('the shipped definitions load and are consistent', () => {
    const registry = loadRegistry();
    assert.ok(registry.profiles.size >= 16);
    for (const id of [
      'mesures-fr-observation-body-weight',
      'mesures-fr-observation-bodyheight',
      'mesures-fr-observation-bmi',
      'mesures-fr-observation-bp',
      'mesures-fr-observation-heartrate',
      'mesures-fr-observation-body-temperature',
      'mesures-fr-observation-oxygen-sat',
      'mesures-fr-observation-resp-rate',
      'mesures-observation-head-circumference',
      'mesures-observation-waist-circumference',
      'mesures-observation-steps-by-day',
      'mesures-observation-pain-severity',
      'mesures-observation-glucose',
      'mesures-observation-hb1ac',
      'mesures-bundle-flux-alimentation',
      'phd-device',
    ]) {
      assert.ok(registry.profiles.has(id), id);
    }
  });

  it('a file that breaks its schema is refused with file, line and path', () => {
    const text = [
      'kind: profile',
      'id: essai',
      'resourceType: Observation',
      'title: { fr: Essai, en: Test }',
      'ig: mesures',
      'version: 3.1.1',
      'canonical: https://example.org/essai',
      'elements:',
      '  - path: valueQuantity',
      '    min: deux',
      'source: test',
    ].join('\n');
    assert.throws(
      () => parseDefinition(text, 'essai.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof DataFileError);
        assert.deepEqual(
          error.problems.map((p) => [p.file, p.line, p.path]),
          [['essai.yaml', 10, '/elements/0/min']],
        );
        return true;
      },
    );
  });

  it('a profile naming an unknown base or invariant is refused', () => {
    const text = [
      'kind: profile',
      'id: essai',
      'resourceType: Observation',
      'title: { fr: Essai, en: Test }',
      'ig: mesures',
      'version: 3.1.1',
      'canonical: https://example.org/essai',
      'basedOn: inconnu',
      'invariants: [vs-99]',
      'source: test',
    ].join('\n');
    assert.throws(
      () => buildRegistry([parseDefinition(text, 'essai.yaml')]),
      (error: unknown) =>
        error instanceof DataFileError &&
        error.problems.some((p) => p.path === '/basedOn') &&
        error.problems.some((p) => p.path === '/invariants/0'),
    );
  });
});
