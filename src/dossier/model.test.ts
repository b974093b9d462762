// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  actionRoles,
  actionTypes,
  catalogueStatuses,
  type DossierAction,
  type DossierActionType,
  type DossierFacts,
  type DossierRole,
  type DossierState,
  decide,
  dossierStates,
  evaluationNumber,
  finalStates,
  isOverdue,
  type ProcessRules,
  possibleActions,
  remindersDue,
  requestProblems,
  requiredTestPlans,
} from './model.ts';
import { loadProcess, processRules } from './process.ts';

const rules: ProcessRules = processRules(loadProcess(), [
  'prevention',
  'diagnostic',
  'soins',
  'suivi-social-medico-social',
]);
const roles: DossierRole[] = [
  'publisher',
  'publisher_manager',
  'instructeur',
  'commission',
  'decideur',
  'system',
];

/** Every move of the file's state the process knows (besides staying put). */
const edges = new Set([
  'draft>submitted',
  'draft>withdrawn',
  'submitted>evaluation',
  'submitted>inadmissible',
  'submitted>info_requested',
  'submitted>withdrawn',
  'evaluation>info_requested',
  'evaluation>ready_for_commission',
  'evaluation>withdrawn',
  'evaluation>update_accepted',
  'evaluation>update_refused',
  'info_requested>evaluation',
  'info_requested>submitted',
  'info_requested>withdrawn',
  'ready_for_commission>opinion_given',
  'ready_for_commission>withdrawn',
  'opinion_given>accepted',
  'opinion_given>refused',
  'accepted>convention_signed',
  'accepted>connection_tests',
  'convention_signed>published',
  'connection_tests>published',
]);

function initialFacts(overrides: Partial<DossierFacts> = {}): DossierFacts {
  return {
    kind: 'initial',
    state: 'draft',
    catalogueStatus: null,
    dataExchange: false,
    requestProblems: {},
    adminFileValidated: true,
    assessmentReady: true,
    verdictsMissing: 0,
    verdictsToComplete: 0,
    infoReturnState: null,
    opinion: null,
    reservations: [],
    connectionTestsPassed: false,
    referencedUntil: null,
    renewalRequested: false,
    phaseDueAt: null,
    pausedAt: null,
    pausedPhaseDueAt: null,
    ...overrides,
  };
}

/** A plausible action of each type (texts filled, seats at quorum), so guards other than the state are met. */
function sampleAction(
  type: DossierActionType,
  facts: DossierFacts,
  now: Date,
  variant: number,
): DossierAction {
  const seats = rules.seatIds.slice(0, rules.quorum);
  switch (type) {
    case 'withdraw':
    case 'declare_inadmissible':
    case 'refuse_update':
    case 'take_offline':
    case 'suspend':
    case 'dereference':
      return { type, reasons: 'motif' };
    case 'request_info':
      return {
        type,
        message: 'question',
        criteria: [],
        dueAt: new Date(now.getTime() + 86_400_000).toISOString(),
      };
    case 'answer_info':
      return { type, text: 'réponse' };
    case 'give_opinion': {
      const opinion = (
        [
          'FAVORABLE',
          'FAVORABLE_RESERVES_NON_SUSPENSIVES',
          'FAVORABLE_RESERVES_SUSPENSIVES',
          'DEFAVORABLE',
        ] as const
      )[variant % 4] as 'FAVORABLE';
      const reservations =
        opinion === ('FAVORABLE_RESERVES_SUSPENSIVES' as string)
          ? [{ text: 'r', suspensive: true }]
          : opinion === ('FAVORABLE_RESERVES_NON_SUSPENSIVES' as string)
            ? [{ text: 'r', suspensive: false }]
            : [];
      return {
        type,
        opinion,
        reasons: 'motifs',
        reservations,
        sitting: seats,
        finalites: facts.dataExchange ? ['prevention'] : [],
      };
    }
    case 'lift_reservation':
      return { type, reservationId: facts.reservations.find((r) => !r.liftedAt)?.id ?? 'R1' };
    case 'decide':
      return { type, decision: variant % 3 === 0 ? 'refused' : 'referenced', reasons: 'motifs' };
    case 'sign_convention':
      return {
        type,
        convention: {
          parties: ['Éditeur', 'Ministre', 'CNAM'],
          categories: facts.dataExchange ? [{ code: 'poids', read: true, write: true }] : [],
          finalites: [],
          durationMonths: 12,
          withdrawalTerms: 'retrait',
          signedOn: '2026-11-27',
        },
      };
    case 'publish':
      return { type, pilot: variant % 2 === 0 };
    default:
      return { type } as DossierAction;
  }
}

/** Applies a permitted patch to the facts, as the service writes it. */
function apply(facts: DossierFacts, patch: Record<string, unknown>): DossierFacts {
  const next = { ...facts } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
  return next as unknown as DossierFacts;
}

describe('the referencing file state machine', () => {
  it('never reaches a state or catalogue status the process does not allow, whatever the actions and roles', () => {
    const step = fc.record({
      type: fc.constantFrom(...actionTypes),
      role: fc.constantFrom(...roles),
      variant: fc.nat(11),
      // What the world does between steps: verdicts recorded, tests passed, days passing.
      verdictsMissing: fc.nat(2),
      testsPassed: fc.boolean(),
      days: fc.nat(400),
      // Most steps pick among the moves possible now, so runs go deep; the others try anything.
      guided: fc.nat(9),
      pick: fc.nat(1000),
    });
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc.array(step, { minLength: 20, maxLength: 80 }),
        (dataExchange, update, steps) => {
          let facts = initialFacts({ dataExchange, kind: update ? 'update' : 'initial' });
          let now = new Date('2026-01-01T00:00:00Z');
          for (const s of steps) {
            now = new Date(now.getTime() + s.days * 3600_000);
            facts = { ...facts, verdictsMissing: s.verdictsMissing, connectionTestsPassed: s.testsPassed };
            let type = s.type;
            let role = s.role;
            const ends = ['withdraw', 'declare_inadmissible', 'refuse_update', 'dereference'];
            // Ending moves are rarer, so runs go on to the publication and after.
            const possible = possibleActions(facts, roles).filter((a) => s.guided === 9 || !ends.includes(a));
            if (s.guided > 1 && possible.length > 0) {
              type = possible[s.pick % possible.length] as DossierActionType;
              role = actionRoles[type][s.pick % actionRoles[type].length] as DossierRole;
            }
            const action = sampleAction(type, facts, now, s.variant);
            const decision = decide(facts, action, role, now, rules);
            if (!decision.ok) {
              // A refusal never comes from a role the action allows in a state it allows... unless a guard said so.
              if (decision.code === 'forbidden') assert.ok(!actionRoles[type].includes(role));
              continue;
            }
            assert.ok(actionRoles[type].includes(role), `${role} did ${type}`);
            const next = apply(facts, decision.patch as Record<string, unknown>);
            if (next.state !== facts.state) {
              assert.ok(
                edges.has(`${facts.state}>${next.state}`),
                `illegal move ${facts.state} → ${next.state}`,
              );
            }
            assert.ok((dossierStates as readonly string[]).includes(next.state));
            // Published ⇔ a catalogue status; a final state never moves again.
            assert.equal(
              next.state === 'published',
              next.catalogueStatus !== null,
              `${next.state} ${next.catalogueStatus}`,
            );
            if (next.catalogueStatus)
              assert.ok((catalogueStatuses as readonly string[]).includes(next.catalogueStatus));
            assert.ok(!finalStates.includes(facts.state), `a final state moved: ${facts.state}`);
            if (facts.catalogueStatus === 'DEREFERENCEE') assert.equal(next.catalogueStatus, 'DEREFERENCEE');
            // Publication needs a favourable opinion without unlifted suspensive reservation, and the tests for exchange.
            if (next.state === 'published' && facts.state !== 'published') {
              assert.notEqual(facts.opinion, 'DEFAVORABLE');
              assert.ok(!facts.reservations.some((r) => r.suspensive && !r.liftedAt));
              if (facts.dataExchange) assert.ok(facts.connectionTestsPassed);
            }
            if (next.state === 'accepted') assert.notEqual(facts.opinion, 'DEFAVORABLE');
            if (next.state === 'ready_for_commission') assert.equal(facts.verdictsMissing, 0);
            facts = next;
            reached.add(facts.catalogueStatus ?? facts.state);
            // What the pages offer is what the machine would consider.
            for (const offered of possibleActions(facts, roles)) {
              assert.ok(actionTypes.includes(offered));
            }
          }
        },
      ),
      { numRuns: 600 },
    );
    if (process.env.DEBUG_REACHED) console.log([...reached]);
    // The runs went everywhere: every state and catalogue status was reached at least once.
    for (const state of dossierStates.filter((x) => x !== 'published' && x !== 'draft'))
      assert.ok(reached.has(state), `never reached ${state}`);
    for (const status of catalogueStatuses) assert.ok(reached.has(status), `never reached ${status}`);
  });

  it('offers a role only the actions it may take', () => {
    for (const state of dossierStates) {
      for (const role of roles) {
        const facts = initialFacts({ state, catalogueStatus: state === 'published' ? 'EN_LIGNE' : null });
        for (const type of possibleActions(facts, [role])) {
          assert.ok(actionRoles[type].includes(role), `${role} offered ${type} in ${state}`);
        }
      }
    }
  });

  it('refuses a move from the wrong state with a clear key', () => {
    const now = new Date();
    const refused = decide(
      initialFacts({ state: 'published', catalogueStatus: 'EN_LIGNE' }),
      { type: 'submit' },
      'publisher_manager',
      now,
      rules,
    );
    assert.deepEqual(refused, { ok: false, code: 'illegal', key: 'dossier.error.state' });
    const role = decide(initialFacts(), { type: 'submit' }, 'publisher', now, rules);
    assert.equal(role.ok ? '' : role.code, 'forbidden');
    const guard = decide(
      initialFacts({ adminFileValidated: false }),
      { type: 'submit' },
      'publisher_manager',
      now,
      rules,
    );
    assert.equal(guard.ok ? '' : guard.key, 'dossier.guard.admin_file');
  });

  it('pauses the phase clock while the publisher answers', () => {
    const t0 = new Date('2026-03-01T00:00:00Z');
    const due = new Date('2026-04-30T00:00:00Z').toISOString();
    const asked = decide(
      initialFacts({ state: 'evaluation', phaseDueAt: due }),
      { type: 'request_info', message: 'q', criteria: [], dueAt: '2026-03-20T00:00:00Z' },
      'instructeur',
      t0,
      rules,
    );
    assert.ok(asked.ok);
    const paused = apply(
      initialFacts({ state: 'evaluation', phaseDueAt: due }),
      asked.patch as Record<string, unknown>,
    );
    assert.equal(paused.state, 'info_requested');
    const answered = decide(
      paused,
      { type: 'answer_info', text: 'r' },
      'publisher',
      new Date('2026-03-11T00:00:00Z'),
      rules,
    );
    assert.ok(answered.ok);
    assert.equal(answered.patch.state, 'evaluation');
    assert.equal(answered.patch.phaseDueAt, new Date('2026-05-10T00:00:00Z').toISOString());
  });

  it('numbers files, computes reminders and overdue', () => {
    assert.equal(evaluationNumber(2026, 123), 'MES-2026-000123');
    const until = '2027-01-01T00:00:00Z';
    assert.deepEqual(remindersDue(until, [90, 30, 7], [], new Date('2026-12-05T00:00:00Z')), [90, 30]);
    assert.deepEqual(remindersDue(until, [90, 30, 7], [90, 30], new Date('2026-12-05T00:00:00Z')), []);
    assert.equal(isOverdue('evaluation', '2026-01-01T00:00:00Z', new Date('2026-01-02T00:00:00Z')), true);
    assert.equal(
      isOverdue('info_requested', '2026-01-01T00:00:00Z', new Date('2026-01-02T00:00:00Z')),
      false,
    );
  });

  it('lists what a request lacks, and the test plans its categories need', () => {
    const known = { finalites: ['prevention'], categories: ['poids', 'documents'] };
    assert.deepEqual(Object.keys(requestProblems('sans-echange', {}, [], known)).sort(), [
      'document.cgu',
      'document.privacy',
    ]);
    const p = requestProblems(
      'avec-echange',
      {
        dataExchange: {
          justification: 'j',
          access: 'a',
          categories: [{ code: 'inconnue', read: true, write: false }],
          finalites: ['prevention'],
          retention: 'r',
          security: 's',
          consentText: 'c',
          redirectUris: ['http://exemple.test/cb'],
          jwks: '{"keys":[{"kty":"EC","d":"secret"}]}',
          supportContact: 'pas un contact',
        },
      },
      ['cgu', 'privacy'],
      known,
    );
    assert.equal(p['document.dpia'], 'dossier.field.document_missing');
    assert.equal(p.categories, 'dossier.field.unknown');
    assert.equal(p.redirectUris, 'dossier.field.https_url');
    assert.equal(p.jwks, 'dossier.field.jwks');
    assert.equal(p.supportContact, 'dossier.field.contact');
    assert.deepEqual(requiredTestPlans([{ code: 'poids' }, { code: 'documents' }]), [
      'pairing',
      'mesures',
      'documents',
    ]);
  });

  it('keeps every state and action labelled in both languages', async () => {
    const { dossierMessages } = await import('./messages.ts');
    for (const s of dossierStates) assert.ok(dossierMessages[`dossier.state.${s}`], s);
    for (const a of actionTypes) {
      assert.ok(dossierMessages[`dossier.action.${a}`], a);
      assert.ok(dossierMessages[`dossier.notify.${a}.subject`], `notify ${a}`);
    }
    void ([] as DossierState[]);
  });
});
