// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classify,
  dateInterval,
  effectiveInstant,
  historyBundle,
  type MeasureCategory,
  type MeasureSearch,
  parseIfNoneExist,
  parseSearch,
  pushPlanOf,
  SEARCH_DIAGNOSTICS,
  searchBundle,
  searchCodeOf,
  storedDevice,
  storedObservation,
  transactionResponse,
  unstorableText,
  valuesOf,
} from './model.ts';

const categories: MeasureCategory[] = [
  { code: 'poids', codes: ['29463-7', '39156-5'] },
  { code: 'pression-arterielle', codes: ['85354-9'] },
  { code: 'perimetre-cranien', codes: ['8287-5', '9843-4'], searchCodes: { '9843-4': '8287-5' } },
  {
    code: 'glycemie',
    codes: ['2345-7', '99504-3', 'MED-969', 'MED-972'],
    searchCodes: { '99504-3': 'MED-969' },
  },
  { code: 'hba1c', codes: ['4548-4'] },
];

const coded = (...codes: string[]) => ({
  resourceType: 'Observation',
  code: { coding: codes.map((code) => ({ system: 'http://loinc.org', code })) },
});

describe('data category and search code of an observation', () => {
  const cases: Array<[string, string[], { category: string; code: string } | undefined]> = [
    ['weight', ['29463-7'], { category: 'poids', code: '29463-7' }],
    ['blood pressure', ['85354-9'], { category: 'pression-arterielle', code: '85354-9' }],
    [
      'head circumference, both codings (searched on 8287-5)',
      ['9843-4', '8287-5'],
      { category: 'perimetre-cranien', code: '8287-5' },
    ],
    ['head circumference, 3.1.0 coding only', ['9843-4'], { category: 'perimetre-cranien', code: '8287-5' }],
    ['interstitial glucose (searched on MED-969)', ['99504-3'], { category: 'glycemie', code: 'MED-969' }],
    ['HbA1c', ['4548-4'], { category: 'hba1c', code: '4548-4' }],
    ['the first coding a category names', ['0000-0', '2345-7'], { category: 'glycemie', code: '2345-7' }],
    ['respiratory rate: in no category here', ['9279-1'], undefined],
    ['no coding', [], undefined],
  ];
  for (const [name, codes, expected] of cases) {
    it(name, () => assert.deepEqual(classify(categories, coded(...codes)), expected));
  }
  it('maps search codes both ways onto one', () => {
    assert.equal(searchCodeOf(categories, '9843-4'), '8287-5');
    assert.equal(searchCodeOf(categories, '99504-3'), 'MED-969');
    assert.equal(searchCodeOf(categories, '29463-7'), '29463-7');
  });
});

describe('the interval a FHIR date covers', () => {
  const iso = (v: string) => {
    const i = dateInterval(v);
    return i && [i.start.toISOString(), i.end.toISOString()];
  };
  const cases: Array<[string, string[] | undefined]> = [
    ['2024-01-15', ['2024-01-14T23:00:00.000Z', '2024-01-15T23:00:00.000Z']], // Paris winter time
    ['2024-07-15', ['2024-07-14T22:00:00.000Z', '2024-07-15T22:00:00.000Z']], // Paris summer time
    ['2024-03-31', ['2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z']], // a 23-hour day
    ['2024-10-27', ['2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z']], // a 25-hour day
    ['2024-02', ['2024-01-31T23:00:00.000Z', '2024-02-29T23:00:00.000Z']],
    ['2024', ['2023-12-31T23:00:00.000Z', '2024-12-31T23:00:00.000Z']],
    ['2024-01-15T10:30:00Z', ['2024-01-15T10:30:00.000Z', '2024-01-15T10:30:01.000Z']],
    ['2024-01-15T10:30:00+02:00', ['2024-01-15T08:30:00.000Z', '2024-01-15T08:30:01.000Z']],
    ['2024-01-15T10:30Z', ['2024-01-15T10:30:00.000Z', '2024-01-15T10:31:00.000Z']],
    ['2024-01-15T10:30:00.250-05:00', ['2024-01-15T15:30:00.250Z', '2024-01-15T15:30:00.251Z']],
    ['2024-02-30', undefined],
    ['2023-02-29', undefined],
    ['2024-13-01', undefined],
    ['2024-01-15T24:00:00Z', undefined],
    ['2024-01-15T10:30:00+15:00', undefined],
    ['0000-01-01', undefined],
    ['15/01/2024', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of cases) {
    it(value || '(empty)', () => assert.deepEqual(iso(value), expected));
  }
  it('reads an observation’s instant from effectiveDateTime', () => {
    assert.equal(
      effectiveInstant({ effectiveDateTime: '2022-08-22T01:56:16+01:00' })?.toISOString(),
      '2022-08-22T00:56:16.000Z',
    );
    assert.equal(effectiveInstant({ effectivePeriod: {} }), undefined);
  });
});

describe('the MES search parameters', () => {
  const q = (text: string) => [...new URLSearchParams(text)];
  const ok = (text: string): MeasureSearch => {
    const parsed = parseSearch(q(text), categories);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.diagnostics);
    return parsed.search;
  };
  const refused = (text: string) => {
    const parsed = parseSearch(q(text), categories);
    assert.ok(!parsed.ok, `accepted: ${text}`);
    return parsed.diagnostics;
  };
  const subject = 'subject.identifier=urn:oid:2.999.0%7Cpe-1';

  it('reads an "all" search: code, subject, a period, page size and index, devices', () => {
    const s = ok(
      `${subject}&code=http://loinc.org%7C29463-7&date=ge2022-09-04&date=le2022-09-23&_count=2&_offset=1&_include=Observation:device`,
    );
    assert.equal(s.mode, 'all');
    assert.equal(s.code, '29463-7');
    assert.equal(s.category, 'poids');
    assert.deepEqual(s.subject, { system: 'urn:oid:2.999.0', value: 'pe-1' });
    assert.equal(s.from?.toISOString(), '2022-09-03T22:00:00.000Z');
    assert.equal(s.to?.toISOString(), '2022-09-23T22:00:00.000Z');
    assert.equal(s.count, 2);
    assert.equal(s.page, 1);
    assert.equal(s.includeDevice, true);
  });
  it('reads a "last" search, a bare idPe, and MES’s dotted _include', () => {
    const s = ok('subject.identifier=pe-1&code=85354-9&_sort=-date&_count=1&_include=Observation.device');
    assert.equal(s.mode, 'last');
    assert.deepEqual(s.subject, { value: 'pe-1' });
    assert.equal(s.includeDevice, true);
  });
  it('accepts the subject as a reference, Patient/<idPe>, but only once whatever its spelling', () => {
    const s = ok('subject=Patient/pe-1&code=85354-9&_sort=-date&_count=1');
    assert.deepEqual(s.subject, { value: 'pe-1' });
    assert.match(refused(`subject=Patient/pe-1&${subject}&code=85354-9&_sort=-date&_count=1`), /once/);
  });
  it('accepts subject:identifier, a day (eq), gt/lt, search codes of both spellings', () => {
    assert.equal(
      ok('subject:identifier=pe-1&code=8287-5&date=2024-01-15').to?.toISOString(),
      '2024-01-15T23:00:00.000Z',
    );
    const s = ok('subject.identifier=pe-1&code=99504-3&date=gt2024-01-15&date=lt2024-01-20');
    assert.equal(s.code, 'MED-969');
    assert.equal(s.from?.toISOString(), '2024-01-15T23:00:00.000Z');
    assert.equal(s.to?.toISOString(), '2024-01-19T23:00:00.000Z');
    assert.equal(ok('subject.identifier=pe-1&code=9843-4&date=2024').code, '8287-5');
  });
  it('takes a space in a date as the + of an offset', () => {
    assert.equal(
      ok(`${subject}&code=29463-7&date=ge2024-01-15T10:00:00+01:00&date=le2024-01-16`).from?.toISOString(),
      '2024-01-15T09:00:00.000Z',
    );
  });
  it('defaults to 50 a page from page 0', () => {
    const s = ok(`${subject}&code=29463-7&date=2024`);
    assert.equal(s.count, 50);
    assert.equal(s.page, 0);
    assert.equal(s.includeDevice, false);
  });

  const refusals: Array<[string, string, string | RegExp]> = [
    [
      'page over 100',
      `${subject}&code=29463-7&date=2024&_count=101`,
      'Maximum page size allowed is 100. Actual : 101',
    ],
    ['sort other than -date', `${subject}&code=29463-7&_sort=date&_count=1`, SEARCH_DIAGNOSTICS.sort],
    ['last without _count=1', `${subject}&code=29463-7&_sort=-date`, SEARCH_DIAGNOSTICS.sort],
    ['last with _count=2', `${subject}&code=29463-7&_sort=-date&_count=2`, SEARCH_DIAGNOSTICS.sort],
    [
      'last and a period',
      `${subject}&code=29463-7&_sort=-date&_count=1&date=2024`,
      SEARCH_DIAGNOSTICS.concurrent,
    ],
    [
      'last and a page',
      `${subject}&code=29463-7&_sort=-date&_count=1&_offset=0`,
      SEARCH_DIAGNOSTICS.concurrent,
    ],
    ['no mode', `${subject}&code=29463-7`, SEARCH_DIAGNOSTICS.noMode],
    ['no mode, _count=1 alone', `${subject}&code=29463-7&_count=1`, SEARCH_DIAGNOSTICS.noMode],
    [
      'unknown parameters, each named',
      `${subject}&code=29463-7&date=2024&foo=1&patient=Patient/x`,
      /foo, patient/,
    ],
    ['code missing', `${subject}&date=2024`, /code is mandatory/],
    ['an unknown code', `${subject}&code=1234-5&date=2024`, /1234-5 is not a measure code/],
    ['several codes', `${subject}&code=29463-7,85354-9&date=2024`, /One code at a time/],
    ['code twice', `${subject}&code=29463-7&code=85354-9&date=2024`, /code must be given once/],
    ['subject missing', 'code=29463-7&date=2024', /subject.identifier is mandatory/],
    [
      'subject twice',
      `${subject}&subject:identifier=pe-2&code=29463-7&date=2024`,
      /subject.identifier must be given once/,
    ],
    ['an empty idPe', 'subject.identifier=urn:oid:2.999.0%7C&code=29463-7&date=2024', /must name the idPe/],
    ['_count not a number', `${subject}&code=29463-7&date=2024&_count=ten`, /_count/],
    ['_count zero', `${subject}&code=29463-7&date=2024&_count=0`, /_count/],
    ['_offset negative', `${subject}&code=29463-7&date=2024&_offset=-1`, /_offset/],
    ['_offset too far', `${subject}&code=29463-7&date=2024&_offset=100001`, /_offset/],
    ['another _include', `${subject}&code=29463-7&date=2024&_include=Observation:patient`, /_include/],
    ['an unsupported prefix', `${subject}&code=29463-7&date=ne2024`, /prefix ne/],
    ['a bad date', `${subject}&code=29463-7&date=2024-02-30`, /not a valid date/],
    ['one bound only', `${subject}&code=29463-7&date=ge2024-01-01`, /Both date bounds/],
    ['XML asked', `${subject}&code=29463-7&date=2024&_format=xml`, /JSON only/],
  ];
  for (const [name, text, expected] of refusals) {
    it(`refuses ${name}`, () => {
      const diagnostics = refused(text);
      if (typeof expected === 'string') assert.equal(diagnostics, expected);
      else assert.match(diagnostics, expected);
    });
  }
});

describe('the push Bundle', () => {
  const device = { resourceType: 'Device', id: 'dev-1', meta: { profile: ['x'] } };
  const observation = {
    resourceType: 'Observation',
    meta: { profile: ['y'] },
    device: { reference: 'Device/dev-1' },
  };
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resource: device,
        request: {
          method: 'POST',
          url: 'Device',
          ifNoneExist: 'identifier=urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680|FE-ED-AB-AA-DE-AD-77-C5',
        },
      },
      { fullUrl: 'urn:uuid:1', resource: observation, request: { method: 'POST', url: 'Observation' } },
    ],
  };

  it('finds the Observation and the Device with its identifier', () => {
    const plan = pushPlanOf(bundle);
    assert.equal(plan?.observation.index, 1);
    assert.equal(plan?.device?.index, 0);
    assert.deepEqual(plan?.device?.identifier, {
      system: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680',
      value: 'FE-ED-AB-AA-DE-AD-77-C5',
    });
  });
  it('refuses other shapes', () => {
    assert.equal(pushPlanOf({ ...bundle, entry: [bundle.entry[0]] }), undefined);
    assert.equal(pushPlanOf({ ...bundle, entry: [...bundle.entry, bundle.entry[1]] }), undefined);
    assert.equal(
      pushPlanOf({ ...bundle, entry: [{ ...bundle.entry[0], request: {} }, bundle.entry[1]] }),
      undefined,
    );
    assert.equal(pushPlanOf({ ...bundle, entry: [1] }), undefined);
  });
  it('reads ifNoneExist as MES publishes it', () => {
    assert.deepEqual(parseIfNoneExist('identifier=urn:oid:1.2.3|ABC-1'), {
      system: 'urn:oid:1.2.3',
      value: 'ABC-1',
    });
    for (const bad of [
      'identifier=1.2.3|ABC',
      'identifier=urn:oid:1.2.3|',
      'identifier=urn:oid:1|A',
      'x',
      3,
    ]) {
      assert.equal(parseIfNoneExist(bad), undefined, String(bad));
    }
  });
  it('stores the Observation with the server’s id and meta, the writer as source, the stored Device', () => {
    const at = new Date('2024-05-01T08:00:00Z');
    const stored = storedObservation(observation, {
      id: 'obs-9',
      lastUpdated: at,
      serviceOid: '1.2.3',
      deviceId: 'dev-9',
    });
    assert.equal(stored.id, 'obs-9');
    assert.deepEqual(stored.meta, {
      profile: ['y'],
      versionId: '1',
      lastUpdated: '2024-05-01T08:00:00.000Z',
      source: 'urn:oid:1.2.3',
    });
    assert.deepEqual(stored.device, { reference: 'Device/dev-9' });
    assert.deepEqual(observation.device, { reference: 'Device/dev-1' }, 'the request is left as it was');
    const withSource = storedObservation(
      { ...observation, meta: { source: 'urn:oid:1.2.3.4' } },
      { id: 'o', lastUpdated: at, serviceOid: '1.2.3' },
    );
    assert.equal((withSource.meta as { source: string }).source, 'urn:oid:1.2.3.4');
    const device2 = storedDevice(device, { id: 'dev-9', lastUpdated: at });
    assert.equal(device2.id, 'dev-9');
    assert.equal((device2.meta as { source?: string }).source, undefined);
  });
  it('answers a transaction-response in the request’s order', () => {
    const at = new Date('2024-05-01T08:00:00Z');
    const body = transactionResponse(
      'b',
      [
        { type: 'Device', id: 'd', versionId: 1, lastUpdated: at, created: false },
        { type: 'Observation', id: 'o', versionId: 1, lastUpdated: at, created: true },
      ],
      at,
    );
    assert.equal(body.type, 'transaction-response');
    assert.deepEqual(body.entry, [
      {
        response: {
          status: '200 OK',
          location: 'Device/d/_history/1',
          etag: 'W/"1"',
          lastModified: '2024-05-01T08:00:00.000Z',
        },
      },
      {
        response: {
          status: '201 Created',
          location: 'Observation/o/_history/1',
          etag: 'W/"1"',
          lastModified: '2024-05-01T08:00:00.000Z',
        },
      },
    ]);
  });
});

describe('the answers of a search and a history', () => {
  const base = 'https://mesref.test/fhir';
  const search = (page: number, count = 2): MeasureSearch => {
    const parsed = parseSearch(
      [
        ...new URLSearchParams(
          `subject.identifier=pe-1&code=29463-7&date=2024&_count=${count}&_offset=${page}&_include=Observation:device`,
        ),
      ],
      categories,
    );
    assert.ok(parsed.ok);
    return parsed.search;
  };
  const links = (b: Record<string, unknown>) =>
    Object.fromEntries((b.link as Array<{ relation: string; url: string }>).map((l) => [l.relation, l.url]));

  it('links self, previous and next with absolute URLs, and counts only the matches', () => {
    const obs = (id: string) => ({ resourceType: 'Observation', id });
    const dev = { resourceType: 'Device', id: 'd1' };
    const b = searchBundle({
      id: 's',
      base,
      search: search(1),
      total: 5,
      observations: [obs('o3'), obs('o4')],
      devices: [dev, dev],
      now: new Date(),
    });
    assert.equal(b.type, 'searchset');
    assert.equal(b.total, 5);
    const l = links(b);
    assert.equal(
      l.self,
      `${base}/Observation?subject.identifier=pe-1&code=29463-7&date=2024&_include=Observation%3Adevice&_count=2&_offset=1`,
    );
    assert.match(l.previous, /_offset=0$/);
    assert.match(l.next, /_offset=2$/);
    const entries = b.entry as Array<{ fullUrl: string; search: { mode: string } }>;
    assert.deepEqual(
      entries.map((e) => [e.fullUrl, e.search.mode]),
      [
        [`${base}/Observation/o3`, 'match'],
        [`${base}/Observation/o4`, 'match'],
        [`${base}/Device/d1`, 'include'],
      ],
    );
  });
  it('has no next on the last page, no previous on the first', () => {
    const last = links(
      searchBundle({
        id: 's',
        base,
        search: search(2),
        total: 5,
        observations: [],
        devices: [],
        now: new Date(),
      }),
    );
    assert.equal(last.next, undefined);
    const first = links(
      searchBundle({
        id: 's',
        base,
        search: search(0),
        total: 5,
        observations: [],
        devices: [],
        now: new Date(),
      }),
    );
    assert.equal(first.previous, undefined);
    assert.ok(first.next);
  });
  it('gives a history Bundle with each version’s etag', () => {
    const at = new Date('2024-05-01T08:00:00Z');
    const b = historyBundle({
      id: 'h',
      base,
      type: 'Observation',
      versions: [{ versionId: 1, lastUpdated: at, resource: { resourceType: 'Observation', id: 'o' } }],
      now: at,
    });
    assert.equal(b.type, 'history');
    assert.equal(b.total, 1);
    assert.deepEqual((b.entry as Array<{ response: unknown }>)[0].response, {
      status: '201 Created',
      etag: 'W/"1"',
      lastModified: '2024-05-01T08:00:00.000Z',
    });
  });
});

describe('the values of a measure', () => {
  it('reads a valueQuantity', () => {
    assert.deepEqual(
      valuesOf({
        code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids' }] },
        valueQuantity: { value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
      }),
      [{ code: '29463-7', label: 'Poids', value: 71.5, unit: 'kg' }],
    );
  });
  it('reads the components of a blood pressure', () => {
    const bp = {
      code: { coding: [{ code: '85354-9' }] },
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mm[Hg]' } },
        { code: { coding: [{ code: 'x' }] } },
      ],
    };
    assert.deepEqual(valuesOf(bp), [
      { code: '8480-6', value: 120, unit: 'mm[Hg]' },
      { code: '8462-4', value: 80, unit: 'mm[Hg]' },
    ]);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('finds half a surrogate pair in any string or key, and lets whole pairs through', () => {
    assert.equal(unstorableText({ a: ['ok', { b: 'émoji 😀' }] }), undefined);
    assert.equal(unstorableText({ a: ['ok', { b: 'x\ud800' }] }), 'lone-surrogate');
    assert.equal(unstorableText({ 'k\udc00': 1 }), 'lone-surrogate');
    assert.equal(unstorableText('\udbff\udfff'), undefined);
  });

  it('finds a NUL character in any string or key', () => {
    assert.equal(unstorableText({ a: [{ b: 'tab\tand line\n' }] }), undefined);
    assert.equal(unstorableText({ a: [{ b: 'x\u0000y' }] }), 'nul');
    assert.equal(unstorableText({ 'k\u0000': 1 }), 'nul');
  });
});
