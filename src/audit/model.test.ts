// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type AuditLink, canonicalJson, GENESIS_HASH, hashLink, verifyChain, verifyLinks } from './model.ts';

type Link = AuditLink & { hash: string };

interface EventSpec {
  actorType: AuditLink['actorType'];
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** Builds a chain the way the store appends it. */
function buildChain(
  chain: string,
  events: EventSpec[],
): { links: Link[]; head: { seq: number; hash: string } } {
  const links: Link[] = [];
  let prevHash = GENESIS_HASH;
  events.forEach((event, i) => {
    const link: AuditLink = { chain, seq: i + 1, prevHash, ...event };
    const hash = hashLink(link);
    links.push({ ...link, hash });
    prevHash = hash;
  });
  return { links, head: { seq: links.length, hash: prevHash } };
}

const event = (action: string, data: Record<string, unknown> = {}, at = new Date('2025-03-01T10:00:00Z')) =>
  ({
    actorType: 'account',
    actorId: 'a1',
    action,
    subjectType: 'dossier',
    subjectId: 'd1',
    data,
    at,
  }) satisfies EventSpec;

const sample = () =>
  buildChain('dossier:d1', [
    event('dossier.created', { name: 'Service A' }),
    event('dossier.submitted', { criteria: 12 }),
    event('dossier.admissible', { by: 'instructeur' }),
    event('dossier.decided', { decision: 'favorable' }),
  ]);

describe('audit chain: canonical JSON', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      'sorts keys at every depth',
      { b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } },
      '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}',
    ],
    ['drops undefined members', { a: undefined, b: 2 }, '{"b":2}'],
    ['writes undefined alone as null', undefined, 'null'],
    [
      'writes dates as ISO strings',
      { at: new Date('2025-01-02T03:04:05.678Z') },
      '{"at":"2025-01-02T03:04:05.678Z"}',
    ],
    ['escapes strings like JSON', { 'k"': 'é\n' }, '{"k\\"":"é\\n"}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(canonicalJson(input), expected));
  }

  it('does not depend on key insertion order (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        assert.equal(canonicalJson(reversed), canonicalJson(object));
      }),
    );
  });

  it('reads back to the same value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.deepEqual(JSON.parse(canonicalJson(value)), JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('audit chain: verification', () => {
  it('accepts an intact chain and its head', () => {
    const { links, head } = sample();
    assert.equal(verifyChain(links, head), undefined);
    assert.equal(verifyChain([], { seq: 0, hash: GENESIS_HASH }), undefined);
  });

  it('links each event to the previous one from the genesis hash', () => {
    const { links } = sample();
    assert.equal(links[0].prevHash, GENESIS_HASH);
    for (let i = 1; i < links.length; i++) assert.equal(links[i].prevHash, links[i - 1].hash);
  });

  const tamperings: Array<{
    name: string;
    tamper: (
      links: Link[],
      head: { seq: number; hash: string },
    ) => { links: Link[]; head: { seq: number; hash: string } };
    expected: { seq: number; problem: string };
  }> = [
    {
      name: 'changed data',
      tamper: (links, head) => {
        links[1] = { ...links[1], data: { criteria: 13 } };
        return { links, head };
      },
      expected: { seq: 2, problem: 'hash_mismatch' },
    },
    {
      name: 'changed data with the link re-hashed (the next link no longer follows)',
      tamper: (links, head) => {
        const changed = { ...links[1], data: { criteria: 13 } };
        links[1] = { ...changed, hash: hashLink(changed) };
        return { links, head };
      },
      expected: { seq: 3, problem: 'prev_hash_mismatch' },
    },
    {
      name: 'changed time',
      tamper: (links, head) => {
        links[2] = { ...links[2], at: new Date('2025-03-01T10:00:01Z') };
        return { links, head };
      },
      expected: { seq: 3, problem: 'hash_mismatch' },
    },
    {
      name: 'deleted event in the middle',
      tamper: (links, head) => ({ links: links.filter((l) => l.seq !== 2), head }),
      expected: { seq: 2, problem: 'sequence_gap' },
    },
    {
      name: 'deleted last event (the head still names it)',
      tamper: (links, head) => ({ links: links.slice(0, -1), head }),
      expected: { seq: 4, problem: 'head_mismatch' },
    },
    {
      name: 'reordered events',
      tamper: (links, head) => ({ links: [links[0], links[2], links[1], links[3]], head }),
      expected: { seq: 2, problem: 'sequence_gap' },
    },
    {
      name: 'two events swapped with their numbers kept',
      tamper: (links, head) => {
        const [a, b] = [links[1], links[2]];
        links[1] = { ...b, seq: 2 };
        links[2] = { ...a, seq: 3 };
        return { links, head };
      },
      expected: { seq: 2, problem: 'prev_hash_mismatch' },
    },
    {
      name: 'head pointing elsewhere',
      tamper: (links, head) => ({ links, head: { ...head, hash: 'f'.repeat(64) } }),
      expected: { seq: 4, problem: 'head_mismatch' },
    },
    {
      name: 'head rolled back one link',
      tamper: (links) => ({ links, head: { seq: 3, hash: links[2].hash } }),
      expected: { seq: 3, problem: 'head_mismatch' },
    },
    {
      name: 'event appended without moving the head',
      tamper: (links, head) => {
        const extra: AuditLink = { ...links[3], seq: 5, prevHash: links[3].hash, action: 'forged' };
        return { links: [...links, { ...extra, hash: hashLink(extra) }], head };
      },
      expected: { seq: 4, problem: 'head_mismatch' },
    },
  ];
  for (const { name, tamper, expected } of tamperings) {
    it(`finds the first broken link: ${name}`, () => {
      const { links, head } = sample();
      const tampered = tamper(links, head);
      assert.deepEqual(verifyChain(tampered.links, tampered.head), { chain: 'dossier:d1', ...expected });
    });
  }

  it('verifies page by page as it does whole', () => {
    const { links, head } = sample();
    const first = verifyLinks(links.slice(0, 2));
    assert.ok('cursor' in first);
    const rest = verifyLinks(links.slice(2), first.cursor);
    assert.ok('cursor' in rest);
    assert.deepEqual(rest.cursor, { prevHash: head.hash, nextSeq: 5 });
  });
});

const eventArb: fc.Arbitrary<EventSpec> = fc.record({
  actorType: fc.constantFrom('account', 'citizen', 'system', 'client', 'anonymous'),
  actorId: fc.option(fc.string(), { nil: null }),
  action: fc.string({ minLength: 1 }),
  subjectType: fc.option(fc.string(), { nil: null }),
  subjectId: fc.option(fc.string(), { nil: null }),
  data: fc.dictionary(fc.string(), fc.jsonValue()),
  at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
});

describe('audit chain: properties', () => {
  it('any appended sequence verifies', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(eventArb, { maxLength: 20 }), (chain, events) => {
        const { links, head } = buildChain(chain, events);
        assert.equal(verifyChain(links, head), undefined);
      }),
    );
  });

  const fields = [
    'actorType',
    'actorId',
    'action',
    'subjectType',
    'subjectId',
    'data',
    'at',
    'chain',
    'seq',
    'prevHash',
    'hash',
  ] as const;

  /** A value for `field` that differs from `current`. */
  function mutated(field: (typeof fields)[number], current: unknown, salt: string): unknown {
    switch (field) {
      case 'at':
        return new Date((current as Date).getTime() + 1);
      case 'seq':
        return (current as number) + 1;
      case 'data':
        return { ...(current as Record<string, unknown>), [`x${salt}`]: salt };
      case 'actorType':
        return current === 'system' ? 'account' : 'system';
      case 'hash':
      case 'prevHash':
        return (current as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
      default:
        return current === null ? salt || '-' : `${String(current)}${salt || '-'}`;
    }
  }

  it('any single-field change is detected, at the changed link or the one that follows it', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.string({ maxLength: 3 }),
        (events, pick, field, salt) => {
          const { links, head } = buildChain('c', events);
          const index = pick % links.length;
          const original = links[index];
          links[index] = { ...original, [field]: mutated(field, original[field], salt) };
          const broken = verifyChain(links, head);
          assert.ok(broken, `a change of ${field} at seq ${index + 1} went unnoticed`);
          assert.ok(
            broken.seq === index + 1 || broken.seq === index + 2,
            `reported seq ${broken.seq} for a change at ${index + 1}`,
          );
        },
      ),
    );
  });
});
