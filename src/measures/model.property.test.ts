// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  classify,
  dateInterval,
  type MeasureCategory,
  parseSearch,
  pushPlanOf,
  searchBundle,
  searchCodeOf,
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
];
const allCodes = categories.flatMap((c) => c.codes ?? []);

/** The day an instant falls on in Paris, computed independently of the model (`YYYY-MM-DD`). */
const parisDay = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(d);

const instants = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2060-12-31T00:00:00Z'),
  noInvalidDate: true,
});

describe('measures model properties', () => {
  it('a dateTime with its offset covers its own instant, and a second of it', () => {
    fc.assert(
      fc.property(instants, (d) => {
        const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
        const interval = dateInterval(iso);
        assert.ok(interval);
        assert.equal(interval.end.getTime() - interval.start.getTime(), 1000);
        assert.ok(interval.start.getTime() <= d.getTime() && d.getTime() < interval.end.getTime());
      }),
    );
  });

  it('a day covers exactly the instants whose Paris date it is, and days abut', () => {
    fc.assert(
      fc.property(instants, (d) => {
        const day = parisDay(d);
        const interval = dateInterval(day);
        assert.ok(interval);
        assert.ok(
          interval.start.getTime() <= d.getTime() && d.getTime() < interval.end.getTime(),
          `${d.toISOString()} in ${day}`,
        );
        const hours = (interval.end.getTime() - interval.start.getTime()) / 3_600_000;
        assert.ok([23, 24, 25].includes(hours), `${day}: ${hours} h`);
        assert.equal(parisDay(interval.start), day);
        assert.equal(parisDay(new Date(interval.end.getTime() - 1)), day);
        assert.notEqual(parisDay(interval.end), day);
      }),
    );
  });

  it('a search for a day matches an instant exactly when it falls on that Paris day', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: -2, max: 2 }), (d, shift) => {
        const day = parisDay(new Date(d.getTime() + shift * 86_400_000));
        const parsed = parseSearch(
          [
            ['subject.identifier', 'pe'],
            ['code', '85354-9'],
            ['date', day],
          ],
          categories,
        );
        assert.ok(parsed.ok);
        const { from, to } = parsed.search;
        assert.ok(from && to);
        const inside = from.getTime() <= d.getTime() && d.getTime() < to.getTime();
        assert.equal(inside, parisDay(d) === day);
      }),
    );
  });

  it('never throws on any query, and a refusal always says why', () => {
    const names = fc.oneof(
      fc.constantFrom(
        'code',
        'subject.identifier',
        'subject:identifier',
        'date',
        '_count',
        '_offset',
        '_sort',
        '_include',
        '_format',
        'lang',
      ),
      fc.string({ maxLength: 12 }),
    );
    const values = fc.oneof(
      fc.constantFrom(
        '85354-9',
        'http://loinc.org|29463-7',
        'pe',
        'urn:oid:1.2|pe',
        '-date',
        '1',
        '101',
        'ge2024-01-01',
        'le2024-02-01',
        '2024',
        'Observation:device',
      ),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 8 }), (query) => {
        const parsed = parseSearch(query, categories);
        if (!parsed.ok) assert.ok(parsed.diagnostics.length > 0);
        else {
          assert.ok(parsed.search.count >= 1 && parsed.search.count <= 100);
          assert.ok(parsed.search.page >= 0);
          if (parsed.search.from && parsed.search.to)
            assert.ok(Number.isFinite(parsed.search.from.getTime()));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('classifies an observation into a category that names its code, whatever else it is coded with', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...allCodes), fc.string({ maxLength: 8 })), { maxLength: 5 }),
        (codes) => {
          const resource = { resourceType: 'Observation', code: { coding: codes.map((code) => ({ code })) } };
          const kind = classify(categories, resource);
          const known = codes.filter((c) => allCodes.includes(c));
          if (known.length === 0) assert.equal(kind, undefined);
          else {
            assert.ok(kind);
            const category = categories.find((c) => c.code === kind.category);
            assert.ok(category?.codes?.some((c) => searchCodeOf(categories, c) === kind.code));
            assert.equal(kind.code, searchCodeOf(categories, known[0]));
          }
        },
      ),
    );
  });

  it('finds no push plan in a Bundle that is not one Observation and at most one Device', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const bundle = { resourceType: 'Bundle', type: 'transaction', entry: value };
        const plan = pushPlanOf(bundle);
        if (plan) assert.equal(plan.observation.resource.resourceType, 'Observation');
      }),
    );
  });

  it('links next exactly when matches remain, previous on every page after the first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 2000 }),
        (count, page, total) => {
          const parsed = parseSearch(
            [
              ['subject.identifier', 'pe'],
              ['code', '85354-9'],
              ['date', '2024'],
              ['_count', String(count)],
              ['_offset', String(page)],
            ],
            categories,
          );
          assert.ok(parsed.ok);
          const bundle = searchBundle({
            id: 'b',
            base: 'https://x.test/fhir',
            search: parsed.search,
            total,
            observations: [],
            devices: [],
            now: new Date(),
          });
          const relations = (bundle.link as Array<{ relation: string }>).map((l) => l.relation);
          assert.equal(relations.includes('next'), (page + 1) * count < total);
          assert.equal(relations.includes('previous'), page > 0);
          assert.equal(bundle.total, total);
        },
      ),
    );
  });
});
