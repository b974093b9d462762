// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkHosts,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  type Journey,
  parseJourney,
  resolveGoto,
  stepAction,
  stepTimeoutSeconds,
} from './journey.ts';

const EXAMPLE = `name: Prise de rendez-vous
device: smartphone
role: patient
steps:
  - { label: Accueil, goto: https://rdv.example.fr/ }
  - { label: Recherche, fill: '#q', value: cardiologue }
  - { label: Résultats, click: 'button[type=submit]', timeout: 20 }
  - { label: Liste chargée, waitFor: .resultats }
  - label: Bas de page
    scroll: bottom
  - { label: Défilement, scroll: 600 }
  - { label: Lecture, pause: 5 }
  - { label: Aide, goto: /aide }
`;

function parsed(text: string): Journey {
  const result = parseJourney(text, 'parcours.yaml');
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.journey;
}

function problems(text: string): string[] {
  const result = parseJourney(text, 'parcours.yaml');
  assert.ok(!result.ok, 'the journey was accepted');
  return result.problems.map((p) => `${p.file}:${p.line} ${p.path} ${p.message}`);
}

describe('journey files', () => {
  it('reads every kind of step', () => {
    const journey = parsed(EXAMPLE);
    assert.equal(journey.name, 'Prise de rendez-vous');
    assert.equal(journey.device, 'smartphone');
    assert.equal(journey.role, 'patient');
    assert.deepEqual(journey.steps.map(stepAction), [
      'goto',
      'fill',
      'click',
      'waitFor',
      'scroll',
      'scroll',
      'pause',
      'goto',
    ]);
    assert.deepEqual(journey.steps[1], { label: 'Recherche', fill: '#q', value: 'cardiologue' });
    assert.equal(stepTimeoutSeconds(journey.steps[2]), 20);
    assert.equal(stepTimeoutSeconds(journey.steps[0]), DEFAULT_STEP_TIMEOUT_SECONDS);
    assert.deepEqual(journey.source, { file: 'parcours.yaml', stepLines: [5, 6, 7, 8, 9, 11, 12, 13] });
    assert.equal(resolveGoto(journey, 7), 'https://rdv.example.fr/aide');
  });

  const head = 'name: P\ndevice: smartphone\nsteps:\n  - { label: A, goto: https://a.fr/ }\n';
  const cases: Array<[string, string, string[]]> = [
    [
      'an unknown device',
      'name: P\ndevice: phone\nsteps:\n  - { label: A, goto: https://a.fr/ }\n',
      ['parcours.yaml:2 /device'],
    ],
    ['an unknown role', `${head}role: medecin\n`, ['parcours.yaml:5 /role']],
    ['no steps', 'name: P\ndevice: desktop\nsteps: []\n', ['parcours.yaml:3 /steps']],
    [
      'a step without action',
      `${head}  - { label: B }\n`,
      ['parcours.yaml:5 /steps/1 une étape fait une action parmi'],
    ],
    [
      'a step with two actions',
      `${head}  - { label: B, click: a, pause: 1 }\n`,
      ['parcours.yaml:5 /steps/1 une étape fait une seule action (ici : click, pause)'],
    ],
    ['a step without label', `${head}  - { click: a }\n`, ['parcours.yaml:5 /steps/1/label']],
    ['a fill without value', `${head}  - { label: B, fill: '#q' }\n`, ['parcours.yaml:5 /steps/1/value']],
    ['a scroll to the top', `${head}  - { label: B, scroll: top }\n`, ['parcours.yaml:5 /steps/1/scroll']],
    ['a pause of 10 minutes', `${head}  - { label: B, pause: 600 }\n`, ['parcours.yaml:5 /steps/1/pause']],
    [
      'a negative timeout',
      `${head}  - { label: B, click: a, timeout: -1 }\n`,
      ['parcours.yaml:5 /steps/1/timeout'],
    ],
    [
      'an unknown option',
      `${head}  - { label: B, click: a, force: true }\n`,
      ['parcours.yaml:5 /steps/1/force'],
    ],
    [
      'a journey that does not start with goto',
      'name: P\ndevice: tablet\nsteps:\n  - { label: A, click: a }\n',
      ['parcours.yaml:4 /steps/0 la première étape ouvre une adresse (goto)'],
    ],
    [
      'a relative first goto',
      'name: P\ndevice: tablet\nsteps:\n  - { label: A, goto: /accueil }\n',
      ['parcours.yaml:4 /steps/0/goto la première étape ouvre une adresse complète'],
    ],
    ['a YAML syntax error', 'name: P\ndevice: [\n', ['parcours.yaml:']],
    ['not a mapping', '- a\n- b\n', ['parcours.yaml:1 ']],
  ];
  for (const [name, text, expected] of cases) {
    it(`refuses ${name}, with its line`, () => {
      const found = problems(text);
      assert.equal(found.length, expected.length, found.join('\n'));
      for (const [i, prefix] of expected.entries())
        assert.ok(found[i].startsWith(prefix), `${found[i]} ≠ ${prefix}…`);
    });
  }

  it('reports every problem at once', () => {
    const found = problems(
      `${head}  - { label: B }\n  - { label: C, scroll: top }\n  - { label: D, pause: 0 }\n`,
    );
    assert.deepEqual(
      found.map((p) => p.split(' ')[0]),
      ['parcours.yaml:5', 'parcours.yaml:6', 'parcours.yaml:7'],
    );
  });
});

describe('hosts a journey may reach', () => {
  const journey = (...urls: string[]) =>
    parsed(
      `name: P\ndevice: desktop\nsteps:\n${urls.map((u, i) => `  - { label: S${i}, goto: '${u}' }\n`).join('')}`,
    );

  const cases: Array<[string, string[], string[], string[]]> = [
    ['the declared host', ['https://rdv.example.fr/', '/aide', '?q=1'], ['rdv.example.fr'], []],
    ['case and port of the URL', ['https://RDV.Example.fr:8443/'], ['rdv.example.fr'], []],
    ['a host with its port', ['http://127.0.0.1:4173/'], ['127.0.0.1:4173'], []],
    ['the wrong port', ['http://127.0.0.1:22/'], ['127.0.0.1:4173'], ['parcours.yaml:4 /steps/0/goto']],
    [
      'another machine',
      ['https://rdv.example.fr/', 'https://intranet.local/'],
      ['rdv.example.fr'],
      ['parcours.yaml:5 /steps/1/goto'],
    ],
    [
      'a subdomain not declared',
      ['https://admin.rdv.example.fr/'],
      ['rdv.example.fr'],
      ['parcours.yaml:4 /steps/0/goto'],
    ],
    ['no host allowed', ['https://rdv.example.fr/'], [], ['parcours.yaml:4 /steps/0/goto']],
    [
      'a relative URL escaping to another host',
      ['https://rdv.example.fr/', '//evil.example/'],
      ['rdv.example.fr'],
      ['parcours.yaml:5 /steps/1/goto'],
    ],
    [
      'a file URL',
      ['https://rdv.example.fr/', 'file:///etc/passwd'],
      ['rdv.example.fr'],
      ['parcours.yaml:5 /steps/1/goto seules'],
    ],
  ];
  for (const [name, urls, allowed, expected] of cases) {
    it(name, () => {
      const found = checkHosts(journey(...urls), allowed).map(
        (p) => `${p.file}:${p.line} ${p.path} ${p.message}`,
      );
      assert.equal(found.length, expected.length, found.join('\n'));
      for (const [i, prefix] of expected.entries())
        assert.ok(found[i].startsWith(prefix), `${found[i]} ≠ ${prefix}…`);
    });
  }
});
